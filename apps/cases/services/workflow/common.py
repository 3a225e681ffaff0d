"""What the workflow commands share: who reviews, today, telling a department's staff."""

from collections.abc import Sequence
from datetime import date

from django.utils import timezone

from apps.accounts.models import Department, StaffMembership
from apps.accounts.selectors import department_staff
from apps.notifications.services import notify

from ...models import Case
from ..transitions import case_notification_context

REVIEWER_ROLES = (StaffMembership.Role.CLERK, StaffMembership.Role.LEAD)


def _today() -> date:
    return timezone.localdate()


def _notify_staff(
    *,
    event: str,
    department: Department | None,
    case: Case,
    dedup_key: str,
    roles: Sequence[str] = REVIEWER_ROLES,
    **extra: object,
) -> None:
    if department is None:
        return
    recipients = department_staff(department=department, roles=roles)
    if recipients:
        notify(
            event=event,
            recipients=recipients,
            context={
                **case_notification_context(case=case),
                "department": str(department),
                **extra,
            },
            dedup_key=dedup_key,
        )
