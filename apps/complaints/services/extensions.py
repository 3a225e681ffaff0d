"""Extensions (延期) of a complaint: the cases app's one extension service, with the complaint's
rules: the department asks before the due time, a supervisor (督查) decides, and an approval
moves the due time by working days (keeping its hour) and tells the reporter."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy

from apps.accounts.models import Department, StaffMembership, User
from apps.audit.context import AuditContext
from apps.cases.models import Case, ExtensionRequest, may_process
from apps.cases.services.workflow.extensions import (
    ExtensionRules,
    extension_decide,
    extension_request,
)
from apps.core.calendar import add_working_days
from apps.notifications.services import notify

from .common import _now, _staff_context, _supervisors, complaint_tracking_path


def _may_ask(case: Case, actor: User) -> bool:
    return may_process(case, actor)


def _is_supervisor(case: Case, actor: User) -> bool:
    return actor.staff_memberships.filter(
        is_active=True, role=StaffMembership.Role.SUPERVISOR
    ).exists()


def _due_time_passed(case: Case) -> bool:
    return case.due_at is None or case.due_at < _now()


def _move_due_time(case: Case, days: int) -> date | None:
    if case.due_at is None:
        return None
    local = timezone.localtime(case.due_at)
    new_day = add_working_days(local.date(), days)
    case.due_at = timezone.make_aware(datetime.combine(new_day, local.time()))
    case.deadline = new_day
    # A new due time is a new chance: 督办 and 催办 may come again.
    case.escalated_at = None
    case.reminded_at = None
    case.save(update_fields=["due_at", "deadline", "escalated_at", "reminded_at", "updated_at"])
    return new_day


def _lead_department(case: Case, actor: User) -> Department | None:
    return case.lead_department


def _tell_supervisors(case: Case, extension: ExtensionRequest) -> None:
    supervisors = _supervisors()
    if supervisors:
        notify(
            event="case.extension_requested",
            recipients=supervisors,
            context={**_staff_context(case), "department": str(case.lead_department)},
            dedup_key=f"extension:{extension.pk}",
        )


def _tracking_page(case: Case) -> dict[str, str]:
    return {"url": complaint_tracking_path(case=case)}


COMPLAINT_EXTENSIONS = ExtensionRules(
    handling_states=(Case.State.DISPATCHED, Case.State.IN_PROGRESS),
    not_handling=gettext_lazy("Only a complaint being handled can be extended."),
    already_pending=gettext_lazy("An extension request is already waiting for a decision."),
    may_ask=_may_ask,
    may_decide=_is_supervisor,
    deadline_passed=_due_time_passed,
    move_deadline=_move_due_time,
    asking_department=_lead_department,
    tell_deciders=_tell_supervisors,
    resident_context=_tracking_page,
)


def complaint_extension_request(
    *, case: Case, actor: User, days: int, reason: str, context: AuditContext | None = None
) -> ExtensionRequest:
    """Asked by the department before the due time, with a reason; a supervisor decides."""
    return extension_request(
        case=case,
        actor=actor,
        days=days,
        reason=reason,
        rules=COMPLAINT_EXTENSIONS,
        context=context,
    )


def complaint_extension_decide(
    *,
    extension: ExtensionRequest,
    actor: User,
    approve: bool,
    context: AuditContext | None = None,
) -> ExtensionRequest:
    """A supervisor approves or refuses; an approval moves the due time and the reporter is
    told."""
    return extension_decide(
        extension=extension,
        actor=actor,
        approve=approve,
        rules=COMPLAINT_EXTENSIONS,
        context=context,
    )
