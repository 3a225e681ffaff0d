"""Extensions (延期): asked before the deadline, decided by the department lead."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import StaffMembership, User
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.core.calendar import add_working_days
from apps.core.exceptions import ApplicationError, ConflictError
from apps.notifications.services import notify

from ...models import Case, ExtensionRequest, ReviewTask
from ...permissions import CASE_PROCESS, TASK_ACT
from ..transitions import case_event_add, case_notification_context
from .common import _notify_staff, _today


@transaction.atomic
def extension_request(
    *, case: Case, actor: User, days: int, reason: str, context: AuditContext | None = None
) -> ExtensionRequest:
    """Asked before the deadline passes, with a reason; the department lead decides."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not (actor.has_perm(CASE_PROCESS, case) or _has_active_task(case, actor)):
        raise PermissionDenied
    if case.state not in (Case.State.SUBMITTED, Case.State.IN_REVIEW):
        raise ConflictError(_("Only a case being handled can be extended."))
    if case.deadline is None or case.deadline < _today():
        raise ApplicationError(_("An extension must be asked for before the deadline passes."))
    if not reason.strip() or days < 1:
        raise ApplicationError(
            _("Give a reason and the number of extra working days."),
            extra={"errors": {"reason": [_("Required.")]}},
        )
    if case.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
        raise ConflictError(_("An extension request is already waiting for the lead."))
    extension = ExtensionRequest.objects.create(
        case=case, requested_by=actor, reason=reason, days=days, old_deadline=case.deadline
    )
    case_event_add(
        case=case,
        verb="extension_requested",
        actor=actor,
        note=reason,
        is_public=False,
        department=_actor_department(case, actor),
    )
    audit_record(
        action="cases.extension.request",
        actor=actor,
        target=case,
        data={"days": days, "reason": reason},
        context=context,
    )
    _notify_staff(
        event="case.extension_requested",
        department=case.lead_department,
        case=case,
        dedup_key=f"extension:{extension.pk}",
        roles=(StaffMembership.Role.LEAD,),
    )
    return extension


def _actor_department(case: Case, actor: User):
    """The department the actor works for on this case: the lead, or a reviewing one."""
    if case.lead_department and actor.roles_in(case.lead_department):
        return case.lead_department
    task = (
        case.review_tasks.filter(state=ReviewTask.State.ACTIVE, department__memberships__user=actor)
        .select_related("department")
        .first()
    )
    return task.department if task else None


def _has_active_task(case: Case, user: User) -> bool:
    return any(
        user.has_perm(TASK_ACT, task)
        for task in case.review_tasks.filter(state=ReviewTask.State.ACTIVE)
    )


@transaction.atomic
def extension_decide(
    *,
    extension: ExtensionRequest,
    actor: User,
    approve: bool,
    context: AuditContext | None = None,
) -> ExtensionRequest:
    extension = (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=extension.pk)
    )
    case = Case.objects.select_for_update().get(pk=extension.case_id)
    if StaffMembership.Role.LEAD not in actor.roles_in(case.lead_department):
        raise PermissionDenied
    if extension.state != ExtensionRequest.State.PENDING:
        raise ConflictError(_("This request has already been decided."))
    extension.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REFUSED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    if approve:
        extension.new_deadline = add_working_days(case.deadline, extension.days)
        case.deadline = extension.new_deadline
        # A new deadline is a new chance: a later breach is escalated again.
        case.escalated_at = None
        case.save(update_fields=["deadline", "escalated_at", "updated_at"])
        ReviewTask.objects.filter(
            case=case, state=ReviewTask.State.ACTIVE, due_date=extension.old_deadline
        ).update(due_date=case.deadline)
    extension.save()
    case_event_add(
        case=case,
        verb="extension_granted" if approve else "extension_refused",
        actor=actor,
        note=extension.reason if approve else "",
        is_public=approve,
    )
    audit_record(
        action="cases.extension.approve" if approve else "cases.extension.refuse",
        actor=actor,
        target=case,
        data={"days": extension.days, "new_deadline": extension.new_deadline},
        context=context,
    )
    if approve:
        notify(
            event="case.extended",
            recipients=[case.applicant],
            context={**case_notification_context(case), "reason": extension.reason},
            dedup_key=f"extension:{extension.pk}",
        )
    return extension
