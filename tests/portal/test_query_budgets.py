"""Query budgets (issue 11): each list page and API, and the resident's case page and API, run
the same number of queries at two data sizes, and at most 15: nothing is read per row, and a
page is one keyset walk (no COUNT over the table).

The department's staff lists are measured in tests/cases/test_query_budgets.py as well (their
older budgets)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import StaffMembership
from apps.cases.models import Case
from tests.cases.staff_factories import accepted_case, submitted_case
from tests.catalog.factories import make_service
from tests.complaints.conftest import category, file_complaint  # noqa: F401 (a fixture)
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(department):
    return make_service(department=department)


BUDGET = 15
SIZES = (3, 30)  # the larger one is more than a page (25)


def count_queries(client, url: str) -> int:
    client.get(url)  # a session's first request reads a little more: warm it
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def assert_budget(counts: list[int], what: str) -> None:
    assert counts[0] == counts[1], (
        f"{what}: {counts[0]} queries at {SIZES[0]}, {counts[1]} at {SIZES[1]}"
    )
    assert counts[1] <= BUDGET, f"{what}: {counts[1]} queries (budget {BUDGET})"


def resident_cases(service, resident, *, to: int) -> None:
    """One submitted case (signing codes are rate-limited), the rest drafts: all on the list."""
    from apps.cases import services

    if not Case.objects.filter(applicant=resident).exists():
        submitted_case(service, applicant=resident)
    while Case.objects.filter(applicant=resident).count() < to:
        services.case_create_draft(service=service, applicant=resident, actor=resident)


@pytest.mark.parametrize("url", ["/cases/", "/api/v1/cases/"])
def test_resident_my_cases(url, login, resident, service):
    client = login(resident)
    counts = []
    for size in SIZES:
        resident_cases(service, resident, to=size)
        counts.append(count_queries(client, url))
    assert_budget(counts, url)


@pytest.mark.parametrize("api", [False, True])
def test_resident_case_page(api, login, resident, service):
    client = login(resident)
    counts = []
    for size in SIZES:
        resident_cases(service, resident, to=size)
        case = Case.objects.filter(applicant=resident, number__isnull=False).get()
        url = f"/api/v1/cases/{case.number}/" if api else f"/cases/{case.number}/"
        counts.append(count_queries(client, url))
    assert_budget(counts, "case API" if api else "case page")


def grow(service, clerk, *, to: int) -> None:
    """`to` cases in review (active tasks) and `to` waiting to be taken in."""
    while Case.objects.filter(state=Case.State.IN_REVIEW).count() < to:
        accepted_case(service, clerk)
        submitted_case(service)


# The staff case page shows six lists of the case (files, documents, form fields, reviews,
# timeline, extensions) and writes the audit row of the view (chain head, row, head), then the
# certificates it reuses and the unread badge: one above the lists' 15, the same at any size,
# with no membership or grant probe per button. Its API twin has neither of the last two.
STAFF_CASE_PAGE_BUDGET = 16


@pytest.mark.parametrize("api", [False, True])
def test_staff_case_page_and_api(api, login, clerk, service):
    client = login(clerk)
    counts = []
    for size in SIZES:
        grow(service, clerk, to=size)
        case = Case.objects.filter(state=Case.State.IN_REVIEW).order_by("pk").first()
        url = f"/api/v1/staff/cases/{case.number}/" if api else f"/staff/cases/{case.number}/"
        counts.append(count_queries(client, url))
    if api:
        assert_budget(counts, "staff case API")
    else:
        assert counts[0] == counts[1], f"staff case page: {counts}"
        assert counts[1] <= STAFF_CASE_PAGE_BUDGET, f"staff case page: {counts[1]} queries"


@pytest.mark.parametrize("url", ["/staff/cases/", "/api/v1/tasks/"])
def test_clerk_queue_and_intake(url, login, clerk, service):
    client = login(clerk)
    counts = []
    for size in SIZES:
        grow(service, clerk, to=size)
        counts.append(count_queries(client, url))
    assert_budget(counts, url)


def test_supervisor_overdue_list(login, clerk, supervisor, service):
    client = login(supervisor)
    counts = []
    for size in SIZES:
        grow(service, clerk, to=size)
        Case.objects.filter(state=Case.State.IN_REVIEW).update(
            deadline=timezone.localdate() - timedelta(days=20)
        )
        counts.append(count_queries(client, "/staff/cases/overdue/"))
    assert_budget(counts, "overdue")


def test_complaint_triage_and_open311(login, department, category):  # noqa: F811
    dispatcher = make_staff(
        username="budget-dispatcher", department=department, role=StaffMembership.Role.DISPATCHER
    )
    client = login(dispatcher)
    triage, open311 = [], []
    for size in SIZES:
        while Case.objects.filter(kind=Case.Kind.COMPLAINT).count() < size:
            file_complaint(category)
        triage.append(count_queries(client, "/staff/complaints/"))
        open311.append(count_queries(client, "/open311/v2/requests.json"))
        assert len(client.get("/open311/v2/requests.json").json()) == size
    assert_budget(triage, "complaint triage")
    assert_budget(open311, "Open311 requests.json")
