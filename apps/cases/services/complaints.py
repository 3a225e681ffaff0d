"""12345-style complaints (工单): filing with photos and a tracking code, dispatch to a lead
department and co-handlers, sign (签收) or return (退单), one question to the reporter, reply
(办结) and reopen (重办), merging duplicates (并单), supervised extensions, tracking without an
account. Every state change goes through `case_transition`."""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Iterable, Sequence
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from apps.accounts.models import Department, ResidentProfile, StaffMembership, User
from apps.accounts.selectors import department_staff
from apps.audit.services import audit_record
from apps.catalog.models import ServiceItem, ServiceVersion
from apps.core.calendar import add_working_days
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.sms import send_sms
from apps.core.uploads import MB, validate_upload
from apps.notifications.services import notify

from ..models import REFERENCE_ALPHABET, Attachment, Case, ExtensionRequest, may_dispatch
from ..permissions import CASE_PROCESS, CASE_VIEW, department_grant, department_revoke
from ..signals import case_created
from .transitions import (
    case_event_add,
    case_notification_context,
    case_number_next,
    case_transition,
)
from .workflow import _announce_outcome

__all__ = [
    "MAX_PHOTOS",
    "complaint_answer",
    "complaint_ask",
    "complaint_dispatch",
    "complaint_due",
    "complaint_extension_decide",
    "complaint_extension_request",
    "complaint_file",
    "complaint_follow",
    "complaint_merge",
    "complaint_reopen",
    "complaint_reply",
    "complaint_return",
    "complaint_sign",
    "complaint_track",
    "photo_strip_metadata",
    "tracking_code_matches",
]

MAX_PHOTOS = 6
PHOTO_TYPES = frozenset({"jpeg", "png", "webp"})
PHOTO_MAX_BYTES = 10 * MB
PHOTO_FIELD = "photo"
TRACK_ATTEMPTS = 5
TRACK_WINDOW_SECONDS = 15 * 60
COMPLAINT_HANDLING = (Case.State.DISPATCHED, Case.State.IN_PROGRESS)


def _now() -> datetime:
    return timezone.now()


def _required(field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, extra={"errors": {field: [_("Required.")]}})
    return value


# --- time limits ------------------------------------------------------------------------------


def _end_of_day(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def complaint_due(*, service: ServiceItem, complaint_type: str, urgency: str, start: datetime):
    """(due_at, deadline): urgent ones in calendar hours, others by the end of the last working
    day of the category's limit for the type, on the applications' calendar."""
    if urgency == Case.Urgency.URGENT:
        due_at = start + timedelta(hours=service.urgent_hours or 24)
        return due_at, timezone.localdate(due_at)
    day = add_working_days(start, service.complaint_days_for(complaint_type))
    return _end_of_day(day), day


def rating_window_days() -> int:
    return int(getattr(settings, "FEEDBACK_RATING_WINDOW_DAYS", 15))


# --- tracking code (提取码) -------------------------------------------------------------------


def _tracking_code_new() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


def _tracking_digest(number: str, code: str) -> str:
    return salted_hmac("complaints.tracking-code", f"{number}:{code.strip().upper()}").hexdigest()


def tracking_code_matches(case: Case, code: str) -> bool:
    if not case.tracking_code_hash or not case.number or not code:
        return False
    return constant_time_compare(case.tracking_code_hash, _tracking_digest(case.number, code))


def complaint_track(*, number: str, code: str, client_ip: str) -> Case:
    """The complaint for a number and extraction code, for anyone holding both. Five attempts per
    address and number in 15 minutes; then a refusal even with the right code."""
    number = (number or "").strip().upper()
    key = "complaint-track:" + hashlib.sha256(f"{client_ip}|{number}".encode()).hexdigest()
    cache.add(key, 0, TRACK_WINDOW_SECONDS)
    try:
        attempts = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, TRACK_WINDOW_SECONDS)
        attempts = 1
    if attempts > TRACK_ATTEMPTS:
        raise PermissionDenied(
            _("Too many attempts for this case number. Try again in 15 minutes.")
        )
    case = (
        Case.objects.filter(kind=Case.Kind.COMPLAINT, number=number)
        .select_related("service", "lead_department", "merged_into")
        .first()
    )
    if case is None or not tracking_code_matches(case, code):
        raise ApplicationError(
            _("The case number and extraction code do not match. Check both and try again."),
            extra={"errors": {"code": [_("Check the extraction code.")]}},
        )
    return case


# --- photos -----------------------------------------------------------------------------------


def photo_strip_metadata(upload, kind: str) -> bytes:
    """Re-encode the picture from its pixels only: EXIF (GPS, camera, time) and every other
    metadata block are left behind. The orientation is applied first so the photo stays upright."""
    from PIL import Image, ImageOps

    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        if image.mode not in ("RGB", "RGBA", "L"):
            image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
        if kind == "jpeg" and image.mode == "RGBA":
            image = image.convert("RGB")
        clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    fmt = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP"}[kind]
    options = {"quality": 90} if kind in ("jpeg", "webp") else {}
    clean.save(out, format=fmt, **options)
    return out.getvalue()


def _photos_check(photos: Sequence) -> list[tuple[object, str]]:
    if len(photos) > MAX_PHOTOS:
        raise ApplicationError(
            _("Add at most %(n)d photos.") % {"n": MAX_PHOTOS},
            extra={"errors": {"photos": [_("Add at most %(n)d photos.") % {"n": MAX_PHOTOS}]}},
        )
    checked = []
    for photo in photos:
        try:
            kind = validate_upload(photo, allowed=PHOTO_TYPES, max_bytes=PHOTO_MAX_BYTES)
        except ValidationError as exc:
            raise ApplicationError(
                exc.messages[0], extra={"errors": {"photos": exc.messages}}
            ) from exc
        checked.append((photo, kind))
    return checked


def _photo_store(*, case: Case, photo, kind: str, actor: User) -> Attachment:
    try:
        data = photo_strip_metadata(photo, kind)
    except Exception as exc:  # noqa: BLE001 - Pillow raises many kinds for a broken picture
        raise ApplicationError(
            _("“%(name)s” could not be read as a picture.") % {"name": photo.name},
            extra={"errors": {"photos": [_("Choose another picture.")]}},
        ) from exc
    extension = {"jpeg": "jpg", "png": "png", "webp": "webp"}[kind]
    attachment = Attachment(
        case=case,
        field_key=PHOTO_FIELD,
        original_name=(photo.name or "photo").rsplit("/", 1)[-1][:255],
        content_type={"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp"}[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    attachment.file.save(f"{secrets.token_hex(8)}.{extension}", ContentFile(data), save=False)
    attachment.save()
    return attachment


# --- filing -----------------------------------------------------------------------------------


def complaint_category_version(service: ServiceItem) -> ServiceVersion:
    """Complaints have no form of their own; the category still has a published version."""
    version = service.current_version()
    if version is None:
        version = ServiceVersion.objects.create(service=service, number=1, published_at=_now())
    return version


def _reporter_for(
    *, reporter: User | None, actor: User, name: str, phone: str, channel: str
) -> User:
    """Whose complaint it is. A signed-in resident's own; a caller whose phone belongs to a
    resident's account is that resident; anyone else gets a reporter record that cannot sign in,
    reached by SMS."""
    if reporter is not None:
        return reporter
    if phone and channel in (Case.Channel.HOTLINE, Case.Channel.COUNTER):
        existing = User.objects.filter(phone=phone, is_active=True, profile__isnull=False).first()
        if existing is not None:
            return existing
    user = User.objects.create_user(
        username=f"reporter-{secrets.token_hex(8)}", display_name=name[:100], is_active=False
    )
    ResidentProfile.objects.create(
        user=user,
        real_name=name[:100] or _("Anonymous reporter"),
        notification_channels=["sms"] if phone else [],
        preferred_contact=(
            ResidentProfile.Contact.FAMILY_PHONE if phone else ResidentProfile.Contact.ONLINE
        ),
        family_phone=phone,
    )
    return user


def _dispatchers() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            staff_memberships__is_active=True,
            staff_memberships__role=StaffMembership.Role.DISPATCHER,
        ).distinct()
    )


def _coordinate(value, low: int, high: int, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        number = None
    if number is None or not (low <= number <= high):
        raise ApplicationError(
            _("The map position is not valid."),
            extra={
                "errors": {
                    field: [_("Give a number between %(a)s and %(b)s.") % {"a": low, "b": high}]
                }
            },
        )
    return number


def complaint_file(
    *,
    service: ServiceItem,
    actor: User | None,
    complaint_type: str,
    description: str,
    urgency: str = Case.Urgency.NORMAL,
    address: str = "",
    latitude=None,
    longitude=None,
    photos: Sequence = (),
    hide_identity: bool = False,
    channel: str = Case.Channel.WEB,
    reporter: User | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    request: HttpRequest | None = None,
) -> tuple[Case, str]:
    """File a complaint; return it and its extraction code (shown once, sent by SMS).

    `reporter`: the signed-in resident filing for themselves. Staff filing for a caller (hotline,
    counter) or an anonymous web/API/Open311 reporter pass `reporter_name`/`reporter_phone`."""
    errors: dict[str, list[str]] = {}
    if service.kind != ServiceItem.Kind.COMPLAINT or not service.is_active:
        errors["category"] = [_("Choose a complaint category.")]
    if complaint_type not in Case.ComplaintType.values:
        errors["complaint_type"] = [_("Choose the type of request.")]
    if urgency not in Case.Urgency.values:
        errors["urgency"] = [_("Choose normal or urgent.")]
    if not (description or "").strip():
        errors["description"] = [_("Required.")]
    if reporter_phone:
        from apps.accounts.validators import validate_cn_mobile

        try:
            validate_cn_mobile(reporter_phone)
        except ValidationError as exc:
            errors["reporter_phone"] = exc.messages
    if errors:
        raise ApplicationError(_("Some answers need your attention."), extra={"errors": errors})
    latitude = _coordinate(latitude, -90, 90, "latitude")
    longitude = _coordinate(longitude, -180, 180, "longitude")
    checked = _photos_check(photos)
    code = _tracking_code_new()
    with transaction.atomic():
        applicant = _reporter_for(
            reporter=reporter,
            actor=actor,
            name=reporter_name.strip(),
            phone=reporter_phone.strip(),
            channel=channel,
        )
        creator = actor or applicant
        profile = getattr(applicant, "profile", None)
        case = Case.objects.create(
            kind=Case.Kind.COMPLAINT,
            service=service,
            version=complaint_category_version(service),
            applicant=applicant,
            created_by=creator,
            channel=channel,
            complaint_type=complaint_type,
            urgency=urgency,
            description=description.strip(),
            address=address.strip()[:255],
            latitude=latitude,
            longitude=longitude,
            hide_identity=bool(hide_identity),
            reporter_name=(
                reporter_name.strip() or (profile.real_name if profile else str(applicant))
            )[:100],
            reporter_phone=(reporter_phone.strip() or applicant.phone or "")[:20],
        )
        assign_perm(CASE_VIEW, applicant, case)
        case_created.send(sender=Case, case=case)
        for photo, kind in checked:
            _photo_store(case=case, photo=photo, kind=kind, actor=creator)
        now = _now()
        number = case_number_next(kind=Case.Kind.COMPLAINT, at=now)
        on_behalf_of = applicant if creator.pk != applicant.pk else None
        case = case_transition(
            case=case,
            transition="file_complaint",
            actor=creator,
            on_behalf_of=on_behalf_of,
            permission_checked=True,
            request=request,
            at=now,
            number=number,
            notify_event="complaint.received",
            within=lambda locked: _set_code(locked, code),
        )
        phone = case.reporter_phone
        if phone:
            text = _(
                "12345: your case %(number)s is received. Extraction code: %(code)s. "
                "Track it at %(url)s"
            ) % {"number": case.number, "code": code, "url": reverse("complaints:track")}
            transaction.on_commit(
                lambda: send_sms(to=phone, body=text, idempotency_key=f"complaint-code:{number}"),
                robust=True,
            )
        dispatchers = _dispatchers()
        if dispatchers:
            notify(
                event="complaint.new",
                recipients=dispatchers,
                context=_staff_context(case),
                dedup_key=f"complaint:{case.pk}:new",
            )
    return case, code


def _set_code(case: Case, code: str) -> None:
    case.tracking_code_hash = _tracking_digest(case.number, code)
    case.save(update_fields=["tracking_code_hash", "updated_at"])


def _staff_context(case: Case, **extra) -> dict:
    return {
        **case_notification_context(case),
        "url": reverse("staff:staff_complaints:detail", args=[case.ref]),
        "due_at": timezone.localtime(case.due_at) if case.due_at else None,
        **extra,
    }


@transaction.atomic
def complaint_follow(*, case: Case, user: User, request: HttpRequest | None = None) -> Case:
    """Follow an open complaint instead of filing the same one: followers get the outcome."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.kind != Case.Kind.COMPLAINT or case.state in (Case.State.CLOSED, Case.State.MERGED):
        raise ConflictError(_("This complaint can no longer be followed."))
    if case.applicant_id != user.pk:
        case.followers.add(user)
        audit_record(action="cases.complaint.follow", actor=user, target=case, request=request)
    return case


# --- dispatch, sign, return -------------------------------------------------------------------


def complaint_dispatch(
    *,
    case: Case,
    actor: User,
    department: Department,
    co_departments: Iterable[Department] = (),
    note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """派单: to a lead department (it signs and answers) and optional co-handlers (协办), who see
    it. Re-sending a returned complaint to the same department (insisting) needs a note."""
    co_departments = [d for d in co_departments if d.pk != department.pk]
    if case.return_reason and case.lead_department_id == department.pk and not note.strip():
        raise ApplicationError(
            _("Say why the department must handle it after all (the return is not accepted)."),
            extra={"errors": {"note": [_("Required.")]}},
        )
    now = _now()
    due_at, deadline = complaint_due(
        service=case.service, complaint_type=case.complaint_type, urgency=case.urgency, start=now
    )
    sign_due_at = _end_of_day(add_working_days(now, case.service.sign_days or 1))
    if due_at < sign_due_at:
        sign_due_at = due_at

    note = note.strip()

    def route(locked: Case) -> None:
        if note:  # for the department, not the reporter's timeline
            case_event_add(
                case=locked,
                verb="note",
                actor=actor,
                note=note,
                is_public=False,
                department=department,
            )
        for old in locked.co_departments.all():
            department_revoke(old, locked, CASE_VIEW)
        locked.co_departments.set(co_departments)
        department_grant(department, locked, CASE_VIEW, CASE_PROCESS)
        for co in co_departments:
            department_grant(co, locked, CASE_VIEW)
        context = _staff_context(locked, department=str(department))
        recipients = department_staff(department)
        for co in co_departments:
            recipients += department_staff(co)
        if recipients:
            notify(
                event="complaint.dispatched",
                recipients=list(dict.fromkeys(recipients)),
                context=context,
                dedup_key=f"complaint:{locked.pk}:dispatch:{now.isoformat()}",
            )

    return case_transition(
        case=case,
        transition="dispatch",
        actor=actor,
        request=request,
        department=department,
        within=route,
        notify_event="complaint.dispatched_resident",
        notify_context={"department": str(department)},
        to_department=department,
        at=now,
        due_at=due_at,
        deadline=deadline,
        sign_due_at=sign_due_at,
    )


def complaint_sign(*, case: Case, actor: User, note: str = "", request=None) -> Case:
    """签收: the department takes the complaint on; the handling clock already runs."""
    return case_transition(
        case=case,
        transition="sign",
        actor=actor,
        note=note,
        request=request,
        department=case.lead_department,
        at=_now(),
    )


def complaint_return(
    *, case: Case, actor: User, reason: str, legal_basis: str, request=None
) -> Case:
    """退单: not this department's remit, with the reason and the legal basis; the dispatcher
    reviews it (re-dispatch elsewhere, or insist with a note)."""
    reason = _required("reason", reason, _("Say why the complaint is not yours to handle."))
    legal_basis = _required("legal_basis", legal_basis, _("Cite the legal basis for returning it."))
    department = case.lead_department

    def withdraw(locked: Case) -> None:
        department_revoke(department, locked, CASE_PROCESS)
        dispatchers = _dispatchers()
        if dispatchers:
            notify(
                event="complaint.returned",
                recipients=dispatchers,
                context=_staff_context(locked, department=str(department), reason=reason),
                dedup_key=f"complaint:{locked.pk}:return:{_now().isoformat()}",
            )

    return case_transition(
        case=case,
        transition="complaint_return",
        actor=actor,
        note=f"{reason}\n{legal_basis}",
        is_public=False,
        request=request,
        department=department,
        within=withdraw,
        reason=reason,
        legal_basis=legal_basis,
    )


# --- reply, reopen, merge ---------------------------------------------------------------------


def _outcome_recipients(case: Case) -> list[User]:
    """The reporter, the followers, and every merged duplicate's reporter and followers."""
    people = [case.applicant, *case.followers.all()]
    for merged in case.merged_cases.select_related("applicant").prefetch_related("followers"):
        people.append(merged.applicant)
        people.extend(merged.followers.all())
    return list(dict.fromkeys(people))


def _record_complaint_clock(case: Case) -> None:
    from .workflow import record_outcome_clock

    record_outcome_clock(case)
    if case.due_at is not None:
        case.outcome_on_time = _now() <= case.due_at
        case.save(update_fields=["outcome_on_time", "updated_at"])


def complaint_reply(*, case: Case, actor: User, text: str, request=None) -> Case:
    """办结: the answer to the reporter. It is the outcome: the reporter, the followers and the
    reporters of merged duplicates are told, and the rating is asked for after the commit."""
    text = _required("text", text, _("Write the reply to the reporter."))
    now = _now()

    def tell(locked: Case) -> None:
        _record_complaint_clock(locked)
        recipients = _outcome_recipients(locked)
        notify(
            event="complaint.replied",
            recipients=recipients,
            context={
                **case_notification_context(locked),
                "reply": text,
                "url": reverse("complaints:track"),
            },
            dedup_key=f"complaint:{locked.pk}:reply:{now.isoformat()}",
        )

    return case_transition(
        case=case,
        transition="reply",
        actor=actor,
        note=text,
        request=request,
        department=case.lead_department,
        within=tell,
        after_commit=_announce_outcome,
        text=text,
        at=now,
    )


def complaint_reopen(
    *,
    case: Case,
    actor: User,
    comment: str,
    on_behalf_of: User | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """重办: the reporter is not satisfied with the answer (within the rating window) and the
    complaint goes back to the same department with their comment and a new time limit."""
    comment = _required("comment", comment, _("Say what is still wrong."))
    person = on_behalf_of or actor
    if not may_dispatch(case, person):
        if case.applicant_id != person.pk:
            raise PermissionDenied
        window_end = (case.decided_at or _now()) + timedelta(days=rating_window_days())
        if _now() > window_end:
            raise ConflictError(_("The time to ask for the case to be handled again is over."))
    now = _now()
    due_at, deadline = complaint_due(
        service=case.service, complaint_type=case.complaint_type, urgency=case.urgency, start=now
    )
    department = case.lead_department

    def tell(locked: Case) -> None:
        department_grant(department, locked, CASE_VIEW, CASE_PROCESS)
        recipients = department_staff(department)
        if recipients:
            notify(
                event="complaint.reopened",
                recipients=recipients,
                context=_staff_context(locked, reason=comment),
                dedup_key=f"complaint:{locked.pk}:reopen:{locked.reopen_count}",
            )

    return case_transition(
        case=case,
        transition="reopen",
        actor=actor,
        on_behalf_of=on_behalf_of,
        note=comment,
        request=request,
        department=department,
        permission_checked=True,
        within=tell,
        at=now,
        due_at=due_at,
        deadline=deadline,
    )


def complaint_merge(*, case: Case, actor: User, into: Case, note: str = "", request=None) -> Case:
    """并单: a duplicate joins the main complaint; its reporter gets the main one's outcome."""
    if (
        into.pk == case.pk
        or into.kind != Case.Kind.COMPLAINT
        or into.state in (Case.State.MERGED, Case.State.CLOSED, Case.State.DRAFT)
    ):
        raise ApplicationError(
            _("Choose another open complaint to merge into."),
            extra={"errors": {"into": [_("Choose another open complaint.")]}},
        )
    old_department = case.lead_department

    def unroute(locked: Case) -> None:
        if old_department is not None:
            department_revoke(old_department, locked, CASE_PROCESS)

    return case_transition(
        case=case,
        transition="merge",
        actor=actor,
        note=(note.strip() + "\n" if note.strip() else "") + into.number,
        request=request,
        within=unroute,
        notify_event="complaint.merged",
        notify_context={"into": into.number},
        into=into,
    )


# --- one question to the reporter ---------------------------------------------------------------


@transaction.atomic
def complaint_ask(
    *, case: Case, actor: User, question: str, due, request: HttpRequest | None = None
) -> Case:
    """Ask the reporter one question, answered on the tracking page by `due`."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not actor.has_perm(CASE_PROCESS, case):
        raise PermissionDenied
    if case.state != Case.State.IN_PROGRESS:
        raise ConflictError(_("A question can be asked while the complaint is handled."))
    if case.question:
        raise ConflictError(_("The reporter has already been asked a question."))
    question = _required("question", question, _("Write the question."))
    if due is None or due < timezone.localdate():
        raise ApplicationError(
            _("Give the date the answer is needed by."),
            extra={"errors": {"due": [_("Give a date from today.")]}},
        )
    case.question, case.question_due = question, due
    case.save(update_fields=["question", "question_due", "updated_at"])
    event = case_event_add(
        case=case,
        verb="question_asked",
        actor=actor,
        note=question,
        department=case.lead_department,
    )
    audit_record(
        action="cases.complaint.ask", actor=actor, target=case, data={"due": due}, request=request
    )
    notify(
        event="complaint.question",
        recipients=[case.applicant],
        context={
            **case_notification_context(case),
            "question": question,
            "due_date": due,
            "url": reverse("complaints:track"),
        },
        dedup_key=f"case:{case.pk}:{event.pk}",
    )
    return case


@transaction.atomic
def complaint_answer(
    *, case: Case, actor: User, answer: str, request: HttpRequest | None = None
) -> Case:
    """The reporter's answer to the department's question (on the tracking or case page)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if actor.pk != case.applicant_id:
        raise PermissionDenied
    if not case.question or case.question_answered_at:
        raise ConflictError(_("There is no open question on this complaint."))
    answer = _required("answer", answer, _("Write your answer."))
    case.question_answer, case.question_answered_at = answer, _now()
    case.save(update_fields=["question_answer", "question_answered_at", "updated_at"])
    case_event_add(case=case, verb="question_answered", actor=actor, note=answer)
    audit_record(action="cases.complaint.answer", actor=actor, target=case, request=request)
    if case.lead_department_id:
        recipients = department_staff(case.lead_department)
        if recipients:
            notify(
                event="complaint.answered",
                recipients=recipients,
                context=_staff_context(case, reason=answer),
                dedup_key=f"case:{case.pk}:answered",
            )
    return case


# --- extensions (延期), decided by a supervisor ---------------------------------------------------


@transaction.atomic
def complaint_extension_request(
    *, case: Case, actor: User, days: int, reason: str, request: HttpRequest | None = None
) -> ExtensionRequest:
    """Asked by the department before the due time, with a reason; a supervisor decides."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not actor.has_perm(CASE_PROCESS, case):
        raise PermissionDenied
    if case.state not in COMPLAINT_HANDLING:
        raise ConflictError(_("Only a complaint being handled can be extended."))
    if case.due_at is None or case.due_at < _now():
        raise ApplicationError(_("An extension must be asked for before the deadline passes."))
    reason = _required("reason", reason, _("Give a reason and the number of extra working days."))
    if days < 1:
        raise ApplicationError(
            _("Give a reason and the number of extra working days."),
            extra={"errors": {"days": [_("At least one working day.")]}},
        )
    if case.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
        raise ConflictError(_("An extension request is already waiting for a decision."))
    extension = ExtensionRequest.objects.create(
        case=case, requested_by=actor, reason=reason, days=days, old_deadline=case.deadline
    )
    case_event_add(
        case=case,
        verb="extension_requested",
        actor=actor,
        note=reason,
        is_public=False,
        department=case.lead_department,
    )
    audit_record(
        action="cases.extension.request",
        actor=actor,
        target=case,
        data={"days": days, "reason": reason},
        request=request,
    )
    supervisors = _supervisors()
    if supervisors:
        notify(
            event="case.extension_requested",
            recipients=supervisors,
            context={**_staff_context(case), "department": str(case.lead_department)},
            dedup_key=f"extension:{extension.pk}",
        )
    return extension


def _supervisors() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            staff_memberships__is_active=True,
            staff_memberships__role=StaffMembership.Role.SUPERVISOR,
        ).distinct()
    )


@transaction.atomic
def complaint_extension_decide(
    *, extension: ExtensionRequest, actor: User, approve: bool, request=None
) -> ExtensionRequest:
    """A supervisor (督查) approves or refuses; an approval moves the due time and the reporter
    is told."""
    extension = ExtensionRequest.objects.select_for_update(of=("self",)).get(pk=extension.pk)
    case = Case.objects.select_for_update().get(pk=extension.case_id)
    if not actor.staff_memberships.filter(
        is_active=True, role=StaffMembership.Role.SUPERVISOR
    ).exists():
        raise PermissionDenied
    if extension.state != ExtensionRequest.State.PENDING:
        raise ConflictError(_("This request has already been decided."))
    extension.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REFUSED
    extension.decided_by = actor
    extension.decided_at = _now()
    if approve and case.due_at is not None:
        local = timezone.localtime(case.due_at)
        new_day = add_working_days(local.date(), extension.days)
        case.due_at = timezone.make_aware(datetime.combine(new_day, local.time()))
        case.deadline = new_day
        case.escalated_at = None
        case.reminded_at = None
        case.save(update_fields=["due_at", "deadline", "escalated_at", "reminded_at", "updated_at"])
        extension.new_deadline = new_day
    extension.save()
    case_event_add(
        case=case,
        verb="extension_granted" if approve else "extension_refused",
        actor=actor,
        note=extension.reason if approve else "",
        is_public=approve,
    )
    audit_record(
        action="cases.extension.approve" if approve else "cases.extension.refuse",
        actor=actor,
        target=case,
        data={"days": extension.days, "new_deadline": extension.new_deadline},
        request=request,
    )
    if approve:
        notify(
            event="case.extended",
            recipients=[case.applicant],
            context={
                **case_notification_context(case),
                "reason": extension.reason,
                "url": reverse("complaints:track"),
            },
            dedup_key=f"extension:{extension.pk}",
        )
    return extension
