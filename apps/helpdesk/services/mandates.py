"""委托: mandates that let a service point act for a resident, and the check every action
on behalf goes through first."""

import base64
import binascii
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.personal import personal_digest
from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.catalog.models import ServiceItem
from apps.core.exceptions import ApplicationError
from apps.core.uploads import CheckedUpload, inspect_upload
from apps.notifications.services import notify

from ..models import Mandate
from ..selectors import counter_service_point_ids
from .residents import counter_service_point

__all__ = [
    "MandateRefused",
    "mandate_check",
    "mandate_create",
    "mandate_revoke",
]

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
DRAWN_MAX_BYTES = 2 * 1024 * 1024
PNG_DATA_URL_PREFIX = "data:image/png;base64,"


class MandateRefused(ApplicationError):
    """No valid mandate covers this action; `message` says why, in the reader's language."""

    status_code = 403


def _day(value: date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _drawn_signature_file(data_url: str) -> SimpleUploadedFile:
    if not data_url.startswith(PNG_DATA_URL_PREFIX):
        raise ApplicationError(
            _("The drawn signature could not be read. Draw it again or upload the scan."),
            errors={"drawn_signature": [_("Draw the signature again.")]},
        )
    try:
        raw = base64.b64decode(data_url[len(PNG_DATA_URL_PREFIX) :], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ApplicationError(
            _("The drawn signature could not be read. Draw it again or upload the scan."),
            errors={"drawn_signature": [_("Draw the signature again.")]},
        ) from exc
    return SimpleUploadedFile("signature.png", raw, content_type="image/png")


def _notify(*, event: str, mandate: Mandate) -> None:
    """Tell the resident; an assisted resident gets a letter at their service point."""
    notify(
        event=event,
        recipients=[mandate.resident],
        context={
            "reference": mandate.reference,
            "service_point": mandate.service_point,
            "valid_from": mandate.valid_from,
            "valid_until": mandate.valid_until,
            "reason": mandate.revoke_reason,
            "url": reverse("helpdesk:home"),
        },
        dedup_key=f"mandate:{mandate.pk}:{event.rsplit('.', 1)[-1]}",
    )


@transaction.atomic
def mandate_create(
    *,
    actor: User,
    resident: User,
    scope: str,
    valid_from: date,
    valid_until: date,
    upload: UploadedFile | None = None,
    drawn_signature: str = "",
    case: Case | None = None,
    service: ServiceItem | None = None,
    context: AuditContext | None = None,
) -> Mandate:
    """Record the resident's mandate with its evidence: a scanned signed form (PDF, JPEG, PNG)
    or the signature drawn on the counter tablet (a PNG)."""
    errors: dict[str, list[str]] = {}
    if scope not in Mandate.Scope.values:
        errors["scope"] = [_("Choose what the mandate covers.")]
    if scope == Mandate.Scope.CASE and case is None:
        errors["case"] = [_("Choose the case the mandate covers.")]
    if scope == Mandate.Scope.CASE and case is not None and case.applicant_id != resident.pk:
        errors["case"] = [_("This case is not the resident's.")]
    if scope == Mandate.Scope.SERVICE and service is None:
        errors["service"] = [_("Choose the service the mandate covers.")]
    if valid_from and valid_until and valid_until < valid_from:
        errors["valid_until"] = [_("The end date must be on or after the start date.")]
    if valid_until and valid_until < timezone.localdate():
        errors["valid_until"] = [_("The end date is in the past.")]
    evidence: UploadedFile | None
    if upload is not None:
        evidence, kind = upload, Mandate.Evidence.SCAN
        allowed, max_bytes = {"pdf", "jpeg", "png"}, EVIDENCE_MAX_BYTES
    elif drawn_signature:
        evidence, kind = _drawn_signature_file(drawn_signature), Mandate.Evidence.TABLET
        allowed, max_bytes = {"png"}, DRAWN_MAX_BYTES
    else:
        evidence = None
        errors["evidence"] = [
            _("Upload the signed mandate form, or let the resident sign on the tablet.")
        ]
    checked: CheckedUpload | None = None
    if evidence is not None:
        try:
            checked = inspect_upload(evidence, allowed=allowed, max_bytes=max_bytes)
        except ValidationError as exc:
            errors["evidence"] = exc.messages
    if errors or checked is None:  # no evidence is always one of the errors
        raise ApplicationError(_("Some details need your attention."), errors=errors)
    service_point = counter_service_point(user=actor)
    if service_point is None:
        raise ApplicationError(
            _("You have no service point yet. Ask an administrator to add you to one.")
        )
    # What is kept is the checked content (a picture re-encoded), and the digest is of it.
    digest = checked.sha256
    mandate = Mandate(
        resident=resident,
        service_point=service_point,
        scope=scope,
        case=case if scope == Mandate.Scope.CASE else None,
        service=service if scope == Mandate.Scope.SERVICE else None,
        valid_from=valid_from,
        valid_until=valid_until,
        evidence_kind=kind,
        evidence_sha256=digest,
        created_by=actor,
    )
    # The extension comes from the content, never from the name it was uploaded with.
    mandate.evidence.save(
        f"mandate-{mandate.reference}.{checked.extension}",
        ContentFile(checked.content),
        save=False,
    )
    mandate.save()
    audit_record(
        action=AuditAction.MANDATE_CREATE,
        actor=actor,
        on_behalf_of=resident,
        target=mandate,
        data={
            "reference": mandate.reference,
            "scope": scope,
            "case": mandate.case.ref if mandate.case else "",
            "service": mandate.service.code if mandate.service else "",
            "valid_from": valid_from,
            "valid_until": valid_until,
            "evidence": kind,
            "sha256": digest,
        },
        context=context,
    )
    _notify(event="mandate.created", mandate=mandate)
    return mandate


@transaction.atomic
def mandate_revoke(
    *, mandate: Mandate, actor: User, reason: str = "", context: AuditContext | None = None
) -> Mandate:
    """The resident (or counter staff at their request) withdraws the mandate, at any time."""
    mandate = Mandate.objects.select_for_update().get(pk=mandate.pk)
    from apps.accounts.selectors import user_has_role

    if actor.pk != mandate.resident_id and not user_has_role(user=actor, roles=["counter"]):
        raise MandateRefused(_("Only the resident or counter staff can revoke a mandate."))
    if mandate.revoked_at is not None:
        raise ApplicationError(_("This mandate was already revoked."))
    mandate.revoked_at = timezone.now()
    mandate.revoked_by = actor
    mandate.revoke_reason = (reason or "").strip()[:255]
    mandate.save(update_fields=["revoked_at", "revoked_by", "revoke_reason", "updated_at"])
    audit_record(
        action=AuditAction.MANDATE_REVOKE,
        actor=actor,
        on_behalf_of=mandate.resident if actor.pk != mandate.resident_id else None,
        target=mandate,
        data={"reference": mandate.reference, "reason": personal_digest(mandate.revoke_reason)},
        context=context,
    )
    _notify(event="mandate.revoked", mandate=mandate)
    return mandate


def mandate_check(
    *,
    mandate: Mandate | None,
    resident: User,
    staff: User,
    service: ServiceItem | None = None,
    case: Case | None = None,
) -> Mandate:
    """Refuse, saying why, unless `mandate` is the resident's, given to the service point where
    `staff` works, in force today and covers the service or case at hand."""
    name = getattr(getattr(resident, "profile", None), "real_name", "") or str(resident)
    if mandate is None or mandate.resident_id != resident.pk:
        raise MandateRefused(
            _(
                "There is no mandate from %(name)s. Ask them to sign a mandate before you act "
                "for them."
            )
            % {"name": name},
            extra={"reason": "no_mandate"},
        )
    if mandate.service_point_id not in counter_service_point_ids(staff=staff):
        # A mandate is given to one help point; its staff act on it, no one else's.
        raise MandateRefused(
            _("Mandate %(ref)s was given to %(point)s. Only its counter staff may act on it.")
            % {"ref": mandate.reference, "point": mandate.service_point},
            extra={"reason": "other_service_point"},
        )
    status = mandate.status
    if status == "revoked":
        raise MandateRefused(
            _("Mandate %(ref)s was revoked on %(date)s by %(who)s.")
            % {
                "ref": mandate.reference,
                "date": _day(timezone.localtime(mandate.revoked_at).date()),
                "who": mandate.revoked_by,
            },
            extra={"reason": "revoked"},
        )
    if status == "expired":
        raise MandateRefused(
            _("Mandate %(ref)s expired on %(date)s.")
            % {"ref": mandate.reference, "date": _day(mandate.valid_until)},
            extra={"reason": "expired"},
        )
    if status == "not_yet":
        raise MandateRefused(
            _("Mandate %(ref)s is valid only from %(date)s.")
            % {"ref": mandate.reference, "date": _day(mandate.valid_from)},
            extra={"reason": "not_yet_valid"},
        )
    if mandate.scope == Mandate.Scope.CASE:
        if case is None or case.pk != mandate.case_id:
            raise MandateRefused(
                _("Mandate %(ref)s covers only case %(case)s.")
                % {"ref": mandate.reference, "case": mandate.case.ref if mandate.case else ""},
                extra={"reason": "scope"},
            )
    elif mandate.scope == Mandate.Scope.SERVICE:
        service_id = service.pk if service is not None else getattr(case, "service_id", None)
        if service_id != mandate.service_id:
            raise MandateRefused(
                _("Mandate %(ref)s covers only the service “%(service)s”.")
                % {
                    "ref": mandate.reference,
                    "service": mandate.service.name if mandate.service else "",
                },
                extra={"reason": "scope"},
            )
    return mandate
