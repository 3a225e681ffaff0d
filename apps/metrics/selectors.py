"""Reads for the metrics: KPIs per department, service, channel and month.

Definitions (the dashboard and the open-data page show the same text, see `definitions`):

- received: cases submitted in the period (month of `submitted_at`).
- decided: cases with an outcome in the period (month of `decided_at`: approved, rejected,
  not accepted, and complaints' replies).
- on-time rate: decided cases whose `outcome_on_time` is true / decided cases.
- average and 90th-percentile working days to outcome: over the decided cases'
  `working_days_to_outcome` (the days waiting for the resident not counted); the percentile is
  the nearest rank (the smallest value with at least 90 % of the cases at or below it).
- active rating rate (主动评价率): rating requests opened in the period that received a first
  rating from the resident (any channel: web, API, SMS or entered at the counter; re-ratings
  after a rectification not counted) / rating requests opened in the period. A case nobody
  rated counts in the denominator only.
- satisfaction rate (满意率): the ratings `feedback.selectors.ratings_counting_for_satisfaction`
  counts (per rated outcome its latest rating, unless an upheld appeal excluded it: then that
  outcome counts nothing), in the month each was given: levels 5, 4 and 3 (非常满意, 满意,
  基本满意) / those ratings.
- rectification rate (差评整改率): bad ratings (level 1 or 2, not excluded on appeal) given in
  the period whose rectification is answered / those bad ratings.
- follow-up rate (回访率): the same bad ratings whose result was brought back to the resident /
  those bad ratings.
- reopen rate: decided cases with a "reopen" event / decided cases.
- return rate (退单率): received cases with a "complaint_return" event / received cases.
- correction rate: received cases with a "return_for_correction" event / received cases.

Dimensions: department (the case's lead department; for ratings the rated department),
service, channel (the case's channel) and month (in the portal's time zone).

`metrics_table()` runs a fixed number of GROUP BY queries, whatever the number of cases, and
merges them in Python. Every row keeps additive counters (sums, counts and a histogram of
working days), so `rollup()` can fold a fine table into coarser ones without more queries: the
dashboard reads the finest table once and rolls it up for each of its views.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Department, StaffMembership
from apps.cases.models import Case, CaseEvent
from apps.catalog.models import ServiceItem
from apps.feedback.models import Rating, RatingRequest, Rectification
from apps.feedback.selectors import ratings_counting_for_satisfaction

DIMENSIONS = ("department", "service", "channel", "month")
SATISFIED_LEVELS = (5, 4, 3)
P90 = 0.9

VERB_REOPEN = "reopen"
VERB_COMPLAINT_RETURN = "complaint_return"
VERB_CORRECTION = "return_for_correction"


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


# --- periods ------------------------------------------------------------------------------


def month_start(value: date) -> date:
    return value.replace(day=1)


def add_months(value: date, months: int) -> date:
    index = value.year * 12 + value.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def parse_month(text: str) -> date:
    """'2025-03' → 1 March 2025; ValueError otherwise."""
    year, month = text.split("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return date(int(year), int(month), 1)


def month_key(value: date) -> str:
    return f"{value.year:04d}-{value.month:02d}"


def months_between(first: date, last: date) -> list[str]:
    keys, current = [], month_start(first)
    while current <= last:
        keys.append(month_key(current))
        current = add_months(current, 1)
    return keys


def default_period(today: date | None = None) -> tuple[date, date]:
    """The last twelve months, this one included."""
    this_month = month_start(today or timezone.localdate())
    return add_months(this_month, -11), this_month


@dataclass(frozen=True)
class MetricsFilters:
    """What to count. `scope`: the departments the reader may see (None: all of them)."""

    start: date  # first month, inclusive
    end: date  # last month, inclusive
    department_id: int | None = None
    service_id: int | None = None
    scope: frozenset[int] | None = None

    @classmethod
    def default(cls, **kwargs) -> MetricsFilters:
        start, end = default_period()
        return cls(start=kwargs.pop("start", start), end=kwargs.pop("end", end), **kwargs)

    def bounds(self) -> tuple[datetime, datetime]:
        tz = local_tz()
        first = datetime(self.start.year, self.start.month, 1, tzinfo=tz)
        after = add_months(self.end, 1)
        return first, datetime(after.year, after.month, 1, tzinfo=tz)

    @property
    def months(self) -> list[str]:
        return months_between(self.start, self.end)


# --- rows ---------------------------------------------------------------------------------


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


@dataclass
class Row:
    """One cell of a metrics table: additive counters, and the rates derived from them."""

    key: tuple
    department_id: int | None = None
    service_id: int | None = None
    channel: str | None = None
    month: str | None = None
    department_label: str = ""
    department_code: str = ""
    service_label: str = ""
    service_code: str = ""
    received: int = 0
    decided: int = 0
    on_time: int = 0
    working_days_sum: int = 0
    working_days_count: int = 0
    working_days: Counter = field(default_factory=Counter)
    reopened: int = 0
    complaint_returned: int = 0
    corrected: int = 0
    rating_requests: int = 0
    rated: int = 0
    counted_ratings: int = 0
    satisfied: int = 0
    bad_ratings: int = 0
    rectified: int = 0
    followed_up: int = 0

    COUNTERS = (
        "received",
        "decided",
        "on_time",
        "working_days_sum",
        "working_days_count",
        "reopened",
        "complaint_returned",
        "corrected",
        "rating_requests",
        "rated",
        "counted_ratings",
        "satisfied",
        "bad_ratings",
        "rectified",
        "followed_up",
    )

    def add(self, other: Row) -> None:
        for name in self.COUNTERS:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.working_days.update(other.working_days)

    @property
    def cases(self) -> int:
        """How many cases the row speaks of (for suppressing small cells)."""
        return max(self.received, self.decided)

    @property
    def on_time_rate(self) -> float | None:
        return _rate(self.on_time, self.decided)

    @property
    def avg_working_days(self) -> float | None:
        return _rate(self.working_days_sum, self.working_days_count)

    @property
    def p90_working_days(self) -> int | None:
        return nearest_rank(self.working_days, P90)

    @property
    def active_rating_rate(self) -> float | None:
        return _rate(self.rated, self.rating_requests)

    @property
    def satisfaction_rate(self) -> float | None:
        return _rate(self.satisfied, self.counted_ratings)

    @property
    def rectification_rate(self) -> float | None:
        return _rate(self.rectified, self.bad_ratings)

    @property
    def follow_up_rate(self) -> float | None:
        return _rate(self.followed_up, self.bad_ratings)

    @property
    def reopen_rate(self) -> float | None:
        return _rate(self.reopened, self.decided)

    @property
    def return_rate(self) -> float | None:
        return _rate(self.complaint_returned, self.received)

    @property
    def correction_rate(self) -> float | None:
        return _rate(self.corrected, self.received)

    @property
    def channel_label(self) -> str:
        return str(Case.Channel(self.channel).label) if self.channel else ""

    @property
    def label(self) -> str:
        """The row's name in a table: its dimensions joined."""
        parts = [
            part
            for part in (self.department_label, self.service_label, self.channel_label, self.month)
            if part
        ]
        return " · ".join(parts) if parts else str(_("All"))


def nearest_rank(histogram: Counter, fraction: float) -> int | None:
    """The nearest-rank percentile of the values counted in `histogram` (value → count)."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = math.ceil(fraction * total)
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None  # pragma: no cover - unreachable


# --- queries ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Source:
    """Where one query finds each dimension, the month's timestamp and the department scope."""

    department: str
    service: str
    channel: str
    timestamp: str

    def dims(self, group_by: Iterable[str], extra: dict[str, str]) -> dict:
        paths = {"department": self.department, "service": self.service, "channel": self.channel}
        out = {}
        for dim in group_by:
            if dim == "month":
                out["g_month"] = TruncMonth(self.timestamp, tzinfo=local_tz())
            else:
                out[f"g_{dim}"] = F(paths[dim])
        for name, path in extra.items():
            out[f"g_{name}"] = F(path)
        return out

    def filter(self, queryset: QuerySet, filters: MetricsFilters) -> QuerySet:
        first, after = filters.bounds()
        queryset = queryset.filter(
            **{f"{self.timestamp}__gte": first, f"{self.timestamp}__lt": after}
        )
        if filters.scope is not None:
            queryset = queryset.filter(**{f"{self.department}__in": filters.scope})
        if filters.department_id is not None:
            queryset = queryset.filter(**{self.department: filters.department_id})
        if filters.service_id is not None:
            queryset = queryset.filter(**{self.service: filters.service_id})
        return queryset


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
    filters: MetricsFilters,
    *,
    extra: dict[str, str] | None = None,
    **aggregates,
):
    """One GROUP BY query: the dimensions (and `extra` columns, name → field) with aggregates."""
    dims = source.dims(group_by, extra or {})
    queryset = source.filter(queryset, filters)
    if dims:
        queryset = queryset.annotate(**dims).values(*dims).order_by()
        return queryset.annotate(**aggregates)
    return [queryset.aggregate(**aggregates)]


def _month_text(value) -> str:
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value, local_tz())
        value = value.date()
    return month_key(value)


class _Table:
    def __init__(self, group_by: list[str]):
        self.group_by = group_by
        self.rows: dict[tuple, Row] = {}
        self.month_texts: dict = {}

    def _month(self, value) -> str | None:
        if value is None:
            return None
        if value not in self.month_texts:
            self.month_texts[value] = _month_text(value)
        return self.month_texts[value]

    def row(self, values: dict) -> Row:
        parts = {}
        for dim in self.group_by:
            value = values[f"g_{dim}"]
            parts[dim] = self._month(value) if dim == "month" else value
        key = tuple(parts[dim] for dim in self.group_by)
        if key not in self.rows:
            self.rows[key] = Row(
                key=key,
                department_id=parts.get("department"),
                service_id=parts.get("service"),
                channel=parts.get("channel"),
                month=parts.get("month"),
            )
        return self.rows[key]


def metrics_table(*, group_by: list[str], filters: MetricsFilters) -> list[Row]:
    """The metrics grouped by `group_by` (a subset of DIMENSIONS, in order), for `filters`.

    A fixed number of aggregate queries (seven, and two for the names), whatever the data."""
    unknown = set(group_by) - set(DIMENSIONS)
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

    rows = list(table.rows.values())
    _label(rows)
    return sorted(rows, key=_sort_key)


def _rating_metrics(table: _Table, group_by: list[str], filters: MetricsFilters) -> None:
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


def _label(rows: list[Row]) -> None:
    """Names for the departments and services of the rows: two queries, whatever the rows."""
    department_ids = {row.department_id for row in rows if row.department_id is not None}
    service_ids = {row.service_id for row in rows if row.service_id is not None}
    departments = Department.objects.in_bulk(department_ids) if department_ids else {}
    services = ServiceItem.objects.in_bulk(service_ids) if service_ids else {}
    for row in rows:
        if row.department_id is not None and row.department_id in departments:
            row.department_label = str(departments[row.department_id])
            row.department_code = departments[row.department_id].code
        if row.service_id is not None and row.service_id in services:
            row.service_label = services[row.service_id].name
            row.service_code = services[row.service_id].code


def _sort_key(row: Row) -> tuple:
    return (
        row.department_code,
        row.service_code,
        row.channel or "",
        row.month or "",
    )


def rollup(rows: Iterable[Row], group_by: list[str]) -> list[Row]:
    """Fold a finer table into one grouped by `group_by` (a subset of its dimensions)."""
    out: dict[tuple, Row] = {}
    for row in rows:
        parts = {
            "department": row.department_id,
            "service": row.service_id,
            "channel": row.channel,
            "month": row.month,
        }
        key = tuple(parts[dim] for dim in group_by)
        target = out.get(key)
        if target is None:
            target = out[key] = Row(key=key)
            if "department" in group_by:
                target.department_id = row.department_id
                target.department_label = row.department_label
                target.department_code = row.department_code
            if "service" in group_by:
                target.service_id = row.service_id
                target.service_label = row.service_label
                target.service_code = row.service_code
            if "channel" in group_by:
                target.channel = row.channel
            if "month" in group_by:
                target.month = row.month
        target.add(row)
    return sorted(out.values(), key=_sort_key)


def total(rows: Iterable[Row]) -> Row:
    """All the rows folded into one."""
    folded = rollup(rows, [])
    return folded[0] if folded else Row(key=())


# --- who sees what ------------------------------------------------------------------------


def metrics_scope_for_user(user) -> frozenset[int] | None:
    """None (every department) for supervisors; a lead's own departments; PermissionDenied
    for everyone else."""
    Role = StaffMembership.Role
    roles = set(
        StaffMembership.objects.filter(
            user=user, is_active=True, role__in=[Role.SUPERVISOR, Role.LEAD]
        ).values_list("role", "department_id")
    )
    if any(role == Role.SUPERVISOR for role, _department in roles):
        return None
    if not roles:
        raise PermissionDenied
    return frozenset(department for _role, department in roles)


def departments_in_scope(scope: frozenset[int] | None) -> list[Department]:
    queryset = Department.objects.filter(is_active=True)
    if scope is not None:
        queryset = queryset.filter(pk__in=scope)
    return list(queryset.order_by("code"))


def services_in_scope(scope: frozenset[int] | None) -> list[ServiceItem]:
    queryset = ServiceItem.objects.all()
    if scope is not None:
        queryset = queryset.filter(lead_department__in=scope)
    return list(queryset.order_by("code"))
