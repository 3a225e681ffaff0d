"""Periods: months in the portal's time zone, and the filters of what to count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def month_start(*, value: date) -> date:
    return value.replace(day=1)


def add_months(*, value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_month(*, text: str) -> date:
    """'2025-03' → 1 March 2025; ValueError otherwise."""
    year, month = text.split("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return date(int(year), int(month), 1)


def month_key(*, value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def months_between(*, first: date, last: date) -> list[str]:
    keys, current = [], month_start(value=first)
    while current <= last:
        keys.append(month_key(value=current))
        current = add_months(value=current, months=1)
    return keys


def default_period(*, today: date | None = None) -> tuple[date, date]:
    """The last twelve months, this one included."""
    this_month = month_start(value=today or timezone.localdate())
    return add_months(value=this_month, months=-11), this_month


@dataclass(frozen=True)
class MetricsFilters:
    """What to count. `scope`: the departments the reader may see (None: all of them)."""

    start: date  # first month, inclusive
    end: date  # last month, inclusive
    department_id: int | None = None
    service_id: int | None = None
    scope: frozenset[int] | None = None

    @classmethod
    def default(cls, **kwargs: Any) -> MetricsFilters:
        start, end = default_period()
        return cls(start=kwargs.pop("start", start), end=kwargs.pop("end", end), **kwargs)

    def bounds(self) -> tuple[datetime, datetime]:
        tz = local_tz()
        first = datetime(self.start.year, self.start.month, 1, tzinfo=tz)
        after = add_months(value=self.end, months=1)
        return first, datetime(after.year, after.month, 1, tzinfo=tz)

    def bounds_list(self) -> list[tuple[datetime, datetime, frozenset[int] | None]]:
        first, after = self.bounds()
        return [(first, after, None)]

    @property
    def months(self) -> list[str]:
        return months_between(first=self.start, last=self.end)
