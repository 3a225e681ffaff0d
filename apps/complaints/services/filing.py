"""Filing a complaint (and following one), whoever reports it and by whatever channel."""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from apps.accounts.models import ResidentProfile, User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.cases.permissions import CASE_VIEW
from apps.cases.services.transitions import (
    case_number_next,
    case_transition,
)
from apps.cases.signals import case_created
from apps.catalog.models import ServiceItem, ServiceVersion
from apps.catalog.services import answers_clean
from apps.core.exceptions import ApplicationError, ConflictError
from apps.core.links import portal_url
from apps.notifications.services import notify

from ..models import Complaint, MediaLink
from .common import _dispatchers, _now, _staff_context, complaint_tracking_path
from .photos import photo_store, photos_check
from .tracking import _set_code, _tracking_code_new, tracking_code_sms_send


def complaint_category_version(*, service: ServiceItem) -> ServiceVersion:
    """Complaints have no form of their own; the category still has a published version."""
    version = service.current_version()
    if version is None:
        version = ServiceVersion.objects.create(service=service, number=1, published_at=_now())
    return version


def _reporter_for(
    *, reporter: User | None, actor: User | None, name: str, phone: str, channel: str
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
    result: User = user
    return result


def _coordinate(value: object, low: int, high: int, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError:
        number = None
    if number is None or not (low <= number <= high):
        raise ApplicationError(
            _("The map position is not valid."),
            errors={field: [_("Give a number between %(a)s and %(b)s.") % {"a": low, "b": high}]},
        )
    return number


MEDIA_URL_MAX_LENGTH = 2000


def _media_urls_check(urls: Sequence[str]) -> list[str]:
    """Links to media (Open311 `media_url`): http or https addresses, kept, never fetched."""
    checked = []
    validate = URLValidator(schemes=["http", "https"])
    for url in urls:
        url = (url or "").strip()
        if not url:
            continue
        try:
            if len(url) > MEDIA_URL_MAX_LENGTH:
                raise ValidationError("too long")
            validate(url)
        except ValidationError as exc:
            message = _("Give the address of the picture as an http or https link.")
            raise ApplicationError(message, errors={"media_url": [message]}) from exc
        checked.append(url)
    return checked


ANSWER_FIELD = "answers.%s"


def _category_answers(*, service: ServiceItem, answers: Mapping[str, Any] | None) -> dict:
    """The answers to the category's own questions, checked by the same form engine as any
    service's form (`None`: nothing is asked, for imports and tests only; every channel passes
    what its reporter answered, an empty dict when nothing). A refusal names each question as
    `answers.<key>`, so a channel can tell them from the report's own fields."""
    if answers is None:
        return {}
    version = service.current_version()
    if version is None:
        return {}
    try:
        return answers_clean(version=version, answers=answers)
    except ApplicationError as exc:
        errors = {ANSWER_FIELD % key: messages for key, messages in exc.errors.items()}
        raise ApplicationError(exc.message, errors=errors) from exc


def complaint_file(
    *,
    service: ServiceItem,
    actor: User | None,
    complaint_type: str,
    description: str,
    urgency: str = Case.Urgency.NORMAL,
    address: str = "",
    latitude: str | float | Decimal | None = None,
    longitude: str | float | Decimal | None = None,
    photos: Sequence[UploadedFile] = (),
    hide_identity: bool = False,
    channel: str = Case.Channel.WEB,
    reporter: User | None = None,
    reporter_name: str = "",
    reporter_phone: str = "",
    answers: Mapping[str, Any] | None = None,
    media_urls: Sequence[str] = (),
    context: AuditContext | None = None,
) -> tuple[Case, str]:
    """File a complaint; return it and its extraction code (shown once, sent by SMS).

    `reporter`: the signed-in resident filing for themselves. Staff filing for a caller (hotline,
    counter) or an anonymous web/API/Open311 reporter pass `reporter_name`/`reporter_phone`.
    `answers`: the answers to the category's questions (its version's field definitions), checked
    like a form's and stored on the case the same way whatever the channel; `media_urls`: links
    to pictures elsewhere, stored as links for the staff."""
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
        raise ApplicationError(_("Some answers need your attention."), errors=errors)
    latitude = _coordinate(latitude, -90, 90, "latitude")
    longitude = _coordinate(longitude, -180, 180, "longitude")
    cleaned_answers = _category_answers(service=service, answers=answers)
    links = _media_urls_check(media_urls)
    checked = photos_check(photos=photos)
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
        case = Complaint.objects.create(
            kind=Case.Kind.COMPLAINT,
            service=service,
            version=complaint_category_version(service=service),
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
            answers=cleaned_answers,
        )
        for url in links:
            MediaLink.objects.create(case=case, url=url)
        assign_perm(CASE_VIEW, applicant, case)
        case_created.send(sender=Case, case=case)
        for photo in checked:
            photo_store(case=case, photo=photo, actor=creator)
        now = _now()
        number = case_number_next(kind=Case.Kind.COMPLAINT, at=now)
        on_behalf_of = applicant if creator.pk != applicant.pk else None
        case = case_transition(
            case=case,
            transition="file_complaint",
            actor=creator,
            on_behalf_of=on_behalf_of,
            context=context,
            params={"at": now, "number": number},
        )
        _set_code(case, number=number, code=code)
        phone = case.reporter_phone
        if phone:
            text = _(
                "12345: your case %(number)s is received. Extraction code: %(code)s. "
                "Track it at %(url)s"
            ) % {
                "number": case.number,
                "code": code,
                "url": portal_url(path=complaint_tracking_path(case=case)),
            }
            transaction.on_commit(
                lambda: tracking_code_sms_send(phone=phone, text=text, number=number),
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


@transaction.atomic
def complaint_follow(*, case: Case, user: User, context: AuditContext | None = None) -> Case:
    """Follow an open complaint instead of filing the same one: followers get the outcome."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.kind != Case.Kind.COMPLAINT or case.state in (Case.State.CLOSED, Case.State.MERGED):
        raise ConflictError(_("This complaint can no longer be followed."))
    if case.applicant_id != user.pk:
        case.followers.add(user)
        audit_record(action=AuditAction.COMPLAINT_FOLLOW, actor=user, target=case, context=context)
    return case
