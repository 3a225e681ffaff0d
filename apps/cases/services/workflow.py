"""The departments' commands: intake (accept, refuse, return), parallel review tasks, extensions
and the signed decision. Each goes through `case_transition`, so it is locked, audited, on the
timeline and told to the resident."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from apps.accounts.models import StaffMembership, User
from apps.accounts.selectors import department_staff
from apps.audit.services import audit_record
from apps.core.calendar import add_working_days, working_days_between
from apps.core.exceptions import ApplicationError, ConflictError
from apps.notifications.services import notify
from apps.signatures.services import signature_take

from ..models import Case, ExtensionRequest, ReviewTask
from ..permissions import CASE_PROCESS, CASE_VIEW, TASK_ACT, department_grant, department_revoke
from .transitions import case_event_add, case_notification_context, case_transition

REVIEWER_ROLES = (StaffMembership.Role.CLERK, StaffMembership.Role.LEAD)


def _today() -> date:
    return timezone.localdate()


def _notify_staff(
    *, event: str, department, case: Case, dedup_key: str, roles=REVIEWER_ROLES, **extra
):
    recipients = department_staff(department, *roles)
    if recipients:
        notify(
            event=event,
            recipients=recipients,
            context={**case_notification_context(case), "department": str(department), **extra},
            dedup_key=dedup_key,
        )


# --- routing -----------------------------------------------------------------------------------


def case_route_to_lead(case: Case) -> None:
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


# --- intake (受理) -------------------------------------------------------------------------------


def case_accept(*, case: Case, actor: User, note: str = "", request: HttpRequest | None = None):
    """受理: the lead department takes the case in and the review stages start."""
    return case_transition(
        case=case,
        transition="accept",
        actor=actor,
        note=note,
        request=request,
        at=timezone.now(),
        department=case.lead_department,
        within=_create_review_round,
        notify_event="case.accepted",
    )


def case_refuse(*, case: Case, actor: User, reasons: str, request: HttpRequest | None = None):
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
        request=request,
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
    request: HttpRequest | None = None,
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
        request=request,
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
    from ..signals import case_outcome_reached

    case_outcome_reached.send(sender=Case, case=case)


def resubmission_deadline(case: Case) -> date:
    """Returned at intake: the clock starts again. Returned during review: it only paused."""
    today = _today()
    if case.correction_request.get("from_state") == Case.State.IN_REVIEW and case.deadline:
        paused = paused_working_days(case)
        return add_working_days(case.deadline, paused) if paused else case.deadline
    return add_working_days(today, case.service.promised_days)


# --- review tasks (并联审批) -------------------------------------------------------------------


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


def _finish_task(task: ReviewTask, *, verb: str, actor: User | None, note: str, request) -> None:
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
        request=request,
    )


@transaction.atomic
def task_claim(*, task: ReviewTask, actor: User, request: HttpRequest | None = None) -> ReviewTask:
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
    audit_record(action="cases.review_task.claim", actor=actor, target=task, request=request)
    return task


@transaction.atomic
def task_assign(
    *, task: ReviewTask, actor: User, assignee: User, request: HttpRequest | None = None
) -> ReviewTask:
    """Give a task to a colleague of the same department."""
    task = _locked_task(task)
    if not actor.has_perm(TASK_ACT, task):
        raise PermissionDenied
    if not department_staff(task.department) or assignee not in department_staff(task.department):
        raise ApplicationError(_("Choose a colleague of %(dept)s.") % {"dept": task.department})
    task.assignee = assignee
    task.save(update_fields=["assignee", "updated_at"])
    audit_record(
        action="cases.review_task.assign",
        actor=actor,
        target=task,
        data={"assignee": assignee.pk},
        request=request,
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
    request: HttpRequest | None = None,
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
        request=request,
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
    *, task: ReviewTask, actor: User, opinion: str, request: HttpRequest | None = None
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
    _finish_task(task, verb="task_reject", actor=actor, note=opinion, request=request)
    for sibling in ReviewTask.objects.filter(
        case_id=task.case_id, round=task.round, state__in=ReviewTask.OPEN_STATES
    ).select_related("department"):
        sibling.cancel()
        sibling.save()
        _finish_task(sibling, verb="task_cancel", actor=actor, note="", request=request)
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
    request: HttpRequest | None = None,
) -> Case:
    """A reviewer needs more from the resident: the whole case goes back for correction."""
    with transaction.atomic():
        task = _locked_task(task)
        _check_task_action(task, task.return_for_correction, actor)
        _correction_request(task.case, fields=fields, note=note)
        task.return_for_correction(by=actor, opinion=note, at=timezone.now())
        task.save()
        _finish_task(task, verb="task_return", actor=actor, note=note, request=request)
        return case_return_for_correction(
            case=task.case,
            actor=actor,
            fields=fields,
            note=note,
            request=request,
            permission_checked=True,
            department=task.department,
        )


# --- decision ----------------------------------------------------------------------------------


def decision_payload(case: Case, *, outcome: str, reasons: str, granted_until) -> dict:
    return {
        "case": case.number,
        "service": case.service.code,
        "outcome": outcome,
        "reasons": reasons,
        "granted_until": granted_until.isoformat() if granted_until else None,
        "reviews": [
            {"department": t.department.code, "state": t.state, "opinion": t.opinion}
            for t in case.current_tasks()
        ],
    }


def case_decide(
    *,
    case: Case,
    actor: User,
    code: str,
    reasons: str,
    granted_until: date | None = None,
    request: HttpRequest | None = None,
) -> Case:
    """The lead department's decision, signed with the clerk's own one-time code; the sealed
    decision letter is issued after commit and sent back to the resident."""
    case = Case.objects.select_related("service", "lead_department").get(pk=case.pk)
    if not actor.has_perm(CASE_PROCESS, case):
        raise PermissionDenied
    outcome = case.review_outcome()
    if case.state != Case.State.IN_REVIEW or outcome == "pending":
        raise ConflictError(_("The case can be decided once every review is finished."))
    if outcome == "rejected" and not reasons.strip():
        raise ApplicationError(
            _("Give the reasons, the legal basis and how to appeal."),
            extra={"errors": {"reasons": [_("Required.")]}},
        )
    signature = signature_take(
        signer=actor,
        payload=decision_payload(
            case, outcome=outcome, reasons=reasons, granted_until=granted_until
        ),
        declaration=_("I decide this case as stated, on behalf of %(dept)s.")
        % {"dept": case.lead_department},
        code=code,
        channel="totp",
        request=request,
        target=case,
    )
    from ..tasks import case_decision_letter_task

    data = {"reasons": reasons, "at": timezone.now()}
    if outcome == "approved":
        data["granted_until"] = granted_until
    return case_transition(
        case=case,
        transition="approve" if outcome == "approved" else "reject",
        actor=actor,
        note=reasons,
        request=request,
        department=case.lead_department,
        within=record_outcome_clock,
        after_commit=lambda decided: case_decision_letter_task.delay(decided.pk, signature.pk),
        **data,
    )


# --- extensions (延期) --------------------------------------------------------------------------


@transaction.atomic
def extension_request(
    *, case: Case, actor: User, days: int, reason: str, request: HttpRequest | None = None
) -> ExtensionRequest:
    """Asked before the deadline passes, with a reason; the department lead decides."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not (actor.has_perm(CASE_PROCESS, case) or _has_active_task(case, actor)):
        raise PermissionDenied
    if case.state not in (Case.State.SUBMITTED, Case.State.IN_REVIEW):
        raise ConflictError(_("Only a case being handled can be extended."))
    if case.deadline is None or case.deadline < _today():
        raise ApplicationError(_("An extension must be asked for before the deadline passes."))
    if not reason.strip() or days < 1:
        raise ApplicationError(
            _("Give a reason and the number of extra working days."),
            extra={"errors": {"reason": [_("Required.")]}},
        )
    if case.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
        raise ConflictError(_("An extension request is already waiting for the lead."))
    extension = ExtensionRequest.objects.create(
        case=case, requested_by=actor, reason=reason, days=days, old_deadline=case.deadline
    )
    case_event_add(
        case=case,
        verb="extension_requested",
        actor=actor,
        note=reason,
        is_public=False,
        department=_actor_department(case, actor),
    )
    audit_record(
        action="cases.extension.request",
        actor=actor,
        target=case,
        data={"days": days, "reason": reason},
        request=request,
    )
    _notify_staff(
        event="case.extension_requested",
        department=case.lead_department,
        case=case,
        dedup_key=f"extension:{extension.pk}",
        roles=(StaffMembership.Role.LEAD,),
    )
    return extension


def _actor_department(case: Case, actor: User):
    """The department the actor works for on this case: the lead, or a reviewing one."""
    if case.lead_department and actor.roles_in(case.lead_department):
        return case.lead_department
    task = (
        case.review_tasks.filter(state=ReviewTask.State.ACTIVE, department__memberships__user=actor)
        .select_related("department")
        .first()
    )
    return task.department if task else None


def _has_active_task(case: Case, user: User) -> bool:
    return any(
        user.has_perm(TASK_ACT, task)
        for task in case.review_tasks.filter(state=ReviewTask.State.ACTIVE)
    )


@transaction.atomic
def extension_decide(
    *,
    extension: ExtensionRequest,
    actor: User,
    approve: bool,
    request: HttpRequest | None = None,
) -> ExtensionRequest:
    extension = (
        ExtensionRequest.objects.select_for_update(of=("self",))
        .select_related("case")
        .get(pk=extension.pk)
    )
    case = Case.objects.select_for_update().get(pk=extension.case_id)
    if StaffMembership.Role.LEAD not in actor.roles_in(case.lead_department):
        raise PermissionDenied
    if extension.state != ExtensionRequest.State.PENDING:
        raise ConflictError(_("This request has already been decided."))
    extension.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REFUSED
    extension.decided_by = actor
    extension.decided_at = timezone.now()
    if approve:
        extension.new_deadline = add_working_days(case.deadline, extension.days)
        case.deadline = extension.new_deadline
        # A new deadline is a new chance: a later breach is escalated again.
        case.escalated_at = None
        case.save(update_fields=["deadline", "escalated_at", "updated_at"])
        ReviewTask.objects.filter(
            case=case, state=ReviewTask.State.ACTIVE, due_date=extension.old_deadline
        ).update(due_date=case.deadline)
    extension.save()
    case_event_add(
        case=case,
        verb="extension_granted" if approve else "extension_refused",
        actor=actor,
        note=extension.reason if approve else "",
        is_public=approve,
    )
    audit_record(
        action="cases.extension.approve" if approve else "cases.extension.refuse",
        actor=actor,
        target=case,
        data={"days": extension.days, "new_deadline": extension.new_deadline},
        request=request,
    )
    if approve:
        notify(
            event="case.extended",
            recipients=[case.applicant],
            context={**case_notification_context(case), "reason": extension.reason},
            dedup_key=f"extension:{extension.pk}",
        )
    return extension


@transaction.atomic
def case_decision_letter_issue(*, case_id: int, signature_id: int):
    """Render the decision letter, seal it with the lead department's certificate, attach it to
    the case and send it back to the resident. Once per decision: a retry finds it."""
    from apps.documents.services import document_issue
    from apps.signatures.models import SignatureRecord

    from ..models import CaseDocument

    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("service", "applicant", "lead_department")
        .get(pk=case_id)
    )
    existing = case.case_documents.filter(
        document__kind="decision_letter", created_at__gte=case.decided_at
    ).first()
    if existing is not None:
        return existing.document
    signature = SignatureRecord.objects.select_related("signer").get(pk=signature_id)
    profile = getattr(case.applicant, "profile", None)
    approved = case.state == Case.State.APPROVED
    document = document_issue(
        kind="decision_letter",
        title=(_("Approval of %(number)s") if approved else _("Decision on %(number)s"))
        % {"number": case.number},
        template_name="documents/decision_letter.html",
        context={
            "case_number": case.number,
            "service_name": case.service.name,
            "applicant_name": profile.real_name if profile else str(case.applicant),
            "approved": approved,
            "reasons": case.decision_reasons,
            "granted_until": case.granted_until,
            "legal_basis": case.service.legal_basis,
            "department": str(case.lead_department),
            "decided_at": timezone.localtime(case.decided_at),
            "signed_by": str(signature.signer),
            "signature_digest": signature.digest,
            "submitted_at": timezone.localtime(case.submitted_at) if case.submitted_at else None,
        },
        seal=case.lead_department.code,
        created_by=signature.signer,
    )
    CaseDocument.objects.create(case=case, document=document)
    case_event_add(case=case, verb="decision_letter_issued", actor=None)
    transaction.on_commit(lambda: _announce_outcome(case))
    notify(
        event="case.decided",
        recipients=[case.applicant],
        context={
            **case_notification_context(case),
            "outcome": case.state,
            "approved": approved,
            "reason": case.decision_reasons,
        },
        dedup_key=f"case:{case.pk}:decided:{document.pk}",
    )
    return document
