"""Keeping the daily rollups current: recompute whole days from the raw rows.

- `rollups_recompute_days`: the exact figures of some days, counted again (`recount_table`) and
  written in place of what the rollups held for them.
- `rollups_catch_up`: what changed since the watermark (cases, timeline events, rating requests,
  ratings, rectifications: each through an index on its timestamp) names the days to recompute:
  a case's received and decided days, now and when it was last counted (`CountedCase`), the
  days of the ratings and rating requests a new rating or rectification changes. The beat task
  `metrics-rollups-catch-up` runs it every minute; without beat (the embedded default) the
  dashboard and the open data run it themselves, at most every `FRESH_SECONDS`
  (`rollups_refresh_if_due`).
- `rollups_rebuild`: everything (or a date range) counted again from the raw rows; what
  `manage.py metrics_rebuild` and a bulk loader call.

Each run locks the watermark row, so two never write the same days at once. The next run looks
back `METRICS_CATCH_UP_OVERLAP` seconds before the watermark, for transactions that were still
open when the last one read."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Max, Min, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from apps.cases.models import Case, CaseEvent
from apps.feedback.models import Rating, RatingRequest, Rectification

from .models import COUNTER_FIELDS, CountedCase, DailyFigure, DailyHandlingDays, RollupWatermark
from .selectors import (
    VERB_COMPLAINT_RETURN,
    VERB_CORRECTION,
    VERB_REOPEN,
    DayRanges,
    add_months,
    local_tz,
    month_start,
    recount_table,
)

WATERMARK = "daily"
FRESH_KEY = "metrics:rollups:fresh"
FRESH_SECONDS = 10
# More changed cases than this since the watermark (a bulk load): rebuild instead.
CATCH_UP_LIMIT = 50_000
_CHUNK = 500
_DAYS_PER_QUERY = 40
_FINEST = ["day", "department", "service", "channel"]
_VERBS = (VERB_REOPEN, VERB_COMPLAINT_RETURN, VERB_CORRECTION)


@dataclass(frozen=True)
class RollupRun:
    """What one run did: how many days it recomputed, or that another run held the lock."""

    days: int
    rebuilt: bool = False
    skipped: bool = False


def _overlap() -> timedelta:
    return timedelta(seconds=int(getattr(settings, "METRICS_CATCH_UP_OVERLAP", 300)))


def _local_day(value: datetime | None) -> date | None:
    return timezone.localtime(value, local_tz()).date() if value is not None else None


def _chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _watermark(*, wait: bool) -> RollupWatermark | None:
    """The watermark row, locked for this transaction; None when another run holds it."""
    RollupWatermark.objects.get_or_create(name=WATERMARK, defaults={"value": None})
    locked = RollupWatermark.objects.select_for_update(skip_locked=not wait)
    return locked.filter(name=WATERMARK).first()


def rollups_recompute_days(*, days: Iterable[date]) -> int:
    """Count the given days again from the raw rows and replace their rollups; returns how many
    days. Call inside a transaction that holds the watermark (the services here do)."""
    ordered = sorted(set(days))
    for chunk in _chunks(ordered, _DAYS_PER_QUERY):
        DailyFigure.objects.filter(day__in=chunk).delete()
        DailyHandlingDays.objects.filter(day__in=chunk).delete()
        _write(recount_table(group_by=_FINEST, filters=DayRanges.of(days=chunk)))
    return len(ordered)


def _write(rows: list) -> None:
    figures, histogram = [], []
    for row in rows:
        key = {
            "day": row.day,
            "department_id": row.department_id,
            "service_id": row.service_id,
            "channel": row.channel,
        }
        counters = {name: getattr(row, name) for name in COUNTER_FIELDS}
        if any(counters.values()):
            figures.append(DailyFigure(**key, **counters))
        histogram += [
            DailyHandlingDays(**key, working_days=days, cases=n)
            for days, n in row.working_days.items()
            if n
        ]
    DailyFigure.objects.bulk_create(figures, batch_size=2000)
    DailyHandlingDays.objects.bulk_create(histogram, batch_size=2000)


def _changed_days(since: datetime) -> tuple[set[date], list[CountedCase]] | None:
    """The days whose figures may have changed since `since`, and the cases' new ledger rows;
    None when there are too many changed cases for a catch-up."""
    days: set[date | None] = set()
    cases = list(
        Case.objects.filter(updated_at__gte=since)
        .order_by()
        .values_list("pk", "submitted_at", "decided_at")[: CATCH_UP_LIMIT + 1]
    )
    if len(cases) > CATCH_UP_LIMIT:
        return None
    ledger = []
    for pk, submitted, decided in cases:
        received_on, decided_on = _local_day(submitted), _local_day(decided)
        days.update((received_on, decided_on))
        ledger.append(CountedCase(case_id=pk, received_on=received_on, decided_on=decided_on))
    for chunk in _chunks([pk for pk, _s, _d in cases], _CHUNK):
        for received_on, decided_on in CountedCase.objects.filter(case_id__in=chunk).values_list(
            "received_on", "decided_on"
        ):
            days.update((received_on, decided_on))
    events = CaseEvent.objects.filter(created_at__gte=since, verb__in=_VERBS).values_list(
        "case__submitted_at", "case__decided_at"
    )
    requests = RatingRequest.objects.filter(created_at__gte=since).values_list("opened_at")
    # A rating counts on its day, makes its request rated, and replaces the one it supersedes.
    ratings = Rating.objects.filter(updated_at__gte=since).values_list(
        "created_at", "request__opened_at", "supersedes__created_at"
    )
    rectifications = Rectification.objects.filter(updated_at__gte=since).values_list(
        "rating__created_at"
    )
    for moments in (*events, *requests, *ratings, *rectifications):
        days.update(_local_day(moment) for moment in moments)
    return {day for day in days if day is not None}, ledger


def _mark_fresh() -> None:
    cache.set(FRESH_KEY, 1, FRESH_SECONDS)


def rollups_catch_up(*, wait: bool = False) -> RollupRun:
    """Take in what changed since the watermark. The first run ever rebuilds everything. With
    `wait=False` a run that finds another one at work returns at once (`skipped`)."""
    started = timezone.now()
    with transaction.atomic():
        mark = _watermark(wait=wait)
        if mark is None:
            return RollupRun(days=0, skipped=True)
        changed = _changed_days(mark.value - _overlap()) if mark.value is not None else None
        if changed is None:
            days = _rebuild_all()
            rebuilt = True
        else:
            days_to_do, ledger = changed
            days = rollups_recompute_days(days=days_to_do)
            _upsert(ledger)
            rebuilt = False
        mark.value = started
        mark.save(update_fields=["value"])
    _mark_fresh()
    return RollupRun(days=days, rebuilt=rebuilt)


def rollups_refresh_if_due() -> None:
    """Without beat (the embedded default, `METRICS_CATCH_UP_ON_READ`), a page that reads the
    rollups catches up first, at most once a minute; with beat it costs nothing."""
    on_read = getattr(settings, "METRICS_CATCH_UP_ON_READ", settings.CELERY_TASK_ALWAYS_EAGER)
    if on_read and cache.add(FRESH_KEY, 1, FRESH_SECONDS):
        rollups_catch_up(wait=False)


def rollups_rebuild(*, first: date | None = None, last: date | None = None) -> RollupRun:
    """Count every day from `first` to `last` (both included; all days when neither is given)
    again from the raw rows. A full rebuild also rewrites the ledger and moves the watermark."""
    started = timezone.now()
    with transaction.atomic():
        mark = _watermark(wait=True)
        if mark is None:  # pragma: no cover - a waiting lock always returns the row
            raise RuntimeError("the rollups' watermark is missing")
        if first is None and last is None:
            days = _rebuild_all()
            mark.value = started
            mark.save(update_fields=["value"])
        else:
            low, high = _extent()
            first, last = first or low, last or high
            days = _rebuild_range(first, last) if first and last and first <= last else 0
            _ledger_for_range(first, last)
    _mark_fresh()
    return RollupRun(days=days, rebuilt=True)


def _extent() -> tuple[date | None, date | None]:
    """The first and last day any raw row counts on (four index look-ups)."""
    found: list[datetime] = []
    for queryset, column in (
        (Case.objects.all(), "submitted_at"),
        (Case.objects.all(), "decided_at"),
        (RatingRequest.objects.all(), "opened_at"),
        (Rating.objects.all(), "created_at"),
    ):
        values = queryset.aggregate(low=Min(column), high=Max(column))
        found += [value for value in values.values() if value is not None]
    if not found:
        return None, None
    return _local_day(min(found)), _local_day(max(found))


def _rebuild_range(first: date, last: date) -> int:
    """Each month of the range in turn: delete, count again, write."""
    count, start = 0, first
    while start <= last:
        end = min(last, add_months(value=month_start(value=start), months=1) - timedelta(days=1))
        DailyFigure.objects.filter(day__gte=start, day__lte=end).delete()
        DailyHandlingDays.objects.filter(day__gte=start, day__lte=end).delete()
        _write(recount_table(group_by=_FINEST, filters=DayRanges(ranges=((start, end),))))
        count += (end - start).days + 1
        start = end + timedelta(days=1)
    return count


def _rebuild_all() -> int:
    DailyFigure.objects.all().delete()
    DailyHandlingDays.objects.all().delete()
    CountedCase.objects.all().delete()
    first, last = _extent()
    count = _rebuild_range(first, last) if first and last else 0
    _ledger_insert_all()
    return count


def _ledger_rows(where: Q) -> QuerySet[Any, Any]:
    """(case id, received day, decided day) of the cases `where` selects."""
    tz = local_tz()
    rows: QuerySet[Any, Any] = (
        Case.objects.filter(where)
        .annotate(
            m_received=TruncDate("submitted_at", tzinfo=tz),
            m_decided=TruncDate("decided_at", tzinfo=tz),
        )
        .values_list("pk", "m_received", "m_decided")
        .order_by()
    )
    return rows


def _ledger_insert_all() -> None:
    """One INSERT … SELECT: the ledger of a million cases in seconds."""
    counted = Q(submitted_at__isnull=False) | Q(decided_at__isnull=False)
    select, params = _ledger_rows(counted).query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(CountedCase._meta.db_table)
    columns = ", ".join(quote(name) for name in ("case_id", "received_on", "decided_on"))
    with connection.cursor() as cursor:
        # The table and column names come from the model, the SELECT is compiled by the ORM
        # with its values bound as parameters: nothing here comes from a user.
        cursor.execute(f"INSERT INTO {table} ({columns}) {select}", params)


def _ledger_for_range(first: date | None, last: date | None) -> None:
    if first is None or last is None:
        return
    low, after = DayRanges(ranges=((first, last),)).bounds_list()[0]
    in_range = Q(submitted_at__gte=low, submitted_at__lt=after) | Q(
        decided_at__gte=low, decided_at__lt=after
    )
    batch: list[CountedCase] = []
    for pk, received_on, decided_on in _ledger_rows(in_range).iterator(chunk_size=2000):
        batch.append(CountedCase(case_id=pk, received_on=received_on, decided_on=decided_on))
        if len(batch) >= 2000:
            _upsert(batch)
            batch = []
    _upsert(batch)


def _upsert(ledger: list[CountedCase]) -> None:
    CountedCase.objects.bulk_create(
        ledger,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["case"],
        update_fields=["received_on", "decided_on"],
    )
