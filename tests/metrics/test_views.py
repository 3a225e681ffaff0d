"""The dashboard and its CSV: who may see them, what they show, and how many queries."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import StaffMembership
from apps.cases.models import Case

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2025-01", "end": "2025-03"}


def test_a_resident_gets_403(resident, login):
    assert login(resident).get("/staff/metrics/").status_code == 403
    assert login(resident).get("/staff/metrics/export.csv").status_code == 403


def test_a_clerk_gets_403(clerk, login):
    assert login(clerk).get("/staff/metrics/").status_code == 403


def test_anonymous_is_sent_to_sign_in_or_refused(client):
    response = client.get("/staff/metrics/")
    assert response.status_code in (302, 403)


def test_a_supervisor_sees_every_department(seeded, supervisor, login):
    response = login(supervisor).get("/staff/metrics/", PERIOD)
    assert response.status_code == 200
    text = response.text
    assert "市场监督管理局" in text and "住房和城乡建设局" in text
    # the SVG charts: titles on each bar, classes and no inline style
    assert "<svg" in text and "<title>" in text and 'class="chart__bar' in text
    assert "style=" not in text
    # the KPI cards with their definitions as help text
    assert "62.5%" in text  # on-time rate: 5 of 8
    assert "统计期内提交的办件（按提交月份统计）。" in text


def test_a_lead_sees_only_their_departments(seeded, lead, login):
    # the lead of market (市场监督管理局)
    client = login(lead)
    text = client.get("/staff/metrics/", PERIOD).text
    assert "市场监督管理局" in text
    assert "住房和城乡建设局" not in text
    assert "噪声投诉" not in text  # housing's service is not offered as a filter either
    # asking for the other department shows nothing of it
    text = client.get("/staff/metrics/", {**PERIOD, "department": "housing"}).text
    assert "住房和城乡建设局" not in text
    body = client.get("/staff/metrics/export.csv", PERIOD).content.decode("utf-8-sig")
    assert "housing" not in body and "住房和城乡建设局" not in body
    rows = list(csv.reader(io.StringIO(body)))
    total = next(row for row in rows if row[0] == "total")
    assert total[7] == "6"  # received in market


def test_a_lead_of_two_departments_sees_both(seeded, lead, login):
    StaffMembership.objects.create(
        user=lead, department=seeded["housing"], role=StaffMembership.Role.LEAD
    )
    text = login(lead).get("/staff/metrics/", PERIOD).text
    assert "市场监督管理局" in text and "住房和城乡建设局" in text


def test_filters_narrow_the_figures(seeded, supervisor, login):
    client = login(supervisor)
    response = client.get("/staff/metrics/export.csv", {**PERIOD, "service": "noise"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    total = next(row for row in rows if row[0] == "total")
    assert total[7] == "1"


def test_a_bad_month_is_reported_and_loses_nothing(seeded, supervisor, login):
    response = login(supervisor).get("/staff/metrics/", {"start": "2025-13", "end": "2025-03"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert 'value="2025-13"' in response.text


def test_the_csv_opens_in_excel(seeded, supervisor, login):
    response = login(supervisor).get("/staff/metrics/export.csv", PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header = rows[0]
    assert len(header) == 7 + 12
    total = next(row for row in rows if row[0] == "total")
    # received 9, decided 8, on time 62.5 %, average 7.1 days, p90 15
    assert total[7:12] == ["9", "8", "62.5", "7.1", "15"]
    tables = {row[0] for row in rows[1:]}
    assert tables == {"total", "department", "service", "channel", "month", "detail"}
    market = next(row for row in rows if row[0] == "department" and row[1] == "market")
    assert market[2] == "市场监督管理局"


# --- a constant number of queries -----------------------------------------------------------

# Measured on SQLite and PostgreSQL: 12 for the page (session, 2FA device, staff checks, the
# filter choices, the period's monthly rollups, two name look-ups, the unread badge), 11 for
# the CSV; the budget is 15 whatever the number of cases.
BUDGET = 15


def _grow(to: int, seeded) -> None:
    from tests.metrics.bulk import bulk_cases
    from tests.metrics.factories import refresh

    bulk_cases(to, services=[seeded["card"], seeded["aid"]])
    refresh()


@pytest.mark.parametrize("url", ["/staff/metrics/", "/staff/metrics/export.csv"])
def test_the_dashboard_runs_the_same_queries_at_two_sizes(
    url, seeded, supervisor, login, django_assert_max_num_queries
):
    client = login(supervisor)
    client.get(url)  # the session's first request costs more
    counts, received = [], []
    for size in (5, 60):
        _grow(size, seeded)
        with CaptureQueriesContext(connection) as queries:
            with django_assert_max_num_queries(BUDGET):
                response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
        received.append(Case.objects.exclude(submitted_at=None).count())
    assert counts[0] == counts[1], counts
    assert received[1] > received[0]
    # the figures are the rollups' of all those cases: none is read one by one
    assert not [q["sql"] for q in queries if "cases_case" in q["sql"]]
    if url.endswith(".csv"):
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        total = next(row for row in rows if row[0] == "total")
        last_year = Case.objects.filter(submitted_at__gte=_twelve_months_ago()).count()
        assert int(total[7].replace(",", "")) == last_year


def _twelve_months_ago():
    from datetime import datetime

    from apps.metrics.selectors import default_period, local_tz

    start, _end = default_period()
    return datetime(start.year, start.month, 1, tzinfo=local_tz())


def test_a_lead_runs_no_more_queries(seeded, lead, login, django_assert_max_num_queries):
    client = login(lead)
    client.get("/staff/metrics/")
    with django_assert_max_num_queries(BUDGET):
        assert client.get("/staff/metrics/").status_code == 200


def test_the_dashboard_is_folded_once_until_the_rollups_change(seeded, supervisor, login):
    """Supervisors opening the same view are served the tables folded for the first one; a
    decision taken in by the rollups shows at the next look."""
    from tests.metrics.factories import at, make_case, make_person, refresh

    client = login(supervisor)
    assert "62.5%" in client.get("/staff/metrics/", PERIOD).text  # on time: 5 of 8
    with CaptureQueriesContext(connection) as again:
        assert "62.5%" in client.get("/staff/metrics/", PERIOD).text
    assert not [q for q in again.captured_queries if "metrics_monthlyfigure" in q["sql"]]

    late = make_person(
        name="诸葛明亮",
        id_number="110101198001011234",
        phone="13711112222",
        address="东城区东四北大街 1 号",
        email="zhuge@example.cn",
    )
    make_case(
        seeded["card"],
        late,
        state=Case.State.APPROVED,
        submitted=at(2025, 3, 2),
        decided=at(2025, 3, 25),
        on_time=False,
        days=16,
    )
    refresh()  # what beat does every minute
    text = client.get("/staff/metrics/", PERIOD).text
    assert "55.5%" in text and "62.5%" not in text  # on time: 5 of 9
