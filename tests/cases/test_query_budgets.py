"""The queue, the case page and their API twins run a fixed number of queries, however many
cases the department holds: measured at two data sizes against the same budget."""

import pytest

from apps.cases.models import Case
from tests.cases.staff_factories import accepted_case, submitted_case

# Measured on SQLite and PostgreSQL, the same at 3 and at 25 cases (the first request of a
# session costs two more). Session, 2FA device, staff checks, the unread-messages badge and
# guardian's per-object checks are in them.
BUDGETS = {
    "queue_page": 18,
    "queue_api": 7,
    "case_page": 28,
    "case_api": 24,
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
            assert response.json()["count"] == size
        if budget == "queue_page":
            assert response.text.count("/claim/") == size
