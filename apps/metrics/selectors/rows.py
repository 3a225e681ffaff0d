"""Rows of a metrics table: additive counters, and the rates derived from them."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext_lazy as _

from apps.cases.models import Case

P90 = 0.9


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
    day: date | None = None
    department_label: str = ""
    department_code: str = ""
    service_label: str = ""
    service_code: str = ""
    received: int = 0
    decided: int = 0
    on_time: int = 0
    working_days_sum: int = 0
    working_days_count: int = 0
    working_days: Counter[int] = field(default_factory=Counter)
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
        # The dashboard folds every fine row into each of its views: kept to plain dict work.
        mine, theirs = self.__dict__, other.__dict__
        for name in self.COUNTERS:
            mine[name] += theirs[name]
        days = self.working_days
        for value, count in other.working_days.items():
            days[value] += count

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
        return nearest_rank(histogram=self.working_days, fraction=P90)

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


def nearest_rank(*, histogram: Counter[int], fraction: float) -> int | None:
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
