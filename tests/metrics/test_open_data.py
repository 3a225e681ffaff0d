"""The public aggregates: no personal data, small cells suppressed, a constant number of
queries, cached; the same document at /open-data/metrics.json and GET /api/v1/metrics/."""

import csv
import io
import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import Department, ResidentProfile
from apps.cases.models import Case
from tests.catalog.factories import make_service
from tests.metrics.conftest import COMMENT, PEOPLE
from tests.metrics.factories import at, make_case, refresh

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2025-01", "end": "2025-03"}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def transport(seeded):
    """A third department with 5 cases, all in January: enough to be shown on its own."""
    department = Department.objects.create(code="transport", name_zh="交通运输局")
    service = make_service(department=department, code="bus-pass", name_zh="公交卡")
    applicant = Case.objects.first().applicant
    for day in range(1, 6):
        make_case(service, applicant, submitted=at(2025, 1, day))
    refresh()
    return department


def personal_strings() -> list[str]:
    strings = [COMMENT, "should never leak", "free text never published"]
    for person in PEOPLE:
        strings += [person["name"], person["id_number"], person["phone"], person["address"]]
        strings.append(person["email"])
    for profile in ResidentProfile.objects.all():
        strings += [profile.real_name, profile.id_number or "", profile.address]
        strings += [profile.user.phone or "", profile.user.email or ""]
    return [s for s in strings if s]


def rows_of(document: dict, table: str, key: str) -> dict:
    return {record[key]: record for record in document[table]}


def test_the_json_holds_no_personal_data_and_suppresses_small_cells(seeded, transport, client):
    # when
    response = client.get("/open-data/metrics.json", PERIOD)
    # then
    assert response.status_code == 200
    text = response.content.decode()
    for secret in personal_strings():
        assert secret not in text, secret
    document = json.loads(text)
    departments = rows_of(document, "by_department", "department")
    # housing has 3 cases: no figure at all
    housing = departments["housing"]
    assert housing["suppressed"] is True
    assert all(housing[key] is None for key in ("received", "decided", "on_time_rate"))
    # market has 6: shown, with the hand-counted figures
    market = departments["market"]
    assert market["suppressed"] is False
    assert (market["received"], market["decided"]) == (6, 6)
    assert market["on_time_rate"] == pytest.approx(4 / 6, abs=1e-4)
    assert market["satisfaction_rate"] is None  # only 4 counted ratings: too few for a rate
    assert market["active_rating_rate"] == pytest.approx(5 / 6, abs=1e-4)
    # transport (5) is hidden too, so that housing cannot be worked out from the month totals
    assert departments["transport"]["suppressed"] is True
    # only departments, services and months: no channel, no case, no person
    assert set(document) >= {"by_department", "by_service", "by_month", "definitions"}
    keys = {
        key
        for table in ("by_department", "by_service", "by_month")
        for r in document[table]
        for key in r
    }
    assert keys <= {
        "department",
        "department_name",
        "service",
        "service_name",
        "month",
        "suppressed",
        "received",
        "decided",
        "on_time_rate",
        "avg_working_days",
        "p90_working_days",
        "active_rating_rate",
        "satisfaction_rate",
        "rectification_rate",
        "follow_up_rate",
        "reopen_rate",
        "return_rate",
        "correction_rate",
    }
    months = rows_of(document, "by_month", "month")
    # January: c1 c2 c3 h1 + 5 transport = 9 received; February 3 and March 2: suppressed
    assert months["2025-01"]["received"] == 9
    assert months["2025-02"]["suppressed"] and months["2025-03"]["suppressed"]


def test_the_csv_holds_no_personal_data_and_suppresses_small_cells(seeded, transport, client):
    response = client.get("/open-data/metrics.csv", PERIOD)
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    text = response.content.decode("utf-8-sig")
    for secret in personal_strings():
        assert secret not in text, secret
    rows = list(csv.DictReader(io.StringIO(text)))
    housing = next(
        r for r in rows if r["table"] == "by_department" and r["department"] == "housing"
    )
    market = next(r for r in rows if r["table"] == "by_department" and r["department"] == "market")
    assert housing["suppressed"] == "yes" and "<5" in housing.values()
    assert market["suppressed"] == "no"
    assert list(market.values())[7] == "6"  # received


def test_the_page_holds_no_personal_data(seeded, transport, client):
    response = client.get("/open-data/", PERIOD)
    assert response.status_code == 200
    for secret in personal_strings():
        assert secret not in response.text, secret
    assert "&lt;5" in response.text
    assert "市场监督管理局" in response.text
    assert "style=" not in response.text


def test_the_api_gives_the_same_document_to_everyone(seeded, client, supervisor, login):
    anonymous = client.get("/api/v1/metrics/", PERIOD)
    assert anonymous.status_code == 200
    staff = login(supervisor).get("/api/v1/metrics/", PERIOD)
    assert staff.status_code == 200
    assert anonymous.json()["by_department"] == staff.json()["by_department"]
    assert anonymous.json() == client.get("/open-data/metrics.json", PERIOD).json()


def test_the_api_refuses_a_bad_month(client):
    response = client.get("/api/v1/metrics/", {"start": "2025-13"})
    assert response.status_code == 400


def test_the_document_is_cached(seeded, client):
    client.get("/open-data/metrics.json", PERIOD)
    with CaptureQueriesContext(connection) as queries:
        client.get("/open-data/metrics.json", PERIOD)
    assert len(queries) == 0


@pytest.mark.parametrize(
    "url", ["/open-data/", "/open-data/metrics.json", "/open-data/metrics.csv", "/api/v1/metrics/"]
)
def test_the_open_data_runs_the_same_queries_at_two_sizes(
    url, seeded, client, django_assert_max_num_queries
):
    from tests.metrics.bulk import bulk_cases
    from tests.metrics.factories import refresh

    counts = []
    for size in (5, 60):
        bulk_cases(size, services=[seeded["card"], seeded["aid"]])
        cache.clear()
        refresh()
        with CaptureQueriesContext(connection) as queries:
            with django_assert_max_num_queries(15):
                assert client.get(url).status_code == 200
        counts.append(len(queries))
    # the period's monthly rollups and two name look-ups
    assert counts[0] == counts[1] == 3, counts
    assert not [q["sql"] for q in queries if "cases_case" in q["sql"]]


def test_a_departments_only_small_service_is_not_given_away(seeded, transport, client):
    # given market adds a second service with 3 cases next to elderly-card (6 cases)
    service = make_service(department=seeded["market"], code="market-small", name_zh="小事项")
    applicant = Case.objects.first().applicant
    for day in (3, 4, 5):
        make_case(service, applicant, submitted=at(2025, 1, day))
    refresh()
    # when
    document = client.get("/open-data/metrics.json", PERIOD).json()
    services = rows_of(document, "by_service", "service")
    # then the small one is hidden, and elderly-card with it: market's total (9, shown) minus
    # elderly-card would give it away
    assert services["market-small"]["suppressed"] is True
    assert services["elderly-card"]["suppressed"] is True
    assert rows_of(document, "by_department", "department")["market"]["received"] == 9
    # bus-pass is transport's only service: its figures equal the department's, nothing to hide
    assert services["bus-pass"]["suppressed"] is False
