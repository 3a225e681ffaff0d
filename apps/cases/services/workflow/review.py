"""Review tasks (并联审批): claim, assign, approve, reject, return; deemed consent."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.accounts.selectors import department_staff
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.core.exceptions import ApplicationError, ConflictError
from apps.notifications.services import notify

from ...models import Case, ReviewTask, may_act_on_task
from ...refusals import duty_check, refusals_audited
from ..transitions import case_notification_context, task_transition
from .common import _notify_staff
from .intake import case_return_for_correction
from .routing import _activate_next_stage


def _locked_task(task: ReviewTask) -> ReviewTask:
    result: ReviewTask = (
        ReviewTask.objects.select_for_update(of=("self",))
        .select_related("case", "department")
        .get(pk=task.pk)
    )
    return result


@refusals_audited
@transaction.atomic
def task_claim(*, task: ReviewTask, actor: User, context: AuditContext | None = None) -> ReviewTask:
    """Take a task of my department; someone else's claim is not taken over silently."""
    task = _locked_task(task)
    duty_check(rule=may_act_on_task, obj=task, step="claim", actor=actor, context=context)
    if task.state != ReviewTask.State.ACTIVE:
        raise ConflictError(_("Only a task under review can be claimed."))
    if task.assignee_id and task.assignee_id != actor.pk:
        raise ConflictError(
            _("%(name)s already works on this task. Ask the department lead to reassign it.")
            % {"name": task.assignee}
        )
    task.assignee = actor
    task.save(update_fields=["assignee", "updated_at"])
    audit_record(action=AuditAction.TASK_CLAIM, actor=actor, target=task, context=context)
    return task


@refusals_audited
@transaction.atomic
def task_assign(
    *, task: ReviewTask, actor: User, assignee: User, context: AuditContext | None = None
) -> ReviewTask:
    """Give a task to a colleague of the same department."""
    task = _locked_task(task)
    duty_check(rule=may_act_on_task, obj=task, step="assign", actor=actor, context=context)
    if not department_staff(department=task.department) or assignee not in department_staff(
        department=task.department
    ):
        raise ApplicationError(_("Choose a colleague of %(dept)s.") % {"dept": task.department})
    task.assignee = assignee
    task.save(update_fields=["assignee", "updated_at"])
    audit_record(
        action=AuditAction.TASK_ASSIGN,
        actor=actor,
        target=task,
        data={"assignee": assignee.pk},
        context=context,
    )
    notify(
        event="task.assigned",
        recipients=[assignee],
        context=case_notification_context(case=task.case),
        dedup_key=f"task:{task.pk}:assignee:{assignee.pk}",
    )
    return task


@refusals_audited
@transaction.atomic
def task_approve(
    *,
    task: ReviewTask,
    actor: User | None,
    opinion: str = "",
    context: AuditContext | None = None,
) -> ReviewTask:
    """Approve one department's review; the last approval of a stage starts the next one.

    `actor=None` is 默认同意: the portal records a silent department's consent (deadlines)."""
    task = task_transition(
        task=task,
        verb="task_deemed_consent" if actor is None else "task_approve",
        actor=actor,
        note=opinion,
        context=context,
        params={"by": actor, "opinion": opinion, "at": timezone.now(), "deemed": actor is None},
    )
    case = Case.objects.select_for_update().get(pk=task.case_id)
    stage_open = ReviewTask.objects.filter(
        case=case, round=task.round, stage_order=task.stage_order, state=ReviewTask.State.ACTIVE
    ).exists()
    if not stage_open and not _activate_next_stage(case):
        _notify_staff(
            event="case.ready_for_decision",
            department=case.lead_department,
            case=case,
            dedup_key=f"case:{case.pk}:ready:{case.review_round}",
        )
    return task


@refusals_audited
@transaction.atomic
def task_reject(
    *, task: ReviewTask, actor: User, opinion: str, context: AuditContext | None = None
) -> ReviewTask:
    """One department says no: the other open tasks are cancelled and the lead decides (reject)."""
    if not opinion.strip():
        raise ApplicationError(
            _("Give the reasons for rejecting."), errors={"opinion": [_("Required.")]}
        )
    task = task_transition(
        task=task,
        verb="task_reject",
        actor=actor,
        note=opinion,
        context=context,
        params={"by": actor, "opinion": opinion, "at": timezone.now()},
    )
    for sibling in ReviewTask.objects.filter(
        case_id=task.case_id, round=task.round, state__in=ReviewTask.OPEN_STATES
    ):
        task_transition(task=sibling, verb="task_cancel", actor=actor, context=context)
    _notify_staff(
        event="case.ready_for_decision",
        department=task.case.lead_department,
        case=task.case,
        dedup_key=f"case:{task.case_id}:ready:{task.round}",
    )
    return task


@refusals_audited
def task_return(
    *,
    task: ReviewTask,
    actor: User,
    fields: list[str],
    note: str,
    context: AuditContext | None = None,
) -> Case:
    """A reviewer needs more from the resident: the whole case goes back for correction."""
    with transaction.atomic():
        task = task_transition(
            task=task,
            verb="task_return",
            actor=actor,
            note=note,
            context=context,
            params={"by": actor, "opinion": note, "at": timezone.now()},
        )
        # Checks the fields and the note; a refusal there undoes the task's return too.
        return case_return_for_correction(
            case=task.case,
            actor=actor,
            fields=fields,
            note=note,
            context=context,
            through_task=task,
        )
