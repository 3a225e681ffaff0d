"""A real Celery worker on Redis delivers each case event to a department's webhook exactly
once with a valid signature, also after the receiver answers 500 twice; the pull feed's ids
commit in order, so a reader resuming from a cursor never misses a late commit.

Run with PostgreSQL and Redis (see test_notification_worker.py), REQUIRE_INTEGRATION=1."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection, connections, transaction

from apps.cases.models import Case
from apps.cases.services.transitions import case_event_add
from apps.events import catalogue
from apps.events.models import Delivery, Event, Subscription
from apps.events.selectors import event_feed_for_user
from apps.events.services.signing import signature_verify
from tests.catalog.factories import make_service
from tests.conftest import make_resident, make_staff

from .conftest import require_integration_environment, wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


class Receiver:
    """A webhook receiver on loopback: answers 500 to the first `fail_first` requests of the
    event named `failing`, then 200; keeps every request."""

    def __init__(self, *, failing_subject: str = "", fail_first: int = 0):
        self.requests: list[dict] = []
        self.failing_subject = failing_subject
        self.fail_first = fail_first
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers["Content-Length"]))
                event = json.loads(body)
                with receiver.lock:
                    earlier = [r for r in receiver.requests if r["event"]["id"] == event["id"]]
                    failing = event["subject"] == receiver.failing_subject
                    status = 500 if failing and len(earlier) < receiver.fail_first else 200
                    receiver.requests.append(
                        {
                            "event": event,
                            "body": body,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "status": status,
                        }
                    )
                self.send_response(status)
                self.end_headers()
                self.wfile.write(b"ok" if status == 200 else b"try later")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/portal"

    def accepted(self) -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["status"] == 200]

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def world(db):
    department = __import__("apps.accounts.models", fromlist=["Department"]).Department.objects
    market = department.create(code="market", name_zh="市场监督管理局", name_en="Market")
    water = department.create(code="water", name_zh="水务局", name_en="Water")
    service = make_service(department=market)
    resident = make_resident()
    return {"market": market, "water": water, "service": service, "resident": resident}


def new_case(world, number: str) -> Case:
    service = world["service"]
    return Case.objects.create(
        service=service,
        version=service.versions.get(),
        applicant=world["resident"],
        created_by=world["resident"],
        number=number,
        state=Case.State.SUBMITTED,
        lead_department=world["market"],
    )


def publish(case: Case, verb: str) -> None:
    """A timeline line in its own transaction: the hook every case step goes through."""
    with transaction.atomic():
        case_event_add(case=case, verb=verb, actor=None)


def test_each_event_reaches_the_webhook_once_signed_also_after_two_500s(start_worker, world):
    receiver = Receiver(failing_subject="SQ-2026-900002", fail_first=2)
    try:
        subscription = Subscription.objects.create(
            department=world["market"], name="市场监管业务系统", url=receiver.url
        )
        Subscription.objects.create(department=world["water"], name="水务", url=receiver.url)
        start_worker(EVENTS_RETRY_BASE_SECONDS="1", EVENTS_RETRY_MAX_SECONDS="2")
        cases = [new_case(world, f"SQ-2026-90000{n}") for n in (1, 2, 3)]
        for case in cases:
            publish(case, "submit")
        publish(cases[0], "accept")
        # A rolled-back step publishes nothing.
        with pytest.raises(RuntimeError), transaction.atomic():
            case_event_add(case=cases[2], verb="accept", actor=None)
            raise RuntimeError("the step failed")

        events = list(Event.objects.order_by("id"))
        assert len(events) == 4
        wait_for(
            lambda: Delivery.objects.filter(state=Delivery.State.DELIVERED).count() == 4,
            what="every delivery to be delivered",
        )
        accepted = receiver.accepted()
        assert sorted(r["event"]["id"] for r in accepted) == sorted(
            str(e.event_id) for e in events
        )  # each event exactly once
        for request in receiver.requests:
            headers = request["headers"]
            assert headers["content-type"].startswith("application/cloudevents+json")
            assert headers["x-portal-event-id"] == request["event"]["id"]
            assert signature_verify(
                secret=subscription.secret,
                body=request["body"],
                timestamp=headers["x-portal-timestamp"],
                signature=headers["x-portal-signature"],
                now=int(time.time()),
            )
        # The failing one was tried three times (500, 500, 200); the others once.
        assert len(receiver.requests) == 6
        failing = Delivery.objects.get(event__subject="SQ-2026-900002")
        assert failing.attempts == 3 and failing.last_status_code == 200
        assert not Delivery.objects.filter(subscription__department=world["water"]).exists()
        print_delivery_log()
    finally:
        receiver.stop()


def print_delivery_log() -> None:
    """The delivery log as the admin shows it (in the test's output with -s)."""
    print("\nid  event                            subject         state      attempts  status")
    for d in Delivery.objects.select_related("event").order_by("id"):
        print(
            f"{d.pk:<3} {d.event.type:<32} {d.event.subject:<15} {d.state:<10} "
            f"{d.attempts:<9} {d.last_status_code}"
        )


def test_a_step_that_commits_late_is_read_after_what_the_reader_has_seen(world):
    """A step publishing while another step's transaction is still open does not wait for it;
    the reader sees the one committed, and when the other commits it is numbered after that, so
    a reader resuming from its cursor misses nothing."""
    require_integration_environment()
    clerk = make_staff(username="clerk", department=world["market"], role="clerk")
    first, second = new_case(world, "SQ-2026-910001"), new_case(world, "SQ-2026-910002")
    publish(first, "submit")
    cursor = event_feed_for_user(user=clerk, after=0).next

    holding = threading.Event()
    release = threading.Event()
    errors: list[BaseException] = []

    def slow_step():
        try:
            with transaction.atomic():
                case_event_add(case=first, verb="accept", actor=None)
                holding.set()
                release.wait(timeout=60)
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    slow = threading.Thread(target=slow_step)
    slow.start()
    try:
        assert holding.wait(timeout=60)
        # the second step commits meanwhile, without waiting (a lock wait fails on the timeout)
        with transaction.atomic():
            with connection.cursor() as cursor_:
                cursor_.execute("SET LOCAL lock_timeout = '2s'")
            case_event_add(case=second, verb="submit", actor=None)
        page = event_feed_for_user(user=clerk, after=cursor)
        assert [(e.subject, e.type) for e in page.events] == [
            ("SQ-2026-910002", catalogue.SUBMITTED)
        ]
    finally:
        release.set()
        slow.join(timeout=60)
    assert not errors, errors

    # the slow one, committed after the reader moved on, comes after its cursor
    late = event_feed_for_user(user=clerk, after=page.next)
    assert [(e.subject, e.type) for e in late.events] == [("SQ-2026-910001", catalogue.ACCEPTED)]
    assert Event.objects.get(subject="SQ-2026-910001", type=catalogue.ACCEPTED).pk < (
        Event.objects.get(subject="SQ-2026-910002").pk
    )
