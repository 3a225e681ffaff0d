"""Filing a complaint posted by an Open311 client: the spec's fields mapped onto
`complaint_file`, the category's questions answered through `attribute[code]`, and refusals named
by the spec's field names so the client can tell which of its values is at fault."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.context import AuditContext
from apps.cases.models import Case
from apps.catalog.models import FieldDefinition, ServiceItem
from apps.core.exceptions import ApplicationError

from .filing import ANSWER_FIELD, complaint_file

# The portal's names of what a POST carries, as the spec names them.
SPEC_NAMES = {
    "category": "service_code",
    "latitude": "lat",
    "longitude": "long",
    "address": "address_string",
    "reporter_phone": "phone",
    "reporter_name": "first_name",
    "complaint_type": "complaint_type",
    "description": "description",
    "photos": "media",
    "media_url": "media_url",
}


def open311_answers(
    *, questions: Sequence[FieldDefinition], attributes: Mapping[str, list[str]]
) -> dict[str, object]:
    """The posted `attribute[code]` values in the shape the form engine checks: a list for a
    question of several choices, one value otherwise (several values for one are refused by the
    check as "enter a single value"). Empty values count as not answered."""
    answers: dict[str, object] = {}
    for definition in questions:
        values = [v for v in attributes.get(definition.key, []) if v.strip()]
        if not values:
            continue
        if definition.kind == FieldDefinition.Kind.MULTICHOICE:
            answers[definition.key] = values
        else:
            answers[definition.key] = values[0] if len(values) == 1 else values
    return answers


def open311_errors(*, exc: ApplicationError, questions: Sequence[FieldDefinition]) -> list[str]:
    """One line per field at fault, named as the client posted it."""
    names = {ANSWER_FIELD % d.key: f"attribute[{d.key}]" for d in questions}
    lines = []
    for field, messages in (exc.errors or {}).items():
        name = names.get(field) or SPEC_NAMES.get(field, field)
        lines.append(f"{name}: {' '.join(str(m) for m in messages)}")
    return lines or [str(exc.message)]


def open311_request_file(
    *,
    service: ServiceItem,
    questions: Sequence[FieldDefinition],
    attributes: Mapping[str, list[str]],
    description: str,
    address: str = "",
    latitude: str | None = None,
    longitude: str | None = None,
    complaint_type: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    media_url: str = "",
    photos: Sequence[UploadedFile] = (),
    actor: User | None = None,
    context: AuditContext | None = None,
) -> Case:
    """File the posted request; the extraction code goes to the reporter by SMS only (it is a
    secret, never part of an Open311 answer). Raises `ApplicationError` as `complaint_file`."""
    if not ((latitude and longitude) or address.strip()):
        message = _("Give a location: lat and long, or address_string.")
        raise ApplicationError(message, errors={"latitude": [message]})
    case, _code = complaint_file(
        service=service,
        actor=actor,
        complaint_type=complaint_type or Case.ComplaintType.COMPLAINT,
        description=description,
        address=address,
        latitude=latitude or None,
        longitude=longitude or None,
        channel=Case.Channel.OPEN311,
        reporter_name=reporter_name,
        reporter_phone=reporter_phone,
        answers=open311_answers(questions=questions, attributes=attributes),
        media_urls=[media_url] if media_url else [],
        photos=photos,
        context=context,
    )
    return case
