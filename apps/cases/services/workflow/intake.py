"""Intake (受理): accept, refuse, return for correction (一次告知), and the clock."""

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.context import AuditContext
from apps.core.calendar import add_working_days, working_days_between
from apps.core.exceptions import ApplicationError

from ...models import Case, ReviewTask
from ...permissions import TASK_ACT, department_revoke
from ..transitions import case_transition
from .common import _today
from .routing import _create_review_round


def case_accept(*, case: Case, actor: User, note: str = "", context: AuditContext | None = None):
    """受理: the lead department takes the case in and the review stages start."""
    return case_transition(
        case=case,
        transition="accept",
        actor=actor,
        note=note,
        context=context,
        at=timezone.now(),
        department=case.lead_department,
        within=_create_review_round,
        notify_event="case.accepted",
    )


def case_refuse(*, case: Case, actor: User, reasons: str, context: AuditContext | None = None):
    """不予受理: refused at intake, with the reasons the resident reads."""
    if not reasons.strip():
        raise ApplicationError(
            _("Give the reasons for not accepting."),
            extra={"errors": {"reasons": [_("Required.")]}},
        )
    return case_transition(
        case=case,
        transition="refuse",
        actor=actor,
        note=reasons,
        context=context,
        reasons=reasons,
        at=timezone.now(),
        department=case.lead_department,
        within=record_outcome_clock,
        after_commit=_announce_outcome,
        notify_event="case.refused",
        notify_context={"reason": reasons},
    )


def _correction_request(case: Case, *, fields: list[str], note: str) -> dict:
    known = set(case.version.fields.values_list("key", flat=True))
    unknown = sorted(set(fields) - known)
    if not fields or unknown:
        raise ApplicationError(
            _("Name every answer and document the resident must correct (一次告知)."),
            extra={"errors": {"fields": [_("Choose at least one field of this form.")]}},
        )
    if not note.strip():
        raise ApplicationError(
            _("Tell the resident what to correct and why."),
            extra={"errors": {"note": [_("Required.")]}},
        )
    return {"fields": sorted(set(fields)), "note": note, "from_state": case.state}


def case_return_for_correction(
    *,
    case: Case,
    actor: User,
    fields: list[str],
    note: str,
    context: AuditContext | None = None,
    permission_checked: bool = False,
    department=None,
) -> Case:
    """一次告知: every answer and document to fix, at once; the clock stops meanwhile."""
    correction = _correction_request(case, fields=fields, note=note)

    def close_open_tasks(locked: Case) -> None:
        for task in ReviewTask.objects.filter(
            case=locked, round=locked.review_round, state__in=ReviewTask.OPEN_STATES
        ):
            task.cancel()
            task.save()
            department_revoke(task.department, task, TASK_ACT)

    return case_transition(
        case=case,
        transition="return_for_correction",
        actor=actor,
        note=note,
        context=context,
        permission_checked=permission_checked,
        department=department or case.lead_department,
        within=close_open_tasks,
        notify_event="case.correction_requested",
        notify_context={"reason": note},
        correction=correction,
        paused_on=_today(),
    )


def paused_working_days(case: Case) -> int:
    """Working days the case has waited for the resident since it was returned."""
    if case.clock_paused_on is None:
        return 0
    return max(working_days_between(case.clock_paused_on, _today()), 0)


def record_outcome_clock(case: Case) -> None:
    """Keep, at the outcome, how many working days it took and whether it was on time."""
    if case.submitted_at is None:
        return
    used = working_days_between(timezone.localdate(case.submitted_at), _today())
    case.working_days_to_outcome = max(used - case.paused_working_days, 0)
    case.outcome_on_time = case.deadline is None or _today() <= case.deadline
    case.save(update_fields=["working_days_to_outcome", "outcome_on_time", "updated_at"])


def _announce_outcome(case: Case) -> None:
    from ...signals import case_outcome_reached

    case_outcome_reached.send(sender=Case, case=case)


def resubmission_deadline(case: Case) -> date:
    """Returned at intake: the clock starts again. Returned during review: it only paused."""
    today = _today()
    if case.correction_request.get("from_state") == Case.State.IN_REVIEW and case.deadline:
        paused = paused_working_days(case)
        return add_working_days(case.deadline, paused) if paused else case.deadline
    return add_working_days(today, case.service.promised_days)
