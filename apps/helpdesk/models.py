"""Help desk: identity checks, mandates (委托), family proxies (亲情账号), print batches and
claim codes for residents who are not online."""

import secrets
from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import BaseModel

# Unambiguous characters for references read out at the counter.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_mandate_reference() -> str:
    return "WT-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class IdentityCheck(BaseModel):
    """Counter staff saw the resident's identity document: which one, its last digits, when."""

    class DocumentType(models.TextChoices):
        ID_CARD = "id_card", _("Resident identity card")
        TEMPORARY_ID = "temporary_id", _("Temporary identity card")
        HOUSEHOLD_REGISTER = "household_register", _("Household register (hukou booklet)")
        PASSPORT = "passport", _("Passport")
        OTHER = "other", _("Other official document")

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="identity_checks",
    )
    document_type = models.CharField(
        _("document checked"), max_length=30, choices=DocumentType.choices
    )
    last_digits = models.CharField(_("last digits"), max_length=6)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), default=timezone.now)
    service_point = models.ForeignKey(
        "accounts.ServicePoint",
        verbose_name=_("service point"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-checked_at", "-id"]
        verbose_name = _("identity check")
        verbose_name_plural = _("identity checks")

    def __str__(self) -> str:
        return f"{self.get_document_type_display()} …{self.last_digits}"


class Mandate(BaseModel):
    """委托: the resident authorises the service point to act for them, within a scope and dates."""

    class Scope(models.TextChoices):
        CASE = "case", _("One case")
        SERVICE = "service", _("One service")
        ALL = "all", _("Everything")

    class Evidence(models.TextChoices):
        SCAN = "scan", _("Signed paper form, scanned")
        TABLET = "tablet", _("Signature drawn on the counter tablet")

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_mandate_reference, editable=False
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.PROTECT,
        related_name="mandates",
    )
    service_point = models.ForeignKey(
        "accounts.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.PROTECT,
        related_name="mandates",
    )
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    service = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("service"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    evidence_kind = models.CharField(_("evidence"), max_length=10, choices=Evidence.choices)
    evidence = models.FileField(_("evidence file"), upload_to="mandates/%Y/%m/", max_length=255)
    evidence_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoke_reason = models.CharField(_("reason for revoking"), max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("mandate")
        verbose_name_plural = _("mandates")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="case", case__isnull=False)
                    | Q(scope="service", service__isnull=False)
                    | Q(scope="all")
                ),
                name="helpdesk_mandate_scope_target",
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("valid_from")),
                name="helpdesk_mandate_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def audit_repr(self) -> str:
        return self.reference

    def status_on(self, day: date) -> str:
        """revoked, expired, not_yet or valid."""
        if self.revoked_at is not None:
            return "revoked"
        if day > self.valid_until:
            return "expired"
        if day < self.valid_from:
            return "not_yet"
        return "valid"

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return str(
            {
                "revoked": _("Revoked"),
                "expired": _("Expired"),
                "not_yet": _("Not yet valid"),
                "valid": _("Valid"),
            }[self.status]
        )


class FamilyLink(BaseModel):
    """亲情账号: a family member's online account may act for the resident once both agreed."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        ACTIVE = "active", _("Bound")
        ENDED = "ended", _("Unbound")

    class Side(models.TextChoices):
        RESIDENT = "resident", _("The resident")
        MEMBER = "member", _("The family member")

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="family_links",
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("family member"),
        on_delete=models.CASCADE,
        related_name="proxy_links",
    )
    relationship = models.CharField(_("relationship"), max_length=50, blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    # Who asked: the other side confirms (two-sided consent).
    initiated_by = models.CharField(_("asked by"), max_length=10, choices=Side.choices)
    confirmed_at = models.DateTimeField(_("bound at"), null=True, blank=True)
    confirmed_at_counter = models.ForeignKey(
        "accounts.ServicePoint",
        verbose_name=_("confirmed at the counter of"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    ended_at = models.DateTimeField(_("unbound at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("unbound by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("family proxy")
        verbose_name_plural = _("family proxies")
        constraints = [
            models.UniqueConstraint(
                fields=["resident", "member"],
                condition=Q(state__in=["pending", "active"]),
                name="helpdesk_one_open_link_per_pair",
            ),
            models.CheckConstraint(
                condition=~Q(resident=models.F("member")), name="helpdesk_link_not_to_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} → {self.resident} ({self.state})"


class PrintBatch(BaseModel):
    """One PDF of every letter due at a service point, printed and handed over by the counter."""

    service_point = models.ForeignKey(
        "accounts.ServicePoint",
        verbose_name=_("service point"),
        on_delete=models.PROTECT,
        related_name="print_batches",
    )
    batch_date = models.DateField(_("date"), db_index=True)
    document = models.ForeignKey(
        "documents.Document", verbose_name=_("PDF"), on_delete=models.PROTECT, related_name="+"
    )
    letter_count = models.PositiveIntegerField(_("letters"))
    notification_ids = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("printed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("print batch")
        verbose_name_plural = _("print batches")

    def __str__(self) -> str:
        return f"{self.service_point} {self.batch_date} ({self.letter_count})"


class ClaimCode(BaseModel):
    """A printed one-time code that turns an assisted account into a normal online account."""

    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="claim_codes",
    )
    code_hash = models.CharField(max_length=128, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    voided_at = models.DateTimeField(_("replaced at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("claim code")
        verbose_name_plural = _("claim codes")

    def __str__(self) -> str:
        return f"{self.resident} · {self.expires_at:%Y-%m-%d}"


class ResidentLookup(BaseModel):
    """查询登记: counter staff looked a resident up by their full ID number or phone, for a reason.

    For a short while afterwards (`HELPDESK_LOOKUP_MINUTES`) this staff member may open that
    resident's record at the desk; nobody else, and no other resident, is opened by it."""

    class Reason(models.TextChoices):
        AT_COUNTER = "at_counter", _("The resident is here at the counter")
        PHONE_CALL = "phone_call", _("The resident called the service point")
        FAMILY = "family", _("A family member or carer asks for the resident")
        PAPERWORK = "paperwork", _("Paperwork from the resident (letter, form)")
        OTHER = "other", _("Another reason (say which)")

    class MatchedBy(models.TextChoices):
        ID_NUMBER = "id_number", _("ID number")
        PHONE = "phone", _("mobile phone")
        FAMILY_PHONE = "family_phone", _("family member's phone")

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    resident = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resident"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    reason_text = models.CharField(_("reason, in words"), max_length=255)
    matched_by = models.CharField(_("found by"), max_length=20, choices=MatchedBy.choices)
    expires_at = models.DateTimeField(_("access until"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("resident look-up")
        verbose_name_plural = _("resident look-ups")
        indexes = [
            models.Index(fields=["staff", "resident", "expires_at"], name="helpdesk_lookup_access")
        ]

    def __str__(self) -> str:
        return f"{self.staff} → {self.resident} ({self.get_reason_display()})"
