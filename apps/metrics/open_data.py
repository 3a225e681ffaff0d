"""The public aggregates (open data): by department, by service and by month, never by
person. No names, ID numbers, phones, addresses or free text of residents; rows of fewer than
five cases are suppressed. The same document feeds /open-data/metrics.json, the CSV, the
open-data page and GET /api/v1/metrics/. It is built from the monthly rollups (three queries) and
kept in the shared cache: fresh for five minutes, then the first reader to take the lock builds
it again while the others are served the copy they had (no stampede after a restart or an
expiry)."""

from __future__ import annotations

import csv
import io
import time

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import get_language

from .definitions import MEASURES
from .presenters import (
    SUPPRESS_BELOW,
    SUPPRESSED_TEXT,
    csv_value,
    measure_header,
    public_table,
)
from .selectors import MetricsFilters, metrics_table, month_key, rollup
from .services import rollups_refresh_if_due

CACHE_SECONDS = 300  # how long a document is served as it is
KEEP_SECONDS = 3600  # how long a stale copy may be served while one reader builds the next
LOCK_SECONDS = 60
TABLES = (("by_department", ["department"]), ("by_service", ["service"]), ("by_month", ["month"]))


def open_data(*, filters: MetricsFilters) -> dict:
    """The public document for a period (filters other than the period are ignored)."""
    period = MetricsFilters(start=filters.start, end=filters.end)
    months = f"{month_key(value=period.start)}:{month_key(value=period.end)}"
    key = f"metrics:open-data:{months}:{get_language()}"
    entry = cache.get(key)
    if entry is not None:
        if entry["fresh_until"] > time.time() or not cache.add(f"{key}:lock", 1, LOCK_SECONDS):
            return entry["document"]
    rollups_refresh_if_due()
    document = _build(period)
    cache.set(key, {"document": document, "fresh_until": time.time() + CACHE_SECONDS}, KEEP_SECONDS)
    cache.delete(f"{key}:lock")
    return document


def _build(filters: MetricsFilters) -> dict:
    # One read at the finest public grain; each table is a roll-up of it.
    fine = metrics_table(group_by=["department", "service", "month"], filters=filters)
    document = {
        "generated_at": timezone.now().isoformat(timespec="seconds"),
        "period": {"start": month_key(value=filters.start), "end": month_key(value=filters.end)},
        "suppression_threshold": SUPPRESS_BELOW,
        "definitions": [
            {"key": m.key, "label": str(m.label), "kind": m.kind, "definition": str(m.definition)}
            for m in MEASURES
        ],
    }
    # A department's services are suppressed together: its total is published too.
    size: dict = {}
    for row in fine:
        key = (row.service_id, row.department_id)
        size[key] = size.get(key, 0) + row.cases
    department_of = {}
    for (service, department), _cases in sorted(size.items(), key=lambda item: item[1]):
        department_of[service] = department  # the department with the most cases wins
    for name, group_by in TABLES:
        rows = rollup(rows=fine, group_by=group_by)
        groups = (
            [department_of.get(row.service_id) for row in rows] if name == "by_service" else None
        )
        document[name] = public_table(rows, groups)
    return document


def open_data_csv(document: dict) -> str:
    """The three tables in one sheet, a `table` column saying which; UTF-8 with a BOM."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow(
        [
            "table",
            "department",
            "department_name",
            "service",
            "service_name",
            "month",
            "suppressed",
            *[measure_header(m) for m in MEASURES],
        ]
    )
    for name, _group_by in TABLES:
        for record in document[name]:
            writer.writerow(
                [
                    name,
                    record.get("department", ""),
                    record.get("department_name", ""),
                    record.get("service", ""),
                    record.get("service_name", ""),
                    record.get("month", ""),
                    "yes" if record["suppressed"] else "no",
                    *[
                        SUPPRESSED_TEXT if record["suppressed"] else csv_value(m, record[m.key])
                        for m in MEASURES
                    ],
                ]
            )
    return out.getvalue()
