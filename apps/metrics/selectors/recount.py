"""The recount from the raw rows: a fixed number of GROUP BY queries over cases, events, rating
requests, ratings and rectifications, merged in Python. This is the one definition of what each
counter counts; the daily rollups are filled from it (`apps.metrics.services`) and the pages
read the rollups (`tables`). Windows are either the months of `MetricsFilters` or a list of day
ranges (the days and services a catch-up counts again), each an index range on the source's
timestamp."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Aggregate, Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from apps.cases.models import Case, CaseEvent
from apps.feedback.models import Rating, RatingRequest, Rectification
from apps.feedback.selectors import ratings_counting_for_satisfaction

from .periods import MetricsFilters, local_tz, month_key
from .rows import Row

DIMENSIONS = ("department", "service", "channel", "month")
RAW_DIMENSIONS = (*DIMENSIONS, "day")
SATISFIED_LEVELS = (5, 4, 3)

VERB_REOPEN = "reopen"
VERB_COMPLAINT_RETURN = "complaint_return"
VERB_CORRECTION = "return_for_correction"


@dataclass(frozen=True)
class _Source:
    """Where one query finds each dimension, the month's timestamp and the department scope."""

    department: str
    service: str
    channel: str
    timestamp: str

    def dims(
        self, group_by: Iterable[str], extra: dict[str, str]
    ) -> dict[str, F | TruncMonth | TruncDate]:
        paths = {"department": self.department, "service": self.service, "channel": self.channel}
        out: dict[str, F | TruncMonth | TruncDate] = {}
        for dim in group_by:
            if dim == "month":
                out["g_month"] = TruncMonth(self.timestamp, tzinfo=local_tz())
            elif dim == "day":
                out["g_day"] = TruncDate(self.timestamp, tzinfo=local_tz())
            else:
                out[f"g_{dim}"] = F(paths[dim])
        for name, path in extra.items():
            out[f"g_{name}"] = F(path)
        return out

    def filter(self, queryset: QuerySet, filters: Window) -> QuerySet:
        bounds = filters.bounds_list()
        if not bounds:
            return queryset.none()
        window = Q()
        for first, after, services in bounds:
            part = Q(**{f"{self.timestamp}__gte": first, f"{self.timestamp}__lt": after})
            if services is not None:
                part &= Q(**{f"{self.service}__in": sorted(services)})
            window |= part
        queryset = queryset.filter(window)
        if filters.scope is not None:
            queryset = queryset.filter(**{f"{self.department}__in": filters.scope})
        if filters.department_id is not None:
            queryset = queryset.filter(**{self.department: filters.department_id})
        if filters.service_id is not None:
            queryset = queryset.filter(**{self.service: filters.service_id})
        return queryset


Bounds = list[tuple[datetime, datetime, frozenset[int] | None]]


@dataclass(frozen=True)
class DayRanges:
    """A window of whole days (in the portal's time zone): [first, last] ranges, inclusive,
    each for some services only or (None) for all of them."""

    ranges: tuple[tuple[date, date, frozenset[int] | None], ...]
    scope: frozenset[int] | None = None
    department_id: int | None = None
    service_id: int | None = None

    @classmethod
    def of(cls, *, days: Iterable[date], services: frozenset[int] | None = None) -> DayRanges:
        """Consecutive days merged into ranges."""
        ranges: list[tuple[date, date, frozenset[int] | None]] = []
        for day in sorted(set(days)):
            if ranges and ranges[-1][1] + timedelta(days=1) == day:
                ranges[-1] = (ranges[-1][0], day, services)
            else:
                ranges.append((day, day, services))
        return cls(ranges=tuple(ranges))

    def bounds_list(self) -> Bounds:
        tz = local_tz()
        out: Bounds = []
        for first, last, services in self.ranges:
            after = last + timedelta(days=1)
            out.append(
                (
                    datetime(first.year, first.month, first.day, tzinfo=tz),
                    datetime(after.year, after.month, after.day, tzinfo=tz),
                    services,
                )
            )
        return out


Window = MetricsFilters | DayRanges

RECEIVED = _Source("lead_department_id", "service_id", "channel", "submitted_at")
DECIDED = _Source("lead_department_id", "service_id", "channel", "decided_at")
EVENT_RECEIVED = _Source(
    "case__lead_department_id", "case__service_id", "case__channel", "case__submitted_at"
)
EVENT_DECIDED = _Source(
    "case__lead_department_id", "case__service_id", "case__channel", "case__decided_at"
)
REQUESTS = _Source("department_id", "case__service_id", "case__channel", "opened_at")
RATINGS = _Source("department_id", "case__service_id", "case__channel", "created_at")


def _grouped(
    queryset: QuerySet,
    source: _Source,
    group_by: list[str],
    filters: Window,
    *,
    extra: dict[str, str] | None = None,
    **aggregates: Aggregate,
) -> Iterable[dict[str, Any]]:
    """One GROUP BY query: the dimensions (and `extra` columns, name → field) with aggregates."""
    dims = source.dims(group_by, extra or {})
    queryset = source.filter(queryset, filters)
    if dims:
        grouped: QuerySet[Any, dict[str, Any]] = (
            queryset.annotate(**dims).values(*dims).order_by().annotate(**aggregates)
        )
        return grouped
    return [queryset.aggregate(**aggregates)]


def _month_text(value: date | datetime) -> str:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, local_tz())
        value = value.date()
    return month_key(value=value)


class _Table:
    def __init__(self, group_by: list[str]):
        self.group_by = group_by
        self.rows: dict[tuple, Row] = {}
        self.month_texts: dict[date | datetime, str] = {}

    def _day(self, value: date | datetime | None) -> date | None:
        if isinstance(value, datetime):  # pragma: no cover - backends give dates
            return timezone.localtime(value, local_tz()).date()
        return value

    def _month(self, value: date | datetime | None) -> str | None:
        if value is None:
            return None
        if value not in self.month_texts:
            self.month_texts[value] = _month_text(value)
        return self.month_texts[value]

    def row(self, values: dict[str, Any]) -> Row:
        parts: dict[str, Any] = {}
        for dim in self.group_by:
            value = values[f"g_{dim}"]
            if dim == "month":
                parts[dim] = self._month(value)
            elif dim == "day":
                parts[dim] = self._day(value)
            else:
                parts[dim] = value
        key = tuple(parts[dim] for dim in self.group_by)
        if key not in self.rows:
            self.rows[key] = Row(
                key=key,
                department_id=parts.get("department"),
                service_id=parts.get("service"),
                channel=parts.get("channel"),
                month=parts.get("month"),
                day=parts.get("day"),
            )
        return self.rows[key]


def recount_table(*, group_by: list[str], filters: Window) -> list[Row]:
    """The counters grouped by `group_by` (a subset of RAW_DIMENSIONS, in order), counted from
    the raw rows in `filters`' window: seven aggregate queries, whatever the data. The rows are
    not named nor sorted (see `tables.label_rows`)."""
    unknown = set(group_by) - set(RAW_DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions: {sorted(unknown)}")
    table = _Table(list(group_by))
    cases = Case.objects.all()

    for values in _grouped(cases, RECEIVED, group_by, filters, n=Count("pk")):
        if values["n"]:
            table.row(values).received += values["n"]

    # One row per cell and number of working days: the histogram gives the percentile, and
    # rolls up.
    decided = _grouped(
        cases,
        DECIDED,
        group_by,
        filters,
        extra={"days": "working_days_to_outcome"},
        n=Count("pk"),
        on_time=Count("pk", filter=Q(outcome_on_time=True)),
    )
    for values in decided:
        if not values["n"]:
            continue
        row = table.row(values)
        row.decided += values["n"]
        row.on_time += values["on_time"]
        days = values["g_days"]
        if days is not None:
            row.working_days_sum += days * values["n"]
            row.working_days_count += values["n"]
            row.working_days[days] += values["n"]

    events = CaseEvent.objects.all()
    received_events = _grouped(
        events.filter(verb__in=[VERB_COMPLAINT_RETURN, VERB_CORRECTION]),
        EVENT_RECEIVED,
        group_by,
        filters,
        extra={"verb": "verb"},
        n=Count("case_id", distinct=True),
    )
    for values in received_events:
        if not values["n"]:
            continue
        row = table.row(values)
        if values["g_verb"] == VERB_CORRECTION:
            row.corrected += values["n"]
        else:
            row.complaint_returned += values["n"]

    for values in _grouped(
        events.filter(verb=VERB_REOPEN, case__decided_at__isnull=False),
        EVENT_DECIDED,
        group_by,
        filters,
        n=Count("case_id", distinct=True),
    ):
        if values["n"]:
            table.row(values).reopened += values["n"]

    _rating_metrics(table, group_by, filters)
    return list(table.rows.values())


def _rating_metrics(table: _Table, group_by: list[str], filters: Window) -> None:
    first_rating = Rating.objects.filter(request=OuterRef("pk"), supersedes__isnull=True)
    for values in _grouped(
        RatingRequest.objects.all(),
        REQUESTS,
        group_by,
        filters,
        n=Count("pk"),
        rated=Count("pk", filter=Q(Exists(first_rating))),
    ):
        if values["n"]:
            row = table.row(values)
            row.rating_requests += values["n"]
            row.rated += values["rated"]

    # The one rule of what the satisfaction rate counts lives with the ratings (see there).
    for values in _grouped(
        ratings_counting_for_satisfaction(),
        RATINGS,
        group_by,
        filters,
        n=Count("pk"),
        satisfied=Count("pk", filter=Q(level__in=SATISFIED_LEVELS)),
    ):
        if values["n"]:
            row = table.row(values)
            row.counted_ratings += values["n"]
            row.satisfied += values["satisfied"]

    answered = Rectification.objects.filter(
        rating=OuterRef("pk"), state=Rectification.State.ANSWERED
    )
    informed = Rectification.objects.filter(
        rating=OuterRef("pk"), resident_informed_at__isnull=False
    )
    for values in _grouped(
        Rating.objects.filter(excluded=False, is_bad=True),
        RATINGS,
        group_by,
        filters,
        n=Count("pk"),
        rectified=Count("pk", filter=Q(Exists(answered))),
        followed_up=Count("pk", filter=Q(Exists(informed))),
    ):
        if values["n"]:
            row = table.row(values)
            row.bad_ratings += values["n"]
            row.rectified += values["rectified"]
            row.followed_up += values["followed_up"]
