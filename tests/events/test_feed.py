"""GET /api/v1/events/: the caller's departments' events only, by cursor, without gaps."""

import pytest

from apps.events import catalogue
from apps.events.models import Event
from tests.cases.conftest import submit_case
from tests.events.conftest import run_to_decision

pytestmark = pytest.mark.django_db


def read_all(client, *, after=0, limit=2):
    seen, pages = [], 0
    while True:
        body = client.get("/api/v1/events/", {"after": after, "limit": limit}).json()
        seen += body["results"]
        pages += 1
        after = body["next"]
        if not body["has_more"]:
            return seen, after, pages


def test_each_department_reads_the_events_of_cases_it_leads_or_reviews(
    parallel_service, resident, clerk, co_clerk, outsider, department, other_department, login
):
    case = submit_case(parallel_service, resident)
    run_to_decision(
        case,
        clerk=clerk,
        co_clerk=co_clerk,
        department=department,
        other_department=other_department,
    )
    lead_seen, _, _ = read_all(login(clerk), limit=100)
    assert [e["type"] for e in lead_seen] == [
        catalogue.SUBMITTED,
        catalogue.ACCEPTED,
        catalogue.TASK_APPROVED,
        catalogue.TASK_APPROVED,
        catalogue.DECIDED,
    ]
    reviewer_seen, _, _ = read_all(login(co_clerk), limit=100)
    # The reviewing department had no task before acceptance: it reads from its tasks on.
    assert [e["type"] for e in reviewer_seen] == [
        catalogue.TASK_APPROVED,
        catalogue.TASK_APPROVED,
        catalogue.DECIDED,
    ]
    assert read_all(login(outsider), limit=100)[0] == []


def test_the_feed_resumes_from_a_cursor_without_gaps_or_repeats(
    parallel_service, resident, clerk, co_clerk, department, other_department, login
):
    client = login(clerk)
    first = submit_case(parallel_service, resident)
    page1, cursor, pages = read_all(client, limit=1)
    assert [e["subject"] for e in page1] == [first.number] and pages == 1

    run_to_decision(
        first,
        clerk=clerk,
        co_clerk=co_clerk,
        department=department,
        other_department=other_department,
    )
    second = submit_case(parallel_service, resident)
    rest, cursor, pages = read_all(client, after=cursor, limit=2)
    assert pages == 3

    ids = [e["id"] for e in page1 + rest]
    assert len(ids) == len(set(ids)) == Event.objects.count() == 6
    assert [int(e["sequence"]) for e in page1 + rest] == list(
        Event.objects.order_by("sequence").values_list("sequence", flat=True)
    )
    assert rest[-1]["subject"] == second.number
    # Nothing new: the same cursor comes back, with an empty page.
    again = client.get("/api/v1/events/", {"after": cursor}).json()
    assert again == {"next": cursor, "has_more": False, "results": []}


def test_the_feed_needs_a_verified_staff_member(client, resident, clerk, login):
    assert client.get("/api/v1/events/").status_code in {401, 403}
    assert login(resident).get("/api/v1/events/").status_code == 403
    assert login(clerk, verified=False).get("/api/v1/events/").status_code == 403


def test_a_bad_cursor_is_refused_in_the_api_error_shape(clerk, login):
    response = login(clerk).get("/api/v1/events/", {"after": "x", "limit": 9999})
    assert response.status_code == 400
    body = response.json()
    assert {"detail", "code", "errors"} <= set(body)
    assert set(body["errors"]) == {"after", "limit"}


def test_a_blank_cursor_is_refused_not_read_as_the_start(clerk, login):
    response = login(clerk).get("/api/v1/events/?after=&limit=")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"after", "limit"}
