"""Review tasks (并联审批): claim, assign, approve, reject, return; deemed consent."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from apps.accounts.models import User
from apps.accounts.selectors import department_staff
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.core.exceptions import ApplicationError, ConflictError
from apps.notifications.services import notify

from ...models import Case, ReviewTask
from ...permissions import TASK_ACT, department_revoke
from ..transitions import case_event_add, case_notification_context
from .common import _notify_staff
from .intake import _correction_request, case_return_for_correction
from .routing import _activate_next_stage


def _locked_task(task: ReviewTask) -> ReviewTask:
    return (
        ReviewTask.objects.select_for_update(of=("self",))
        .select_related("case", "department")
        .get(pk=task.pk)
    )


def _check_task_action(task: ReviewTask, method, actor: User) -> None:
    if not can_proceed(method):
        raise ConflictError(
            _("This review is %(state)s: it cannot change now.")
            % {"state": task.get_state_display()}
        )
    if actor is not None and not has_transition_perm(method, actor):
        raise PermissionDenied


def _finish_task(
    task: ReviewTask,
    *,
    verb: str,
    actor: User | None,
    note: str,
    context: AuditContext | None,
) -> None:
    department_revoke(task.department, task, TASK_ACT)
    case_event_add(
        case=task.case,
        verb=verb,
        actor=actor,
        note=note,
        is_public=False,
        department=task.department,
    )
    audit_record(
        action=f"cases.review_task.{verb}",
        actor=actor,
        target=task,
        data={"case": task.case.ref, "department": task.department.code, "opinion": note},
        context=context,
    )


@transaction.atomic
def task_claim(*, task: ReviewTask, actor: User, context: AuditContext | None = None) -> ReviewTask:
    """Take a task of my department; someone else's claim is not taken over silently."""
    task = _locked_task(task)
    if not actor.has_perm(TASK_ACT, task):
        raise PermissionDenied
    if task.state != ReviewTask.State.ACTIVE:
        raise ConflictError(_("Only a task under review can be claimed."))
    if task.assignee_id and task.assignee_id != actor.pk:
        raise ConflictError(
            _("%(name)s already works on this task. Ask the department lead to reassign it.")
            % {"name": task.assignee}
        )
    task.assignee = actor
    task.save(update_fields=["assignee", "updated_at"])
    audit_record(action="cases.review_task.claim", actor=actor, target=task, context=context)
    return task


@transaction.atomic
def task_assign(
    *, task: ReviewTask, actor: User, assignee: User, context: AuditContext | None = None
) -> ReviewTask:
    """Give a task to a colleague of the same department."""
    task = _locked_task(task)
    if not actor.has_perm(TASK_ACT, task):
        raise PermissionDenied
    if not department_staff(department=task.department) or assignee not in department_staff(
        department=task.department
    ):
        raise ApplicationError(_("Choose a colleague of %(dept)s.") % {"dept": task.department})
    task.assignee = assignee
    task.save(update_fields=["assignee", "updated_at"])
    audit_record(
        action="cases.review_task.assign",
        actor=actor,
        target=task,
        data={"assignee": assignee.pk},
        context=context,
    )
    notify(
        event="task.assigned",
        recipients=[assignee],
        context=case_notification_context(task.case),
        dedup_key=f"task:{task.pk}:assignee:{assignee.pk}",
    )
    return task


@transaction.atomic
def task_approve(
    *,
    task: ReviewTask,
    actor: User | None,
    opinion: str = "",
    deemed: bool = False,
    context: AuditContext | None = None,
) -> ReviewTask:
    """Approve one department's review; the last approval of a stage starts the next one.

    `actor=None, deemed=True` is 默认同意: the system records a silent department's consent."""
    task = _locked_task(task)
    _check_task_action(task, task.approve, actor)
    task.approve(by=actor, opinion=opinion, at=timezone.now(), deemed=deemed)
    task.save()
    _finish_task(
        task,
        verb="task_deemed_consent" if deemed else "task_approve",
        actor=actor,
        note=opinion,
        context=context,
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


@transaction.atomic
def task_reject(
    *, task: ReviewTask, actor: User, opinion: str, context: AuditContext | None = None
) -> ReviewTask:
    """One department says no: the other open tasks are cancelled and the lead decides (reject)."""
    if not opinion.strip():
        raise ApplicationError(
            _("Give the reasons for rejecting."), extra={"errors": {"opinion": [_("Required.")]}}
        )
    task = _locked_task(task)
    _check_task_action(task, task.reject, actor)
    task.reject(by=actor, opinion=opinion, at=timezone.now())
    task.save()
    _finish_task(task, verb="task_reject", actor=actor, note=opinion, context=context)
    for sibling in ReviewTask.objects.filter(
        case_id=task.case_id, round=task.round, state__in=ReviewTask.OPEN_STATES
    ).select_related("department"):
        sibling.cancel()
        sibling.save()
        _finish_task(sibling, verb="task_cancel", actor=actor, note="", context=context)
    _notify_staff(
        event="case.ready_for_decision",
        department=task.case.lead_department,
        case=task.case,
        dedup_key=f"case:{task.case_id}:ready:{task.round}",
    )
    return task


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
        task = _locked_task(task)
        _check_task_action(task, task.return_for_correction, actor)
        _correction_request(task.case, fields=fields, note=note)
        task.return_for_correction(by=actor, opinion=note, at=timezone.now())
        task.save()
        _finish_task(task, verb="task_return", actor=actor, note=note, context=context)
        return case_return_for_correction(
            case=task.case,
            actor=actor,
            fields=fields,
            note=note,
            context=context,
            permission_checked=True,
            department=task.department,
        )
