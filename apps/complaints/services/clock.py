"""The complaint clock's sweep (its own Celery beat task, hourly): remind a department that has
not signed for a dispatched complaint (签收), escalate an overdue one to the supervisors and the
department leads (督办), and remind the department the day after the due time passed (催办).
Every step is idempotent: a second run in the same hour changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from apps.accounts.models import StaffMembership, User
from apps.accounts.selectors import department_staff
from apps.audit.actions import AuditAction
from apps.audit.services import audit_record
from apps.cases.services import case_event_add
from apps.notifications.services import notify

from ..models import Complaint
from .common import _staff_context, _supervisors

COMPLAINT_HANDLING_STATES = (Complaint.State.DISPATCHED, Complaint.State.IN_PROGRESS)


@dataclass
class ClockReport:
    # 签收 reminders, 督办 to supervisors, 催办 the day after the due time.
    sign_reminded: list[int] = field(default_factory=list)
    complaints_escalated: list[int] = field(default_factory=list)
    reminded: list[int] = field(default_factory=list)


def _clock_context(case: Complaint) -> dict:
    return _staff_context(
        case, department=str(case.lead_department) if case.lead_department_id else ""
    )


def _department_staff(case: Complaint, *roles: str) -> list[User]:
    """The lead department's staff (a complaint being handled always has one)."""
    return (
        department_staff(department=case.lead_department, roles=roles)
        if case.lead_department
        else []
    )


@transaction.atomic
def _complaint_escalate(case: Complaint, *, now: datetime) -> bool:
    """督办: an overdue complaint is flagged and the supervisors and department leads told."""
    case = (
        Complaint.objects.select_for_update(of=("self",))
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
    audit_record(action=AuditAction.COMPLAINT_ESCALATE, target=case, data={"due_at": case.due_at})
    recipients = _supervisors() + _department_staff(case, StaffMembership.Role.LEAD)
    if recipients:
        notify(
            event="complaint.escalated",
            recipients=list(dict.fromkeys(recipients)),
            context=_clock_context(case),
            dedup_key=f"complaint:{case.pk}:escalated:{case.due_at.isoformat()}",
        )
    return True


@transaction.atomic
def _complaint_remind(case: Complaint, *, now: datetime) -> bool:
    """催办: the day after the due time passed, a reminder to the department, once per due time."""
    case = (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("lead_department", "service")
        .get(pk=case.pk)
    )
    if (
        case.reminded_at is not None
        or case.state not in COMPLAINT_HANDLING_STATES
        or case.due_at is None
    ):
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
    audit_record(action=AuditAction.COMPLAINT_REMIND, target=case, data={"due_at": case.due_at})
    recipients = _department_staff(case)
    if recipients:
        notify(
            event="complaint.reminder",
            recipients=recipients,
            context=_clock_context(case),
            dedup_key=f"complaint:{case.pk}:reminder:{case.due_at.isoformat()}",
        )
    return True


def complaint_clock_sweep(*, today: date | None = None, now: datetime | None = None) -> ClockReport:
    """Run hourly (any number of runs is harmless: each step is idempotent)."""
    now = now or timezone.now()
    today = today or timezone.localdate()
    report = ClockReport()
    handling = Complaint.objects.filter(state__in=COMPLAINT_HANDLING_STATES).select_related(
        "service", "lead_department"
    )
    for case in handling.filter(state=Complaint.State.DISPATCHED, sign_due_at__lt=now):
        recipients = _department_staff(case)
        if recipients and notify(
            event="complaint.sign_reminder",
            recipients=recipients,
            context=_clock_context(case),
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
    return report
