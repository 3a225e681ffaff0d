"""Internal notes: lines of the timeline that only staff read."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from apps.accounts.models import Department, User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.core.exceptions import ApplicationError

from ..duties import holds_grant
from ..models import Case, CaseEvent
from ..permissions import CASE_VIEW
from .transitions import case_event_add


def _note_department(case: Case, actor: User) -> Department | None:
    """The actor's department that works on the case: the lead one first, then a reviewer."""
    mine = {m.department_id: m.department for m in actor.active_memberships}
    if case.lead_department_id in mine:
        return mine[case.lead_department_id]
    for task in case.review_tasks.all():  # prefetched by the staff case page's selector
        if task.department_id in mine:
            return mine[task.department_id]
    return next(iter(mine.values()), None)


@transaction.atomic
def case_note_add(
    *, case: Case, actor: User, note: str, context: AuditContext | None = None
) -> CaseEvent:
    """Add an internal note to the case's timeline: staff see it, the resident never does."""
    if not holds_grant(actor, CASE_VIEW, case):
        raise PermissionDenied
    note = note.strip()
    if not note:
        raise ApplicationError(_("Write the note."), errors={"note": [_("Required.")]})
    department = _note_department(case, actor)
    event = case_event_add(
        case=case, verb="note", actor=actor, note=note, is_public=False, department=department
    )
    audit_record(
        action=AuditAction.CASE_NOTE,
        actor=actor,
        target=case,
        data={"event": event.pk, "department": department.code if department else None},
        context=context,
    )
    return event


def case_staff_view_record(
    *, case: Case, actor: User, context: AuditContext | None = None, file: str = ""
) -> None:
    """个人信息: a staff member opened a resident's case, or one of its files (`file`:
    `attachment:<id>`, `document:<id>`); every such view is on the audit chain."""
    # The viewer's department and role as they were at the time: the resident is shown those
    # (apps.privacy), not the person's name.
    department = _note_department(case, actor)
    roles = sorted(actor.roles_in(department)) if department is not None else []
    data: dict[str, str] = {
        "department": department.code if department is not None else "",
        "role": roles[0] if roles else "",
    }
    if file:
        data["file"] = file
    audit_record(
        action=AuditAction.CASE_STAFF_VIEW,
        actor=actor,
        target=case,
        data=data,
        context=context,
    )
