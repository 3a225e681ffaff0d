"""Destruction lists: four eyes, then destruction in batches, and the sealed report.

Every change of a list's state goes through `destruction_list_transition` (the one mechanism
of this machine, as `case_transition` is of a case's): lock the row, check the transition's
permission for the person (a records officer of the list's department, its lead, never one
person for both approvals: `apps/retention/duties.py`), check it can run now, run the
django-fsm transition, save and audit, in one transaction. A refusal is audited and raised
as `PermissionDenied` with its translated reason. Once both approved, the destruction runs
after the commit, in small batches of its own, and leaves the list `destroyed` with its final
report."""

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import TransitionNotAllowed, can_proceed, has_transition_perm

from apps.accounts.models import StaffMembership, User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.personal import personal_digest
from apps.audit.services import audit_record
from apps.cases.models import CaseEvent, ExtensionRequest
from apps.cases.models.grants import CaseGroupGrant, CaseUserGrant
from apps.core.exceptions import ApplicationError, ConflictError
from apps.documents.models import Document
from apps.documents.services import document_issue
from apps.metrics.selectors.recount import VERB_COMPLAINT_RETURN, VERB_CORRECTION, VERB_REOPEN

from ..duties import destruction_refusal
from ..models import CaseRetention, DestructionItem, DestructionList
from .run import batch_size

Role = StaffMembership.Role
State = DestructionList.State
# The timeline lines the published figures count (returns, corrections, reopenings): the
# skeleton keeps them, so a recount after destruction gives the same figures.
COUNTED_VERBS = (VERB_COMPLAINT_RETURN, VERB_CORRECTION, VERB_REOPEN)
# The list's own steps (not a case's timeline verbs, which have labels in cases.timeline).
STEP_REJECT = "reject"
STEP_DESTROY = "destroy"


def destruction_list_transition(
    *,
    destruction_list: DestructionList,
    transition: str,
    actor: User | None,
    note: str = "",
    as_role: str = "",
    context: AuditContext | None = None,
    params: Mapping[str, Any] | None = None,
) -> DestructionList:
    """Lock, check, transition, save, audit: one step of a destruction list."""
    refusal: str | None = None
    with transaction.atomic():
        locked: DestructionList = DestructionList.objects.select_for_update().get(
            pk=destruction_list.pk
        )
        method = getattr(locked, transition)
        if actor is not None and not has_transition_perm(method, actor):
            refusal = (
                destruction_refusal(destruction_list=locked, user=actor, as_role=as_role)
                if as_role
                else None
            )
            if refusal is None and not can_proceed(method):
                raise ConflictError(_("This list changed meanwhile. Reload the page."))
            refusal = refusal or _("You may not do this on a destruction list.")
        else:
            if not can_proceed(method):
                raise ConflictError(_("This list changed meanwhile. Reload the page."))
            before = locked.state
            try:
                method(**(params or {}))
            except TransitionNotAllowed as exc:
                raise ConflictError(_("This list changed meanwhile. Reload the page.")) from exc
            locked.save()
            audit_record(
                action=AuditAction.for_destruction_list(transition),
                actor=actor,
                target=locked,
                data={"from": before, "to": locked.state, "note": personal_digest(note)},
                context=context,
            )
            return locked
    # Refused: the refusal is on the trail too, outside the rolled-back work.
    audit_record(
        action=AuditAction.DESTRUCTION_LIST_REFUSED,
        actor=actor,
        target=destruction_list,
        data={"step": transition, "as": as_role, "reason": refusal},
        context=context,
    )
    raise PermissionDenied(refusal)


def _approval_step(destruction_list: DestructionList, as_role: str) -> str:
    steps: dict[tuple[str, str], str] = {
        (Role.RECORDS_OFFICER, State.PROPOSED): "approve_as_officer",
        (Role.RECORDS_OFFICER, State.LEAD_APPROVED): "complete_as_officer",
        (Role.LEAD, State.PROPOSED): "approve_as_lead",
        (Role.LEAD, State.OFFICER_APPROVED): "complete_as_lead",
    }
    step = steps.get((as_role, destruction_list.state))
    if step is None:
        if as_role not in (Role.RECORDS_OFFICER, Role.LEAD):
            raise ApplicationError(_("Approve as the records officer or as the lead."))
        raise ConflictError(_("This list cannot take that approval now."))
    return step


def destruction_list_approve(
    *,
    destruction_list: DestructionList,
    actor: User,
    as_role: str,
    note: str = "",
    context: AuditContext | None = None,
) -> DestructionList:
    """One of the two approvals (`as_role`: records officer or lead). The second, by another
    person, makes the list approved and queues its destruction after the commit."""
    destruction_list.refresh_from_db()
    step = _approval_step(destruction_list, as_role)
    # Not inside a transaction of its own: a refusal's audit event must outlive the refusal.
    approved = destruction_list_transition(
        destruction_list=destruction_list,
        transition=step,
        actor=actor,
        note=note,
        as_role=as_role,
        context=context,
        params={"by": actor, "at": timezone.now()},
    )
    if approved.state == State.APPROVED:
        from ..tasks import destruction_list_destroy_task

        transaction.on_commit(lambda: destruction_list_destroy_task.delay(approved.pk))
    return approved


def destruction_list_reject(
    *,
    destruction_list: DestructionList,
    actor: User,
    reason: str,
    context: AuditContext | None = None,
) -> DestructionList:
    """Refuse the list (nothing is destroyed; its cases may be proposed again next run)."""
    reason = (reason or "").strip()
    if not reason:
        message = _("Say why the list is rejected.")
        raise ApplicationError(message, errors={"reason": [message]})
    return destruction_list_transition(
        destruction_list=destruction_list,
        transition=STEP_REJECT,
        actor=actor,
        note=reason,
        context=context,
        params={"by": actor, "reason": reason},
    )


def _case_destroy(item: DestructionItem) -> bool:
    """Remove what the anonymised skeleton still held of one case; False when it is on hold."""
    state = CaseRetention.objects.select_for_update().get(case_id=item.case_id)
    if state.legal_hold or state.destroyed_at is not None:
        return False
    case_id = item.case_id
    counts = {
        "timeline_lines": CaseEvent.objects.filter(case_id=case_id)
        .exclude(verb__in=COUNTED_VERBS)
        .delete()[0],
        "extension_requests": ExtensionRequest.objects.filter(case_id=case_id).delete()[0],
        "grants": CaseUserGrant.objects.filter(content_object_id=case_id).delete()[0]
        + CaseGroupGrant.objects.filter(content_object_id=case_id).delete()[0],
    }
    state.destroyed_at = timezone.now()
    state.save(update_fields=["destroyed_at"])
    audit_record(action=AuditAction.RETENTION_CASE_DESTROY, target=item.case, data=counts)
    return True


def destruction_list_destroy(*, list_id: int, size: int | None = None) -> DestructionList:
    """Destroy an approved list's cases in batches (each its own transaction; a case put on
    legal hold since the proposal is skipped), then mark the list destroyed and seal its final
    report. Idempotent: a destroyed list, or destroyed cases, are left as they are."""
    size = size or batch_size()
    destruction_list: DestructionList = DestructionList.objects.get(pk=list_id)
    if destruction_list.state != State.APPROVED:
        return destruction_list
    cursor = 0
    while True:
        with transaction.atomic():
            items = list(
                DestructionItem.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(list_id=list_id, pk__gt=cursor)
                .select_related("case")
                .order_by("pk")[:size]
            )
            if not items:
                break
            for item in items:
                _case_destroy(item)
            cursor = items[-1].pk
    with transaction.atomic():
        destroyed = destruction_list_transition(
            destruction_list=destruction_list,
            transition=STEP_DESTROY,
            actor=None,
            params={"at": timezone.now()},
        )
    destruction_list_report_issue(destruction_list=destroyed, actor=None)
    return destroyed


def destruction_list_report_issue(
    *, destruction_list: DestructionList, actor: User | None
) -> Document:
    """Seal the list's report (its cases, their periods, who approved when, what became of
    each), like every document the portal issues: verification code, QR, PAdES seal."""
    items = list(destruction_list.items.select_related("case").order_by("pk"))
    states = dict(
        CaseRetention.objects.filter(case_id__in=[i.case_id for i in items]).values_list(
            "case_id", "destroyed_at"
        )
    )
    holds = set(
        CaseRetention.objects.filter(
            case_id__in=[i.case_id for i in items], legal_hold=True
        ).values_list("case_id", flat=True)
    )
    rows = [
        {
            "number": item.case_number,
            "service": item.service_code,
            "ended_on": item.ended_on,
            "destroy_due": item.destroy_due,
            "destroyed_at": states.get(item.case_id),
            "on_hold": item.case_id in holds,
        }
        for item in items
    ]
    document = document_issue(
        kind=Document.Kind.DESTRUCTION_LIST,
        title=_("Destruction list %(number)s") % {"number": destruction_list.pk},
        template_name="documents/destruction_list.html",
        context={"list": destruction_list, "rows": rows, "generated_at": timezone.now()},
        created_by=actor,
    )
    DestructionList.objects.filter(pk=destruction_list.pk).update(report=document)
    destruction_list.report = document
    return document
