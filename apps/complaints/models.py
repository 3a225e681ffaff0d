"""A complaint (12345 工单) is a `Case` of kind complaint, seen through a proxy model.

Why a proxy and not a one-to-one detail table: every queue, metric, rating and audit row reads
the one `cases_case` table and its indexes; a detail table would add a join to every list at a
million rows. So the complaint-only columns stay on that table, and this module only adds what
is the complaints' own: the transitions of the 12345 work order and who may run them, a manager
that sees complaints only, and the Open311 clients (their table keeps its old name).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from apps.accounts.models import StaffMembership, User
from apps.cases.models import Case, is_applicant, may_process
from apps.core.models import BaseModel

State = Case.State


def may_dispatch(case: models.Model, user: object) -> bool:
    """The hotline's dispatchers (12345 调度) triage and route every complaint."""
    return (
        isinstance(user, User)
        and user.staff_memberships.filter(
            is_active=True, role=StaffMembership.Role.DISPATCHER
        ).exists()
    )


def may_reopen(case: models.Model, user: object) -> bool:
    """重办: the reporter asks (the service checks the rating window), or a dispatcher does."""
    return is_applicant(case, user) or may_dispatch(case, user)


def is_complaint(case: models.Model) -> bool:
    return isinstance(case, Case) and case.kind == Case.Kind.COMPLAINT


class ComplaintManager(models.Manager["Complaint"]):
    def get_queryset(self) -> models.QuerySet[Complaint]:
        return super().get_queryset().filter(kind=Case.Kind.COMPLAINT)


class Complaint(Case):
    """The 12345 work order. Transitions change state only; services save, audit and notify.

    `state` is the `Case`'s protected FSMField; django-fsm-2 collects the transitions of each
    class (the proxy sees its own and the inherited ones), and `ConcurrentTransitionMixin`
    filters its UPDATE on the concrete table, so both work through the proxy."""

    objects: ClassVar[ComplaintManager] = ComplaintManager()

    class Meta:
        proxy = True
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    @classmethod
    def of(cls, case: Case) -> Complaint:
        """The same row as a `Complaint`, without a query (another app's `Case` works too)."""
        if isinstance(case, cls):
            return case
        complaint = cls.__new__(cls)
        complaint.__dict__.update(case.__getstate__())  # copies the field and prefetch caches
        return complaint

    @transition(
        field="state", source=State.DRAFT, target=State.SUBMITTED, conditions=[is_complaint]
    )
    def file_complaint(self, *, at, number: str) -> None:
        self.submitted_at = at
        self.number = number

    @transition(
        field="state",
        source=State.SUBMITTED,
        target=State.DISPATCHED,
        permission=may_dispatch,
        conditions=[is_complaint],
    )
    def dispatch(self, *, to_department, at, due_at, deadline, sign_due_at) -> None:
        self.lead_department = to_department
        self.dispatched_at = at
        self.due_at = due_at
        self.deadline = deadline
        self.sign_due_at = sign_due_at
        self.signed_at = None
        self.escalated_at = None
        self.reminded_at = None
        self.return_reason = ""
        self.return_legal_basis = ""

    @transition(
        field="state",
        source=State.DISPATCHED,
        target=State.IN_PROGRESS,
        permission=may_process,
        conditions=[is_complaint],
    )
    def sign(self, *, at) -> None:
        self.signed_at = at
        self.accepted_at = self.accepted_at or at

    @transition(
        field="state",
        source=State.DISPATCHED,
        target=State.SUBMITTED,
        permission=may_process,
        conditions=[is_complaint],
    )
    def complaint_return(self, *, reason: str, legal_basis: str) -> None:
        """退单: out of the department's remit; the dispatcher reviews it."""
        self.return_reason = reason
        self.return_legal_basis = legal_basis
        self.due_at = None
        self.deadline = None
        self.sign_due_at = None
        self.escalated_at = None

    @transition(
        field="state",
        source=State.IN_PROGRESS,
        target=State.REPLIED,
        permission=may_process,
        conditions=[is_complaint],
    )
    def reply(self, *, text: str, at) -> None:
        self.decision_reasons = text
        self.decided_at = at

    @transition(
        field="state",
        source=[State.REPLIED, State.CLOSED],
        target=State.IN_PROGRESS,
        permission=may_reopen,
        conditions=[is_complaint],
    )
    def reopen(self, *, at, due_at, deadline) -> None:
        """重办: back to the same department, with a new time limit."""
        self.reopen_count += 1
        self.due_at = due_at
        self.deadline = deadline
        self.escalated_at = None
        self.reminded_at = None
        self.signed_at = self.signed_at or at

    @transition(
        field="state",
        source=[State.SUBMITTED, State.DISPATCHED],
        target=State.MERGED,
        permission=may_dispatch,
        conditions=[is_complaint],
    )
    def merge(self, *, into: Case) -> None:
        self.merged_into = into
        self.due_at = None
        self.deadline = None

    @transition(field="state", source=State.REPLIED, target=State.CLOSED)
    def close(self) -> None:
        """A replied complaint closes: a good rating, or the rating window ended unrated."""


def workflow_doc_ignored_transitions() -> list[str]:
    """The application transitions the proxy inherits but a complaint never runs: the complaint
    machine is the transitions declared here."""
    field = Complaint._meta.get_field("state")
    return sorted(
        {t.name for t in field.get_all_transitions(Complaint) if t.name not in Complaint.__dict__}
    )


class Open311Client(BaseModel):
    """A system that may POST requests to the Open311 GeoReport v2 endpoint with its API key."""

    name = models.CharField(_("name"), max_length=100)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        # Moved from the cases app; the table keeps its name so existing data stays.
        db_table = "cases_open311client"
        ordering = ["name"]
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self):
        return self.name


class MediaLink(BaseModel):
    """A link to a picture or video that an Open311 client posted with a request (`media_url`).

    Only the address is kept: the portal never fetches it (a server-side fetch of a URL someone
    else chose would reach internal hosts). Staff see it as an external link on the complaint;
    Open311 does not publish it again (the portal vouches only for media it serves itself)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="media_links"
    )
    url = models.URLField(_("address"), max_length=2000)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("media link")
        verbose_name_plural = _("media links")

    def __str__(self):
        return self.url
