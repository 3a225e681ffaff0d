import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from apps.core.models import BaseModel

# Unambiguous characters for references people read out on the phone.
REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(10))


def is_applicant(case: "Case", user) -> bool:
    return user is not None and user.is_authenticated and case.applicant_id == user.pk


class Case(ConcurrentTransitionMixin, BaseModel):
    """An application (行政审批 / 公共服务) or a complaint, from draft to closing."""

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

    class Channel(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        COUNTER = "counter", _("Service counter")

    EDITABLE_STATES = (State.DRAFT, State.NEEDS_CORRECTION)

    reference = models.CharField(
        _("reference"), max_length=12, unique=True, default=new_reference, editable=False
    )
    number = models.CharField(_("case number"), max_length=20, unique=True, null=True, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.APPLICATION)
    service = models.ForeignKey(
        "catalog.ServiceItem", verbose_name=_("service"), on_delete=models.PROTECT, related_name="cases"
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
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WEB)
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

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self):
        return self.number or self.reference

    @property
    def ref(self) -> str:
        """What URLs and people use: the case number once there is one, the draft reference before."""
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
    def resubmit(self, *, signature, deadline) -> None:
        self.signature = signature
        self.deadline = deadline
        self.correction_request = {}

    @transition(
        field=state,
        source=[State.DRAFT, State.SUBMITTED, State.NEEDS_CORRECTION],
        target=State.WITHDRAWN,
        permission=is_applicant,
    )
    def withdraw(self) -> None:
        pass


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
