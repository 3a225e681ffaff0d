"""Small helpers the complaint services share: the clock, required text, who to tell."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts.models import StaffMembership, User
from apps.accounts.selectors import staff_with_role
from apps.cases.models import Case
from apps.cases.services.transitions import ResidentNotice, case_notification_context
from apps.core.exceptions import ApplicationError


def complaint_tracking_path(*, case: Case) -> str:
    """The tracking page with the case's own number filled in: what a reporter without an
    account opens with their extraction code (made absolute by `notify`)."""
    return reverse("complaints:track") + "?" + urlencode({"number": case.number or ""})


def _tracking(case: Case) -> dict[str, str]:
    return {"url": complaint_tracking_path(case=case)}


def _dispatched_to(case: Case) -> dict[str, str]:
    return {"department": str(case.lead_department), **_tracking(case)}


def _merged_into(case: Case) -> dict[str, str]:
    return {"into": (case.merged_into.number or "") if case.merged_into else "", **_tracking(case)}


# What the reporter is told by each complaint transition (registered with the cases app's table
# at start-up); a reply tells the followers too, so `complaint_reply` sends its own.
RESIDENT_NOTICES = {
    "file_complaint": ResidentNotice(event="complaint.received", context=_tracking),
    "dispatch": ResidentNotice(event="complaint.dispatched_resident", context=_dispatched_to),
    "merge": ResidentNotice(event="complaint.merged", context=_merged_into),
}


def _now() -> datetime:
    return timezone.now()


def _required(field: str, value: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ApplicationError(message, errors={field: [_("Required.")]})
    return value


def _dispatchers() -> list[User]:
    return staff_with_role(role=StaffMembership.Role.DISPATCHER)


def _supervisors() -> list[User]:
    return staff_with_role(role=StaffMembership.Role.SUPERVISOR)


def _staff_context(case: Case, **extra: object) -> dict[str, Any]:
    return {
        **case_notification_context(case=case),
        "url": reverse("staff:staff_complaints:detail", args=[case.ref]),
        "due_at": timezone.localtime(case.due_at) if case.due_at else None,
        **extra,
    }
