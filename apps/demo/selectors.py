"""Reads for the benchmark's floor view (development and benchmark runs only)."""

from typing import Any

from apps.cases.models import Case


def case_floor_row(*, pk: int) -> dict[str, Any] | None:
    """One row of `cases_case` by its primary key: the cheapest read a page can make."""
    row: dict[str, Any] | None = (
        Case.objects.filter(pk=pk).values("id", "reference", "state").first()
    )
    return row
