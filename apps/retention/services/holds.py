"""Legal hold (诉讼保全, an investigation, an appeal): a case on hold is never anonymised or
destroyed, whatever its period. A records officer or the lead of the case's department puts
it on hold and takes it off, each time with a reason, each time audited."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import StaffMembership, User
from apps.audit.actions import AuditAction
from apps.audit.context import AuditContext
from apps.audit.personal import personal_digest
from apps.audit.services import audit_record
from apps.cases.models import Case
from apps.core.exceptions import ApplicationError, ConflictError

from ..models import CaseRetention

Role = StaffMembership.Role
HOLD_ROLES = (Role.RECORDS_OFFICER, Role.LEAD)


def _hold_check(case: Case, actor: User) -> None:
    department = case.lead_department_id or case.service.lead_department_id
    allowed = StaffMembership.objects.filter(
        user=actor, department_id=department, is_active=True, role__in=HOLD_ROLES
    ).exists()
    if not allowed:
        raise PermissionDenied(
            _("Only a records officer or the lead of the case's department may change a hold.")
        )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        message = _("Say why (the court order, the investigation or the appeal).")
        raise ApplicationError(message, errors={"reason": [message]})
    if len(reason) > 1000:
        message = _("Keep the reason under 1000 characters.")
        raise ApplicationError(message, errors={"reason": [message]})
    return reason


@transaction.atomic
def legal_hold_set(
    *, case: Case, actor: User, reason: str, context: AuditContext | None = None
) -> CaseRetention:
    """Put `case` on legal hold: the retention run leaves it alone until the hold is lifted."""
    _hold_check(case, actor)
    reason = _reason(reason)
    CaseRetention.objects.get_or_create(case=case)
    state = CaseRetention.objects.select_for_update().get(case=case)
    if state.legal_hold:
        raise ConflictError(_("This case is already on legal hold."))
    if state.destroyed_at is not None:
        raise ConflictError(_("This case's record was already destroyed."))
    state.legal_hold = True
    state.hold_reason = reason
    state.hold_changed_by = actor
    state.hold_changed_at = timezone.now()
    state.save()
    audit_record(
        action=AuditAction.RETENTION_HOLD_SET,
        actor=actor,
        target=case,
        data={"reason": personal_digest(reason), "anonymised": state.anonymised_at is not None},
        context=context,
    )
    return state


@transaction.atomic
def legal_hold_clear(
    *, case: Case, actor: User, reason: str, context: AuditContext | None = None
) -> CaseRetention:
    """Lift the hold: from the next run on, the schedule applies to the case again."""
    _hold_check(case, actor)
    reason = _reason(reason)
    state = CaseRetention.objects.select_for_update().filter(case=case).first()
    if state is None or not state.legal_hold:
        raise ConflictError(_("This case is not on legal hold."))
    state.legal_hold = False
    state.hold_reason = reason
    state.hold_changed_by = actor
    state.hold_changed_at = timezone.now()
    state.save()
    audit_record(
        action=AuditAction.RETENTION_HOLD_CLEAR,
        actor=actor,
        target=case,
        data={"reason": personal_digest(reason)},
        context=context,
    )
    return state
