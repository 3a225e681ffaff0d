"""The clock's daily sweep (Celery beat): warn one working day before a deadline, record a
silent co-reviewer's consent where the service allows it (默认同意), and escalate overdue work
to the department lead (督办) once per breach."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from apps.accounts.models import StaffMembership
from apps.accounts.selectors import department_staff
from apps.audit.services import audit_record
from apps.core.calendar import next_working_day
from apps.notifications.services import notify

from ..models import Case, ReviewTask
from .transitions import case_event_add, case_notification_context
from .workflow import task_approve

HANDLING_STATES = (Case.State.SUBMITTED, Case.State.IN_REVIEW)


COMPLAINT_HANDLING_STATES = (Case.State.DISPATCHED, Case.State.IN_PROGRESS)


@dataclass
class SweepReport:
    warned: list[int] = field(default_factory=list)
    deemed: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    # Complaints: 签收 reminders, 督办 to supervisors, 催办 the day after the due time.
    sign_reminded: list[int] = field(default_factory=list)
    complaints_escalated: list[int] = field(default_factory=list)
    reminded: list[int] = field(default_factory=list)


def _warn_task(task: ReviewTask) -> bool:
    recipients = [task.assignee] if task.assignee else department_staff(task.department)
    created = notify(
        event="task.deadline_warning",
        recipients=recipients,
        context={**case_notification_context(task.case), "due_date": task.due_date},
        dedup_key=f"task:{task.pk}:warn:{task.due_date}",
    )
    return bool(created)


def _deemed_consent(task: ReviewTask) -> bool:
    """A co-reviewing department that stayed silent past its stage deadline consents, where the
    service says so. The lead department's own review is never deemed."""
    case = task.case
    if not case.service.allows_deemed_consent or task.department_id == case.lead_department_id:
        return False
    task_approve(task=task, actor=None, deemed=True)
    case_event_add(
        case=case,
        verb="deemed_consent",
        actor=None,
        note=str(task.department),
        is_public=False,
        department=task.department,
    )
    return True


@transaction.atomic
def _escalate(case: Case, *, today: date) -> bool:
    """督办: flag the case and tell the department leads, once for this deadline."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("lead_department")
        .get(pk=case.pk)
    )
    if case.escalated_at is not None or case.state not in HANDLING_STATES:
        return False
    case.escalated_at = timezone.now()
    case.save(update_fields=["escalated_at", "updated_at"])
    case_event_add(
        case=case,
        verb="escalated",
        actor=None,
        note=str(case.deadline),
        is_public=False,
        department=case.lead_department,
    )
    audit_record(
        action="cases.case.escalate",
        target=case,
        data={"deadline": case.deadline, "today": today},
    )
    leads = department_staff(case.lead_department, StaffMembership.Role.LEAD)
    if leads:
        notify(
            event="case.escalated",
            recipients=leads,
            context=case_notification_context(case),
            dedup_key=f"case:{case.pk}:escalated:{case.deadline}",
        )
    return True


def _complaint_staff_context(case: Case) -> dict:
    from django.urls import reverse

    return {
        **case_notification_context(case),
        "url": reverse("staff:staff_complaints:detail", args=[case.ref]),
        "due_at": timezone.localtime(case.due_at) if case.due_at else None,
        "department": str(case.lead_department) if case.lead_department_id else "",
    }


def _supervisors() -> list:
    from apps.accounts.models import User

    return list(
        User.objects.filter(
            is_active=True,
            staff_memberships__is_active=True,
            staff_memberships__role=StaffMembership.Role.SUPERVISOR,
        ).distinct()
    )


@transaction.atomic
def _complaint_escalate(case: Case, *, now) -> bool:
    """督办: an overdue complaint is flagged and the supervisors and department leads told."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("lead_department", "service")
        .get(pk=case.pk)
    )
    if (
        case.escalated_at is not None
        or case.state not in COMPLAINT_HANDLING_STATES
        or case.due_at is None
        or case.due_at >= now
    ):
        return False
    case.escalated_at = now
    case.save(update_fields=["escalated_at", "updated_at"])
    case_event_add(
        case=case,
        verb="complaint_escalated",
        actor=None,
        note=str(timezone.localtime(case.due_at)),
        is_public=False,
        department=case.lead_department,
    )
    audit_record(action="cases.complaint.escalate", target=case, data={"due_at": case.due_at})
    recipients = _supervisors() + department_staff(case.lead_department, StaffMembership.Role.LEAD)
    if recipients:
        notify(
            event="complaint.escalated",
            recipients=list(dict.fromkeys(recipients)),
            context=_complaint_staff_context(case),
            dedup_key=f"complaint:{case.pk}:escalated:{case.due_at.isoformat()}",
        )
    return True


@transaction.atomic
def _complaint_remind(case: Case, *, now) -> bool:
    """催办: the day after the due time passed, a reminder to the department, once per due time."""
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("lead_department", "service")
        .get(pk=case.pk)
    )
    if case.reminded_at is not None or case.state not in COMPLAINT_HANDLING_STATES:
        return False
    case.reminded_at = now
    case.save(update_fields=["reminded_at", "updated_at"])
    case_event_add(
        case=case,
        verb="complaint_reminder",
        actor=None,
        note=str(timezone.localtime(case.due_at)),
        is_public=False,
        department=case.lead_department,
    )
    audit_record(action="cases.complaint.remind", target=case, data={"due_at": case.due_at})
    recipients = department_staff(case.lead_department)
    if recipients:
        notify(
            event="complaint.reminder",
            recipients=recipients,
            context=_complaint_staff_context(case),
            dedup_key=f"complaint:{case.pk}:reminder:{case.due_at.isoformat()}",
        )
    return True


def _complaints_sweep(report: SweepReport, *, now, today: date) -> None:
    handling = Case.objects.filter(
        kind=Case.Kind.COMPLAINT, state__in=COMPLAINT_HANDLING_STATES
    ).select_related("service", "lead_department")
    for case in handling.filter(state=Case.State.DISPATCHED, sign_due_at__lt=now):
        recipients = department_staff(case.lead_department)
        if recipients and notify(
            event="complaint.sign_reminder",
            recipients=recipients,
            context=_complaint_staff_context(case),
            dedup_key=f"complaint:{case.pk}:sign:{case.sign_due_at.isoformat()}",
        ):
            report.sign_reminded.append(case.pk)
    for case in handling.filter(due_at__lt=now, escalated_at__isnull=True):
        if _complaint_escalate(case, now=now):
            report.complaints_escalated.append(case.pk)
    for case in handling.filter(due_at__isnull=False, reminded_at__isnull=True):
        # The day after expiry: the due time's local date is before today.
        if timezone.localtime(case.due_at).date() < today and _complaint_remind(case, now=now):
            report.reminded.append(case.pk)


def deadlines_sweep(*, today: date | None = None, now=None) -> SweepReport:
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
        recipients = department_staff(case.lead_department)
        if recipients and notify(
            event="task.deadline_warning",
            recipients=recipients,
            context={**case_notification_context(case), "due_date": case.deadline},
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
    _complaints_sweep(report, now=now or timezone.now(), today=today)
    return report
