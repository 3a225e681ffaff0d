"""The supervisors' dashboard tables, worked out once per rollup generation.

The figures only change when the rollups do (the beat task catches up every minute), so the
tables for one reader scope, period, filter and language are folded once and kept in the shared
cache under the rollups' generation: every supervisor and lead opening the same view in between
is served the same tables without reading the rollups again. A catch-up or rebuild that changed
anything starts a new generation (`rollups_generation_bump`), which retires
the old tables at once; `CACHE_SECONDS` bounds how long a department's renamed label may show."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

from .periods import MetricsFilters
from .rows import Row
from .tables import metrics_table, rollup, total

GENERATION_KEY = "metrics:rollups:generation"
CACHE_SECONDS = 300
FINEST = ["department", "service", "channel", "month"]


@dataclass(frozen=True)
class DashboardTables:
    summary: Row
    by_department: list[Row]
    by_service: list[Row]
    by_channel: list[Row]
    by_month: list[Row]  # every month of the period, empty ones included


def rollups_generation() -> str:
    """The rollups' current generation; a lost cache starts a new one."""
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        generation = cache.get(GENERATION_KEY) or ""
    return str(generation)


def rollups_generation_bump() -> None:
    """Retire every cached dashboard table: now, and again once the rollups' change is
    committed (a table folded in between, from the rows as they were, is retired too)."""

    def bump() -> None:
        cache.set(GENERATION_KEY, uuid.uuid4().hex, None)

    bump()
    transaction.on_commit(bump)


def dashboard_tables(*, filters: MetricsFilters) -> DashboardTables:
    """The dashboard's total and its four views for `filters`: one cache read while the rollups
    stay as they are, else one read of the period's monthly rollups."""
    scope = "all" if filters.scope is None else ",".join(map(str, sorted(filters.scope)))
    view = (
        f"{rollups_generation()}|{get_language()}|{filters.start}|{filters.end}"
        f"|{filters.department_id}|{filters.service_id}|{scope}"
    )
    key = f"metrics:dashboard:{hashlib.sha256(view.encode()).hexdigest()}"
    cached = cache.get(key)
    if isinstance(cached, DashboardTables):
        return cached
    tables = _fold(filters)
    cache.set(key, tables, CACHE_SECONDS)
    return tables


def _fold(filters: MetricsFilters) -> DashboardTables:
    fine = metrics_table(group_by=FINEST, filters=filters)
    by_month = rollup(rows=fine, group_by=["month"])
    found = {row.month: row for row in by_month}
    return DashboardTables(
        summary=total(rows=by_month),  # the same sums, from a dozen rows
        by_department=rollup(rows=fine, group_by=["department"]),
        by_service=rollup(rows=fine, group_by=["service"]),
        by_channel=rollup(rows=fine, group_by=["channel"]),
        by_month=[found.get(month) or Row(key=(month,), month=month) for month in filters.months],
    )
