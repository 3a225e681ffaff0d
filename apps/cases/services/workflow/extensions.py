"""Extensions (延期), one rule for every kind of case: a clerk asks for N extra working days, with
a reason, before the deadline passes; one request waits at a time; someone above decides; an
approval moves the deadline. Timeline, audit and notifications alike.

What differs between kinds is an `ExtensionRules`: which states are being handled, who may ask
and who decides, the clock (what "the deadline passed" means and how it moves), and whom to
tell. Applications use `APPLICATION_EXTENSIONS` (the lead department's lead decides, a date
deadline); complaints pass their own (a supervisor decides, an hour-based due time)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.accounts.models import Department, StaffMembership, User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.personal import personal_digest
from apps.audit.services import audit_record
from apps.core.calendar import add_working_days
from apps.core.exceptions import ApplicationError, ConflictError, StrOrPromise
from apps.notifications.services import notify

from ...models import Case, ExtensionRequest, ReviewTask, may_act_on_task, may_process
from ..transitions import case_event_add, case_notification_context
from .common import _notify_staff, _today


@dataclass(frozen=True, slots=True)
class ExtensionRules:
    """What one kind of case decides for itself about extensions."""

    handling_states: tuple[str, ...]
    not_handling: StrOrPromise  # the refusal when the case is not being handled
    already_pending: StrOrPromise  # the refusal while another request waits
    may_ask: Callable[[Case, User], bool]
    may_decide: Callable[[Case, User], bool]
    # The clock: has the deadline passed, and move it by N working days (return the new date).
    deadline_passed: Callable[[Case], bool]
    move_deadline: Callable[[Case, int], date | None]
    # The department named on the request's timeline line.
    asking_department: Callable[[Case, User], Department | None]
    # Tell whoever decides that a request waits.
    tell_deciders: Callable[[Case, ExtensionRequest], None]
    # Extra context of the resident's "more time" notification (a complaint's tracking page).
    resident_context: Callable[[Case], dict[str, str]] = lambda case: {}


# --- applications ----------------------------------------------------------------------------


def _has_active_task(case: Case, user: User) -> bool:
    return any(
        may_act_on_task(task, user)
        for task in case.review_tasks.filter(state=ReviewTask.State.ACTIVE)
    )


def _application_may_ask(case: Case, actor: User) -> bool:
    return may_process(case, actor) or _has_active_task(case, actor)


def _application_may_decide(case: Case, actor: User) -> bool:
    return StaffMembership.Role.LEAD in actor.roles_in(case.lead_department)


def _application_deadline_passed(case: Case) -> bool:
    return case.deadline is None or case.deadline < _today()


def _application_move_deadline(case: Case, days: int) -> date | None:
    old = case.deadline
    if old is None:
        return None
    case.deadline = add_working_days(old, days)
    # A new deadline is a new chance: a later breach is escalated again.
    case.escalated_at = None
    case.save(update_fields=["deadline", "escalated_at", "updated_at"])
    ReviewTask.objects.filter(case=case, state=ReviewTask.State.ACTIVE, due_date=old).update(
        due_date=case.deadline
    )
    return case.deadline


def _application_department(case: Case, actor: User) -> Department | None:
    """The department the actor works for on this case: the lead, or a reviewing one."""
    if case.lead_department and actor.roles_in(case.lead_department):
        return case.lead_department
    task = (
        case.review_tasks.filter(state=ReviewTask.State.ACTIVE, department__memberships__user=actor)
        .select_related("department")
        .first()
    )
    return task.department if task else None


def _tell_the_lead(case: Case, extension: ExtensionRequest) -> None:
    _notify_staff(
        event="case.extension_requested",
        department=case.lead_department,
        case=case,
        dedup_key=f"extension:{extension.pk}",
        roles=(StaffMembership.Role.LEAD,),
    )


APPLICATION_EXTENSIONS = ExtensionRules(
    handling_states=(Case.State.SUBMITTED, Case.State.IN_REVIEW),
    not_handling=gettext_lazy("Only a case being handled can be extended."),
    already_pending=gettext_lazy("An extension request is already waiting for the lead."),
    may_ask=_application_may_ask,
    may_decide=_application_may_decide,
    deadline_passed=_application_deadline_passed,
    move_deadline=_application_move_deadline,
    asking_department=_application_department,
    tell_deciders=_tell_the_lead,
)


# --- the one service --------------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *,
    case: Case,
    actor: User,
    days: int,
    reason: str,
    rules: ExtensionRules = APPLICATION_EXTENSIONS,
    context: AuditContext | None = None,
) -> ExtensionRequest:
    """Asked before the deadline passes, with a reason; whoever `rules` names decides."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not rules.may_ask(case, actor):
        raise PermissionDenied
    if case.state not in rules.handling_states:
        raise ConflictError(rules.not_handling)
    if rules.deadline_passed(case):
        raise ApplicationError(_("An extension must be asked for before the deadline passes."))
    reason = reason.strip()
    if not reason:
        raise ApplicationError(
            _("Give a reason and the number of extra working days."),
            errors={"reason": [_("Required.")]},
        )
    if days < 1:
        raise ApplicationError(
            _("Give a reason and the number of extra working days."),
            errors={"days": [_("At least one working day.")]},
        )
    if case.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
        raise ConflictError(rules.already_pending)
    extension = ExtensionRequest.objects.create(
        case=case, requested_by=actor, reason=reason, days=days, old_deadline=case.deadline
    )
    case_event_add(
        case=case,
        verb="extension_requested",
        actor=actor,
        note=reason,
        is_public=False,
        department=rules.asking_department(case, actor),
    )
    audit_record(
        action=AuditAction.EXTENSION_REQUEST,
        actor=actor,
        target=case,
        data={"days": days, "reason": personal_digest(reason)},
        context=context,
    )
    rules.tell_deciders(case, extension)
    return extension


@transaction.atomic
def extension_decide(
    *,
    extension: ExtensionRequest,
    actor: User,
    approve: bool,
    rules: ExtensionRules = APPLICATION_EXTENSIONS,
    context: AuditContext | None = None,
) -> ExtensionRequest:
    """Approve or refuse a waiting request; an approval moves the deadline and the resident is
    told."""
    extension = ExtensionRequest.objects.select_for_update(of=("self",)).get(pk=extension.pk)
    case = Case.objects.select_for_update().get(pk=extension.case_id)
    if not rules.may_decide(case, actor):
        raise PermissionDenied
    if extension.state != ExtensionRequest.State.PENDING:
        raise ConflictError(_("This request has already been decided."))
    extension.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REFUSED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    if approve:
        extension.new_deadline = rules.move_deadline(case, extension.days)
    extension.save()
    case_event_add(
        case=case,
        verb="extension_granted" if approve else "extension_refused",
        actor=actor,
        note=extension.reason if approve else "",
        is_public=approve,
    )
    audit_record(
        action=AuditAction.EXTENSION_APPROVE if approve else AuditAction.EXTENSION_REFUSE,
        actor=actor,
        target=case,
        data={"days": extension.days, "new_deadline": extension.new_deadline},
        context=context,
    )
    if approve:
        notify(
            event="case.extended",
            recipients=[case.applicant],
            context={
                **case_notification_context(case=case),
                "reason": extension.reason,
                **rules.resident_context(case),
            },
            dedup_key=f"extension:{extension.pk}",
        )
    return extension
