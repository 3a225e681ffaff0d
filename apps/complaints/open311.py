"""Open311 GeoReport v2 (https://wiki.open311.org/GeoReport_v2) at /open311/v2/, in JSON and
XML, so existing Open311 clients can file and track complaints.

The spec's names: a service is a complaint category, a service request is a complaint (its
`service_request_id` is the case number), `status` is only open or closed, `status_notes` the
latest line of the public timeline, `expected_datetime` the due time. POST needs an API key
(an `Open311Client`, or one of settings.OPEN311_API_KEYS)."""

from __future__ import annotations

from datetime import datetime, timedelta

# Only builds the XML answers; input is never parsed as XML.
from xml.etree import ElementTree as ET  # nosec B405

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from apps.audit.services import client_ip
from apps.cases.models import Case
from apps.cases.timeline import verb_label
from apps.catalog.models import ServiceItem
from apps.catalog.selectors import complaint_categories, complaint_category_get
from apps.core.db_router import read_from_replica
from apps.core.exceptions import ApplicationError, TooManyAttemptsError

from . import selectors, services
from .selectors import OPEN311_CLOSED_STATES as CLOSED_STATES

MAX_DAYS = 90


# --- rendering ----------------------------------------------------------------------------------


def _iso(value) -> str:
    if not value:
        return ""
    return timezone.localtime(value).isoformat(timespec="seconds")


def _render(request, data, *, fmt: str, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        top = ET.Element(root)
        for entry in data:
            node = ET.SubElement(top, item)
            for key, value in entry.items():
                child = ET.SubElement(node, key)
                if isinstance(value, bool):
                    child.text = "true" if value else "false"
                elif value is not None:
                    child.text = str(value)
        body = ET.tostring(top, encoding="unicode")
        return HttpResponse(
            '<?xml version="1.0" encoding="utf-8"?>' + body,
            content_type="text/xml; charset=utf-8",
            status=status,
        )
    return JsonResponse(data, safe=False, status=status, json_dumps_params={"ensure_ascii": False})


def _error(fmt: str, status: int, description: str) -> HttpResponse:
    return _render(
        None,
        [{"code": status, "description": str(description)}],
        fmt=fmt,
        root="errors",
        item="error",
        status=status,
    )


def _service(item: ServiceItem) -> dict:
    return {
        "service_code": item.code,
        "service_name": item.name,
        "description": item.summary,
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": str(item.lead_department),
    }


def _status_notes(case: Case) -> str:
    events = [e for e in case.events.all() if e.is_public]
    if not events:
        return ""
    last = events[-1]
    label = verb_label(last.verb)
    return f"{label}: {last.note}" if last.note and last.verb == "reply" else label


def _request(case: Case) -> dict:
    return {
        "service_request_id": case.number,
        "status": "closed" if case.state in CLOSED_STATES else "open",
        "status_notes": _status_notes(case),
        "service_name": case.service.name,
        "service_code": case.service.code,
        "description": case.description,
        "agency_responsible": str(case.lead_department) if case.lead_department_id else "",
        "service_notice": "",
        "requested_datetime": _iso(case.submitted_at),
        "updated_datetime": _iso(case.updated_at),
        "expected_datetime": _iso(case.due_at),
        "address": case.address,
        "address_id": "",
        "zipcode": "",
        "lat": float(case.latitude) if case.latitude is not None else "",
        "long": float(case.longitude) if case.longitude is not None else "",
        "media_url": "",
    }


# --- views --------------------------------------------------------------------------------------


@require_GET
@read_from_replica()
def services_list(request: HttpRequest, fmt: str) -> HttpResponse:
    items = complaint_categories()
    return _render(request, [_service(i) for i in items], fmt=fmt, root="services", item="service")


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    item = complaint_category_get(code=code)
    if item is None:
        return _error(fmt, 404, _("There is no such service."))
    data = {"service_code": item.code, "attributes": []}
    if fmt == "xml":
        body = (
            '<?xml version="1.0" encoding="utf-8"?><service_definition>'
            f"<service_code>{item.code}</service_code><attributes/></service_definition>"
        )
        return HttpResponse(body, content_type="text/xml; charset=utf-8")
    return JsonResponse(data)


def _parse_date(value: str) -> datetime | None:
    if not value:
        return None
    parsed = parse_datetime(value.replace(" ", "+"))
    if parsed is None:
        raise ValueError(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def requests_list(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _request_create(request, fmt)
    ids = [i.strip() for i in request.GET.get("service_request_id", "").split(",") if i.strip()]
    if not ids:
        return _requests_search(request, fmt)
    # Asking after given requests (often just filed): from the primary.
    cases = selectors.open311_request_list(numbers=ids)
    return _render(
        request,
        [_request(c) for c in cases],
        fmt=fmt,
        root="service_requests",
        item="request",
    )


@read_from_replica()
def _requests_search(request: HttpRequest, fmt: str) -> HttpResponse:
    """The requests of a period (at most 90 days), from the replica where there is one."""
    try:
        start = _parse_date(request.GET.get("start_date", ""))
        end = _parse_date(request.GET.get("end_date", ""))
    except ValueError:
        return _error(fmt, 400, _("Give dates in W3C format, e.g. 2026-03-01T00:00:00Z."))
    end = end or timezone.now()
    start = start or end - timedelta(days=MAX_DAYS)
    if end - start > timedelta(days=MAX_DAYS):
        return _error(fmt, 400, _("The date range can be at most 90 days."))
    cases = selectors.open311_request_list(
        start=start,
        end=end,
        service_codes=[c for c in request.GET.get("service_code", "").split(",") if c],
        status=request.GET.get("status", ""),
    )
    return _render(
        request,
        [_request(c) for c in cases],
        fmt=fmt,
        root="service_requests",
        item="request",
    )


@require_GET
def request_detail(request: HttpRequest, ref: str, fmt: str) -> HttpResponse:
    case = selectors.open311_request_get(number=ref)
    if case is None:
        return _error(fmt, 404, _("There is no such service request."))
    return _render(request, [_request(case)], fmt=fmt, root="service_requests", item="request")


# The service's names for fields where Open311 has its own.
_OPEN311_NAMES = {"photos": "media"}


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    data = request.POST
    configured = getattr(settings, "OPEN311_API_KEYS", None) or []
    api_key = data.get("api_key", "")
    try:
        services.open311_post_count(client_ip=client_ip(request) or "")
        if not selectors.open311_key_valid(key=api_key, configured=configured):
            return _error(fmt, 403, _("A valid api_key is needed to post a service request."))
        services.open311_post_count(client_ip=client_ip(request) or "", api_key=api_key)
    except TooManyAttemptsError as exc:
        refused = _error(fmt, 429, str(exc.message))
        refused["Retry-After"] = str(exc.extra["retry_after"])
        return refused
    service = complaint_category_get(code=data.get("service_code", ""))
    if service is None:
        return _error(fmt, 404, _("There is no such service_code."))
    if not (data.get("lat") and data.get("long")) and not data.get("address_string"):
        return _error(fmt, 400, _("Give a location: lat and long, or address_string."))
    name = " ".join(p for p in (data.get("first_name", ""), data.get("last_name", "")) if p)
    try:
        case, code = services.complaint_file(
            service=service,
            actor=None,
            complaint_type=data.get("complaint_type") or Case.ComplaintType.COMPLAINT,
            description=data.get("description", ""),
            address=data.get("address_string", ""),
            latitude=data.get("lat") or None,
            longitude=data.get("long") or None,
            channel=Case.Channel.OPEN311,
            reporter_name=name,
            reporter_phone=data.get("phone", ""),
            # Pictures posted as multipart `media` files (media_url is not fetched).
            photos=request.FILES.getlist("media"),
        )
    except ApplicationError as exc:
        errors = {_OPEN311_NAMES.get(k, k): v for k, v in exc.errors.items()}
        text = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in errors.items())
        return _error(fmt, 400, text or str(exc.message))
    except ValidationError as exc:
        return _error(fmt, 400, "; ".join(exc.messages))
    notice = _("Received. Your extraction code is %(code)s; expected answer by %(due)s.") % {
        "code": code,
        "due": _iso(case.due_at) or _("the time limit of the category after dispatch"),
    }
    return _render(
        request,
        [{"service_request_id": case.number, "service_notice": notice, "account_id": ""}],
        fmt=fmt,
        root="service_requests",
        item="request",
        status=201,
    )
