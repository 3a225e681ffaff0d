import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from apps.core.i18n import bilingual
from apps.core.models import BaseModel

# Unambiguous characters for references people read out on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))


def is_applicant(case: "Case", user) -> bool:
    return user is not None and user.is_authenticated and case.applicant_id == user.pk


def may_process(case: "Case", user) -> bool:
    """Staff of the lead department, granted `process_case` on this case when it was routed."""
    return user is not None and user.is_authenticated and user.has_perm("cases.process_case", case)


def may_act_on_task(task: "ReviewTask", user) -> bool:
    return user is not None and user.is_authenticated and user.has_perm("cases.act_on_task", task)


def is_application(case: "Case") -> bool:
    return case.kind == Case.Kind.APPLICATION


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

    def __str__(self):
        return self.number or self.reference

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
        permission=may_process,
        conditions=[is_application],
    )
    def accept(self, *, at) -> None:
        self.accepted_at = at

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.NOT_ACCEPTED,
        permission=may_process,
        conditions=[is_application],
    )
    def refuse(self, *, reasons: str, at) -> None:
        self.decision_reasons = reasons
        self.decided_at = at

    @transition(
        field=state,
        source=[State.SUBMITTED, State.IN_REVIEW],
        target=State.NEEDS_CORRECTION,
        permission=may_process,
        conditions=[is_application],
    )
    def return_for_correction(self, *, correction: dict, paused_on) -> None:
        self.correction_request = correction
        self.clock_paused_on = paused_on

    @transition(
        field=state,
        source=State.IN_REVIEW,
        target=State.APPROVED,
        permission=may_process,
        conditions=[lambda case: case.review_outcome() == "approved"],
    )
    def approve(self, *, reasons: str, granted_until, at) -> None:
        self.decision_reasons = reasons
        self.granted_until = granted_until
        self.decided_at = at

    @transition(
        field=state,
        source=State.IN_REVIEW,
        target=State.REJECTED,
        permission=may_process,
        conditions=[lambda case: case.review_outcome() == "rejected"],
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
        states = [task.state for task in self.current_tasks()]
        if any(state == ReviewTask.State.REJECTED for state in states):
            return "rejected"
        if states and all(state == ReviewTask.State.APPROVED for state in states):
            return "approved"
        return "pending"


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


class CaseNumberSequence(models.Model):
    """The last number given per prefix and year: numbers are never reused."""

    prefix = models.CharField(max_length=4)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["prefix", "year"], name="unique_case_number_sequence")
        ]

    def __str__(self):
        return f"{self.prefix}-{self.year}: {self.last}"


class Attachment(BaseModel):
    """A file the resident uploaded for one file field of the form, checked by its content."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    field_key = models.CharField(_("field"), max_length=60)
    file = models.FileField(_("file"), upload_to="attachments/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["field_key", "created_at"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class CaseEvent(BaseModel):
    """One line of the case's timeline; internal lines are shown to staff only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    verb = models.CharField(_("what happened"), max_length=40)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    department = models.ForeignKey(
        "accounts.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    is_public = models.BooleanField(_("shown to the resident"), default=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("case event")
        verbose_name_plural = _("case events")

    def __str__(self):
        return f"{self.case} {self.verb}"


class CaseDocument(BaseModel):
    """A document issued for a case (receipt, decision letter…), kept by the documents app."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="case_documents")
    document = models.ForeignKey(
        "documents.Document", on_delete=models.PROTECT, related_name="case_links"
    )
    is_public = models.BooleanField(default=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["case", "document"], name="unique_case_document")
        ]

    def __str__(self):
        return f"{self.case} · {self.document}"
