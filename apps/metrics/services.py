"""Keeping the rollups current: count again, from the raw rows, what changed.

- `rollups_catch_up`: what changed since the watermark (cases, timeline events, rating requests,
  ratings, rectifications: each through an index on its timestamp) names the (day, service)
  pairs to count again (`recount_table`) and write in place of what the rollups held for them:
  a case's received and decided days, now and when it was last counted (`CountedCase`), the
  days of the ratings and rating requests a new rating or rectification changes; then the
  months those days fall in are folded again for those services. The beat task
  `metrics-rollups-catch-up` runs it every minute; without beat (the embedded default) the
  dashboard and the open data run it themselves, at most every `FRESH_SECONDS`
  (`rollups_refresh_if_due`).
- `rollups_rebuild`: everything (or a date range) counted again from the raw rows; what
  `manage.py metrics_rebuild` and a bulk loader call.

Each run locks the watermark row, so two never write the same days at once. The next run looks
back `METRICS_CATCH_UP_OVERLAP` seconds before the watermark, for transactions that were still
open when the last one read."""

from __future__ import annotations

from collections.abc import Iterator
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

from .models import (
    COUNTER_FIELDS,
    CountedCase,
    DailyFigure,
    MonthlyFigure,
    RollupWatermark,
)
from .selectors import (
    VERB_COMPLAINT_RETURN,
    VERB_CORRECTION,
    VERB_REOPEN,
    DayRanges,
    add_months,
    local_tz,
    month_start,
    recount_table,
    rollups_generation_bump,
)

WATERMARK = "daily"
FRESH_KEY = "metrics:rollups:fresh"
FRESH_SECONDS = 10
# More changed cases than this since the watermark (a bulk load): rebuild instead.
CATCH_UP_LIMIT = 50_000
_CHUNK = 500
_DAYS_PER_QUERY = 31
_BATCH = 2000
_FINEST = ["day", "department", "service", "channel"]
_DIMS = ("department_id", "service_id", "channel")
_VERBS = (VERB_REOPEN, VERB_COMPLAINT_RETURN, VERB_CORRECTION)

# day → the services whose figures of that day to count again
Pairs = dict[date, frozenset[int]]


@dataclass(frozen=True)
class RollupRun:
    """What one run did: how many days and (day, service) pairs it counted again, or that
    another run held the lock."""

    days: int
    pairs: int = 0
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


def _replace(pairs: Pairs) -> None:
    """Count these days' figures of these services again from the raw rows, replace their daily
    rollups and fold the months they fall in again. Each query reads whole days (consecutive
    ones merged into one index range) of the services concerned; only the pairs asked for are
    written."""
    months: dict[date, frozenset[int]] = {}
    for chunk in _chunks(sorted(pairs), _DAYS_PER_QUERY):
        part = {day: pairs[day] for day in chunk}
        services = frozenset().union(*part.values())
        window = DayRanges.of(days=chunk, services=services)
        rows = recount_table(group_by=_FINEST, filters=window)
        where = Q(pk__in=[])
        for day, day_services in part.items():
            where |= Q(day=day, service_id__in=sorted(day_services))
            month = month_start(value=day)
            months[month] = months.get(month, frozenset()) | day_services
        DailyFigure.objects.filter(where).delete()
        _write([row for row in rows if row.service_id in part[row.day]])
    for month, month_services in sorted(months.items()):
        _fold_month(month, month_services)


def _write(rows: list) -> None:
    figures = []
    for row in rows:
        counters = {name: getattr(row, name) for name in COUNTER_FIELDS}
        if not any(counters.values()):
            continue
        figures.append(
            DailyFigure(
                day=row.day,
                department_id=row.department_id,
                service_id=row.service_id,
                channel=row.channel,
                working_days={str(days): n for days, n in sorted(row.working_days.items()) if n},
                **counters,
            )
        )
    DailyFigure.objects.bulk_create(figures, batch_size=_BATCH)


def _fold_month(month: date, services: frozenset[int] | None) -> None:
    """The month's rollup (of some services) from its days: one read of at most a month of
    daily rows."""
    after = add_months(value=month, months=1)
    old = MonthlyFigure.objects.filter(month=month)
    days = DailyFigure.objects.filter(day__gte=month, day__lt=after)
    if services is not None:
        old = old.filter(service_id__in=sorted(services))
        days = days.filter(service_id__in=sorted(services))
    old.delete()
    folded: dict[tuple, MonthlyFigure] = {}
    for values in days.values_list(*_DIMS, *COUNTER_FIELDS, "working_days").order_by():
        key = values[:3]
        figure = folded.get(key)
        if figure is None:
            figure = folded[key] = MonthlyFigure(
                month=month, department_id=key[0], service_id=key[1], channel=key[2]
            )
        for offset, name in enumerate(COUNTER_FIELDS, start=3):
            setattr(figure, name, getattr(figure, name) + values[offset])
        for text, n in values[-1].items():
            figure.working_days[text] = figure.working_days.get(text, 0) + n
    MonthlyFigure.objects.bulk_create(folded.values(), batch_size=_BATCH)


def _changed(since: datetime) -> tuple[dict[date, set[int]], list[CountedCase]] | None:
    """The (day, service) pairs whose figures may have changed since `since`, and the changed
    cases' new ledger rows; None when there are too many changed cases for a catch-up. A case's
    service and channel never change; its department may (a complaint dispatched elsewhere),
    which a pair (all departments of the service that day) covers."""
    pairs: dict[date, set[int]] = {}

    def add(service: int | None, *moments: datetime | date | None) -> None:
        for moment in moments:
            day = _local_day(moment) if isinstance(moment, datetime) else moment
            if day is not None and service is not None:
                pairs.setdefault(day, set()).add(service)

    cases = list(
        Case.objects.filter(updated_at__gte=since)
        .order_by()
        .values_list("pk", "service_id", "submitted_at", "decided_at")[: CATCH_UP_LIMIT + 1]
    )
    if len(cases) > CATCH_UP_LIMIT:
        return None
    ledger, service_of = [], {}
    for pk, service, submitted, decided in cases:
        received_on, decided_on = _local_day(submitted), _local_day(decided)
        add(service, received_on, decided_on)
        service_of[pk] = service
        ledger.append(CountedCase(case_id=pk, received_on=received_on, decided_on=decided_on))
    for chunk in _chunks(list(service_of), _CHUNK):
        counted = CountedCase.objects.filter(case_id__in=chunk)
        for pk, received_on, decided_on in counted.values_list(
            "case_id", "received_on", "decided_on"
        ):
            add(service_of[pk], received_on, decided_on)
    for service, *moments in CaseEvent.objects.filter(
        created_at__gte=since, verb__in=_VERBS
    ).values_list("case__service_id", "case__submitted_at", "case__decided_at"):
        add(service, *moments)
    for service, opened in RatingRequest.objects.filter(created_at__gte=since).values_list(
        "case__service_id", "opened_at"
    ):
        add(service, opened)
    # A rating counts on its day, makes its request rated, and replaces the one it supersedes.
    for service, *moments in Rating.objects.filter(updated_at__gte=since).values_list(
        "case__service_id", "created_at", "request__opened_at", "supersedes__created_at"
    ):
        add(service, *moments)
    for service, rated in Rectification.objects.filter(updated_at__gte=since).values_list(
        "rating__case__service_id", "rating__created_at"
    ):
        add(service, rated)
    return pairs, ledger


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
        changed = _changed(mark.value - _overlap()) if mark.value is not None else None
        if changed is None:
            run = RollupRun(days=_rebuild_all(), rebuilt=True)
        else:
            pairs, ledger = changed
            _replace({day: frozenset(services) for day, services in pairs.items()})
            _upsert(ledger)
            run = RollupRun(days=len(pairs), pairs=sum(len(s) for s in pairs.values()))
        mark.value = started
        mark.save(update_fields=["value"])
        if run.days:
            rollups_generation_bump()
    _mark_fresh()
    return run


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
        rollups_generation_bump()
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
    """Each month of the range in turn: delete, count again, write, fold."""
    count, start = 0, first
    while start <= last:
        end = min(last, add_months(value=month_start(value=start), months=1) - timedelta(days=1))
        DailyFigure.objects.filter(day__gte=start, day__lte=end).delete()
        _write(recount_table(group_by=_FINEST, filters=DayRanges(ranges=((start, end, None),))))
        _fold_month(month_start(value=start), None)
        count += (end - start).days + 1
        start = end + timedelta(days=1)
    return count


def _rebuild_all() -> int:
    DailyFigure.objects.all().delete()
    MonthlyFigure.objects.all().delete()
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
    low, after, _all = DayRanges(ranges=((first, last, None),)).bounds_list()[0]
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
