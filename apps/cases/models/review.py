"""One department's review of a case (`ReviewTask`) and extension requests (`ExtensionRequest`)."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from apps.core.i18n import bilingual
from apps.core.models import BaseModel

from .case import Case, may_act_on_task


class ReviewTask(ConcurrentTransitionMixin, BaseModel):
    """One department's review of a case in one stage; the stage's tasks run in parallel."""

    class State(models.TextChoices):
        WAITING = "waiting", _("Waiting for an earlier stage")
        ACTIVE = "active", _("To review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        RETURNED = "returned", _("Returned for correction")
        CANCELLED = "cancelled", _("Cancelled")

    OPEN_STATES = (State.WAITING, State.ACTIVE)

    # Declared for the type checker, as on `Case` (the django-fsm mixin is untyped).
    objects: ClassVar[models.Manager["ReviewTask"]] = models.Manager()

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="review_tasks")
    # Each acceptance starts a new round: a case returned during review is reviewed afresh.
    round = models.PositiveSmallIntegerField(_("review round"), default=1)
    stage_order = models.PositiveSmallIntegerField(_("stage"))
    stage_name = models.CharField(_("stage name"), max_length=200, blank=True)
    stage_name_en = models.CharField(_("stage name (English)"), max_length=200, blank=True)
    department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("department"),
        on_delete=models.PROTECT,
        related_name="review_tasks",
    )
    state = FSMField(
        _("state"), default=State.WAITING, choices=State.choices, protected=True, db_index=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_tasks",
    )
    stage_days = models.PositiveSmallIntegerField(_("stage time limit"), null=True, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True, db_index=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    opinion = models.TextField(_("opinion"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # 默认同意: the department did not answer by the stage deadline and the service allows it.
    deemed_consent = models.BooleanField(_("deemed consent"), default=False)

    class Meta:
        ordering = ["stage_order", "department__code"]
        verbose_name = _("review task")
        verbose_name_plural = _("review tasks")
        permissions = [("act_on_task", _("Can review for the department"))]
        indexes = [
            # the department queue: its active tasks by due date, walked from the cursor
            models.Index(fields=["department", "state", "due_date", "id"], name="task_queue_idx"),
            # 督办: active tasks past due (decided ones are not in it)
            models.Index(
                fields=["due_date", "id"],
                name="task_active_due_idx",
                condition=models.Q(state="active"),
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "round", "stage_order", "department"], name="unique_review_task"
            )
        ]

    def __str__(self):
        return f"{self.case} · {self.stage_order} · {self.department}"

    @property
    def stage_title(self) -> str:
        return bilingual(self.stage_name, self.stage_name_en)

    @transition(field=state, source=State.WAITING, target=State.ACTIVE)
    def activate(self, *, at, due_date) -> None:
        self.activated_at = at
        self.due_date = due_date

    @transition(field=state, source=State.ACTIVE, target=State.APPROVED, permission=may_act_on_task)
    def approve(self, *, by, opinion: str, at, deemed: bool = False) -> None:
        self.decided_by = by
        self.opinion = opinion
        self.decided_at = at
        self.deemed_consent = deemed

    @transition(field=state, source=State.ACTIVE, target=State.REJECTED, permission=may_act_on_task)
    def reject(self, *, by, opinion: str, at) -> None:
        self.decided_by = by
        self.opinion = opinion
        self.decided_at = at

    @transition(field=state, source=State.ACTIVE, target=State.RETURNED, permission=may_act_on_task)
    def return_for_correction(self, *, by, opinion: str, at) -> None:
        self.decided_by = by
        self.opinion = opinion
        self.decided_at = at

    @transition(field=state, source=[State.WAITING, State.ACTIVE], target=State.CANCELLED)
    def cancel(self) -> None:
        pass


class ExtensionRequest(BaseModel):
    """延期: a clerk asks before the deadline, with a reason; the department lead decides."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for the lead")
        APPROVED = "approved", _("Approved")
        REFUSED = "refused", _("Refused")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="extension_requests")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    days = models.PositiveSmallIntegerField(_("extra working days"))
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    old_deadline = models.DateField(null=True, blank=True)
    new_deadline = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")

    def __str__(self):
        return f"{self.case} +{self.days}"
