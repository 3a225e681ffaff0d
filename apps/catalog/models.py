"""The service catalogue (事项): what a resident can apply for, its guide, who reviews it, how long
it may take, and the versioned form the resident fills in.

A published `ServiceVersion` and its `FieldDefinition`s never change: a case keeps the version it
started on, so editing means a new draft version (`services.service_version_new_draft`)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.exceptions import ConflictError, StrOrPromise
from apps.core.i18n import pick_language
from apps.core.models import BaseModel

from .archive import ArchiveClass, ArchiveSettings  # noqa: F401 - ArchiveClass re-exported
from .certificate_links import AnsweredByCertificate, GrantsCertificate
from .duties import DecisionSettings
from .prefill import PrefillSettings

FIELD_KEY_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9_]*$",
    _("Use lower-case letters, digits and underscores, starting with a letter."),
)


class BilingualMixin:
    """`obj.tr("name")` picks the active language's text, falling back to Chinese."""

    def tr(self, field: str, language: str | None = None) -> str:
        return pick_language(self, field, language)


class PublishedVersionError(ConflictError):
    """Someone tried to change a published version or its fields."""


def default_complaint_days() -> dict:
    """Working days per type of request (咨询 2, 求助 5, 投诉举报 and 建议 13)."""
    return {"consultation": 2, "help": 5, "complaint": 13, "suggestion": 13}


class ServiceItem(BilingualMixin, DecisionSettings, ArchiveSettings, GrantsCertificate, BaseModel):
    class Kind(models.TextChoices):
        APPLICATION = "application", _("Application")
        COMPLAINT = "complaint", _("Complaint category")

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.APPLICATION
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    who_may_apply_zh = models.TextField(_("who may apply (Chinese)"), blank=True)
    who_may_apply_en = models.TextField(_("who may apply (English)"), blank=True)
    fee_zh = models.CharField(_("fee (Chinese)"), max_length=300, blank=True)
    fee_en = models.CharField(_("fee (English)"), max_length=300, blank=True)
    legal_basis_zh = models.TextField(_("legal basis (Chinese)"), blank=True)
    legal_basis_en = models.TextField(_("legal basis (English)"), blank=True)
    where_to_go_zh = models.TextField(_("where to go (Chinese)"), blank=True)
    where_to_go_en = models.TextField(_("where to go (English)"), blank=True)
    processing_notes_zh = models.TextField(_("processing notes (Chinese)"), blank=True)
    processing_notes_en = models.TextField(_("processing notes (English)"), blank=True)
    lead_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("lead department"),
        on_delete=models.PROTECT,
        related_name="led_services",
    )
    statutory_days = models.PositiveSmallIntegerField(
        _("statutory time limit (working days)"),
        help_text=_("The limit set by law or regulation (法定时限)."),
    )
    promised_days = models.PositiveSmallIntegerField(
        _("promised time limit (working days)"),
        help_text=_("The limit the portal promises (承诺时限); never more than the statutory one."),
    )
    allows_deemed_consent = models.BooleanField(
        _("silence counts as consent"),
        default=False,
        help_text=_(
            "A reviewing department that does not answer in time is taken to agree (默认同意)."
        ),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # Complaint categories: the default department is `lead_department`; time limits per type.
    complaint_days = models.JSONField(
        _("complaint time limits (working days per type)"),
        default=default_complaint_days,
        blank=True,
        help_text=_(
            'Working days per type of request: {"consultation": 2, "help": 5, '
            '"complaint": 13, "suggestion": 13}.'
        ),
    )
    urgent_hours = models.PositiveSmallIntegerField(
        _("urgent time limit (hours)"),
        default=24,
        help_text=_("Urgent complaints count calendar hours from dispatch."),
    )
    sign_days = models.PositiveSmallIntegerField(
        _("time to sign for (working days)"),
        default=1,
        help_text=_("How long a department has to sign for a dispatched complaint (签收)."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("service item")
        verbose_name_plural = _("service items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(promised_days__lte=models.F("statutory_days")),
                name="catalog_service_promised_within_statutory",
                violation_error_message=_(
                    "The promised time limit cannot be longer than the statutory one."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(promised_days__gte=1),
                name="catalog_service_promised_positive",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if (
            self.promised_days is not None
            and self.statutory_days is not None
            and self.promised_days > self.statutory_days
        ):
            raise ValidationError(
                {
                    "promised_days": _(
                        "The promised time limit (%(promised)s working days) cannot be longer "
                        "than the statutory one (%(statutory)s working days)."
                    )
                    % {"promised": self.promised_days, "statutory": self.statutory_days}
                }
            )

    @property
    def name(self) -> str:
        return self.tr("name")

    @property
    def summary(self) -> str:
        return self.tr("summary")

    @property
    def who_may_apply(self) -> str:
        return self.tr("who_may_apply")

    @property
    def fee(self) -> str:
        return self.tr("fee")

    @property
    def legal_basis(self) -> str:
        return self.tr("legal_basis")

    @property
    def where_to_go(self) -> str:
        return self.tr("where_to_go")

    @property
    def processing_notes(self) -> str:
        return self.tr("processing_notes")

    def complaint_days_for(self, complaint_type: str) -> int:
        days = {**default_complaint_days(), **(self.complaint_days or {})}
        return int(days.get(complaint_type) or self.promised_days or 13)

    def current_version(self) -> ServiceVersion | None:
        """The latest published version: the one new cases start on."""
        return (
            self.versions.filter(published_at__isnull=False).order_by("-number").first()
            if self.pk
            else None
        )

    def draft_version(self) -> ServiceVersion | None:
        return self.versions.filter(published_at__isnull=True).order_by("-number").first()


class RequiredDocument(BilingualMixin, AnsweredByCertificate, BaseModel):
    """A document the resident must (or may) bring or upload: 申请材料."""

    service = models.ForeignKey(
        ServiceItem, verbose_name=_("service"), on_delete=models.CASCADE, related_name="documents"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    required = models.BooleanField(_("required"), default=True)

    class Meta:
        ordering = ["service", "order", "pk"]
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return self.tr("name")

    @property
    def description(self) -> str:
        return self.tr("description")


class ReviewStage(BilingualMixin, BaseModel):
    """One stage of review; its departments review in parallel (并联审批), stages run in order."""

    service = models.ForeignKey(
        ServiceItem, verbose_name=_("service"), on_delete=models.CASCADE, related_name="stages"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    departments = models.ManyToManyField(
        "accounts.Department", verbose_name=_("departments"), related_name="review_stages"
    )
    days = models.PositiveSmallIntegerField(
        _("stage time limit (working days)"),
        null=True,
        blank=True,
        help_text=_("Optional: how long this stage may take. Empty: no limit of its own."),
    )

    class Meta:
        ordering = ["service", "order", "pk"]
        verbose_name = _("review stage")
        verbose_name_plural = _("review stages")
        constraints = [
            models.UniqueConstraint(fields=["service", "order"], name="catalog_stage_order_unique")
        ]

    def __str__(self):
        return f"{self.order}. {self.name}"

    @property
    def name(self) -> str:
        return self.tr("name")


class ServiceVersion(BilingualMixin, BaseModel):
    """One version of a service's form and declaration. Published versions are immutable."""

    # Fields whose change after publication is refused.
    FROZEN_FIELDS = ("service_id", "number", "declaration_zh", "declaration_en", "steps")

    service = models.ForeignKey(
        ServiceItem, verbose_name=_("service"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    declaration_zh = models.TextField(_("declaration (Chinese)"), blank=True)
    declaration_en = models.TextField(_("declaration (English)"), blank=True)
    steps = models.JSONField(
        _("steps"),
        default=list,
        blank=True,
        help_text=_('Step titles in order: [{"title_zh": "…", "title_en": "…"}, …]'),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["service", "-number"]
        verbose_name = _("service version")
        verbose_name_plural = _("service versions")
        constraints = [
            models.UniqueConstraint(
                fields=["service", "number"], name="catalog_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.service} v{self.number}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def declaration(self) -> str:
        return self.tr("declaration")

    def step_numbers(self) -> list[int]:
        """Every step that has a field or a title, in order (1-based)."""
        used = set(self.fields.values_list("step", flat=True))
        used.update(range(1, len(self.steps or []) + 1))
        return sorted(used) or [1]

    def step_title(self, step: int, language: str | None = None) -> str:
        steps = self.steps or []
        if 1 <= step <= len(steps):
            title = pick_language(steps[step - 1] or {}, "title", language)
            if title:
                return title
        return str(_("Step %(number)s")) % {"number": step}

    def clean(self):
        super().clean()
        if not isinstance(self.steps, list) or not all(
            isinstance(entry, dict) and entry.get("title_zh") for entry in self.steps
        ):
            raise ValidationError(
                {"steps": _('Give a list of steps, each with at least a "title_zh".')}
            )

    def save(self, *args, **kwargs):
        if self.pk:
            stored = (
                ServiceVersion.objects.filter(pk=self.pk)
                .values("published_at", *self.FROZEN_FIELDS)
                .first()
            )
            if stored and stored["published_at"] is not None:
                changed = [f for f in self.FROZEN_FIELDS if stored[f] != getattr(self, f)]
                if changed or self.published_at != stored["published_at"]:
                    raise PublishedVersionError(
                        _("Version %(number)s is published and cannot change. Make a new draft.")
                        % {"number": stored["number"]}
                    )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and ServiceVersion.objects.filter(pk=self.pk, published_at__isnull=False):
            raise PublishedVersionError(_("A published version cannot be deleted."))
        return super().delete(*args, **kwargs)


class FieldDefinition(BilingualMixin, PrefillSettings, BaseModel):
    """One question of a version's form."""

    class Kind(models.TextChoices):
        TEXT = "text", _("Text")
        TEXTAREA = "textarea", _("Long text")
        NUMBER = "number", _("Number")
        DATE = "date", _("Date")
        CHOICE = "choice", _("Choice (one)")
        MULTICHOICE = "multichoice", _("Choice (several)")
        ID_NUMBER = "id_number", _("Resident ID number")
        PHONE = "phone", _("Mobile phone number")
        ADDRESS = "address", _("Address")
        FILE = "file", _("File upload")

    CHOICE_KINDS = {Kind.CHOICE, Kind.MULTICHOICE}
    RULE_KEYS = {
        "min",
        "max",
        "min_length",
        "max_length",
        "pattern",
        "pattern_message_zh",
        "pattern_message_en",
        "decimal_places",
        "max_files",
        "max_mb",
        "types",
    }

    version = models.ForeignKey(
        ServiceVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="fields"
    )
    key = models.CharField(_("key"), max_length=50, validators=[FIELD_KEY_VALIDATOR])
    step = models.PositiveSmallIntegerField(_("step"), default=1)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TEXT)
    label_zh = models.CharField(_("label (Chinese)"), max_length=200)
    label_en = models.CharField(_("label (English)"), max_length=200, blank=True)
    help_zh = models.TextField(_("hint (Chinese)"), blank=True)
    help_en = models.TextField(_("hint (English)"), blank=True)
    required = models.BooleanField(_("required"), default=True)
    choices = models.JSONField(
        _("choices"),
        default=list,
        blank=True,
        help_text=_('For choice fields: [{"value": "…", "label_zh": "…", "label_en": "…"}, …]'),
    )
    rules = models.JSONField(
        _("validation rules"),
        default=dict,
        blank=True,
        help_text=_(
            "Optional: min, max, decimal_places (number; dates take ISO dates or “today”), "
            "min_length, max_length, pattern (text), max_files, max_mb, types (file)."
        ),
    )
    document = models.ForeignKey(
        RequiredDocument,
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="fields",
        help_text=_("For file fields: the required document this upload provides."),
    )

    class Meta:
        ordering = ["version", "step", "order", "pk"]
        verbose_name = _("form field")
        verbose_name_plural = _("form fields")
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="catalog_field_key_unique"),
            models.CheckConstraint(
                condition=models.Q(step__gte=1), name="catalog_field_step_gte_1"
            ),
        ]

    def __str__(self):
        return f"{self.key} ({self.get_kind_display()})"

    @property
    def label(self) -> str:
        return self.tr("label")

    @property
    def help(self) -> str:
        return self.tr("help")

    @property
    def is_file(self) -> bool:
        return self.kind == self.Kind.FILE

    def choice_list(self, language: str | None = None) -> list[tuple[str, str]]:
        return [
            (str(choice.get("value")), pick_language(choice, "label", language))
            for choice in (self.choices or [])
        ]

    def choice_label(self, value, language: str | None = None) -> str:
        return dict(self.choice_list(language)).get(str(value), str(value))

    def clean(self):
        super().clean()
        errors: dict[str, StrOrPromise] = {}
        if self.kind in self.CHOICE_KINDS:
            if not self.choices or not all(
                isinstance(c, dict) and c.get("value") not in (None, "") and c.get("label_zh")
                for c in self.choices
            ):
                errors["choices"] = _(
                    'A choice field needs choices, each with a "value" and a "label_zh".'
                )
        if not isinstance(self.rules, dict):
            errors["rules"] = _("Rules must be a JSON object.")
        elif unknown := set(self.rules) - self.RULE_KEYS:
            errors["rules"] = _("Unknown rules: %(rules)s") % {"rules": ", ".join(sorted(unknown))}
        document = self.document if self.document_id else None
        if document is not None and self.version_id:
            if document.service_id != self.version.service_id:
                errors["document"] = _("The document belongs to another service.")
        if errors:
            raise ValidationError(errors)

    def _version_is_published(self, version_id) -> bool:
        return ServiceVersion.objects.filter(pk=version_id, published_at__isnull=False).exists()

    def save(self, *args, **kwargs):
        if self._version_is_published(self.version_id):
            raise PublishedVersionError(
                _("This form field belongs to a published version and cannot change.")
            )
        if self.pk:
            old_version = (
                FieldDefinition.objects.filter(pk=self.pk).values_list("version_id", flat=True)
            ).first()
            if old_version and self._version_is_published(old_version):
                raise PublishedVersionError(
                    _("This form field belongs to a published version and cannot change.")
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self._version_is_published(self.version_id):
            raise PublishedVersionError(
                _("This form field belongs to a published version and cannot be deleted.")
            )
        return super().delete(*args, **kwargs)
