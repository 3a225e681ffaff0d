"""Intake (受理): accept, refuse, return for correction (一次告知), and the clock."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import User
from apps.audit.context import AuditContext
from apps.core.calendar import add_working_days, working_days_between
from apps.core.exceptions import ApplicationError

from ...models import Case, ReviewTask
from ...refusals import refusals_audited
from ..transitions import case_transition, task_transition
from .common import _today
from .routing import _create_review_round


@refusals_audited
@transaction.atomic
def case_accept(
    *, case: Case, actor: User, note: str = "", context: AuditContext | None = None
) -> Case:
    """受理: the lead department takes the case in and the review stages start."""
    case = case_transition(
        case=case,
        transition="accept",
        actor=actor,
        note=note,
        department=case.lead_department,
        context=context,
        params={"at": timezone.now()},
    )
    _create_review_round(case)
    return case


@refusals_audited
@transaction.atomic
def case_refuse(
    *, case: Case, actor: User, reasons: str, context: AuditContext | None = None
) -> Case:
    """不予受理: refused at intake, with the reasons the resident reads."""
    if not reasons.strip():
        raise ApplicationError(
            _("Give the reasons for not accepting."), errors={"reasons": [_("Required.")]}
        )
    case = case_transition(
        case=case,
        transition="refuse",
        actor=actor,
        note=reasons,
        department=case.lead_department,
        context=context,
        params={"reasons": reasons, "at": timezone.now()},
    )
    record_outcome_clock(case=case)
    refused = case
    transaction.on_commit(lambda: case_outcome_announce(case=refused))
    return case


def _correction_request(case: Case, *, fields: list[str], note: str) -> dict[str, Any]:
    known = set(case.version.fields.values_list("key", flat=True))
    unknown = sorted(set(fields) - known)
    if not fields or unknown:
        raise ApplicationError(
            _("Name every answer and document the resident must correct (一次告知)."),
            errors={"fields": [_("Choose at least one field of this form.")]},
        )
    if not note.strip():
        raise ApplicationError(
            _("Tell the resident what to correct and why."), errors={"note": [_("Required.")]}
        )
    return {"fields": sorted(set(fields)), "note": note, "from_state": case.state}


@refusals_audited
@transaction.atomic
def case_return_for_correction(
    *,
    case: Case,
    actor: User,
    fields: list[str],
    note: str,
    context: AuditContext | None = None,
    through_task: ReviewTask | None = None,
) -> Case:
    """一次告知: every answer and document to fix, at once; the clock stops meanwhile.

    `through_task`: a reviewer returns the case through their own (just returned) review task;
    the line then names that task's department."""
    correction = _correction_request(case, fields=fields, note=note)
    case = case_transition(
        case=case,
        transition="return_for_correction",
        actor=actor,
        note=note,
        department=through_task.department if through_task else case.lead_department,
        through_task=through_task,
        context=context,
        params={"correction": correction, "paused_on": _today()},
    )
    # The open reviews of this round end with the return; a resubmission is reviewed afresh.
    for task in ReviewTask.objects.filter(
        case=case, round=case.review_round, state__in=ReviewTask.OPEN_STATES
    ):
        task_transition(task=task, verb="task_cancel", actor=actor, context=context)
    return case


def paused_working_days(*, case: Case) -> int:
    """Working days the case has waited for the resident since it was returned."""
    if case.clock_paused_on is None:
        return 0
    return max(working_days_between(case.clock_paused_on, _today()), 0)


def record_outcome_clock(*, case: Case) -> None:
    """Keep, at the outcome, how many working days it took and whether it was on time."""
    if case.submitted_at is None:
        return
    used = working_days_between(timezone.localdate(case.submitted_at), _today())
    case.working_days_to_outcome = max(used - case.paused_working_days, 0)
    case.outcome_on_time = case.deadline is None or _today() <= case.deadline
    case.save(update_fields=["working_days_to_outcome", "outcome_on_time", "updated_at"])


def case_outcome_announce(*, case: Case) -> None:
    """Tell the apps above (feedback: the rating) that the resident has an outcome; called after
    the commit."""
    from ...signals import case_outcome_reached

    case_outcome_reached.send(sender=Case, case=case)


def resubmission_deadline(*, case: Case) -> date:
    """Returned at intake: the clock starts again. Returned during review: it only paused."""
    today = _today()
    if case.correction_request.get("from_state") == Case.State.IN_REVIEW and case.deadline:
        paused = paused_working_days(case=case)
        return add_working_days(case.deadline, paused) if paused else case.deadline
    return add_working_days(today, case.service.promised_days)
