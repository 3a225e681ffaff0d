"""The working-day calendar: weekends, holidays and 调休 from the library, admin overrides."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from apps.core.calendar import (
    WorkingCalendar,
    add_working_days,
    is_working_day,
    next_working_day,
    working_days_between,
)
from apps.core.models import CalendarDay

pytestmark = pytest.mark.django_db

FRIDAY = date(2026, 3, 6)
SATURDAY = date(2026, 3, 7)
MONDAY = date(2026, 3, 9)


def test_weekends_are_skipped():
    # given a submission on a Friday with no holiday near
    # when the deadline is one working day later
    deadline = add_working_days(FRIDAY, 1)
    # then it is the Monday
    assert deadline == MONDAY
    assert not is_working_day(SATURDAY)
    assert next_working_day(FRIDAY) == MONDAY


def test_an_admin_configured_holiday_is_skipped():
    # given the administrator marks the Monday as a local holiday
    CalendarDay.objects.create(date=MONDAY, kind=CalendarDay.Kind.HOLIDAY, name="防汛放假")
    # when / then Friday + 1 working day lands on Tuesday
    assert not is_working_day(MONDAY)
    assert add_working_days(FRIDAY, 1) == date(2026, 3, 10)


def test_a_configured_make_up_saturday_counts():
    # given the Saturday is a make-up working day (调休)
    CalendarDay.objects.create(date=SATURDAY, kind=CalendarDay.Kind.WORKDAY, name="调休上班")
    # then it counts
    assert is_working_day(SATURDAY)
    assert add_working_days(FRIDAY, 1) == SATURDAY
    assert working_days_between(FRIDAY, MONDAY) == 2


def test_official_holidays_and_make_up_days_come_from_the_library():
    # National Day 2026: 1–7 October off, Saturday 10 October worked
    assert not is_working_day(date(2026, 10, 1))
    assert not is_working_day(date(2026, 10, 7))
    assert is_working_day(date(2026, 10, 10))
    # given a case accepted on Wednesday 30 September
    # when it has 1 working day
    # then it is due on Thursday 8 October, after the holiday
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 8)


def test_an_override_beats_the_library():
    # given the administrator makes a library holiday a working day
    CalendarDay.objects.create(date=date(2026, 10, 7), kind=CalendarDay.Kind.WORKDAY)
    assert is_working_day(date(2026, 10, 7))
    assert add_working_days(date(2026, 9, 30), 1) == date(2026, 10, 7)


def test_a_week_long_range():
    monday = date(2026, 3, 2)
    # five working days from a Monday is the next Monday
    assert add_working_days(monday, 5) == date(2026, 3, 9)
    assert working_days_between(monday, date(2026, 3, 9)) == 5
    assert working_days_between(date(2026, 3, 9), monday) == -5
    assert working_days_between(monday, monday) == 0
    assert add_working_days(monday, 0) == monday
    assert add_working_days(date(2026, 3, 9), -5) == monday


def test_between_and_add_agree_across_a_holiday():
    start = date(2026, 9, 25)
    for days in range(0, 25):
        assert working_days_between(start, add_working_days(start, days)) == days


def test_years_the_library_does_not_know_fall_back_to_monday_to_friday():
    assert is_working_day(date(2031, 1, 1))  # a Wednesday
    assert not is_working_day(date(2031, 1, 4))  # a Saturday
    assert add_working_days(date(2031, 1, 3), 1) == date(2031, 1, 6)


def test_a_datetime_counts_as_its_local_date():
    # given Friday 23:30 in Beijing, which is still Friday afternoon in UTC
    submitted = datetime(2026, 3, 6, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))
    assert add_working_days(submitted.astimezone(ZoneInfo("UTC")), 1) == MONDAY


def test_a_long_deadline_reads_the_overrides_in_one_query(django_assert_num_queries):
    CalendarDay.objects.create(date=date(2026, 4, 1), kind=CalendarDay.Kind.HOLIDAY)
    with django_assert_num_queries(1):
        add_working_days(date(2026, 3, 2), 45)
    with django_assert_num_queries(1):
        working_days_between(date(2026, 3, 2), date(2026, 6, 30))


def test_long_ranges_count_what_a_day_by_day_walk_counts(db):
    # given overrides on both sides of a new year, one of them against the library
    CalendarDay.objects.create(date=date(2025, 12, 31), kind=CalendarDay.Kind.HOLIDAY)
    CalendarDay.objects.create(date=date(2026, 1, 3), kind=CalendarDay.Kind.WORKDAY)
    starts = [date(2023, 6, 15), date(2025, 12, 30), date(2026, 1, 1), date(2027, 12, 31)]
    ends = [date(2025, 12, 31), date(2026, 1, 3), date(2026, 2, 20), date(2031, 3, 1)]
    walker = WorkingCalendar()  # one calendar for the walk: a query per window, not per day
    for start in starts:
        for end in ends:
            # then the running count agrees with asking day by day (the definition)
            step = 1 if end >= start else -1
            first, last = (start, end) if step == 1 else (end, start)
            walked = sum(
                walker.is_working_day(first + timedelta(days=n))
                for n in range(1, (last - first).days + 1)
            )
            assert working_days_between(start, end) == step * walked, (start, end)
