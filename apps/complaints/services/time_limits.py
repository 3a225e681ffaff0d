"""Time limits kept apart so filing, dispatch and reopening compute them the same way."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from apps.cases.models import Case
from apps.catalog.models import ServiceItem
from apps.core.calendar import add_working_days


def _end_of_day(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(23, 59, 59)))


def complaint_due(
    *, service: ServiceItem, complaint_type: str, urgency: str, start: datetime
) -> tuple[datetime, date]:
    """(due_at, deadline): urgent ones in calendar hours, others by the end of the last working
    day of the category's limit for the type, on the applications' calendar."""
    if urgency == Case.Urgency.URGENT:
        due_at = start + timedelta(hours=service.urgent_hours or 24)
        return due_at, timezone.localdate(due_at)
    day = add_working_days(start, service.complaint_days_for(complaint_type))
    return _end_of_day(day), day


def rating_window_days() -> int:
    return int(getattr(settings, "FEEDBACK_RATING_WINDOW_DAYS", 15))
