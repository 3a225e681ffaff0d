"""The rollups the metrics read instead of the raw tables.

`DailyFigure` holds, per day (in the portal's time zone), department, service and channel, the
additive counters of every measure and the histogram of working days to outcome as a small JSON
object ({"days": cases}), so that averages, medians and percentiles stay exact when days are
folded into months and departments. `MonthlyFigure` is the same days folded into months: what
the pages read (their filters are whole months), a few rows per service and channel whatever
the number of cases. Both are derived data: the catch-up (`services`) recomputes the days and
services touched since its watermark and the months they fall in, and `manage.py
metrics_rebuild` recomputes them from the raw rows. `CountedCase` remembers the days each case
was last counted on, so that a case whose outcome moves to another day (a complaint reopened and
replied to again) is taken off the day it left."""

from typing import ClassVar

from django.db import models
from django.db.models import Q

COUNTER_FIELDS = (
    "received",
    "decided",
    "on_time",
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


def _key_constraints(prefix: str, *, period: str = "day") -> list[models.BaseConstraint]:
    """One row per key; the department is empty for complaints not dispatched yet, and NULLs are
    distinct in a plain unique constraint, so the key without a department has its own."""
    return [
        models.UniqueConstraint(
            fields=[period, "department", "service", "channel"],
            condition=Q(department__isnull=False),
            name=f"{prefix}_unique_key",
        ),
        models.UniqueConstraint(
            fields=[period, "service", "channel"],
            condition=Q(department__isnull=True),
            name=f"{prefix}_unique_key_no_department",
        ),
    ]


class _Dimensions(models.Model):
    department = models.ForeignKey(
        "accounts.Department", null=True, on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey("catalog.ServiceItem", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=20)

    class Meta:
        abstract = True


class _Key(_Dimensions):
    day = models.DateField()

    class Meta:
        abstract = True


class _Counters(models.Model):
    received = models.PositiveIntegerField(default=0)
    decided = models.PositiveIntegerField(default=0)
    on_time = models.PositiveIntegerField(default=0)
    reopened = models.PositiveIntegerField(default=0)
    complaint_returned = models.PositiveIntegerField(default=0)
    corrected = models.PositiveIntegerField(default=0)
    rating_requests = models.PositiveIntegerField(default=0)
    rated = models.PositiveIntegerField(default=0)
    counted_ratings = models.PositiveIntegerField(default=0)
    satisfied = models.PositiveIntegerField(default=0)
    bad_ratings = models.PositiveIntegerField(default=0)
    rectified = models.PositiveIntegerField(default=0)
    followed_up = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True


class DailyFigure(_Key, _Counters):
    """The counters of one day, department, service and channel (see `selectors` for what each
    counts and by which date), and how many of its decided cases took how many working days."""

    objects: ClassVar[models.Manager["DailyFigure"]] = models.Manager()

    working_days = models.JSONField(default=dict)

    class Meta:
        # The recount's deletes and the months' folds read the unique key (day first).
        constraints = _key_constraints("dailyfigure")

    def __str__(self) -> str:
        return f"{self.day} {self.department_id} {self.service_id} {self.channel}"


class MonthlyFigure(_Dimensions, _Counters):
    """The days of one month folded: the counters summed, the histogram of working days as
    {"days": cases}."""

    objects: ClassVar[models.Manager["MonthlyFigure"]] = models.Manager()

    month = models.DateField()  # its first day
    working_days = models.JSONField(default=dict)

    class Meta:
        constraints = _key_constraints("monthlyfigure", period="month")
        # The period's reads use the unique key (month first); a lead's start with the
        # department.
        indexes = [models.Index(fields=["department", "month"], name="monthlyfigure_dept_month")]

    def __str__(self) -> str:
        return f"{self.month} {self.department_id} {self.service_id} {self.channel}"


class CountedCase(models.Model):
    """The days a case was last counted on (received and decided), in the portal's time zone."""

    objects: ClassVar[models.Manager["CountedCase"]] = models.Manager()

    case = models.OneToOneField(
        "cases.Case", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    received_on = models.DateField(null=True)
    decided_on = models.DateField(null=True)

    def __str__(self) -> str:
        return f"{self.case_id} {self.received_on} {self.decided_on}"


class RollupWatermark(models.Model):
    """Up to when the rollups have taken in the raw rows' changes (one row per rollup)."""

    objects: ClassVar[models.Manager["RollupWatermark"]] = models.Manager()

    name = models.CharField(max_length=40, unique=True)
    value = models.DateTimeField(null=True)  # None: never built, the next run rebuilds

    def __str__(self) -> str:
        return f"{self.name} {self.value}"
