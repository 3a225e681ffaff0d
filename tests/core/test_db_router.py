"""The read replica: the heavy read-only pages read from it, everything else (and every write)
from the primary. The `replica` alias is a test mirror of the primary (tests/settings.py); the
queries each connection ran show where a page read."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from apps.accounts.models import User
from apps.cases.models import Case
from apps.cases.services import case_create_draft
from apps.catalog.models import ServiceItem
from apps.core.db_router import read_from_replica
from apps.metrics.services import rollups_catch_up
from apps.notifications.models import Notification
from apps.notifications.services import notify
from tests.catalog.factories import make_service
from tests.complaints.conftest import file_complaint
from tests.metrics.factories import make_case

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])

ROUTER = "apps.core.db_router.ReplicaRouter"


@pytest.fixture
def replica_router(settings):
    settings.DATABASE_ROUTERS = [ROUTER]
    # With a replica there is a broker and beat keeps the metrics' rollups current: the pages
    # only read them (without beat they would catch up first, a write, read on the primary).
    settings.METRICS_CATCH_UP_ON_READ = False


@pytest.fixture(autouse=True)
def _no_cached_documents():
    # The open-data document is cached: each test reads it afresh.
    caches["default"].clear()
    yield
    caches["default"].clear()


@pytest.fixture
def data(department, resident):
    service = make_service(department=department)
    category = ServiceItem.objects.create(
        code="noise",
        kind=ServiceItem.Kind.COMPLAINT,
        name_zh="噪声扰民",
        name_en="Noise",
        lead_department=department,
        statutory_days=13,
        promised_days=13,
    )
    application = make_case(service, resident, submitted=timezone.now())
    Case.objects.filter(pk=application.pk).update(number="SQ-2026-000001")
    draft = case_create_draft(service=service, applicant=resident, actor=resident)
    complaint, _code = file_complaint(category, reporter_name="王五", reporter_phone="13700137001")
    rollups_catch_up(wait=True)  # what beat does: the metrics pages read the rollups
    return {"application": application, "draft": draft, "complaint": complaint}


class Reads:
    """The SQL that the primary and the replica ran during the block."""

    def __enter__(self):
        self.primary = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections["replica"])
        self.primary.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc):
        self.replica.__exit__(*exc)
        self.primary.__exit__(*exc)

    @staticmethod
    def _touching(context, table: str) -> list[str]:
        return [q["sql"] for q in context.captured_queries if f'"{table}"' in q["sql"]]

    def primary_reads_of(self, table: str) -> list[str]:
        return self._touching(self.primary, table)

    def replica_reads_of(self, table: str) -> list[str]:
        return self._touching(self.replica, table)

    @property
    def replica_sql(self) -> list[str]:
        return [q["sql"] for q in self.replica.captured_queries]


@pytest.mark.parametrize(
    "url",
    [
        "/open-data/",
        "/open-data/metrics.json",
        "/open-data/metrics.csv",
        "/api/v1/metrics/",
        "/open311/v2/requests.json",
        "/open311/v2/services.xml",
        "/services/",
    ],
)
def test_the_heavy_public_pages_read_from_the_replica(replica_router, data, client, url):
    with Reads() as reads:
        response = client.get(url)
    assert response.status_code == 200
    table = "catalog_serviceitem" if url in ("/services/", "/open311/v2/services.xml") else None
    table = table or ("metrics_monthlyfigure" if "metrics" in url or "open-data" in url else None)
    table = table or "cases_case"
    assert reads.replica_reads_of(table), reads.replica_sql
    assert not reads.primary_reads_of(table)
    assert all(sql.lstrip().upper().startswith("SELECT") for sql in reads.replica_sql)


def test_the_open311_search_shows_what_the_replica_holds(replica_router, data, client):
    with Reads() as reads:
        listed = client.get("/open311/v2/requests.json").json()
    assert [r["service_request_id"] for r in listed] == [data["complaint"].number]
    assert reads.replica_reads_of("cases_case")


def test_the_dashboard_reads_figures_from_the_replica_and_the_role_from_the_primary(
    replica_router, data, supervisor, login
):
    staff = login(supervisor)
    with Reads() as reads:
        page = staff.get("/staff/metrics/")
        export = staff.get("/staff/metrics/export.csv")
    assert page.status_code == 200
    assert export.status_code == 200
    assert reads.replica_reads_of("metrics_monthlyfigure")
    assert not reads.primary_reads_of("metrics_monthlyfigure")
    assert not reads.primary_reads_of("cases_case")  # the figures come from the rollups
    # who is signed in and what they may do: never from a lagging copy
    assert reads.primary_reads_of("django_session")
    assert reads.primary_reads_of("accounts_staffmembership")
    for table in ("django_session", "accounts_user", "accounts_staffmembership"):
        assert not reads.replica_reads_of(table), table


@pytest.mark.parametrize(
    "url",
    [
        "/cases/",
        "/api/v1/cases/{draft}/",
        "/api/v1/cases/",
        "/open311/v2/requests/{complaint}.json",
        "/open311/v2/requests.json?service_request_id={complaint}",
        "/services/elderly-card/",
    ],
)
def test_other_pages_read_from_the_primary(replica_router, data, resident, login, url):
    with Reads() as reads:
        response = login(resident).get(
            url.format(complaint=data["complaint"].number, draft=data["draft"].ref)
        )
    assert response.status_code == 200
    assert reads.replica_sql == []
    assert reads.primary.captured_queries


def test_the_clerk_queue_reads_from_the_primary(replica_router, data, clerk, login):
    with Reads() as reads:
        response = login(clerk).get("/staff/cases/")
    assert response.status_code == 200
    assert reads.replica_sql == []


def test_without_a_replica_configured_the_pages_read_the_primary(data, client):
    with Reads() as reads:
        response = client.get("/open-data/metrics.json")
    assert response.status_code == 200
    assert reads.replica_sql == []
    assert reads.primary_reads_of("metrics_monthlyfigure")


def test_a_write_inside_goes_to_the_primary_and_later_reads_follow_it(replica_router, resident):
    with Reads() as reads, read_from_replica():
        ServiceItem.objects.count()  # a read: from the replica
        before = list(reads.replica_sql)
        notify(event="case.accepted", recipients=[resident], context={"case_number": "X"})
        after_write = Notification.objects.filter(recipient=resident).count()
    assert len(before) == 1 and "catalog_serviceitem" in before[0]
    # the write, and every read after it in the same block, went to the primary
    assert reads.replica_sql == before
    assert any(
        sql.startswith("INSERT") for sql in reads.primary_reads_of("notifications_notification")
    )
    assert after_write == Notification.objects.filter(recipient=resident).count() >= 1


def test_reads_in_a_transaction_and_of_accounts_go_to_the_primary(replica_router, resident):
    with Reads() as reads, read_from_replica():
        with transaction.atomic():
            ServiceItem.objects.count()
        User.objects.filter(pk=resident.pk).exists()
    assert reads.replica_sql == []
    assert reads.primary_reads_of("catalog_serviceitem")
    assert reads.primary_reads_of("accounts_user")


def test_the_database_cache_is_read_from_the_primary(replica_router, settings):
    # The attempt limits live in the cache: a lagging copy would let extra tries through.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }
    call_command("createcachetable")
    cache = caches.create_connection("default")
    with Reads() as reads, read_from_replica():
        cache.get("metrics:open-data:x")
    assert reads.replica_sql == []
    assert reads.primary_reads_of("portal_cache")
