"""Internal notes on a complaint: the departments on it, and the hotline's dispatchers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from apps.accounts.models import User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.cases.duties import holds_grant
from apps.cases.models import Case, CaseEvent
from apps.cases.permissions import CASE_VIEW
from apps.cases.services import case_event_add, case_note_add

from ..models import may_dispatch


@transaction.atomic
def complaint_note_add(
    *, case: Case, actor: User, note: str, context: AuditContext | None = None
) -> CaseEvent:
    """An internal note. Whoever sees the case adds it as on any case (`case_note_add`); a
    dispatcher who triages every complaint without the case's permission may too, with no
    department on the line."""
    if holds_grant(actor, CASE_VIEW, case):
        return case_note_add(case=case, actor=actor, note=note, context=context)
    if not may_dispatch(case, actor):
        raise PermissionDenied
    event = case_event_add(case=case, verb="note", actor=actor, note=note.strip(), is_public=False)
    audit_record(
        action=AuditAction.CASE_NOTE,
        actor=actor,
        target=case,
        data={"event": event.pk},
        context=context,
    )
    return event
