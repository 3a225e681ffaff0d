"""A department's handling: dispatch, sign, return, reply, reopen, merge, one question."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import Department, User
from apps.accounts.selectors import department_staff
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.cases.models import Case, may_process
from apps.cases.permissions import CASE_PROCESS, CASE_VIEW, department_grant, department_revoke
from apps.cases.refusals import duty_check, refusals_audited
from apps.cases.services.transitions import (
    case_event_add,
    case_notification_context,
    case_transition,
)
from apps.cases.services.workflow import case_outcome_announce, record_outcome_clock
from apps.core.calendar import add_working_days
from apps.core.exceptions import ApplicationError, ConflictError
from apps.notifications.services import notify

from ..models import Complaint, may_dispatch
from .common import _dispatchers, _now, _required, _staff_context, complaint_tracking_path
from .time_limits import _end_of_day, complaint_due, rating_window_days

# --- dispatch, sign, return -------------------------------------------------------------------


@refusals_audited
def complaint_dispatch(
    *,
    case: Case,
    actor: User,
    department: Department,
    co_departments: Iterable[Department] = (),
    note: str = "",
    context: AuditContext | None = None,
) -> Case:
    """派单: to a lead department (it signs and answers) and optional co-handlers (协办), who see
    it. Re-sending a returned complaint to the same department (insisting) needs a note."""
    co_departments = [d for d in co_departments if d.pk != department.pk]
    if case.return_reason and case.lead_department_id == department.pk and not note.strip():
        raise ApplicationError(
            _("Say why the department must handle it after all (the return is not accepted)."),
            errors={"note": [_("Required.")]},
        )
    now = _now()
    due_at, deadline = complaint_due(
        service=case.service, complaint_type=case.complaint_type, urgency=case.urgency, start=now
    )
    sign_due_at = _end_of_day(add_working_days(now, case.service.sign_days or 1))
    if due_at < sign_due_at:
        sign_due_at = due_at

    note = note.strip()
    with transaction.atomic():
        case = case_transition(
            case=Complaint.of(case),
            transition="dispatch",
            actor=actor,
            department=department,
            context=context,
            params={
                "to_department": department,
                "at": now,
                "due_at": due_at,
                "deadline": deadline,
                "sign_due_at": sign_due_at,
            },
        )
        if note:  # for the department, not the reporter's timeline
            case_event_add(
                case=case,
                verb="note",
                actor=actor,
                note=note,
                is_public=False,
                department=department,
            )
        for old in case.co_departments.all():
            department_revoke(old, case, CASE_VIEW)
        case.co_departments.set(co_departments)
        department_grant(department, case, CASE_VIEW, CASE_PROCESS)
        for co in co_departments:
            department_grant(co, case, CASE_VIEW)
        recipients = department_staff(department=department)
        for co in co_departments:
            recipients += department_staff(department=co)
        if recipients:
            notify(
                event="complaint.dispatched",
                recipients=list(dict.fromkeys(recipients)),
                context=_staff_context(case, department=str(department)),
                dedup_key=f"complaint:{case.pk}:dispatch:{now.isoformat()}",
            )
    return case


@refusals_audited
def complaint_sign(
    *, case: Case, actor: User, note: str = "", context: AuditContext | None = None
) -> Case:
    """签收: the department takes the complaint on; the handling clock already runs."""
    return case_transition(
        case=Complaint.of(case),
        transition="sign",
        actor=actor,
        note=note,
        department=case.lead_department,
        context=context,
        params={"at": _now()},
    )


@refusals_audited
@transaction.atomic
def complaint_return(
    *,
    case: Case,
    actor: User,
    reason: str,
    legal_basis: str,
    context: AuditContext | None = None,
) -> Case:
    """退单: not this department's remit, with the reason and the legal basis; the dispatcher
    reviews it (re-dispatch elsewhere, or insist with a note)."""
    reason = _required("reason", reason, _("Say why the complaint is not yours to handle."))
    legal_basis = _required("legal_basis", legal_basis, _("Cite the legal basis for returning it."))
    department = case.lead_department
    case = case_transition(
        case=Complaint.of(case),
        transition="complaint_return",
        actor=actor,
        note=f"{reason}\n{legal_basis}",
        is_public=False,
        department=department,
        context=context,
        params={"reason": reason, "legal_basis": legal_basis},
    )
    if department is not None:
        department_revoke(department, case, CASE_PROCESS)
    dispatchers = _dispatchers()
    if dispatchers:
        notify(
            event="complaint.returned",
            recipients=dispatchers,
            context=_staff_context(case, department=str(department), reason=reason),
            dedup_key=f"complaint:{case.pk}:return:{_now().isoformat()}",
        )
    return case


# --- reply, reopen, merge ---------------------------------------------------------------------


def _outcome_recipients(case: Case) -> list[tuple[Case, list[User]]]:
    """Who is told of the outcome, under which number: the reporter and the followers under the
    case's own; every merged duplicate's reporter and followers under the duplicate's number
    (the one they hold an extraction code for). Each person once."""
    told: set[int] = set()
    groups: list[tuple[Case, list[User]]] = []
    merged_cases = case.merged_cases.select_related("applicant", "service").prefetch_related(
        "followers"
    )
    for numbered in (case, *merged_cases.order_by("pk")):
        people = [
            person
            for person in dict.fromkeys([numbered.applicant, *numbered.followers.all()])
            if person.pk not in told
        ]
        told.update(person.pk for person in people)
        if people:
            groups.append((numbered, people))
    return groups


def _record_complaint_clock(case: Case) -> None:
    record_outcome_clock(case=case)
    if case.due_at is not None:
        case.outcome_on_time = _now() <= case.due_at
        case.save(update_fields=["outcome_on_time", "updated_at"])


@refusals_audited
@transaction.atomic
def complaint_reply(
    *, case: Case, actor: User, text: str, context: AuditContext | None = None
) -> Case:
    """答复: the answer to the reporter (the case is `replied`; the rating or the end of the rating
    window closes it). It is the outcome: the reporter, the followers and the
    reporters of merged duplicates are told, and the rating is asked for after the commit."""
    text = _required("text", text, _("Write the reply to the reporter."))
    now = _now()
    case = case_transition(
        case=Complaint.of(case),
        transition="reply",
        actor=actor,
        note=text,
        department=case.lead_department,
        context=context,
        params={"text": text, "at": now},
    )
    _record_complaint_clock(case)
    for numbered, people in _outcome_recipients(case):
        duplicate = numbered.pk != case.pk
        notify(
            event="complaint.replied",
            recipients=people,
            context={
                **case_notification_context(case=numbered),
                "main_number": case.number if duplicate else "",
                "reply": text,
                "url": complaint_tracking_path(case=numbered),
            },
            dedup_key=f"complaint:{case.pk}:reply:{now.isoformat()}"
            + (f":{numbered.pk}" if duplicate else ""),
        )
    replied = case
    transaction.on_commit(lambda: case_outcome_announce(case=replied))
    return case


@refusals_audited
@transaction.atomic
def complaint_reopen(
    *,
    case: Case,
    actor: User,
    comment: str,
    on_behalf_of: User | None = None,
    context: AuditContext | None = None,
) -> Case:
    """重办: the reporter is not satisfied with the answer (within the rating window) and the
    complaint goes back to the same department with their comment and a new time limit."""
    comment = _required("comment", comment, _("Say what is still wrong."))
    person = on_behalf_of or actor
    if not may_dispatch(case, person):
        if case.applicant_id != person.pk:
            raise PermissionDenied
        window_end = (case.decided_at or _now()) + timedelta(days=rating_window_days())
        if _now() > window_end:
            raise ConflictError(_("The time to ask for the case to be handled again is over."))
    now = _now()
    due_at, deadline = complaint_due(
        service=case.service, complaint_type=case.complaint_type, urgency=case.urgency, start=now
    )
    department = case.lead_department
    case = case_transition(
        case=Complaint.of(case),
        transition="reopen",
        actor=actor,
        on_behalf_of=on_behalf_of,
        note=comment,
        department=department,
        context=context,
        params={"at": now, "due_at": due_at, "deadline": deadline},
    )
    if department is not None:
        department_grant(department, case, CASE_VIEW, CASE_PROCESS)
        recipients = department_staff(department=department)
        if recipients:
            notify(
                event="complaint.reopened",
                recipients=recipients,
                context=_staff_context(case, reason=comment),
                dedup_key=f"complaint:{case.pk}:reopen:{case.reopen_count}",
            )
    return case


@refusals_audited
@transaction.atomic
def complaint_merge(
    *, case: Case, actor: User, into: Case, note: str = "", context: AuditContext | None = None
) -> Case:
    """并单: a duplicate joins the main complaint; its reporter gets the main one's outcome."""
    if (
        into.pk == case.pk
        or into.kind != Case.Kind.COMPLAINT
        or into.state in (Case.State.MERGED, Case.State.CLOSED, Case.State.DRAFT)
    ):
        raise ApplicationError(
            _("Choose another open complaint to merge into."),
            errors={"into": [_("Choose another open complaint.")]},
        )
    old_department = case.lead_department
    case = case_transition(
        case=Complaint.of(case),
        transition="merge",
        actor=actor,
        note=(note.strip() + "\n" if note.strip() else "") + (into.number or ""),
        context=context,
        params={"into": into},
    )
    if old_department is not None:
        department_revoke(old_department, case, CASE_PROCESS)
    return case


# --- one question to the reporter ---------------------------------------------------------------


@refusals_audited
@transaction.atomic
def complaint_ask(
    *,
    case: Case,
    actor: User,
    question: str,
    due: date | None,
    context: AuditContext | None = None,
) -> Case:
    """Ask the reporter one question, answered on the tracking page by `due`."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    duty_check(rule=may_process, obj=case, step="ask", actor=actor, context=context)
    if case.state != Case.State.IN_PROGRESS:
        raise ConflictError(_("A question can be asked while the complaint is handled."))
    if case.question:
        raise ConflictError(_("The reporter has already been asked a question."))
    question = _required("question", question, _("Write the question."))
    if due is None or due < timezone.localdate():
        raise ApplicationError(
            _("Give the date the answer is needed by."),
            errors={"due": [_("Give a date from today.")]},
        )
    case.question, case.question_due = question, due
    case.save(update_fields=["question", "question_due", "updated_at"])
    event = case_event_add(
        case=case,
        verb="question_asked",
        actor=actor,
        note=question,
        department=case.lead_department,
    )
    audit_record(
        action=AuditAction.COMPLAINT_ASK,
        actor=actor,
        target=case,
        data={"due": due},
        context=context,
    )
    notify(
        event="complaint.question",
        recipients=[case.applicant],
        context={
            **case_notification_context(case=case),
            "question": question,
            "due_date": due,
            "url": complaint_tracking_path(case=case),
        },
        dedup_key=f"case:{case.pk}:{event.pk}",
    )
    return case


@transaction.atomic
def complaint_answer(
    *, case: Case, actor: User, answer: str, context: AuditContext | None = None
) -> Case:
    """The reporter's answer to the department's question (on the tracking or case page)."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if actor.pk != case.applicant_id:
        raise PermissionDenied
    if not case.question or case.question_answered_at:
        raise ConflictError(_("There is no open question on this complaint."))
    answer = _required("answer", answer, _("Write your answer."))
    case.question_answer, case.question_answered_at = answer, _now()
    case.save(update_fields=["question_answer", "question_answered_at", "updated_at"])
    case_event_add(case=case, verb="question_answered", actor=actor, note=answer)
    audit_record(action=AuditAction.COMPLAINT_ANSWER, actor=actor, target=case, context=context)
    if case.lead_department is not None:
        recipients = department_staff(department=case.lead_department)
        if recipients:
            notify(
                event="complaint.answered",
                recipients=recipients,
                context=_staff_context(case, reason=answer),
                dedup_key=f"case:{case.pk}:answered",
            )
    return case
