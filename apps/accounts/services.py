import base64
import hashlib
import hmac
import math
import secrets
from typing import TypedDict, Unpack

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.core.exceptions import ApplicationError, TooManyAttemptsError
from apps.core.limits import limit_hit, otp_lock_seconds, too_many_attempts
from apps.core.sms import send_sms

from .models import ApiToken, ResidentProfile, User, VerificationCode
from .selectors import user_has_confirmed_device
from .validators import normalize_id_number

BACKUP_CODE_COUNT = 10


# --- One-time codes before an account exists -----------------------------------------------


def _code_digest(code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), code.encode(), hashlib.sha256).hexdigest()


def verification_code_send(
    *, purpose: str, channel: str, destination: str, client_ip: str = ""
) -> VerificationCode:
    """Send a fresh 6-digit code by email or SMS; earlier codes for the purpose stop working.

    Not to the same destination within VERIFICATION_CODE_RESEND_AFTER, nor more often than
    RATE_LIMITS["code-send"] (per phone or email address, shared with signing codes) and
    ["code-send-ip"] (per client address); each refusal is a TooManyAttemptsError saying how
    long to wait (`code` "code_sent_recently" for the first: the code sent still works)."""
    last = (
        VerificationCode.objects.filter(purpose=purpose, destination=destination)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    resend_at = last + settings.VERIFICATION_CODE_RESEND_AFTER if last else None
    if resend_at is not None and timezone.now() < resend_at:
        # Nobody's phone is flooded with codes, by mistake or on purpose.
        refusal = too_many_attempts(
            message=_("A code was sent a moment ago."),
            retry_after=math.ceil((resend_at - timezone.now()).total_seconds()),
        )
        refusal.code = "code_sent_recently"
        raise refusal
    if client_ip:
        limit_hit(
            name="code-send-ip",
            key=[client_ip],
            message=_("Too many codes were asked for from this address."),
        )
    limit_hit(
        name="code-send",
        key=[destination],
        message=_("Too many codes were sent to this address or phone number."),
    )
    code = f"{secrets.randbelow(10**6):06d}"
    VerificationCode.objects.filter(
        purpose=purpose, destination=destination, used_at__isnull=True
    ).update(used_at=timezone.now())
    record = VerificationCode.objects.create(
        purpose=purpose,
        channel=channel,
        destination=destination,
        code_hash=_code_digest(code),
        expires_at=timezone.now() + settings.VERIFICATION_CODE_TTL,
    )
    minutes = int(settings.VERIFICATION_CODE_TTL.total_seconds() // 60)
    message = _("Your verification code is %(code)s. It expires in %(minutes)s minutes.") % {
        "code": code,
        "minutes": minutes,
    }
    if channel == User.Channel.EMAIL:
        send_mail(_("Your verification code"), message, None, [destination])
    else:
        send_sms(to=destination, body=message, idempotency_key=f"code-{record.pk}")
    return record


def verification_code_check(*, purpose: str, destination: str, code: str) -> None:
    """Accept the latest code once; refuse a wrong, expired or exhausted one with a clear reason
    (the last a TooManyAttemptsError, 429: this code is used up, a new one works)."""
    refusal = None
    exhausted = False
    with transaction.atomic():
        record = (
            VerificationCode.objects.select_for_update()
            .filter(purpose=purpose, destination=destination, used_at__isnull=True)
            .order_by("-created_at")
            .first()
        )
        if record is None:
            refusal = _("No code is waiting for this address. Ask for a new code.")
        elif record.expires_at < timezone.now():
            refusal = _("This code has expired. Ask for a new code.")
        elif record.attempts >= settings.VERIFICATION_CODE_MAX_ATTEMPTS:
            refusal = _("Too many wrong codes. Ask for a new code.")
            exhausted = True
        elif not hmac.compare_digest(record.code_hash, _code_digest((code or "").strip())):
            # Counted and committed before refusing, so wrong tries really run out.
            record.attempts += 1
            record.save(update_fields=["attempts", "updated_at"])
            left = settings.VERIFICATION_CODE_MAX_ATTEMPTS - record.attempts
            refusal = _("The code is not right. You have %(left)s tries left.") % {"left": left}
        else:
            record.used_at = timezone.now()
            record.save(update_fields=["used_at", "updated_at"])
    if exhausted and refusal is not None:
        raise TooManyAttemptsError(refusal)
    if refusal is not None:
        raise ApplicationError(refusal)


# --- Residents ------------------------------------------------------------------------------


@transaction.atomic
def resident_register(
    *,
    real_name: str,
    id_number: str,
    password: str,
    email: str | None = None,
    phone: str | None = None,
    context: AuditContext | None = None,
) -> User:
    """Create a resident whose email or phone has just been verified by a one-time code."""
    user: User = User.objects.create_user(
        email=email or None,
        phone=phone or None,
        password=None,
        display_name=real_name,
    )
    # The password arrives already hashed from the registration session.
    user.password = password
    user.save(update_fields=["password"])
    channels = [User.Channel.IN_APP, User.Channel.EMAIL if email else User.Channel.SMS]
    ResidentProfile.objects.create(
        user=user,
        real_name=real_name,
        id_number=normalize_id_number(id_number),
        notification_channels=[str(c) for c in channels],
    )
    audit_record(
        action=AuditAction.USER_REGISTER,
        actor=user,
        target=user,
        data={"channel": "email" if email else "sms"},
        context=context,
    )
    return user


def resident_profile_ensure(*, user: User) -> ResidentProfile:
    """The user's resident profile, created on first use (staff accounts start without one)."""
    profile, _created = ResidentProfile.objects.get_or_create(
        user=user, defaults={"real_name": user.display_name or str(user)}
    )
    return profile


class ProfileChanges(TypedDict, total=False):
    """The fields of their profile a resident may change themselves."""

    real_name: str
    id_number: str | None
    address: str
    notification_channels: list[str]


@transaction.atomic
def resident_profile_update(
    *, user: User, context: AuditContext | None = None, **fields: Unpack[ProfileChanges]
) -> ResidentProfile:
    """Change a resident's own profile; the audit keeps which fields changed, not their values."""
    profile = ResidentProfile.objects.select_for_update().get(user=user)
    changed = []
    for name, value in fields.items():
        if name == "id_number":
            value = normalize_id_number(str(value or "")) or None
        if getattr(profile, name) != value:
            setattr(profile, name, value)
            changed.append(name)
    if changed:
        profile.full_clean()
        profile.save()
        if "real_name" in changed:
            user.display_name = profile.real_name
            user.save(update_fields=["display_name"])
        audit_record(
            action=AuditAction.PROFILE_UPDATE,
            actor=user,
            target=profile,
            data={"fields": changed},
            context=context,
        )
    return profile


# --- Two-factor authentication ---------------------------------------------------------------


def totp_secret_base32(*, device: TOTPDevice) -> str:
    """The authenticator's secret as people type it (base32, no padding)."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator, created on first visit so the QR code stays stable."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    return device


def totp_enrolment_confirm(
    *, user: User, device: TOTPDevice, token: str, context: AuditContext | None = None
) -> list[str]:
    """Confirm the user's authenticator with a first code and issue backup codes.

    The caller then marks its session verified with `device` (django_otp's `otp_login`)."""
    wait = otp_lock_seconds(devices=[device])
    if not device.verify_token((token or "").strip()):
        # Outside any transaction, so the refusal does not roll back its own audit line.
        audit_record(
            action=AuditAction.OTP_ENROL_FAILED,
            actor=user,
            target=user,
            data={"reason": "locked", "retry_after": wait} if wait else None,
            context=context,
        )
        if wait:  # the device refuses every code until then, even the right one
            raise too_many_attempts(message=_("Too many wrong codes."), retry_after=wait)
        raise ApplicationError(
            _("That code did not match. Check your phone's clock and try again.")
        )
    with transaction.atomic():
        return _totp_enrolment_complete(user=user, device=device, context=context)


def _totp_enrolment_complete(
    *, user: User, device: TOTPDevice, context: AuditContext | None
) -> list[str]:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(
        action=AuditAction.OTP_ENROL,
        actor=user,
        target=user,
        data={"device": "totp"},
        context=context,
    )
    return backup_codes_regenerate(user=user, context=context)


@transaction.atomic
def backup_codes_regenerate(*, user: User, context: AuditContext | None = None) -> list[str]:
    """Replace the user's static backup codes; each works once. Returned only this time."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": "Backup codes", "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    audit_record(action=AuditAction.OTP_BACKUP_CODES, actor=user, target=user, context=context)
    return codes


def _otp_refused(*, user: User, wait: int, context: AuditContext | None) -> TooManyAttemptsError:
    audit_record(
        action=AuditAction.OTP_VERIFY_FAILED,
        actor=user,
        target=user,
        data={"reason": "locked", "retry_after": wait},
        context=context,
    )
    return too_many_attempts(message=_("Too many wrong codes."), retry_after=wait, field="otp")


def _otp_match(*, user: User, token: str, context: AuditContext | None) -> Device | None:
    """The device that takes `token`, or None (a wrong code, audited).

    django-otp locks a device after a wrong code, for a time that doubles with each further
    one, and then refuses even the right code without saying so: a code that arrives while the
    user's devices are locked is refused (and audited) with a TooManyAttemptsError that says how
    long to wait. A device that is not locked (a backup code) may still take it."""
    wait = otp_lock_seconds(devices=devices_for_user(user))
    device: Device | None = match_token(user, (token or "").replace(" ", ""))
    if device is not None:
        return device
    if wait:
        raise _otp_refused(user=user, wait=wait, context=context)
    audit_record(action=AuditAction.OTP_VERIFY_FAILED, actor=user, target=user, context=context)
    return None


def two_factor_verify(*, user: User, token: str, context: AuditContext | None = None) -> Device:
    """Check an authenticator or backup code; every try is audited.

    Returns the device that matched, for the caller to mark its session verified with. A code
    while the devices are locked after wrong ones: TooManyAttemptsError with the time to wait."""
    device = _otp_match(user=user, token=token, context=context)
    if device is None:
        raise ApplicationError(_("That code did not work. Try again, or use a backup code."))
    audit_record(
        action=AuditAction.OTP_VERIFY,
        actor=user,
        target=user,
        data={"device": device.__class__.__name__},
        context=context,
    )
    return device


@transaction.atomic
def two_factor_disable(*, user: User, context: AuditContext | None = None) -> None:
    """Residents may turn 2FA off again; staff may not.

    The caller then drops the session's "2FA required" mark."""
    if user.is_staff_member:
        raise ApplicationError(_("Staff accounts must keep two-factor authentication."))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(action=AuditAction.OTP_DISABLE, actor=user, target=user, context=context)


# --- API tokens ------------------------------------------------------------------------------


def api_token_digest(*, key: str) -> str:
    """What the database keeps of a token: its SHA-256, never the token itself."""
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_issue(
    *, user: User, otp: str = "", context: AuditContext | None = None
) -> tuple[str, ApiToken]:
    """Issue an API token to a user whose password was just checked (for staff or opted-in
    residents, only with a one-time code from their authenticator).

    Not one transaction: a refusal must keep the audit line it has just written."""
    needs_otp = user.is_staff_member or user_has_confirmed_device(user=user)
    verified = False
    if needs_otp:
        if not otp:
            raise ApplicationError(
                _("Add the one-time code from your authenticator app."),
                extra={"otp_required": True},
            )
        if _otp_match(user=user, token=otp, context=context) is None:
            raise ApplicationError(
                _("That code did not work. Try again, or use a backup code."),
                errors={"otp": [_("Check the one-time code.")]},
            )
        verified = True
    key = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            key_digest=api_token_digest(key=key),
            otp_verified=verified,
            expires_at=timezone.now() + settings.API_TOKEN_TTL,
        )
        audit_record(
            action=AuditAction.TOKEN_ISSUE,
            actor=user,
            target=user,
            data={"otp_verified": verified},
            context=context,
        )
    return key, token


# --- Preferences ----------------------------------------------------------------------------


def care_mode_set(*, user: User, enabled: bool, context: AuditContext | None = None) -> None:
    """Remember care mode (适老化) on the user's account (the caller keeps it in the session
    too, so it also holds before signing in)."""
    if user.care_mode != enabled:
        user.care_mode = enabled
        user.save(update_fields=["care_mode"])
        audit_record(
            action=AuditAction.USER_CARE_MODE,
            actor=user,
            target=user,
            data={"enabled": enabled},
            context=context,
        )
