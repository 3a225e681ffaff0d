"""The `Case`: an application or a complaint, its columns and its application transitions."""

import secrets
from typing import TYPE_CHECKING, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from apps.accounts.models import User
from apps.core.models import BaseModel

from .. import duties

if TYPE_CHECKING:
    from .review import ReviewTask

# Unambiguous characters for references people read out on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))


# Permissions and conditions of the transitions. django-fsm calls them with the model instance
# and whoever asks (a signed-in `User`, or anonymous: never allowed).


def is_applicant(case: models.Model, user: object) -> bool:
    return isinstance(case, Case) and isinstance(user, User) and case.applicant_id == user.pk


# Who does which step (审批分离): `apps/cases/duties.py`. Intake (accept, refuse, return) by a
# clerk or lead of the lead department; the decision by the role the service names, not by who
# took the case in or reviewed it where the service asks for four eyes; a review by a clerk or
# lead of the task's department; a complaint's handling by its department's staff.
may_process = duties.handling_duty
may_take_in = duties.intake_duty
may_decide = duties.decision_duty
may_act_on_task = duties.review_duty


def is_application(case: models.Model) -> bool:
    return isinstance(case, Case) and case.kind == Case.Kind.APPLICATION


def reviews_approved(case: models.Model) -> bool:
    return isinstance(case, Case) and case.review_outcome() == "approved"


def reviews_rejected(case: models.Model) -> bool:
    return isinstance(case, Case) and case.review_outcome() == "rejected"


class Case(ConcurrentTransitionMixin, BaseModel):
    """An application (行政审批 / 公共服务) or a complaint, from draft to closing.

    One table for both kinds: the complaint-only columns below stay here, and the complaint
    workflow (dispatch, sign, return, reply, reopen, merge) is declared on `Complaint`, a proxy
    of this model in the complaints app, which this app never imports."""

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Application")
        COMPLAINT = "complaint", _("Complaint")

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        NEEDS_CORRECTION = "needs_correction", _("Needs correction")
        IN_REVIEW = "in_review", _("In review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        NOT_ACCEPTED = "not_accepted", _("Not accepted")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CLOSED = "closed", _("Closed")
        # Complaints (12345 工单)
        DISPATCHED = "dispatched", _("Dispatched to a department")
        IN_PROGRESS = "in_progress", _("Being handled")
        REPLIED = "replied", _("Replied")
        MERGED = "merged", _("Merged into another case")

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        COUNTER = "counter", _("Service counter")
        HOTLINE = "hotline", _("Hotline (12345)")
        OPEN311 = "open311", _("Open311")

    class ComplaintType(models.TextChoices):
        CONSULTATION = "consultation", _("Consultation (咨询)")
        HELP = "help", _("Request for help (求助)")
        COMPLAINT = "complaint", _("Complaint or report (投诉举报)")
        SUGGESTION = "suggestion", _("Suggestion (建议)")

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("Normal")
        URGENT = "urgent", _("Urgent")

    EDITABLE_STATES = (State.DRAFT, State.NEEDS_CORRECTION)

    # Declared, not implied: the django-fsm mixin has no type information, which would hide
    # the manager the plugin otherwise adds from the type checker.
    objects: ClassVar[models.Manager["Case"]] = models.Manager()

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_reference, editable=False
    )
    number = models.CharField(_("case number"), max_length=20, unique=True, null=True, blank=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=Kind.choices, default=Kind.APPLICATION
    )
    service = models.ForeignKey(
        "catalog.ServiceItem",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    version = models.ForeignKey(
        "catalog.ServiceVersion",
        verbose_name=_("service version"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(
        _("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )
    state = FSMField(
        _("state"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # 一次告知: every field key and required document the resident must fix, with the clerk's note.
    correction_request = models.JSONField(_("correction request"), default=dict, blank=True)
    # What was filled in from a source with consent: the basis and, per field, its origin
    # (apps/cases/prefill.py); never the values, which are in `answers`.
    prefill = models.JSONField(_("prefilled answers"), default=dict, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True, db_index=True)
    signature = models.ForeignKey(
        "signatures.SignatureRecord",
        verbose_name=_("signature"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lead_department = models.ForeignKey(
        "accounts.Department",
        verbose_name=_("lead department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_cases",
    )
    # The clock stops while the case waits for the resident (补正).
    clock_paused_on = models.DateField(_("clock paused on"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons"), blank=True)
    granted_until = models.DateField(_("granted until"), null=True, blank=True)
    # 督办: set when the deadline passes, cleared when a new deadline is set.
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    review_round = models.PositiveSmallIntegerField(_("review round"), default=0)
    # Kept at the outcome for the metrics: working days from submission to outcome (the
    # days waiting for the resident not counted) and whether it came by the deadline.
    working_days_to_outcome = models.PositiveIntegerField(null=True, blank=True)
    outcome_on_time = models.BooleanField(null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(default=0)

    # --- complaints (12345 工单) -------------------------------------------------------------
    complaint_type = models.CharField(
        _("type of request"), max_length=20, choices=ComplaintType.choices, blank=True
    )
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL
    )
    description = models.TextField(_("description"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # The department sees the complaint, never the reporter's name or phone.
    hide_identity = models.BooleanField(_("identity hidden from the department"), default=False)
    reporter_name = models.CharField(_("reporter's name"), max_length=100, blank=True)
    reporter_phone = models.CharField(_("reporter's phone"), max_length=20, blank=True)
    # 提取码: with the case number it opens the public tracking page; only its HMAC is kept.
    tracking_code_hash = models.CharField(max_length=64, blank=True)
    # Urgent complaints count calendar hours; others end with the last working day.
    due_at = models.DateTimeField(_("due at"), null=True, blank=True, db_index=True)
    sign_due_at = models.DateTimeField(_("sign for by"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    # 催办: sent once the day after the due time passed; cleared with a new due time.
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    co_departments = models.ManyToManyField(
        "accounts.Department",
        verbose_name=_("co-handling departments"),
        blank=True,
        related_name="co_handled_cases",
    )
    followers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("followers"),
        blank=True,
        related_name="followed_complaints",
    )
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged_cases",
    )
    return_reason = models.TextField(_("reason for the return"), blank=True)
    return_legal_basis = models.TextField(_("legal basis for the return"), blank=True)
    question = models.TextField(_("question to the reporter"), blank=True)
    question_due = models.DateField(_("answer the question by"), null=True, blank=True)
    question_answer = models.TextField(_("reporter's answer"), blank=True)
    question_answered_at = models.DateTimeField(null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [("process_case", _("Can process the case for the lead department"))]
        # Each list walks one of these from its cursor (apps/cases/selectors.py and
        # apps/complaints/selectors.py); the partial ones hold only the rows the list can show.
        indexes = [
            # the intake queue: a department's submitted cases, nearest deadline first
            models.Index(
                fields=["lead_department", "state", "deadline", "id"], name="case_intake_idx"
            ),
            # 督办: open cases by deadline (closed ones, most of the table, are not in it)
            models.Index(
                fields=["deadline", "id"],
                name="case_open_deadline_idx",
                condition=models.Q(state__in=["submitted", "in_review"]),
            ),
            # the resident's list (applicant) newest first
            models.Index(fields=["applicant", "-created_at", "-id"], name="case_applicant_idx"),
            # prefill from the last application: an applicant's latest submitted case of a service
            models.Index(
                fields=["applicant", "service", "-submitted_at", "-id"],
                name="case_applicant_service_idx",
                condition=models.Q(submitted_at__isnull=False),
            ),
            # the dispatchers' triage: filed complaints, urgent then oldest first
            models.Index(
                fields=["-urgency", "submitted_at", "id"],
                name="complaint_triage_idx",
                condition=models.Q(kind="complaint", state="submitted"),
            ),
            # Open311 requests.json: complaints by submission time
            models.Index(
                fields=["-submitted_at", "-id"],
                name="complaint_submitted_idx",
                condition=models.Q(kind="complaint", number__isnull=False),
            ),
            # The metrics' rollups: what changed since their watermark, and the days recounted.
            # a department's complaints being handled, due first (the dispatcher's and the
            # department's lists): the open ones only, walked in order and filtered
            models.Index(
                fields=["due_at", "id"],
                name="complaint_open_due_idx",
                condition=models.Q(kind="complaint", state__in=["dispatched", "in_progress"]),
            ),
            models.Index(fields=["updated_at"], name="case_updated_at_idx"),
            models.Index(fields=["submitted_at"], name="case_submitted_at_idx"),
            models.Index(fields=["decided_at"], name="case_decided_at_idx"),
        ]

    def __str__(self):
        return self.number or self.reference

    def audit_repr(self) -> str:
        """What the audit trail shows for the case: its number (no one's name)."""
        return self.ref

    @property
    def ref(self) -> str:
        """What URLs and people use: the case number, or the draft reference before there is one."""
        return self.number or self.reference

    @property
    def is_editable(self) -> bool:
        return self.state in self.EDITABLE_STATES

    # --- transitions: state only; services do the saving, audit and notifications ----------

    @transition(field=state, source=State.DRAFT, target=State.SUBMITTED, permission=is_applicant)
    def submit(self, *, at, number: str, deadline, signature) -> None:
        self.submitted_at = at
        self.number = number
        self.deadline = deadline
        self.signature = signature

    @transition(
        field=state, source=State.NEEDS_CORRECTION, target=State.SUBMITTED, permission=is_applicant
    )
    def resubmit(self, *, signature, deadline, paused_days: int) -> None:
        self.signature = signature
        self.deadline = deadline
        self.correction_request = {}
        self.clock_paused_on = None
        self.paused_working_days += paused_days

    @transition(
        field=state,
        source=[State.DRAFT, State.SUBMITTED, State.NEEDS_CORRECTION],
        target=State.WITHDRAWN,
        permission=is_applicant,
    )
    def withdraw(self) -> None:
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.IN_REVIEW,
        permission=may_take_in,
        conditions=[is_application],
    )
    def accept(self, *, at) -> None:
        self.accepted_at = at

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.NOT_ACCEPTED,
        permission=may_take_in,
        conditions=[is_application],
    )
    def refuse(self, *, reasons: str, at) -> None:
        self.decision_reasons = reasons
        self.decided_at = at

    @transition(
        field=state,
        source=[State.SUBMITTED, State.IN_REVIEW],
        target=State.NEEDS_CORRECTION,
        permission=may_take_in,
        conditions=[is_application],
    )
    def return_for_correction(self, *, correction: dict, paused_on) -> None:
        self.correction_request = correction
        self.clock_paused_on = paused_on

    @transition(
        field=state,
        source=State.IN_REVIEW,
        target=State.APPROVED,
        permission=may_decide,
        conditions=[reviews_approved],
    )
    def approve(self, *, reasons: str, granted_until, at) -> None:
        self.decision_reasons = reasons
        self.granted_until = granted_until
        self.decided_at = at

    @transition(
        field=state,
        source=State.IN_REVIEW,
        target=State.REJECTED,
        permission=may_decide,
        conditions=[reviews_rejected],
    )
    def reject(self, *, reasons: str, at) -> None:
        self.decision_reasons = reasons
        self.decided_at = at

    @transition(
        field=state,
        source=[State.APPROVED, State.REJECTED, State.NOT_ACCEPTED, State.REPLIED],
        target=State.CLOSED,
    )
    def close(self) -> None:
        pass

    def current_tasks(self) -> list["ReviewTask"]:
        return [task for task in self.review_tasks.all() if task.round == self.review_round]

    def review_outcome(self) -> str:
        """approved (every task agreed), rejected (one said no), or pending."""
        from .review import ReviewTask

        states = [task.state for task in self.current_tasks()]
        if any(state == ReviewTask.State.REJECTED for state in states):
            return "rejected"
        if states and all(state == ReviewTask.State.APPROVED for state in states):
            return "approved"
        return "pending"
