"""The tables the pages show, read from the monthly rollups (`models.MonthlyFigure`, folded
from the daily ones): one query over the months of the period and two for the names, whatever
the number of cases; and the roll-ups that fold a fine table into coarser ones without more
queries."""

from __future__ import annotations

from collections.abc import Iterable

from apps.accounts.models import Department
from apps.catalog.models import ServiceItem

from ..models import COUNTER_FIELDS, MonthlyFigure
from .periods import MetricsFilters, month_key
from .recount import DIMENSIONS
from .rows import Row


def metrics_table(*, group_by: list[str], filters: MetricsFilters) -> list[Row]:
    """The metrics grouped by `group_by` (a subset of DIMENSIONS, in order), for `filters`, from
    the rollups: three queries (the period's monthly rows, two for the names)."""
    unknown = set(group_by) - set(DIMENSIONS)
    if unknown:
        raise ValueError(f"unknown dimensions: {sorted(unknown)}")
    queryset = MonthlyFigure.objects.filter(month__gte=filters.start, month__lte=filters.end)
    if filters.scope is not None:
        queryset = queryset.filter(department_id__in=filters.scope)
    if filters.department_id is not None:
        queryset = queryset.filter(department_id=filters.department_id)
    if filters.service_id is not None:
        queryset = queryset.filter(service_id=filters.service_id)
    columns = ("department_id", "service_id", "channel", "month", *COUNTER_FIELDS)
    positions = [("department", "service", "channel", "month").index(dim) for dim in group_by]
    rows: dict[tuple, Row] = {}
    months: dict = {}
    for values in queryset.values_list(*columns, "working_days").order_by():
        if values[3] not in months:
            months[values[3]] = month_key(value=values[3])
        parts = (values[0], values[1], values[2], months[values[3]])
        key = tuple(parts[position] for position in positions)
        row = rows.get(key)
        if row is None:
            named = dict(zip(("department", "service", "channel", "month"), parts, strict=True))
            row = rows[key] = Row(
                key=key,
                department_id=named["department"] if "department" in group_by else None,
                service_id=named["service"] if "service" in group_by else None,
                channel=named["channel"] if "channel" in group_by else None,
                month=named["month"] if "month" in group_by else None,
            )
        counters = row.__dict__
        for offset, name in enumerate(COUNTER_FIELDS, start=4):
            counters[name] += values[offset]
        histogram = row.working_days
        for text, n in values[-1].items():
            days = int(text)
            histogram[days] += n
            row.working_days_sum += days * n
            row.working_days_count += n
    out = [row for row in rows.values() if any(getattr(row, name) for name in COUNTER_FIELDS)]
    label_rows(rows=out)
    return sorted(out, key=_sort_key)


def label_rows(*, rows: list[Row]) -> None:
    """Names for the departments and services of the rows: two queries, whatever the rows; each
    name is worked out once (in the active language), not once a row."""
    department_ids = {row.department_id for row in rows if row.department_id is not None}
    service_ids = {row.service_id for row in rows if row.service_id is not None}
    departments = {
        pk: (str(department), department.code)
        for pk, department in (
            Department.objects.in_bulk(department_ids) if department_ids else {}
        ).items()
    }
    services = {
        pk: (service.name, service.code)
        for pk, service in (ServiceItem.objects.in_bulk(service_ids) if service_ids else {}).items()
    }
    for row in rows:
        if row.department_id in departments:
            row.department_label, row.department_code = departments[row.department_id]
        if row.service_id in services:
            row.service_label, row.service_code = services[row.service_id]


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
