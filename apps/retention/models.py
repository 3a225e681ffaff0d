"""The retention schedule, a case's retention state (legal hold, anonymised, destroyed), the
daily run's cursor, the hashes of removed files, and the destruction lists."""

from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from apps.core.models import BaseModel

from . import duties


class RetentionRule(BaseModel):
    """One service's or complaint category's own periods; without a rule (or with a blank
    field) the default for its kind applies (`selectors.retention_periods`)."""

    service = models.OneToOneField(
        "catalog.ServiceItem",
        verbose_name=_("service or complaint category"),
        on_delete=models.CASCADE,
        related_name="retention_rule",
    )
    anonymise_after_years = models.PositiveSmallIntegerField(
        _("personal data kept for (years)"),
        null=True,
        blank=True,
        help_text=_(
            "Years after a case ends before its reporter's or applicant's personal data is "
            "removed. Blank: complaints 3 years, applications their archive class."
        ),
    )
    destroy_after_years = models.PositiveSmallIntegerField(
        _("record kept for (years)"),
        null=True,
        blank=True,
        help_text=_(
            "Years after a case ends before its record may be proposed for destruction. "
            "Blank: the service's archive class (never for a permanent one)."
        ),
    )
    note = models.CharField(_("basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention schedule")
        ordering = ["service__code"]

    def __str__(self) -> str:
        return str(self.service)

    def clean(self) -> None:
        super().clean()
        if (
            self.anonymise_after_years is not None
            and self.destroy_after_years is not None
            and self.anonymise_after_years > self.destroy_after_years
        ):
            raise ValidationError(
                {
                    "anonymise_after_years": _(
                        "Personal data cannot be kept longer than the record that holds it."
                    )
                }
            )


class CaseRetention(models.Model):
    """Where one case stands against the schedule: on legal hold, anonymised, destroyed.
    A row exists once anything happened to the case here; none means nothing did."""

    case = models.OneToOneField(
        "cases.Case",
        verbose_name=_("case"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="retention",
    )
    legal_hold = models.BooleanField(_("legal hold"), default=False)
    hold_reason = models.TextField(_("reason for the hold"), blank=True)
    hold_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hold changed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    hold_changed_at = models.DateTimeField(_("hold changed at"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case retention")
        verbose_name_plural = _("case retention")
        indexes = [
            models.Index(
                fields=["case"], name="retention_hold_idx", condition=models.Q(legal_hold=True)
            )
        ]

    def __str__(self) -> str:
        return f"retention of case {self.case_id}"


class RemovedFile(models.Model):
    """A file retention deleted from storage: what it was and its SHA-256, so a copy shown
    later can still be matched; never its name or content."""

    class Kind(models.TextChoices):
        ATTACHMENT = "attachment", _("Attachment or photo")
        DOCUMENT = "document", _("Issued document")

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="removed_files")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    removed_at = models.DateTimeField(_("removed at"))

    class Meta:
        verbose_name = _("removed file")
        verbose_name_plural = _("removed files")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:12]}"


class RetentionRun(BaseModel):
    """One day's run of the retention task: its phase and the last case id it finished, so a
    run that stopped goes on from there, and a finished one is not run again."""

    class Phase(models.TextChoices):
        ANONYMISE = "anonymise", _("Anonymising")
        PROPOSE = "propose", _("Proposing destruction")
        DONE = "done", _("Finished")

    day = models.DateField(_("day"), unique=True)
    phase = models.CharField(
        _("phase"), max_length=20, choices=Phase.choices, default=Phase.ANONYMISE
    )
    cursor = models.BigIntegerField(_("last case id done"), default=0)
    anonymised = models.PositiveIntegerField(_("cases anonymised"), default=0)
    files_removed = models.PositiveIntegerField(_("files removed"), default=0)
    proposed = models.PositiveIntegerField(_("cases proposed for destruction"), default=0)
    batches = models.PositiveIntegerField(_("batches"), default=0)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"retention run {self.day}"


class DestructionList(ConcurrentTransitionMixin, BaseModel):
    """The cases of one department whose record period ended, proposed by the daily run.
    Nothing is destroyed before a records officer and the department lead, two different
    people, both approved it (four eyes)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        OFFICER_APPROVED = "officer_approved", _("Approved by the records officer")
        LEAD_APPROVED = "lead_approved", _("Approved by the department lead")
        APPROVED = "approved", _("Approved by both")
        DESTROYED = "destroyed", _("Destroyed")
        REJECTED = "rejected", _("Rejected")

    objects: ClassVar[models.Manager["DestructionList"]] = models.Manager()

    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="destruction_lists",
    )
    run = models.ForeignKey(
        RetentionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="lists"
    )
    state = FSMField(
        _("state"), default=State.PROPOSED, choices=State.choices, protected=True, db_index=True
    )
    officer_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("records officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    officer_approved_at = models.DateTimeField(null=True, blank=True)
    lead_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("department lead"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_approved_at = models.DateTimeField(null=True, blank=True)
    rejected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejected by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reject_reason = models.TextField(_("reason for rejecting"), blank=True)
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)
    report = models.ForeignKey(
        "documents.Document",
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("destruction list")
        verbose_name_plural = _("destruction lists")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"destruction list {self.pk}"

    def audit_repr(self) -> str:
        return f"destruction list {self.pk}"

    # --- transitions: state only; services do the saving and the audit -------------------

    @transition(
        field=state,
        source=State.PROPOSED,
        target=State.OFFICER_APPROVED,
        permission=duties.records_officer_duty,
    )
    def approve_as_officer(self, *, by, at) -> None:
        self.officer_approved_by = by
        self.officer_approved_at = at

    @transition(
        field=state,
        source=State.LEAD_APPROVED,
        target=State.APPROVED,
        permission=duties.records_officer_duty,
    )
    def complete_as_officer(self, *, by, at) -> None:
        self.officer_approved_by = by
        self.officer_approved_at = at

    @transition(
        field=state, source=State.PROPOSED, target=State.LEAD_APPROVED, permission=duties.lead_duty
    )
    def approve_as_lead(self, *, by, at) -> None:
        self.lead_approved_by = by
        self.lead_approved_at = at

    @transition(
        field=state,
        source=State.OFFICER_APPROVED,
        target=State.APPROVED,
        permission=duties.lead_duty,
    )
    def complete_as_lead(self, *, by, at) -> None:
        self.lead_approved_by = by
        self.lead_approved_at = at

    @transition(
        field=state,
        source=[State.PROPOSED, State.OFFICER_APPROVED, State.LEAD_APPROVED],
        target=State.REJECTED,
        permission=duties.either_duty,
    )
    def reject(self, *, by, reason: str) -> None:
        self.rejected_by = by
        self.reject_reason = reason

    @transition(field=state, source=State.APPROVED, target=State.DESTROYED)
    def destroy(self, *, at) -> None:
        self.destroyed_at = at


class DestructionItem(models.Model):
    """One case on a destruction list, with what identified it when proposed."""

    list = models.ForeignKey(DestructionList, on_delete=models.CASCADE, related_name="items")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.PROTECT, related_name="destruction_items"
    )
    case_number = models.CharField(_("case number"), max_length=20)
    service_code = models.CharField(_("service"), max_length=60)
    ended_on = models.DateField(_("ended on"))
    destroy_due = models.DateField(_("record kept until"))

    class Meta:
        verbose_name = _("case on a destruction list")
        verbose_name_plural = _("cases on destruction lists")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["list", "case"], name="retention_item_once")]

    def __str__(self) -> str:
        return self.case_number
