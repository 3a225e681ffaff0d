"""Turning rows into what pages, CSV files and JSON show: formatted cells, and the public
aggregates with small cells suppressed."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .definitions import MEASURES, Measure
from .selectors import Row

SUPPRESS_BELOW = 5
SUPPRESSED_TEXT = "<5"


def format_value(measure: Measure, value: float | None) -> str:
    if value is None:
        return "—"
    if measure.kind == "rate":
        return number_format(value * 100, decimal_pos=1) + "%"
    if measure.kind == "days":
        return number_format(value, decimal_pos=1 if isinstance(value, float) else 0)
    return number_format(value, force_grouping=True)


def csv_value(measure: Measure, value: float | None) -> str:
    """Plain numbers for spreadsheets: rates as percentages with one decimal."""
    if value is None:
        return ""
    if measure.kind == "rate":
        return f"{value * 100:.1f}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def measure_header(measure: Measure) -> str:
    label = str(measure.label)
    return f"{label} (%)" if measure.kind == "rate" else label


@dataclass
class Cell:
    measure: Measure
    text: str
    value: object


def cells(row: Row) -> list[Cell]:
    out = []
    for measure in MEASURES:
        value = getattr(row, measure.key)
        out.append(Cell(measure, format_value(measure, value), value))
    return out


# --- public aggregates ---------------------------------------------------------------------


def _denominator(row: Row, key: str) -> int:
    return {
        "on_time_rate": row.decided,
        "avg_working_days": row.working_days_count,
        "p90_working_days": row.working_days_count,
        "reopen_rate": row.decided,
        "return_rate": row.received,
        "correction_rate": row.received,
        "active_rating_rate": row.rating_requests,
        "satisfaction_rate": row.counted_ratings,
        "rectification_rate": row.bad_ratings,
        "follow_up_rate": row.bad_ratings,
    }.get(key, row.cases)


def suppressed_rows(rows: list[Row], groups: list | None = None) -> set[int]:
    """Indexes of the rows to suppress: those of fewer than five cases and, in each group (the
    whole table by default) where that hides exactly one row, the next smallest too, so that
    the hidden row cannot be worked out as a published total minus the rows shown."""
    groups = groups if groups is not None else [None] * len(rows)
    hidden = {i for i, row in enumerate(rows) if row.cases < SUPPRESS_BELOW}
    members: dict = {}
    for i, group in enumerate(groups):
        members.setdefault(group, []).append(i)
    for indexes in members.values():
        hidden_here = [i for i in indexes if i in hidden]
        shown = [(rows[i].cases, i) for i in indexes if i not in hidden]
        if len(hidden_here) == 1 and shown:
            hidden.add(min(shown)[1])
    return hidden


def public_record(row: Row, *, suppressed: bool) -> dict:
    """One row for the open data: names and codes of departments and services, months and
    figures only. A suppressed row gives no figure; a rate over fewer than five is left out."""
    record: dict = {}
    if row.department_code:
        record["department"] = row.department_code
        record["department_name"] = row.department_label
    if row.service_code:
        record["service"] = row.service_code
        record["service_name"] = row.service_label
    if row.month:
        record["month"] = row.month
    record["suppressed"] = suppressed
    for measure in MEASURES:
        value = getattr(row, measure.key)
        if suppressed or (
            measure.kind != "count" and _denominator(row, measure.key) < SUPPRESS_BELOW
        ):
            value = None
        elif isinstance(value, float):
            value = round(value, 4 if measure.kind == "rate" else 1)
        record[measure.key] = value
    return record


def public_table(rows: list[Row], groups: list | None = None) -> list[dict]:
    hidden = suppressed_rows(rows, groups)
    return [public_record(row, suppressed=i in hidden) for i, row in enumerate(rows)]


def public_text(record: dict, measure: Measure) -> str:
    """How the open-data page and CSV show a figure: '<5' where suppressed."""
    if record["suppressed"]:
        return SUPPRESSED_TEXT
    value = record[measure.key]
    if value is None:
        return "—"
    return format_value(measure, value)


def no_figure_note() -> str:
    return _("— : no figure (nothing to count, or fewer than five cases behind the rate).")
