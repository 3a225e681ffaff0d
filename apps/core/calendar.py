"""The working-day calendar: weekends and public holidays are skipped, make-up working days (调休)
count.

Three sources, strongest first: the administrators' `CalendarDay` overrides, the holiday library
`chinese_calendar` (official holidays and 调休 for the years it covers), and Monday to Friday for
the years it does not cover.

Time limits count from the working day after the start (行政许可法: 自受理之日起; the day of
receipt itself is not counted), so `add_working_days(friday, 1)` is the next Monday."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from itertools import accumulate

import chinese_calendar
from django.utils import timezone

# Overrides are loaded in windows of this many days: one query covers a typical time limit.
_WINDOW_DAYS = 120


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.date()
    return value


def _library_day_is_working(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        # A year the library does not know: Monday to Friday, until someone configures it.
        return day.weekday() < 5


@lru_cache(maxsize=64)
def _library_year(year: int) -> tuple[tuple[bool, ...], tuple[int, ...]]:
    """The library's answer for every day of `year`, and the running count of working days
    (index i: working days among the year's first i days). The library checks its whole table
    on every call: asking once per day of a year, once per process, keeps a list of overdue
    cases from asking it tens of thousands of times a page."""
    first = date(year, 1, 1)
    days = (date(year + 1, 1, 1) - first).days
    flags = tuple(_library_day_is_working(first + timedelta(days=n)) for n in range(days))
    return flags, (0, *accumulate(flags))


def _library_is_working_day(day: date) -> bool:
    return _library_year(day.year)[0][day.timetuple().tm_yday - 1]


def _library_working_days(after: date, through: date) -> int:
    """The library's working days in (after, through], a year's running count at a time."""
    count = 0
    for year in range(after.year, through.year + 1):
        running = _library_year(year)[1]
        start = after.timetuple().tm_yday if year == after.year else 0
        end = through.timetuple().tm_yday if year == through.year else len(running) - 1
        count += running[end] - running[start]
    return count


class WorkingCalendar:
    """Answers "is this a working day?" for many dates with one query per window of dates."""

    def __init__(self):
        self._overrides: dict[date, bool] = {}
        self._loaded: list[tuple[date, date]] = []

    def _is_loaded(self, day: date) -> bool:
        return any(start <= day <= end for start, end in self._loaded)

    def load(self, start: date, end: date) -> None:
        """Read the overrides for [start, end] in one query."""
        from .models import CalendarDay

        if start > end:
            start, end = end, start
        rows = CalendarDay.objects.filter(date__range=(start, end)).values_list("date", "kind")
        for day, kind in rows:
            self._overrides[day] = kind == CalendarDay.Kind.WORKDAY
        self._loaded.append((start, end))

    def is_working_day(self, day: date) -> bool:
        day = _as_date(day)
        if not self._is_loaded(day):
            self.load(day - timedelta(days=7), day + timedelta(days=_WINDOW_DAYS))
        if day in self._overrides:
            return self._overrides[day]
        return _library_is_working_day(day)

    def add_working_days(self, start: date | datetime, days: int) -> date:
        day = _as_date(start)
        if days == 0:
            return day
        step = 1 if days > 0 else -1
        remaining = abs(days)
        # Weekends and holidays rarely add more than half again; load it all up front.
        span = timedelta(days=remaining * 2 + 30)
        self.load(day, day + span) if step > 0 else self.load(day - span, day)
        while remaining:
            day += timedelta(days=step)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: date | datetime, end: date | datetime) -> int:
        first, last = _as_date(start), _as_date(end)
        sign = 1
        if last < first:
            first, last, sign = last, first, -1
        if not any(start <= first and last <= end for start, end in self._loaded):
            self.load(first, last)  # every override between them, in one query
        # The library's count from the running totals, then each override in the range
        # corrects its day.
        count = _library_working_days(first, last)
        for day, working in self._overrides.items():
            if first < day <= last and working != _library_is_working_day(day):
                count += 1 if working else -1
        return sign * count


def is_working_day(d: date | datetime) -> bool:
    """True when people work on `d`: not a weekend or public holiday, or a make-up working day."""
    return WorkingCalendar().is_working_day(d)


def add_working_days(start: date | datetime, days: int) -> date:
    """The deadline `days` working days after `start`; counting starts the day after `start`.

    A submission on Friday with 1 working day is due on Monday. A datetime counts as its local
    date. Negative `days` count backwards (for "due in N working days" warnings)."""
    return WorkingCalendar().add_working_days(start, days)


def working_days_between(start: date | datetime, end: date | datetime) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier).

    `working_days_between(s, add_working_days(s, n)) == n`."""
    return WorkingCalendar().working_days_between(start, end)


def next_working_day(d: date | datetime) -> date:
    """The first working day strictly after `d`."""
    return add_working_days(d, 1)
