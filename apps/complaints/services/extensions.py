"""Extensions (延期): a department asks before the deadline, a supervisor decides."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import StaffMembership, User
from apps.audit.context import AuditContext
from apps.audit.services import audit_record
from apps.cases.models import Case, ExtensionRequest
from apps.cases.permissions import CASE_PROCESS
from apps.cases.services.transitions import (
    case_event_add,
    case_notification_context,
)
from apps.core.calendar import add_working_days
from apps.core.exceptions import ApplicationError, ConflictError
from apps.notifications.services import notify

from .common import _now, _required, _staff_context, _supervisors

COMPLAINT_HANDLING = (Case.State.DISPATCHED, Case.State.IN_PROGRESS)


@transaction.atomic
def complaint_extension_request(
    *, case: Case, actor: User, days: int, reason: str, context: AuditContext | None = None
) -> ExtensionRequest:
    """Asked by the department before the due time, with a reason; a supervisor decides."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not actor.has_perm(CASE_PROCESS, case):
        raise PermissionDenied
    if case.state not in COMPLAINT_HANDLING:
        raise ConflictError(_("Only a complaint being handled can be extended."))
    if case.due_at is None or case.due_at < _now():
        raise ApplicationError(_("An extension must be asked for before the deadline passes."))
    reason = _required("reason", reason, _("Give a reason and the number of extra working days."))
    if days < 1:
        raise ApplicationError(
            _("Give a reason and the number of extra working days."),
            extra={"errors": {"days": [_("At least one working day.")]}},
        )
    if case.extension_requests.filter(state=ExtensionRequest.State.PENDING).exists():
        raise ConflictError(_("An extension request is already waiting for a decision."))
    extension = ExtensionRequest.objects.create(
        case=case, requested_by=actor, reason=reason, days=days, old_deadline=case.deadline
    )
    case_event_add(
        case=case,
        verb="extension_requested",
        actor=actor,
        note=reason,
        is_public=False,
        department=case.lead_department,
    )
    audit_record(
        action="cases.extension.request",
        actor=actor,
        target=case,
        data={"days": days, "reason": reason},
        context=context,
    )
    supervisors = _supervisors()
    if supervisors:
        notify(
            event="case.extension_requested",
            recipients=supervisors,
            context={**_staff_context(case), "department": str(case.lead_department)},
            dedup_key=f"extension:{extension.pk}",
        )
    return extension


@transaction.atomic
def complaint_extension_decide(
    *, extension: ExtensionRequest, actor: User, approve: bool, context=None
) -> ExtensionRequest:
    """A supervisor (督查) approves or refuses; an approval moves the due time and the reporter
    is told."""
    extension = ExtensionRequest.objects.select_for_update(of=("self",)).get(pk=extension.pk)
    case = Case.objects.select_for_update().get(pk=extension.case_id)
    if not actor.staff_memberships.filter(
        is_active=True, role=StaffMembership.Role.SUPERVISOR
    ).exists():
        raise PermissionDenied
    if extension.state != ExtensionRequest.State.PENDING:
        raise ConflictError(_("This request has already been decided."))
    extension.state = ExtensionRequest.State.APPROVED if approve else ExtensionRequest.State.REFUSED
    extension.decided_by = actor
    extension.decided_at = _now()
    if approve and case.due_at is not None:
        local = timezone.localtime(case.due_at)
        new_day = add_working_days(local.date(), extension.days)
        case.due_at = timezone.make_aware(datetime.combine(new_day, local.time()))
        case.deadline = new_day
        case.escalated_at = None
        case.reminded_at = None
        case.save(update_fields=["due_at", "deadline", "escalated_at", "reminded_at", "updated_at"])
        extension.new_deadline = new_day
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
        context=context,
    )
    if approve:
        notify(
            event="case.extended",
            recipients=[case.applicant],
            context={
                **case_notification_context(case),
                "reason": extension.reason,
                "url": reverse("complaints:track"),
            },
            dedup_key=f"extension:{extension.pk}",
        )
    return extension
