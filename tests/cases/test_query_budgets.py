"""The queue, the case page and their API twins run a fixed number of queries, however many
cases the department holds: measured at two data sizes against the same budget."""

import pytest

from apps.cases.models import Case
from tests.cases.staff_factories import accepted_case, submitted_case

# Measured on SQLite and PostgreSQL at 3 / 25 cases: queue page 18 / 16, queue API 7 / 7,
# case page 17 / 16, case API 14 / 14 (a session's first request costs one or two more).
# Session, 2FA device, the memberships (read once a request), the unread-messages badge and
# the audit row of a staff view are in them; the case page's grants come with the case and its
# tasks (`cases.grant_reads`), so nothing grows with the number of cases or of buttons.
BUDGETS = {
    "queue_page": 18,
    "queue_api": 7,
    "case_page": 17,
    "case_api": 14,
}
SIZES = (3, 25)


def grow(service, clerk, *, to: int) -> None:
    """Bring the department to `to` cases in review and `to` cases waiting to be taken in."""
    have = Case.objects.filter(state=Case.State.IN_REVIEW).count()
    for _ in range(to - have):
        accepted_case(service, clerk)
        submitted_case(service)


@pytest.mark.parametrize(
    ("budget", "url"),
    [
        ("queue_page", lambda case: "/staff/cases/"),
        ("queue_api", lambda case: "/api/v1/tasks/"),
        ("case_page", lambda case: f"/staff/cases/{case.number}/"),
        ("case_api", lambda case: f"/api/v1/staff/cases/{case.number}/"),
    ],
)
def test_constant_queries(budget, url, login, clerk, service, django_assert_max_num_queries):
    client = login(clerk)
    for size in SIZES:
        # given the department with `size` cases in review and `size` to take in
        grow(service, clerk, to=size)
        case = Case.objects.filter(state=Case.State.IN_REVIEW).order_by("pk").first()
        # when the clerk opens the page, then the queries stay within the same budget
        with django_assert_max_num_queries(BUDGETS[budget]):
            response = client.get(url(case))
        assert response.status_code == 200
        if budget == "queue_api":
            assert len(response.json()["results"]) == size  # keyset pages: no count
        if budget == "queue_page":
            assert response.text.count("/claim/") == size


def test_the_overdue_view_reads_the_calendar_once(login, clerk, lead, service):
    """Working days overdue for every row come from one calendar, not one query per row."""
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    client = login(lead)
    counts = []
    for size in (2, 8):
        grow(service, clerk, to=size)
        Case.objects.filter(state=Case.State.IN_REVIEW).update(
            deadline=timezone.localdate() - timedelta(days=20)
        )
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/staff/cases/overdue/")
        assert response.status_code == 200
        assert response.text.count("/staff/cases/SQ-") >= size
        counts.append(len(queries))
    assert counts[0] == counts[1]
