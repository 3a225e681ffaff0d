"""Claim codes: a printed one-time code that turns an assisted account into a normal online account
later, keeping every case."""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from apps.accounts.models import ResidentProfile, User
from apps.accounts.validators import normalize_id_number
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.core.exceptions import ApplicationError

from ..models import REFERENCE_ALPHABET, ClaimCode

__all__ = [
    "CLAIM_CODE_TTL",
    "account_claim",
    "claim_code_check",
    "claim_code_issue",
    "claim_code_letter_issue",
]

CLAIM_CODE_TTL = timedelta(days=30)


def _digest(code: str) -> str:
    normalized = "".join(ch for ch in (code or "").upper() if ch.isalnum())
    return hmac.new(
        settings.SECRET_KEY.encode(), f"claim:{normalized}".encode(), hashlib.sha256
    ).hexdigest()


def _ttl() -> timedelta:
    return getattr(settings, "HELPDESK_CLAIM_CODE_TTL", CLAIM_CODE_TTL)


@transaction.atomic
def claim_code_issue(
    *, actor: User, resident: User, context: AuditContext | None = None
) -> tuple[str, ClaimCode]:
    """A new code (earlier unused ones stop working); the clear code is returned only now."""
    if not resident.is_assisted:
        raise ApplicationError(_("This account is already an online account."))
    now = timezone.now()
    ClaimCode.objects.filter(
        resident=resident, used_at__isnull=True, voided_at__isnull=True
    ).update(voided_at=now, updated_at=now)
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _i in range(12))
    code = "-".join(chars[i : i + 4] for i in range(0, 12, 4))
    record = ClaimCode.objects.create(
        resident=resident,
        code_hash=_digest(code),
        expires_at=now + _ttl(),
        issued_by=actor,
    )
    audit_record(
        action=AuditAction.CLAIM_ISSUE,
        actor=actor,
        on_behalf_of=resident,
        target=record,
        data={"expires_at": record.expires_at},
        context=context,
    )
    return code, record


def claim_code_letter_issue(
    *, actor: User, resident: User, claim_url: str, context: AuditContext | None = None
) -> bytes:
    """A new claim code on the letter printed for the resident (PDF, large type): the clear code
    is on paper only. The letter gives the address to claim the account online and, as the
    other way, the service point that does it with them; the desk page and the desk API print
    this same letter. Raises `ApplicationError` as `claim_code_issue`."""
    from apps.core.pdf import render_pdf

    from .residents import counter_service_point

    code, record = claim_code_issue(actor=actor, resident=resident, context=context)
    profile = resident.profile
    return render_pdf(
        template_name="documents/print/claim_code.html",
        context={
            "portal_name": settings.PORTAL_NAME,
            "document_title": _("Your code to use the portal online"),
            "name": profile.real_name,
            "address": profile.address,
            "service_point": counter_service_point(user=actor) or profile.service_point or "",
            "code": code,
            "expires_at": timezone.localtime(record.expires_at),
            "claim_url": claim_url,
        },
    )


def claim_code_check(*, code: str, id_number: str) -> ClaimCode:
    """The unused, unexpired claim code for this ID number, or a clear refusal."""
    record = (
        ClaimCode.objects.select_related("resident", "resident__profile")
        .filter(code_hash=_digest(code))
        .first()
    )
    id_number = normalize_id_number(id_number)
    profile = getattr(record.resident, "profile", None) if record else None
    if record is None or profile is None or profile.id_number != id_number:
        raise ApplicationError(
            _("This claim code is not right, or it does not belong to this ID number."),
            extra={"reason": "unknown"},
        )
    if record.used_at is not None:
        raise ApplicationError(
            _("This claim code was already used. Sign in with your email or phone instead."),
            extra={"reason": "used"},
        )
    if record.voided_at is not None:
        raise ApplicationError(
            _("This claim code was replaced by a newer one. Use the latest letter."),
            extra={"reason": "replaced"},
        )
    if record.expires_at <= timezone.now():
        raise ApplicationError(
            _("This claim code expired on %(date)s. Ask your service point for a new one.")
            % {"date": formats.date_format(timezone.localtime(record.expires_at), "DATE_FORMAT")},
            extra={"reason": "expired"},
        )
    return record


@transaction.atomic
def account_claim(
    *,
    code: str,
    id_number: str,
    password_hash: str,
    email: str | None = None,
    phone: str | None = None,
    context: AuditContext | None = None,
) -> User:
    """Turn the assisted account into an online one (the same user, every case kept). The email
    or phone must already be verified by the caller; the code works once."""
    record = claim_code_check(code=code, id_number=id_number)
    record = ClaimCode.objects.select_for_update().get(pk=record.pk)
    if record.used_at is not None:  # pragma: no cover - lost a race with a second tab
        raise ApplicationError(_("This claim code was already used."))
    user = User.objects.select_for_update().get(pk=record.resident_id)
    email = (email or "").strip().lower() or None
    phone = (phone or "").strip() or None
    if not email and not phone:
        raise ApplicationError(_("Give an email address or a mobile phone number."))
    if email and User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise ApplicationError(_("Another account already uses this email address."))
    if phone and User.objects.filter(phone=phone).exclude(pk=user.pk).exists():
        raise ApplicationError(_("Another account already uses this phone number."))
    if email:
        user.email = email
    if phone:
        user.phone = phone
    # Hashed by the caller (it waits in the session while the contact is verified).
    user.password = password_hash
    user.is_assisted = False
    user.save(update_fields=["email", "phone", "password", "is_assisted"])
    profile = ResidentProfile.objects.select_for_update().get(user=user)
    channels = set(profile.notification_channels or []) | {"in_app"}
    channels.add("email" if email else "sms")
    channels.discard("letter")
    profile.notification_channels = sorted(channels)
    profile.preferred_contact = ResidentProfile.Contact.ONLINE
    profile.save(update_fields=["notification_channels", "preferred_contact", "updated_at"])
    record.used_at = timezone.now()
    record.save(update_fields=["used_at", "updated_at"])
    audit_record(
        action=AuditAction.CLAIM_USE,
        actor=user,
        target=record,
        data={"channel": "email" if email else "sms"},
        context=context,
    )
    return user
