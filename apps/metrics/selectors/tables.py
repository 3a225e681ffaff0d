"""The tables the pages show, read from the daily rollups (`models.DailyFigure` and
`DailyHandlingDays`): two GROUP BY queries over the days of the period and two for the names,
whatever the number of cases; and the roll-ups that fold a fine table into coarser ones without
more queries."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import F, QuerySet, Sum
from django.db.models.functions import TruncMonth

from apps.accounts.models import Department
from apps.catalog.models import ServiceItem

from ..models import COUNTER_FIELDS, DailyFigure, DailyHandlingDays
from .periods import MetricsFilters, add_months, month_key
from .recount import DIMENSIONS
from .rows import Row

_FIELDS = {"department": "department_id", "service": "service_id", "channel": "channel"}


def _in_period(queryset: QuerySet, filters: MetricsFilters) -> QuerySet:
    after = add_months(value=filters.end, months=1)
    queryset = queryset.filter(day__gte=filters.start, day__lt=after)
    if filters.scope is not None:
        queryset = queryset.filter(department_id__in=filters.scope)
    if filters.department_id is not None:
        queryset = queryset.filter(department_id=filters.department_id)
    if filters.service_id is not None:
        queryset = queryset.filter(service_id=filters.service_id)
    return queryset


def _grouped(
    queryset: QuerySet, group_by: list[str], extra: tuple[str, ...], **sums: Sum
) -> Iterable[dict[str, Any]]:
    dims: dict[str, F | TruncMonth] = {
        f"g_{dim}": TruncMonth("day") if dim == "month" else F(_FIELDS[dim]) for dim in group_by
    }
    dims.update({f"g_{name}": F(name) for name in extra})
    if not dims:
        return [queryset.aggregate(**sums)]
    grouped: QuerySet[Any, dict[str, Any]] = (
        queryset.annotate(**dims).values(*dims).order_by().annotate(**sums)
    )
    return grouped


def _key_of(values: dict[str, Any], group_by: list[str]) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    for dim in group_by:
        value = values[f"g_{dim}"]
        if dim == "month":
            value = month_key(value=value if isinstance(value, date) else value.date())
        parts[dim] = value
    return parts


def metrics_table(*, group_by: list[str], filters: MetricsFilters) -> list[Row]:
    """The metrics grouped by `group_by` (a subset of DIMENSIONS, in order), for `filters`, from
    the rollups: four queries (counters, the working-days histogram, two for the names)."""
    unknown = set(group_by) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions: {sorted(unknown)}")
    group_by = list(group_by)
    rows: dict[tuple, Row] = {}

    def row(values: dict[str, Any]) -> Row:
        parts = _key_of(values, group_by)
        key = tuple(parts[dim] for dim in group_by)
        if key not in rows:
            rows[key] = Row(
                key=key,
                department_id=parts.get("department"),
                service_id=parts.get("service"),
                channel=parts.get("channel"),
                month=parts.get("month"),
            )
        return rows[key]

    figures = _in_period(DailyFigure.objects.all(), filters)
    sums = {f"s_{name}": Sum(name) for name in COUNTER_FIELDS}
    for values in _grouped(figures, group_by, (), **sums):
        counters = {name: values[f"s_{name}"] or 0 for name in COUNTER_FIELDS}
        if not any(counters.values()):
            continue
        target = row(values)
        for name, value in counters.items():
            setattr(target, name, getattr(target, name) + value)

    histogram = _in_period(DailyHandlingDays.objects.all(), filters)
    for values in _grouped(histogram, group_by, ("working_days",), n=Sum("cases")):
        if not values["n"]:
            continue
        target = row(values)
        days, n = values["g_working_days"], values["n"]
        target.working_days[days] += n
        target.working_days_sum += days * n
        target.working_days_count += n

    out = list(rows.values())
    label_rows(rows=out)
    return sorted(out, key=_sort_key)


def label_rows(*, rows: list[Row]) -> None:
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


def rollup(*, rows: Iterable[Row], group_by: list[str]) -> list[Row]:
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


def total(*, rows: Iterable[Row]) -> Row:
    """All the rows folded into one."""
    folded = rollup(rows=rows, group_by=[])
    return folded[0] if folded else Row(key=())
