import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext_lazy as _
from django_otp.models import SideChannelDevice, ThrottlingMixin


class AppendOnlyError(Exception):
    """Signature records are never changed or removed: a change needs a new signature."""


# --- One-time signing codes (django-otp devices) ------------------------------------------


class SigningCodeDevice(ThrottlingMixin, SideChannelDevice):
    """A side channel that receives one-time signing codes.

    These devices are created unconfirmed on purpose: they confirm a signature, they are not a
    second login factor, so `devices_for_user(user, confirmed=True)` (2FA checks) ignores them.
    Tries are counted by ThrottlingMixin's failure count and capped at
    VERIFICATION_CODE_MAX_ATTEMPTS per code; the time-based back-off is off by default
    (OTP_SIGNING_THROTTLE_FACTOR).
    """

    # Fields of django-otp's SideChannelDevice, which ships no type information.
    token: str | None
    valid_until: datetime.datetime | None

    class Meta:
        abstract = True

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_SIGNING_THROTTLE_FACTOR", 0)

    def code_issue(self) -> str:
        """Make a new code (which resets the tries) and return it; the caller delivers it."""
        ttl = int(settings.VERIFICATION_CODE_TTL.total_seconds())
        self.throttle_reset(commit=False)
        self.generate_token(length=6, valid_secs=ttl, commit=False)
        self.save()
        token = self.token
        if token is None:
            raise RuntimeError("django-otp generated no token")
        return token

    def code_check(self, token: str) -> bool:
        """True once for the right, unexpired code; a wrong try counts against the limit."""
        now = timezone.now()
        if (
            self.token is not None
            and self.valid_until is not None
            and now < self.valid_until
            and constant_time_compare(str(token).strip(), self.token)
        ):
            self.token = None
            self.valid_until = now
            self.throttle_reset(commit=False)
            self.save()
            return True
        self.throttle_increment(commit=True)
        return False

    @property
    def has_live_code(self) -> bool:
        return (
            self.token is not None
            and self.valid_until is not None
            and (timezone.now() < self.valid_until)
        )


class EmailCodeDevice(SigningCodeDevice):
    """Signing codes sent by email (to `email`, or the user's address when blank)."""

    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("email signing code device")
        verbose_name_plural = _("email signing code devices")

    def destination(self) -> str:
        return self.email or self.user.email or ""


class SmsDevice(SigningCodeDevice):
    """Signing codes sent by SMS through the pluggable `apps.core.sms` backend."""

    number = models.CharField(_("mobile phone"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("SMS signing code device")
        verbose_name_plural = _("SMS signing code devices")

    def destination(self) -> str:
        return self.number or self.user.phone or ""


# --- Signature records ---------------------------------------------------------------------


class SignatureRecordQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("signature records are append-only")

    def delete(self):
        raise AppendOnlyError("signature records are append-only")


class SignatureRecord(models.Model):
    """Who signed which digest, how and when. Append-only: a change needs a new signature."""

    class Method(models.TextChoices):
        EMAIL_OTP = "email_otp", _("One-time code by email")
        SMS_OTP = "sms_otp", _("One-time code by SMS")
        TOTP = "totp", _("Authenticator app")
        ASSISTED = "assisted", _("Assisted at a service point")

    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signer"),
        on_delete=models.PROTECT,
        related_name="signatures",
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("on behalf of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assisted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    mandate_ref = models.CharField(_("mandate"), max_length=100, blank=True)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    digest = models.CharField(_("SHA-256 digest"), max_length=64, db_index=True)
    payload = models.JSONField(_("what was signed"), encoder=DjangoJSONEncoder)
    declaration = models.TextField(_("declaration"))
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)

    objects = SignatureRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self):
        return f"{self.signer} · {self.get_method_display()} · {self.digest[:12]}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("signature records are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("signature records are append-only")
