"""What Open311 GeoReport v2 answers look like: complaints, categories and their questions as
the spec's objects, in JSON or XML, and the one error shape (a list of {code, description}).

No queries here: the views load through the selectors and hand the objects over. The JSON
schemas in tests/complaints/open311_schemas/ describe these answers; an absent value is `null`
in JSON (the element is left out in XML), never an empty string standing for a number or time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

# Only builds the XML answers; input is never parsed as XML.
from xml.etree import ElementTree as ET  # nosec B405

from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from apps.catalog.models import FieldDefinition, ServiceItem

from .open311_selectors import OPEN311_CLOSED_STATES, Open311Request

# The spec's datatypes for the portal's kinds of question (a file is posted as media instead).
DATATYPES: dict[str, str] = {
    FieldDefinition.Kind.TEXT: "string",
    FieldDefinition.Kind.ID_NUMBER: "string",
    FieldDefinition.Kind.PHONE: "string",
    FieldDefinition.Kind.ADDRESS: "string",
    FieldDefinition.Kind.TEXTAREA: "text",
    FieldDefinition.Kind.NUMBER: "number",
    FieldDefinition.Kind.DATE: "datetime",
    FieldDefinition.Kind.CHOICE: "singlevaluelist",
    FieldDefinition.Kind.MULTICHOICE: "multivaluelist",
}
DATATYPE_DESCRIPTIONS: dict[str, Promise] = {
    FieldDefinition.Kind.DATE: _("A date as YYYY-MM-DD."),
    FieldDefinition.Kind.ID_NUMBER: _("An 18-character resident ID number."),
    FieldDefinition.Kind.PHONE: _("A mainland China mobile number."),
}

# `status_notes` are read by the public and other agencies, not by the reporter: what happened,
# in the third person, never the text of a reply or a question addressed to the reporter.
STATUS_NOTES = {
    "file_complaint": _("Report received."),
    "dispatch": _("Sent to the department in charge."),
    "sign": _("The department in charge is handling it."),
    "reply": _("The department has answered the reporter; the case stays open until it closes."),
    "question_asked": _("The department asked the reporter for more details."),
    "question_answered": _("The reporter gave the details the department asked for."),
    "reopen": _("Reopened: the department handles it again."),
    "merge": _("Merged with an earlier report of the same problem."),
    "withdraw": _("Withdrawn by the reporter."),
    "close": _("Closed."),
}

# XML: the element of each item of a list, by the list's name.
XML_ITEMS = {"attributes": "attribute", "values": "value"}


def iso(value: datetime | None) -> str | None:
    if not value:
        return None
    return timezone.localtime(value).isoformat(timespec="seconds")


def _xml_fill(node: ET.Element, value: Any) -> None:
    if isinstance(value, Mapping):
        for key, child in value.items():
            if child is None:
                continue  # absent: no element (JSON says null)
            _xml_fill(ET.SubElement(node, key), child)
    elif isinstance(value, list | tuple):
        for child in value:
            _xml_fill(ET.SubElement(node, XML_ITEMS.get(node.tag, "item")), child)
    elif isinstance(value, bool):
        node.text = "true" if value else "false"
    else:
        node.text = str(value)


def render(data: Any, *, fmt: str, root: str, item: str = "", status: int = 200) -> HttpResponse:
    """A list (each entry an `item` element under `root`) or one object (`root` itself)."""
    if fmt == "xml":
        top = ET.Element(root)
        if isinstance(data, list):
            for entry in data:
                _xml_fill(ET.SubElement(top, item), entry)
        else:
            _xml_fill(top, data)
        body = '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(top, encoding="unicode")
        return HttpResponse(body, content_type="text/xml; charset=utf-8", status=status)
    return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def error(fmt: str, status: int, *descriptions: object) -> HttpResponse:
    """The spec's error answer: a list of {code, description}, with the HTTP status as code."""
    data = [{"code": status, "description": str(text)} for text in descriptions]
    return render(data, fmt=fmt, root="errors", item="error", status=status)


def service(item: ServiceItem, *, metadata: bool) -> dict[str, Any]:
    return {
        "service_code": item.code,
        "service_name": item.name,
        "description": item.summary,
        "metadata": metadata,
        "type": "realtime",
        "keywords": "",
        "group": str(item.lead_department) if item.lead_department_id else "",
    }


def attribute(definition: FieldDefinition, *, order: int) -> dict[str, Any]:
    kind = definition.kind
    values = (
        [{"key": key, "name": name} for key, name in definition.choice_list()]
        if kind in FieldDefinition.CHOICE_KINDS
        else []
    )
    description = str(definition.label)
    if definition.help:
        description = f"{description} ({definition.help})"
    text = DATATYPE_DESCRIPTIONS.get(kind)
    return {
        "variable": True,
        "code": definition.key,
        "datatype": DATATYPES[kind],
        "required": bool(definition.required),
        "datatype_description": str(text) if text else None,
        "order": order,
        "description": description,
        "values": values,
    }


def service_definition(item: ServiceItem, questions: Sequence[FieldDefinition]) -> dict:
    return {
        "service_code": item.code,
        "attributes": [attribute(d, order=i) for i, d in enumerate(questions, start=1)],
    }


def status_notes(found: Open311Request) -> str:
    return str(STATUS_NOTES[found.note_verb]) if found.note_verb in STATUS_NOTES else ""


def request(found: Open311Request, *, media_url: str | None) -> dict[str, Any]:
    return {
        "service_request_id": found.number,
        "status": "closed" if found.state in OPEN311_CLOSED_STATES else "open",
        "status_notes": status_notes(found),
        "service_name": found.service_name,
        "service_code": found.service_code,
        "description": found.description,
        "agency_responsible": found.agency,
        "service_notice": "",
        "requested_datetime": iso(found.submitted_at),
        "updated_datetime": iso(found.updated_at),
        "expected_datetime": iso(found.due_at),
        "address": found.address,
        "address_id": "",
        "zipcode": "",
        "lat": float(found.latitude) if found.latitude is not None else None,
        "long": float(found.longitude) if found.longitude is not None else None,
        "media_url": media_url,
    }


def requests(
    found: Sequence[Open311Request],
    *,
    media_url: Callable[[Open311Request], str | None],
    fmt: str,
) -> HttpResponse:
    data = [request(row, media_url=media_url(row)) for row in found]
    return render(data, fmt=fmt, root="service_requests", item="request")
