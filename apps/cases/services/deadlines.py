"""The clock's daily sweep (Celery beat): warn one working day before a deadline, record a
silent co-reviewer's consent where the service allows it (默认同意), and escalate overdue work
to the department lead (督办) once per breach."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import StaffMembership, User
from apps.accounts.selectors import department_staff
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.core.calendar import next_working_day
from apps.notifications.services import notify

from ..models import Case, ReviewTask
from .transitions import case_event_add, case_notification_context
from .workflow import task_approve

HANDLING_STATES = (Case.State.SUBMITTED, Case.State.IN_REVIEW)


@dataclass
class SweepReport:
    warned: list[int] = field(default_factory=list)
    deemed: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)


def _warn_task(task: ReviewTask) -> bool:
    recipients = [task.assignee] if task.assignee else department_staff(department=task.department)
    created = notify(
        event="task.deadline_warning",
        recipients=recipients,
        context={**case_notification_context(case=task.case), "due_date": task.due_date},
        dedup_key=f"task:{task.pk}:warn:{task.due_date}",
    )
    return bool(created)


def _deemed_consent(task: ReviewTask) -> bool:
    """A co-reviewing department that stayed silent past its stage deadline consents, where the
    service says so. The lead department's own review is never deemed."""
    case = task.case
    if not case.service.allows_deemed_consent or task.department_id == case.lead_department_id:
        return False
    # One internal line, `task_deemed_consent`, naming the department (older cases also carry
    # a second `deemed_consent` line from before this was one step).
    task_approve(task=task, actor=None)
    return True


def _overdue_stage(case: Case, *, today: date) -> ReviewTask | None:
    """The review stage that is overdue while the case itself is not: the active task whose
    stage deadline passed first. None when the case's own deadline has passed (that is what
    the escalation names then) or no stage is late."""
    if case.deadline is not None and case.deadline < today:
        return None
    stage: ReviewTask | None = (
        ReviewTask.objects.filter(case=case, state=ReviewTask.State.ACTIVE, due_date__lt=today)
        .select_related("department")
        .order_by("due_date", "pk")
        .first()
    )
    return stage


@transaction.atomic
def _escalate(case: Case, *, today: date) -> bool:
    """督办: flag the case and tell the department leads, once for this deadline. When only a
    review stage is late, the text names that stage's department and its own due date, and the
    leads of that department are told as well as the lead department's."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("lead_department", "service")
        .get(pk=case.pk)
    )
    if case.escalated_at is not None or case.state not in HANDLING_STATES:
        return False
    stage = _overdue_stage(case, today=today)
    case.escalated_at = timezone.now()
    case.save(update_fields=["escalated_at", "updated_at"])
    case_event_add(
        case=case,
        verb="escalated",
        actor=None,
        note=f"{stage.department} {stage.due_date}" if stage else str(case.deadline),
        is_public=False,
        department=case.lead_department,
    )
    audit_record(
        action=AuditAction.CASE_ESCALATE,
        target=case,
        data={
            "deadline": case.deadline,
            "today": today,
            "stage_task": stage.pk if stage else None,
            "stage_department": stage.department.code if stage else None,
            "stage_due_date": stage.due_date if stage else None,
        },
    )
    departments = [case.lead_department] if case.lead_department else []
    if stage is not None and stage.department not in departments:
        departments.append(stage.department)
    leads: list[User] = []
    for department in departments:
        for user in department_staff(department=department, roles=[StaffMembership.Role.LEAD]):
            if user not in leads:
                leads.append(user)
    if leads:
        notify(
            event="case.escalated",
            recipients=leads,
            context={
                **case_notification_context(case=case),
                "stage_department": str(stage.department) if stage else "",
                "stage_due_date": stage.due_date if stage else None,
            },
            dedup_key=f"case:{case.pk}:escalated:{case.deadline}",
        )
    return True


def deadlines_sweep(*, today: date | None = None) -> SweepReport:
    """Run once a working day (any number of runs a day is harmless: each step is idempotent)."""
    today = today or timezone.localdate()
    tomorrow = next_working_day(today)
    report = SweepReport()
    active = ReviewTask.objects.filter(state=ReviewTask.State.ACTIVE).select_related(
        "case__service", "case__lead_department", "department", "assignee"
    )
    for task in active.filter(due_date=tomorrow):
        if _warn_task(task):
            report.warned.append(task.pk)
    intake = Case.objects.filter(state=Case.State.SUBMITTED, deadline=tomorrow).select_related(
        "service", "lead_department"
    )
    for case in intake:
        recipients = department_staff(department=case.lead_department)
        if recipients and notify(
            event="task.deadline_warning",
            recipients=recipients,
            context={**case_notification_context(case=case), "due_date": case.deadline},
            dedup_key=f"case:{case.pk}:warn:{case.deadline}",
        ):
            report.warned.append(-case.pk)
    for task in active.filter(due_date__lt=today):
        if _deemed_consent(task):
            report.deemed.append(task.pk)
    overdue = Case.objects.filter(
        Q(deadline__lt=today)
        | Q(review_tasks__state=ReviewTask.State.ACTIVE, review_tasks__due_date__lt=today),
        state__in=HANDLING_STATES,
        escalated_at__isnull=True,
    ).distinct()
    for case in overdue:
        if _escalate(case, today=today):
            report.escalated.append(case.pk)
    return report
