"""The machinery every case command shares: numbers, timeline lines, and the one transition
mechanism for both workflow models (`Case` and its `ReviewTask`s).

`_fsm_transition` does, in the caller's transaction: lock the row (`select_for_update`), check
that the person acted for may run the transition and that it can run now (`can_proceed`), run
the django-fsm transition, save, write the timeline line and the audit event, and queue the
resident's notification (the outbox sends it once the transaction commits). `case_transition`
and `task_transition` are its two thin doors. Named services (`case_submit`, `case_accept`,
`task_approve`, `complaint_dispatch`, ...) call one of them and then do their own extra writes
inline, in the same `transaction.atomic()`, registering their own `transaction.on_commit`.

Who acts: `actor=None` is the portal itself (a beat task: deadlines, deemed consent, the rating
window ending): nobody's permission is checked and the audit event names nobody. Anyone else
must hold the transition's permission, except a reviewer returning a case through their own
review task (`through_task`): their right is the task's, checked by `task_transition`. The
permissions are the rules of `apps/cases/duties.py` (department role, the service's deciding
role and four eyes; an account flag gives nothing); a refusal is `StepRefused` (403) with its
reason translated, and its audit event is written once the refused transaction is rolled back
(`apps/cases/refusals.py`)."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed

from apps.accounts.models import Department, User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.personal import personal_digest
from apps.audit.services import audit_record
from apps.core.exceptions import ConflictError
from apps.notifications.services import notify

from ..duties import Refusal
from ..models import Case, CaseEvent, CaseNumberSequence, ReviewTask
from ..permissions import TASK_ACT, department_revoke
from ..refusals import duty_check, refusals_audited, step_refused
from ..signals import case_line_added

NUMBER_PREFIXES = {Case.Kind.APPLICATION: "SQ", Case.Kind.COMPLAINT: "TS"}

FsmT = TypeVar("FsmT", bound=Case | ReviewTask)


# --- numbers and timeline -------------------------------------------------------------------


def case_number_next(*, kind: str, at: datetime) -> str:
    """`SQ-2026-000123`: one locked counter row per prefix and year, so no number repeats."""
    prefix = NUMBER_PREFIXES[Case.Kind(kind)]
    year = timezone.localtime(at).year
    with transaction.atomic():
        CaseNumberSequence.objects.bulk_create(
            [CaseNumberSequence(prefix=prefix, year=year)], ignore_conflicts=True
        )
        sequence = CaseNumberSequence.objects.select_for_update().get(prefix=prefix, year=year)
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return f"{prefix}-{year}-{sequence.last:06d}"


def case_event_add(
    *,
    case: Case,
    verb: str,
    actor: User | None,
    on_behalf_of: User | None = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    is_public: bool = True,
    department: Department | None = None,
) -> CaseEvent:
    """One line of the case's timeline (shown to the resident unless `is_public` is false).

    A reporter who hid their identity never appears as a line's actor: the staff pages and API
    show actors, so the line names nobody; the audit chain still names them."""
    if case.hide_identity:
        if actor is not None and actor.pk == case.applicant_id:
            actor = None
        if on_behalf_of is not None and on_behalf_of.pk == case.applicant_id:
            on_behalf_of = None
    line = CaseEvent.objects.create(
        department=department,
        case=case,
        verb=verb,
        actor=actor,
        on_behalf_of=on_behalf_of,
        from_state=from_state,
        to_state=to_state,
        note=note,
        is_public=is_public,
    )
    case_line_added.send(sender=CaseEvent, case=case, line=line)
    return line


# --- what the resident is told --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResidentNotice:
    """The notification a case transition sends its resident, and what its text needs beyond
    `case_notification_context` (read from the case once the transition ran)."""

    event: str
    context: Callable[[Case], dict[str, Any]] | None = None


def _correction_reason(case: Case) -> dict[str, Any]:
    return {"reason": case.correction_request.get("note", "")}


# Which case transition tells the resident what. Apps above cases (complaints) add theirs at
# start-up with `register_resident_notices`; a transition not listed tells nobody by itself.
RESIDENT_NOTICES: dict[str, ResidentNotice] = {
    "submit": ResidentNotice(event="case.submitted"),
    "resubmit": ResidentNotice(event="case.submitted"),
    "accept": ResidentNotice(event="case.accepted"),
    "refuse": ResidentNotice(
        event="case.refused", context=lambda case: {"reason": case.decision_reasons}
    ),
    "return_for_correction": ResidentNotice(
        event="case.correction_requested", context=_correction_reason
    ),
}


def register_resident_notices(*, notices: Mapping[str, ResidentNotice]) -> None:
    """Add another app's transitions to the table of what the resident is told."""
    RESIDENT_NOTICES.update(notices)


def case_notification_context(*, case: Case) -> dict[str, Any]:
    return {
        "case_number": case.ref,
        "service_name": case.service.name,
        "deadline": case.deadline,
        "due_date": case.deadline,
        "url": reverse("cases:detail", args=[case.ref]),
    }


def _resident_recipients(case: Case) -> Iterable[User]:
    return [case.applicant]


# --- the one transition mechanism -----------------------------------------------------------

# A task's step is named by its verb (its timeline line and `cases.review_task.<verb>` audit
# action); the verb says which transition of `ReviewTask` runs.
TASK_TRANSITIONS = {
    "task_approve": "approve",
    "task_deemed_consent": "approve",
    "task_reject": "reject",
    "task_return": "return_for_correction",
    "task_cancel": "cancel",
}


def _refused_now(obj: Case | ReviewTask) -> ConflictError:
    if isinstance(obj, ReviewTask):
        return ConflictError(
            _("This review is %(state)s: it cannot change now.")
            % {"state": obj.get_state_display()}
        )
    return ConflictError(
        _("This case is now “%(state)s”: that cannot be done in this state.")
        % {"state": obj.get_state_display()},
        extra={"state": obj.state},
    )


def _transition_rule(obj: Case | ReviewTask, transition: str) -> Callable[..., bool] | None:
    """The `permission=` of `transition` from the row's current state, or from any of its
    sources when it cannot run now. None: anyone."""
    meta = getattr(getattr(obj, transition), "_django_fsm")  # noqa: B009 (django-fsm's own)
    found = meta.get_transition(obj.state) or next(iter(meta.transitions.values()), None)
    rule: Callable[..., bool] | None = found.permission if found is not None else None
    return rule


def _check_may_run(
    obj: Case | ReviewTask,
    transition: str,
    *,
    step: str,
    actor: User | None,
    on_behalf_of: User | None,
    through_task: ReviewTask | None,
    context: AuditContext | None,
) -> None:
    """Refuse (`StepRefused`, audited once rolled back) a person the transition does not allow.

    The person acted for must be allowed it; counter staff act under a mandate."""
    person = on_behalf_of or actor
    if person is None:  # the portal itself
        return
    if through_task is not None:
        # The reviewer's right is the task's, checked when `task_transition` returned it.
        if (
            through_task.case_id != obj.pk
            or through_task.state != ReviewTask.State.RETURNED
            or through_task.decided_by_id != person.pk
        ):
            step_refused(
                reason=Refusal.NOT_PERMITTED,
                obj=obj,
                step=step,
                actor=actor,
                on_behalf_of=on_behalf_of,
                context=context,
            )
        return
    duty_check(
        rule=_transition_rule(obj, transition),
        obj=obj,
        step=step,
        actor=actor,
        on_behalf_of=on_behalf_of,
        context=context,
    )


def _fsm_transition(
    *,
    obj: FsmT,
    rows: QuerySet[FsmT],
    transition: str,
    verb: str,
    actor: User | None,
    on_behalf_of: User | None,
    note: str,
    is_public: bool,
    department: Department | None,
    through_task: ReviewTask | None,
    context: AuditContext | None,
    params: Mapping[str, Any],
) -> FsmT:
    """Lock, check, transition, save, timeline, audit, notify: one step of either machine.

    `rows` is the queryset the row is locked and loaded from (its class and related rows)."""
    locked = rows.select_for_update(of=("self",)).get(pk=obj.pk)
    method = getattr(locked, transition)
    can_run = can_proceed(method)
    # Who may is asked before whether it can now (a person without the right learns nothing of
    # the state), except of a finished review task: its department's right ended with it.
    if not can_run and isinstance(locked, ReviewTask):
        raise _refused_now(locked)
    _check_may_run(
        locked,
        transition,
        step=verb,
        actor=actor,
        on_behalf_of=on_behalf_of,
        through_task=through_task,
        context=context,
    )
    if not can_run:
        raise _refused_now(locked)
    before = locked.state
    try:
        method(**params)
    except TransitionNotAllowed as exc:
        raise ConflictError(_("This case changed meanwhile. Reload the page.")) from exc
    locked.save()
    _recorded(
        locked,
        verb=verb,
        before=before,
        actor=actor,
        on_behalf_of=on_behalf_of,
        note=note,
        is_public=is_public,
        department=department,
        context=context,
    )
    return locked


def _recorded(
    obj: Case | ReviewTask,
    *,
    verb: str,
    before: str,
    actor: User | None,
    on_behalf_of: User | None,
    note: str,
    is_public: bool,
    department: Department | None,
    context: AuditContext | None,
) -> None:
    if isinstance(obj, ReviewTask):
        _task_recorded(obj, verb=verb, actor=actor, note=note, context=context)
    elif isinstance(obj, Case):
        _case_recorded(
            obj,
            verb=verb,
            before=before,
            actor=actor,
            on_behalf_of=on_behalf_of,
            note=note,
            is_public=is_public,
            department=department,
            context=context,
        )


def _task_recorded(
    task: ReviewTask, *, verb: str, actor: User | None, note: str, context: AuditContext | None
) -> None:
    """A task's step: an internal line naming its department, and its audit event."""
    case_event_add(
        case=task.case,
        verb=verb,
        actor=actor,
        note=note,
        is_public=False,
        department=task.department,
    )
    audit_record(
        action=AuditAction.for_task_verb(verb),
        actor=actor,
        target=task,
        data={
            "case": task.case.ref,
            "department": task.department.code,
            "opinion": personal_digest(note),
        },
        context=context,
    )


def _case_recorded(
    case: Case,
    *,
    verb: str,
    before: str,
    actor: User | None,
    on_behalf_of: User | None,
    note: str,
    is_public: bool,
    department: Department | None,
    context: AuditContext | None,
) -> None:
    """A case's step: its timeline line, its audit event, and the resident's notice if any."""
    event = case_event_add(
        case=case,
        verb=verb,
        actor=actor,
        on_behalf_of=on_behalf_of,
        from_state=before,
        to_state=case.state,
        note=note,
        is_public=is_public,
        department=department,
    )
    audit_record(
        action=AuditAction.for_case_transition(verb),
        actor=actor,
        on_behalf_of=on_behalf_of,
        target=case,
        data={"from": before, "to": case.state, "note": personal_digest(note)},
        context=context,
    )
    notice = RESIDENT_NOTICES.get(verb)
    if notice is not None:
        extra = notice.context(case) if notice.context is not None else {}
        notify(
            event=notice.event,
            recipients=_resident_recipients(case),
            context={**case_notification_context(case=case), **extra},
            dedup_key=f"case:{case.pk}:{event.pk}",
        )


@refusals_audited
@transaction.atomic
def case_transition(
    *,
    case: Case,
    transition: str,
    actor: User | None,
    on_behalf_of: User | None = None,
    note: str = "",
    is_public: bool = True,
    department: Department | None = None,
    through_task: ReviewTask | None = None,
    context: AuditContext | None = None,
    params: Mapping[str, Any] | None = None,
) -> Case:
    """Run one transition of a case (or of a proxy of it: a complaint) and return the locked,
    saved case. `params` are the transition method's own arguments; `department` is named on
    the timeline line; `actor=None` is the portal itself (see the module's docstring)."""
    # Loaded as the caller's class, so a proxy's transitions (a complaint's) run as the Case's.
    return _fsm_transition(
        obj=case,
        rows=type(case).objects.all(),
        transition=transition,
        verb=transition,
        actor=actor,
        on_behalf_of=on_behalf_of,
        note=note,
        is_public=is_public,
        department=department,
        through_task=through_task,
        context=context,
        params=params or {},
    )


@refusals_audited
@transaction.atomic
def task_transition(
    *,
    task: ReviewTask,
    verb: str,
    actor: User | None,
    note: str = "",
    context: AuditContext | None = None,
    params: Mapping[str, Any] | None = None,
) -> ReviewTask:
    """Finish one department's review task: the same mechanism as a case's, named by its verb
    (`TASK_TRANSITIONS`), with an internal timeline line naming the department; the
    department's right to act on the task ends with it."""
    task = _fsm_transition(
        obj=task,
        rows=ReviewTask.objects.select_related("case", "department"),
        transition=TASK_TRANSITIONS[verb],
        verb=verb,
        actor=actor,
        on_behalf_of=None,
        note=note,
        is_public=False,
        department=None,
        through_task=None,
        context=context,
        params=params or {},
    )
    department_revoke(task.department, task, TASK_ACT)
    return task
