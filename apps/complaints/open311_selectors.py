"""What the Open311 GeoReport v2 endpoints read: the categories and their questions, the clients'
keys, the published photos, and the requests as plain rows (`Open311Request`), up to a thousand
a call, with the step their status note speaks of and their first photo worked out by the
database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core import signing
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import get_language

from apps.cases.models import Attachment, Case, CaseEvent
from apps.catalog.models import FieldDefinition, ServiceItem
from apps.catalog.selectors import complaint_categories
from apps.core.i18n import bilingual

from .models import Complaint, Open311Client
from .services.open311_clients import open311_key_digest
from .services.photos import PHOTO_FIELD

# Open until truly closed: a replied complaint may still be reopened or rated, so it is open.
OPEN311_CLOSED_STATES = (
    Case.State.CLOSED,
    Case.State.MERGED,
    Case.State.WITHDRAWN,
)
OPEN311_MAX_REQUESTS = 1000
# The public timeline steps an Open311 answer's `status_notes` speaks of (the latest one counts).
OPEN311_NOTE_VERBS = (
    "file_complaint",
    "dispatch",
    "sign",
    "reply",
    "question_asked",
    "question_answered",
    "reopen",
    "merge",
    "withdraw",
    "close",
)
OPEN311_MEDIA_SALT = "complaints.open311.media"


def open311_key_valid(*, key: str, configured: list[str] | tuple[str, ...] = ()) -> bool:
    """An active client's key, or one of the keys set in the settings."""
    if not key:
        return False
    if key in configured:
        return True
    return Open311Client.objects.filter(
        key_hash=open311_key_digest(key=key), is_active=True
    ).exists()


@dataclass(frozen=True)
class Open311Request:
    """What an Open311 answer says of one complaint, read in one query (no model instances)."""

    number: str
    state: str
    note_verb: str | None  # the latest public step `status_notes` speaks of
    service_name: str
    service_code: str
    description: str
    agency: str  # the lead department's name, "" before dispatch
    submitted_at: datetime | None
    updated_at: datetime
    due_at: datetime | None
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    photo_id: int | None  # the first photo, only when it may be published


_OPEN311_COLUMNS = (
    "number",
    "state",
    "open311_note_verb",
    "service__name_zh",
    "service__name_en",
    "service__code",
    "description",
    "lead_department__name_zh",
    "lead_department__name_en",
    "submitted_at",
    "updated_at",
    "due_at",
    "address",
    "latitude",
    "longitude",
    "hide_identity",
    "open311_photo_id",
)


def _open311_requests() -> QuerySet[Complaint]:
    """Numbered complaints with, worked out by the database, the step their status note speaks
    of and their first photo: two index look-ups a row instead of every event and photo of up to
    a thousand cases loaded and sifted in Python."""
    note = (
        CaseEvent.objects.filter(case=OuterRef("pk"), is_public=True, verb__in=OPEN311_NOTE_VERBS)
        .order_by("-created_at", "-id")
        .values("verb")[:1]
    )
    photo = (
        Attachment.objects.filter(case=OuterRef("pk"), field_key=PHOTO_FIELD)
        .order_by("created_at", "id")
        .values("pk")[:1]
    )
    result: QuerySet[Complaint] = Complaint.objects.filter(number__isnull=False).annotate(
        open311_note_verb=Subquery(note), open311_photo_id=Subquery(photo)
    )
    return result


def _open311_rows(cases: QuerySet[Complaint]) -> list[Open311Request]:
    language = get_language()
    rows = []
    for values in cases.values_list(*_OPEN311_COLUMNS):
        (number, state, verb, service_zh, service_en, service_code, description) = values[:7]
        (agency_zh, agency_en, submitted, updated, due, address, lat, long) = values[7:15]
        hide_identity, photo_id = values[15:]
        rows.append(
            Open311Request(
                number=number,
                state=state,
                note_verb=verb,
                service_name=bilingual(service_zh, service_en, language),
                service_code=service_code,
                description=description,
                agency=bilingual(agency_zh or "", agency_en or "", language),
                submitted_at=submitted,
                updated_at=updated,
                due_at=due,
                address=address,
                latitude=lat,
                longitude=long,
                photo_id=photo_id if _photo_publishable(hide_identity, state) else None,
            )
        )
    return rows


def open311_services() -> list[tuple[ServiceItem, bool]]:
    """The active categories, each with whether it asks questions (Open311 `metadata`)."""
    asking = set(
        FieldDefinition.objects.filter(
            version__service__kind=ServiceItem.Kind.COMPLAINT,
            version__published_at__isnull=False,
        )
        .exclude(kind=FieldDefinition.Kind.FILE)
        .values_list("version_id", flat=True)
    )
    result = []
    for item in complaint_categories():
        version = item.current_version()
        result.append((item, version is not None and version.pk in asking))
    return result


def open311_photo_public(*, case: Case) -> bool:
    """Whether the reporter's photos may be published through Open311: only when they did not
    hide their identity (a photo can show a face, a doorway or a number plate) and did not
    withdraw the report. Checked again at every download, so hiding later takes effect."""
    return _photo_publishable(case.hide_identity, case.state)


def _photo_publishable(hide_identity: bool, state: str) -> bool:
    return not hide_identity and state != Case.State.WITHDRAWN


def open311_media_token(*, attachment_id: int) -> str:
    """The unguessable public name of one photo: its id signed with the portal's secret."""
    return signing.dumps(attachment_id, salt=OPEN311_MEDIA_SALT, compress=False)


def open311_media_get(*, token: str) -> Attachment | None:
    """The published photo a token names; None for a bad token or one no longer published."""
    try:
        attachment_id = signing.loads(token, salt=OPEN311_MEDIA_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(attachment_id, int):
        return None
    attachment = (
        Attachment.objects.filter(
            pk=attachment_id, field_key=PHOTO_FIELD, case__kind=Case.Kind.COMPLAINT
        )
        .select_related("case")
        .first()
    )
    if attachment is None or not open311_photo_public(case=attachment.case):
        return None
    return attachment


def open311_request_get(*, number: str) -> Open311Request | None:
    found = _open311_rows(_open311_requests().filter(number=number)[:1])
    return found[0] if found else None


def open311_request_list(
    *,
    numbers: list[str] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    service_codes: list[str] | None = None,
    status: str = "",
) -> list[Open311Request]:
    """Requests by number, or those submitted between `start` and `end` (of some services, open
    or closed), newest first, at most 1000."""
    cases = _open311_requests()
    if numbers:
        cases = cases.filter(number__in=numbers)
    else:
        cases = cases.filter(submitted_at__gte=start, submitted_at__lte=end)
        if service_codes:
            cases = cases.filter(service__code__in=service_codes)
        if status == "open":
            cases = cases.exclude(state__in=OPEN311_CLOSED_STATES)
        elif status == "closed":
            cases = cases.filter(state__in=OPEN311_CLOSED_STATES)
    # Newest first along the partial index on (submitted_at, id) of numbered complaints.
    return _open311_rows(cases.order_by("-submitted_at", "-pk")[:OPEN311_MAX_REQUESTS])
