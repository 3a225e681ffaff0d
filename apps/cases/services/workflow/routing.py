"""Routing: the lead department takes cases in; review rounds start stage by stage."""

from django.utils import timezone

from apps.core.calendar import add_working_days

from ...models import Case, ReviewTask
from ...permissions import CASE_PROCESS, CASE_VIEW, TASK_ACT, department_grant
from .common import _notify_staff


def case_route_to_lead(*, case: Case) -> None:
    """At submission the lead department may see the case and take it in (受理)."""
    department = case.service.lead_department
    Case.objects.filter(pk=case.pk).update(lead_department=department)
    case.lead_department = department
    department_grant(department, case, CASE_VIEW, CASE_PROCESS)
    _notify_staff(
        event="task.assigned",
        department=department,
        case=case,
        dedup_key=f"case:{case.pk}:intake:{case.review_round}:{case.submitted_at}",
    )


def _create_review_round(case: Case) -> None:
    """One task per department and stage; the first stage starts now, the others wait."""
    case.review_round += 1
    Case.objects.filter(pk=case.pk).update(review_round=case.review_round)
    stages = list(case.service.stages.order_by("order").prefetch_related("departments"))
    tasks = []
    if not stages:
        tasks.append(
            ReviewTask(
                case=case, round=case.review_round, stage_order=1, department=case.lead_department
            )
        )
    for stage in stages:
        for department in stage.departments.all():
            tasks.append(
                ReviewTask(
                    case=case,
                    round=case.review_round,
                    stage_order=stage.order,
                    stage_name=stage.name_zh,
                    stage_name_en=stage.name_en,
                    department=department,
                    stage_days=stage.days,
                )
            )
    ReviewTask.objects.bulk_create(tasks)
    _activate_next_stage(case)


def _activate_next_stage(case: Case) -> list[ReviewTask]:
    """Start the earliest waiting stage of this round; return its tasks (empty: none left)."""
    waiting = ReviewTask.objects.filter(
        case=case, round=case.review_round, state=ReviewTask.State.WAITING
    ).select_related("department")
    first = waiting.order_by("stage_order").first()
    if first is None:
        return []
    now = timezone.now()
    started = []
    for task in waiting.filter(stage_order=first.stage_order):
        # A stage's own limit where it has one, otherwise the case's deadline.
        due = add_working_days(now, task.stage_days) if task.stage_days else case.deadline
        task.activate(at=now, due_date=due)
        task.save()
        department_grant(task.department, task, TASK_ACT)
        department_grant(task.department, case, CASE_VIEW)
        _notify_staff(
            event="task.assigned",
            department=task.department,
            case=case,
            dedup_key=f"task:{task.pk}:assigned",
        )
        started.append(task)
    return started
