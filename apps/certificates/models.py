"""Certificate types, the certificates (电子证照) decisions issue, and a case's links to the
certificates it reuses instead of an upload.

`Certificate.fields` is a plain JSON object keyed by the type's field names (strings, numbers,
ISO dates): other apps (prefill) read it as it is. A case never copies a certificate: it keeps a
`CaseCertificate` link and every page reads the certificate's state live."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from apps.core.i18n import pick_language
from apps.core.models import BaseModel


class CertificateType(BaseModel):
    """A kind of licence, permit or card one department issues (e.g. 食品经营许可证)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    issuing_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("issuing department"),
        on_delete=models.PROTECT,
        related_name="certificate_types",
    )
    validity_days = models.PositiveIntegerField(
        _("valid for (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: valid until revoked (or until the decision's end date)."),
    )
    field_sources = models.JSONField(
        _("fields"),
        default=list,
        blank=True,
        help_text=_(
            "The fields the certificate carries and the case answer each comes from: "
            '[{"name": "…", "answer": "…", "label_zh": "…", "label_en": "…"}, …]'
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("certificate type")
        verbose_name_plural = _("certificate types")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self, "name")

    def field_labels(self) -> dict[str, str]:
        """Field name → its label in the active language (the name where none is given)."""
        labels: dict[str, str] = {}
        for source in self.field_sources or []:
            name = str(source.get("name", ""))
            labels[name] = pick_language(source, "label") or name
        return labels


class Certificate(BaseModel):
    """One issued certificate: its holder, number, validity, fields and sealed PDF."""

    class State(models.TextChoices):
        VALID = "valid", pgettext_lazy("certificate", "Valid")
        REVOKED = "revoked", pgettext_lazy("certificate", "Revoked")
        REPLACED = "replaced", pgettext_lazy("certificate", "Replaced")

    class Status(models.TextChoices):
        """What a reader sees today: the state, and `expired` once past `valid_until`."""

        VALID = "valid", pgettext_lazy("certificate", "Valid")
        EXPIRED = "expired", pgettext_lazy("certificate", "Expired")
        REVOKED = "revoked", pgettext_lazy("certificate", "Revoked")
        REPLACED = "replaced", pgettext_lazy("certificate", "Replaced")

    type = models.ForeignKey(
        CertificateType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    number = models.CharField(_("number"), max_length=40, unique=True)
    issuing_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("issuing department"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    fields = models.JSONField(_("fields"), default=dict, blank=True)
    source_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("source case"),
        null=True,
        blank=True,
        # A certificate outlives the case that issued it (a case destroyed under the retention
        # schedule leaves the licence valid).
        on_delete=models.SET_NULL,
        related_name="certificates",
    )
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("sealed PDF"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.VALID, db_index=True
    )
    ended_at = models.DateTimeField(_("revoked or replaced at"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked or replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    end_reason = models.TextField(_("reason"), blank=True)
    replaced_by = models.OneToOneField(
        "self",
        verbose_name=_("replaced by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaces",
    )

    class Meta:
        ordering = ["-valid_from", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        indexes = [
            models.Index(fields=["holder", "type", "state"], name="certificates_holder_type"),
            models.Index(fields=["issuing_department", "-id"], name="certificates_department_id"),
            # The daily expiry notice reads only the valid certificates ending in its window.
            models.Index(
                fields=["valid_until"],
                name="certificates_valid_until",
                condition=models.Q(state="valid", valid_until__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.number}"

    def audit_repr(self) -> str:
        """The audit trail names a certificate by its number, never its holder."""
        return self.number

    def status_on(self, day: datetime.date) -> str:
        if self.state != self.State.VALID:
            return str(self.state)
        if self.valid_until is not None and self.valid_until < day:
            return self.Status.EXPIRED
        return self.Status.VALID

    @property
    def status(self) -> str:
        """valid, expired, revoked or replaced, as of today (never stored: always live)."""
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def is_usable(self) -> bool:
        return self.status == self.Status.VALID

    @property
    def pdf_sha256(self) -> str:
        return self.document.sha256 if self.document_id and self.document else ""


class CaseCertificate(BaseModel):
    """A case's file field answered by a certificate the applicant holds: a link, not a copy."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="certificate_links",
    )
    field_key = models.CharField(_("form field"), max_length=50)
    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.PROTECT,
        related_name="case_links",
    )
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["case", "field_key"]
        verbose_name = _("certificate used by a case")
        verbose_name_plural = _("certificates used by cases")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "field_key"], name="certificates_one_per_case_field"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.field_key} → {self.certificate_id}"
