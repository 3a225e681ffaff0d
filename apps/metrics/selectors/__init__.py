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

`recount_table()` (in `recount`) is the one definition of these counters, counted from the raw
rows by day or month; it fills the rollups (`models.DailyFigure`, folded into `MonthlyFigure`,
kept current by `apps.metrics.services`). `metrics_table()` reads the monthly rollups: three
queries whatever the number of cases. Every row keeps additive counters (sums, counts and a
histogram of working days), so `rollup()` can fold a fine table into coarser ones without more
queries: the dashboard reads the finest table once and rolls it up for each of its views.
"""

from .dashboard import DashboardTables, dashboard_tables, rollups_generation_bump
from .periods import (
    MetricsFilters,
    add_months,
    default_period,
    local_tz,
    month_key,
    month_start,
    months_between,
    parse_month,
)
from .recount import (
    DECIDED,
    DIMENSIONS,
    EVENT_DECIDED,
    EVENT_RECEIVED,
    RATINGS,
    RAW_DIMENSIONS,
    RECEIVED,
    REQUESTS,
    SATISFIED_LEVELS,
    VERB_COMPLAINT_RETURN,
    VERB_CORRECTION,
    VERB_REOPEN,
    DayRanges,
    recount_table,
)
from .rows import P90, Row, nearest_rank
from .scope import departments_in_scope, metrics_scope_for_user, services_in_scope
from .tables import label_rows, metrics_table, rollup, total

__all__ = [
    "DECIDED",
    "DIMENSIONS",
    "EVENT_DECIDED",
    "EVENT_RECEIVED",
    "P90",
    "RATINGS",
    "RAW_DIMENSIONS",
    "RECEIVED",
    "REQUESTS",
    "SATISFIED_LEVELS",
    "VERB_COMPLAINT_RETURN",
    "VERB_CORRECTION",
    "VERB_REOPEN",
    "DashboardTables",
    "DayRanges",
    "MetricsFilters",
    "Row",
    "add_months",
    "dashboard_tables",
    "default_period",
    "departments_in_scope",
    "label_rows",
    "local_tz",
    "metrics_scope_for_user",
    "metrics_table",
    "month_key",
    "month_start",
    "months_between",
    "nearest_rank",
    "parse_month",
    "recount_table",
    "rollup",
    "rollups_generation_bump",
    "services_in_scope",
    "total",
]
