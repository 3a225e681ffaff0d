"""Signatures: one-time signing codes, signature records over a canonical digest, PDF seals.

`cases` (and later `helpdesk`) call these; this app knows nothing about what is signed beyond
the payload and the declaration text.
"""

import datetime
import decimal
import hashlib
import json
import math
import uuid
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.core.exceptions import ApplicationError, TooManyAttemptsError
from apps.core.limits import (
    limit_count,
    limit_hit,
    limit_usage,
    otp_lock_seconds,
    too_many_attempts,
)
from apps.core.sms import send_sms

from .keys import ensure_keys  # noqa: F401 - re-exported for callers
from .models import EmailCodeDevice, SignatureRecord, SigningCodeDevice, SmsDevice
from .pades import SealCheck, pdf_seal, pdf_seal_check

__all__ = [
    "SealCheck",
    "canonical_json",
    "payload_digest",
    "pdf_seal",
    "pdf_seal_check",
    "signature_code_send",
    "signature_payloads_erase",
    "signature_take",
    "signature_verify_payload",
]

CHANNEL_EMAIL = "email"
CHANNEL_SMS = "sms"
CHANNEL_TOTP = "totp"
CHANNELS = (CHANNEL_EMAIL, CHANNEL_SMS, CHANNEL_TOTP)
METHOD_FOR_CHANNEL = {
    CHANNEL_EMAIL: SignatureRecord.Method.EMAIL_OTP,
    CHANNEL_SMS: SignatureRecord.Method.SMS_OTP,
    CHANNEL_TOTP: SignatureRecord.Method.TOTP,
}


# --- Canonical JSON and digests ------------------------------------------------------------


def _json_default(value: object) -> object:
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return value.total_seconds()
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, bytes):
        return value.hex()
    if hasattr(value, "__str__") and type(value).__name__ == "__proxy__":  # lazy translation
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot be signed")


def canonical_json(*, obj: object) -> bytes:
    """The one byte string a payload is signed as: sorted keys, no whitespace, UTF-8, ISO dates."""
    return json.dumps(
        obj,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
        default=_json_default,
    ).encode("utf-8")


def payload_digest(*, payload: object) -> str:
    """SHA-256 (hex) of `canonical_json(payload)`."""
    return hashlib.sha256(canonical_json(obj=payload)).hexdigest()


def _signed_digest(payload: Mapping[str, object], declaration: str) -> str:
    return payload_digest(payload={"payload": payload, "declaration": declaration})


def signature_verify_payload(
    *, record: SignatureRecord, payload: Mapping[str, object], declaration: str
) -> bool:
    """Does `payload` + `declaration` still match what `record` signed? (No: sign again.)"""
    return _signed_digest(payload, declaration) == record.digest


# --- One-time signing codes ------------------------------------------------------------------


def _max_attempts() -> int:
    return int(getattr(settings, "VERIFICATION_CODE_MAX_ATTEMPTS", 5))


def _resend_cooldown() -> datetime.timedelta:
    resend_after: datetime.timedelta = settings.VERIFICATION_CODE_RESEND_AFTER
    return resend_after


def _code_device(*, user: User, channel: str) -> SigningCodeDevice:
    if channel == CHANNEL_EMAIL:
        if not user.email:
            raise ApplicationError(
                _("Your account has no email address, so we cannot send you a code by email.")
            )
        email_device: EmailCodeDevice
        email_device, _created = EmailCodeDevice.objects.get_or_create(
            user=user, defaults={"name": "signing-email", "confirmed": False}
        )
        return email_device
    if channel == CHANNEL_SMS:
        if not user.phone:
            raise ApplicationError(
                _("Your account has no mobile phone number, so we cannot send you a code by SMS.")
            )
        sms_device: SmsDevice
        sms_device, _created = SmsDevice.objects.get_or_create(
            user=user, defaults={"name": "signing-sms", "confirmed": False}
        )
        return sms_device
    raise ApplicationError(_("Choose how to receive your code: email or SMS."))


def _totp_device(user: User) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        raise ApplicationError(_("You have no authenticator app set up. Choose email or SMS."))
    return device


def signature_code_send(*, user: User, channel: str) -> None:
    """Send a fresh one-time signing code to the user's email or phone.

    A new code replaces the previous one and resets the tries. "totp" sends nothing (the code
    comes from the user's authenticator app) but checks that they have one. Not again within
    VERIFICATION_CODE_RESEND_AFTER, nor past RATE_LIMITS["code-send"] for the phone or address
    (shared with sign-up codes): a TooManyAttemptsError (429) says how long to wait.
    """
    if channel == CHANNEL_TOTP:
        _totp_device(user)
        return
    device = _code_device(user=user, channel=channel)
    ttl: datetime.timedelta = settings.VERIFICATION_CODE_TTL
    cooldown = _resend_cooldown()
    sent_until = device.valid_until if device.has_live_code else None
    if cooldown and sent_until is not None:
        resend_at = sent_until - ttl + cooldown
        if timezone.now() < resend_at:
            raise too_many_attempts(
                message=_("We sent you a code a moment ago."),
                retry_after=math.ceil((resend_at - timezone.now()).total_seconds()),
                extra={"reason": "code_sent_recently"},
            )
    limit_hit(
        name="code-send",
        key=[device.destination()],
        message=_("Too many codes were sent to this address or phone number."),
    )
    token = device.code_issue()
    minutes = max(1, int(ttl.total_seconds() // 60))
    message = _(
        "Your signing code is %(code)s. It is valid for %(minutes)d minutes. "
        "Do not share it: staff will never ask you for it."
    ) % {"code": token, "minutes": minutes}
    if channel == CHANNEL_EMAIL:
        send_mail(
            subject=_("Your signing code"),
            message=message,
            from_email=None,
            recipient_list=[device.destination()],
        )
    else:
        send_sms(to=device.destination(), body=message)


# The tries are counted in the shared store (apps.core.limits) as well as on the device: a
# caller's transaction that rolls back after a wrong code must not give the tries back (the
# device row would roll back with it; Redis does not). Per code (its device and expiry), in a
# window of a day, far longer than a code lives; and per user over all their codes.
CODE_TRIES = "signing-code"
USER_WRONG = "signing-code-wrong"


def _code_key(device: SigningCodeDevice) -> list[object]:
    stamp = device.valid_until.timestamp() if device.valid_until else ""
    return [device._meta.label_lower, device.pk, stamp]


def _code_rate() -> str:
    return f"{_max_attempts()}/d"


def _too_many() -> ApplicationError:
    return TooManyAttemptsError(
        _("Too many wrong codes. Ask for a new code and try again."),
        extra={"reason": "too_many_attempts"},
    )


def _user_check(user: User) -> None:
    """Refuse a user past their wrong signing codes of the hour, even with the right code."""
    usage = limit_usage(name=USER_WRONG, key=[user.pk], increment=False)
    if usage.exhausted:
        raise too_many_attempts(
            message=_("Too many wrong signing codes."),
            retry_after=usage.retry_after,
            extra={"reason": "too_many_attempts"},
        )


def _wrong(remaining: int) -> ApplicationError:
    return ApplicationError(
        ngettext(
            "Wrong or expired code. You have %(count)d more try.",
            "Wrong or expired code. You have %(count)d more tries.",
            remaining,
        )
        % {"count": remaining},
        extra={"reason": "wrong_code", "remaining_attempts": remaining},
    )


def _user_failure(user: User) -> int:
    """Count a wrong code against the user; the tries they have left this hour."""
    usage = limit_count(name=USER_WRONG, key=[user.pk])
    if usage.exhausted:
        raise too_many_attempts(
            message=_("Too many wrong signing codes."),
            retry_after=usage.retry_after,
            extra={"reason": "too_many_attempts"},
        )
    return usage.limit - usage.count


def _verify_code(*, user: User, channel: str, code: str) -> None:
    """Accept `code` once for `user` on `channel`, or raise a translated ApplicationError
    (TooManyAttemptsError, 429, once the tries are used up)."""
    code = (code or "").strip().replace(" ", "")
    _user_check(user)
    if channel == CHANNEL_TOTP:
        device = _totp_device(user)
        wait = otp_lock_seconds(devices=[device])
        if wait:  # django-otp refuses every code until then, even the right one: say so
            raise too_many_attempts(
                message=_("Too many wrong codes."),
                retry_after=wait,
                extra={"reason": "too_many_attempts"},
            )
        if device.verify_token(code):
            return
        raise _wrong(_user_failure(user))

    if channel not in (CHANNEL_EMAIL, CHANNEL_SMS):
        raise ApplicationError(_("Choose how to receive your code: email or SMS."))
    model: type[SigningCodeDevice] = EmailCodeDevice if channel == CHANNEL_EMAIL else SmsDevice
    code_device = model.objects.filter(user=user).first()
    limit = _max_attempts()
    if code_device is not None:
        counted = limit_usage(
            name=CODE_TRIES, key=_code_key(code_device), increment=False, rate=_code_rate()
        ).count
        if max(counted, int(code_device.throttling_failure_count or 0)) >= limit:
            raise _too_many()
    if code_device is None or not code_device.has_live_code:
        raise ApplicationError(
            _("This code has expired or was already used. Ask for a new code."),
            extra={"reason": "expired"},
        )
    if code_device.code_check(code):
        return
    counted = limit_count(name=CODE_TRIES, key=_code_key(code_device), rate=_code_rate()).count
    count = max(counted, int(code_device.throttling_failure_count or 0))
    if count >= limit:
        # The code is burnt: the next try needs a fresh one.
        code_device.token = None
        code_device.save(update_fields=["token"])
        raise _too_many()
    raise _wrong(min(limit - count, _user_failure(user)))


def signature_take(
    *,
    signer: User,
    payload: Mapping[str, object],
    declaration: str,
    code: str,
    channel: str,
    context: AuditContext | None = None,
    target: models.Model | None = None,
    on_behalf_of: User | None = None,
    assisted_by: User | None = None,
    mandate_ref: str = "",
) -> SignatureRecord:
    """Check the one-time `code` and record `signer`'s signature over payload + declaration.

    The digest is SHA-256 of canonical_json({"payload": payload, "declaration": declaration}).
    With `assisted_by` (a counter staff member at a service point) the code is theirs and the
    method is "assisted"; `mandate_ref` names the mandate that allows it.
    Raises ApplicationError for a wrong, expired or over-tried code.
    """
    # Outside the record's transaction: a wrong try stays counted even if the caller rolls back.
    _verify_code(user=assisted_by or signer, channel=channel, code=code)
    clean_payload = json.loads(canonical_json(obj=payload))
    with transaction.atomic():
        record = SignatureRecord(
            signer=signer,
            on_behalf_of=on_behalf_of,
            assisted_by=assisted_by,
            mandate_ref=mandate_ref,
            method=SignatureRecord.Method.ASSISTED if assisted_by else METHOD_FOR_CHANNEL[channel],
            digest=_signed_digest(clean_payload, declaration),
            payload=clean_payload,
            declaration=declaration,
            signed_at=timezone.now(),
            ip_address=context.ip_address if context is not None else None,
            target_type=target._meta.label_lower if target is not None else "",
            target_id=str(target.pk) if target is not None else "",
        )
        record.save()
        audit_record(
            action=AuditAction.SIGNATURE_TAKE,
            actor=assisted_by or signer,
            on_behalf_of=on_behalf_of or (signer if assisted_by else None),
            target=record,
            data={
                "digest": record.digest,
                "method": record.method,
                "channel": channel,
                "target_type": record.target_type,
                "target_id": record.target_id,
                "mandate_ref": mandate_ref,
            },
            context=context,
        )
    return record


def signature_payloads_erase(*, record_ids: Iterable[int]) -> int:
    """Empty what was signed (the answers, names, reasons) from these records, keeping who
    signed which digest, how and when: the retention schedule's anonymisation of a case past
    its period (apps.retention). The digest still proves a copy of the payload shown later.
    The only change a signature record ever takes; returns how many records changed."""
    ids = list(record_ids)
    if not ids:
        return 0
    # The model's manager refuses updates (append-only); this one erasure goes round it.
    plain = SignatureRecord._base_manager.filter(pk__in=ids).exclude(payload={"erased": True})
    return plain.update(payload={"erased": True})
