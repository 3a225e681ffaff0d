"""Webhook deliveries: signed, once per (subscription, event), retried with backoff for more
than a day, logged, and replayed from the admin."""

import json
import time
from datetime import timedelta

import pytest
import requests
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.events import catalogue
from apps.events.models import Delivery, Event, Subscription
from apps.events.services import delivery as delivery_services
from apps.events.services.outbox import deliveries_create
from apps.events.services.signing import signature_headers, signature_verify
from tests.cases.conftest import submit_case

pytestmark = pytest.mark.django_db


class FakeResponse:
    def __init__(self, status_code: int):
        self.status_code = status_code
        self.text = "boom" if status_code >= 400 else "ok"


@pytest.fixture
def receiver(monkeypatch):
    """What the portal POSTs, answered with the statuses queued in `answers` (then 200)."""
    calls: list[dict] = []
    answers: list[int | Exception] = []

    def post(url, *, data, headers, timeout, allow_redirects):
        calls.append(
            {
                "url": url,
                "body": data,
                "headers": headers,
                "allow_redirects": allow_redirects,
                "timeout": timeout,
            }
        )
        answer = answers.pop(0) if answers else 200
        if isinstance(answer, Exception):
            raise answer
        return FakeResponse(answer)

    monkeypatch.setattr(delivery_services.requests, "post", post)
    return {"calls": calls, "answers": answers}


@pytest.fixture
def admin_client(login):
    """A superuser whose session passed 2FA (the admin is behind it, as every staff page)."""
    admin = User.objects.create_user(
        username="admin", email="admin@city.gov", password="x-long-pass-1", is_staff=True
    )
    admin.is_superuser = True
    admin.save()
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    return login(admin)


@pytest.fixture
def subscription(department):
    return Subscription.objects.create(
        department=department,
        name="审批系统",
        url="https://hooks.example.gov.cn/portal",
        event_types=[catalogue.SUBMITTED, catalogue.DECIDED],
    )


def test_the_signature_verifies_with_the_secret_and_nothing_else():
    body = b'{"id": "x"}'
    now = int(time.time())
    headers = signature_headers(secret="s3cret", timestamp=now, body=body)
    assert headers["X-Portal-Signature"].startswith("sha256=")
    ok = dict(
        secret="s3cret",
        body=body,
        timestamp=headers["X-Portal-Timestamp"],
        signature=headers["X-Portal-Signature"],
        now=now,
    )
    assert signature_verify(**ok)
    assert not signature_verify(**{**ok, "secret": "other"})
    assert not signature_verify(**{**ok, "body": b'{"id": "y"}'})
    # The timestamp is signed: changing it breaks the signature, and an old one is refused.
    assert not signature_verify(**{**ok, "timestamp": str(now + 1)})
    assert not signature_verify(**{**ok, "now": now + 301})


def test_the_docs_snippet_agrees_with_the_portal(monkeypatch):
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "integration.md").read_text()
    snippet = docs.split("```python\n", 1)[1].split("```", 1)[0]
    namespace: dict = {}
    exec(compile(snippet, "integration.md", "exec"), namespace)  # noqa: S102 (our own docs)
    body, now = b'{"a": 1}', int(time.time())
    headers = signature_headers(secret="k", timestamp=now, body=body)
    check = namespace["portal_signature_valid"]
    assert check(
        secret="k",
        body=body,
        timestamp=headers["X-Portal-Timestamp"],
        signature=headers["X-Portal-Signature"],
    )
    assert not check(
        secret="k",
        body=body + b" ",
        timestamp=headers["X-Portal-Timestamp"],
        signature=headers["X-Portal-Signature"],
    )


def test_a_subscription_gets_its_types_signed_once(
    service, resident, subscription, receiver, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit_case(service, resident)
    assert len(receiver["calls"]) == 1
    call = receiver["calls"][0]
    assert call["url"] == subscription.url and call["allow_redirects"] is False
    body = json.loads(call["body"])
    assert body["type"] == catalogue.SUBMITTED and body["subject"] == case.number
    assert call["headers"]["X-Portal-Event-Id"] == body["id"]
    assert call["headers"]["content-type"].startswith("application/cloudevents+json")
    assert signature_verify(
        secret=subscription.secret,
        body=call["body"],
        timestamp=call["headers"]["X-Portal-Timestamp"],
        signature=call["headers"]["X-Portal-Signature"],
        now=int(time.time()),
    )
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.DELIVERED and delivery.attempts == 1
    assert delivery.last_status_code == 200

    # Idempotent: the same event again adds no delivery, and the task again posts nothing.
    event = Event.objects.get(type=catalogue.SUBMITTED)
    assert deliveries_create(event=event, department_ids={subscription.department_id}) == []
    assert delivery_services.delivery_attempt(delivery_id=delivery.pk).outcome == "skipped"
    assert Delivery.objects.count() == 1 and len(receiver["calls"]) == 1


def test_other_departments_and_unwanted_types_get_nothing(
    service,
    resident,
    other_department,
    clerk,
    receiver,
    subscription,
    django_capture_on_commit_callbacks,
):
    Subscription.objects.create(department=other_department, name="别的局", url="https://x.test/")
    with django_capture_on_commit_callbacks(execute=True):
        case = submit_case(service, resident)
        from apps.cases import services

        services.case_accept(case=case, actor=clerk)  # accepted: not among the chosen types
    assert [json.loads(c["body"])["type"] for c in receiver["calls"]] == [catalogue.SUBMITTED]
    assert Delivery.objects.get().subscription == subscription


def test_failures_back_off_for_more_than_a_day_then_fail(
    service, resident, subscription, receiver, settings, django_capture_on_commit_callbacks
):
    settings.EVENTS_RETRY_BASE_SECONDS = 60
    settings.EVENTS_RETRY_MAX_SECONDS = 6 * 3600
    settings.EVENTS_MAX_ATTEMPTS = 13
    receiver["answers"].extend([500] * 5 + [requests.ConnectionError("refused")] * 20)
    with django_capture_on_commit_callbacks(execute=True):
        submit_case(service, resident)
    delivery = Delivery.objects.get()
    assert delivery.state == Delivery.State.PENDING and delivery.attempts == 1
    assert delivery.last_status_code == 500 and "HTTP 500" in delivery.last_error

    # A copy of the task that arrives before the next attempt is due does nothing.
    assert delivery_services.delivery_attempt(delivery_id=delivery.pk).outcome == "skipped"

    waited = 0
    now = delivery.next_attempt_at
    waits = [(delivery.next_attempt_at - delivery.last_attempt_at).total_seconds()]
    while True:
        result = delivery_services.delivery_attempt(delivery_id=delivery.pk, now=now)
        delivery.refresh_from_db()
        if result.outcome != "retry":
            break
        waits.append(result.countdown)
        now = delivery.next_attempt_at
    waited = sum(waits)
    assert result.outcome == "failed" and delivery.state == Delivery.State.FAILED
    assert delivery.attempts == 13 and len(receiver["calls"]) == 13
    assert waits[:4] == [60, 120, 240, 480] and max(waits) == 6 * 3600
    assert waited > 24 * 3600
    assert delivery.last_status_code is None and "ConnectionError" in delivery.last_error


def test_replay_queues_chosen_deliveries_again_and_is_audited(
    service, resident, subscription, receiver, admin_client, django_capture_on_commit_callbacks
):
    receiver["answers"].append(500)
    with django_capture_on_commit_callbacks(execute=True):
        submit_case(service, resident)
    delivery = Delivery.objects.get()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.FAILED, next_attempt_at=timezone.now() + timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            "/admin/events/delivery/",
            {"action": "replay", "_selected_action": [delivery.pk]},
        )
    assert response.status_code == 302 and response.url == "/admin/events/delivery/"
    delivery.refresh_from_db()
    assert delivery.state == Delivery.State.DELIVERED and delivery.attempts == 1
    assert len(receiver["calls"]) == 2
    ids = {json.loads(c["body"])["id"] for c in receiver["calls"]}
    assert len(ids) == 1  # the same event id: the receiver drops the copy
    audit = AuditEvent.objects.get(action="events.delivery.replay")
    assert audit.data["state"] == "failed" and audit.data["attempts"] == 1


def test_the_admin_registers_a_subscription_with_chosen_types(admin_client, department):
    response = admin_client.post(
        "/admin/events/subscription/add/",
        {
            "department": department.pk,
            "name": "市场监管业务系统",
            "url": "https://hooks.example.gov.cn/events",
            "event_types": [catalogue.DECIDED, catalogue.SUBMITTED],
            "secret": "a-long-shared-secret",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    subscription = Subscription.objects.get()
    assert subscription.event_types == [catalogue.SUBMITTED, catalogue.DECIDED]
    audit = AuditEvent.objects.get(action="events.subscription.save")
    assert "a-long-shared-secret" not in json.dumps(audit.data)


def test_the_sweep_queues_overdue_deliveries_of_active_subscriptions_only(
    service, resident, subscription, receiver, department, django_capture_on_commit_callbacks
):
    # given the broker was down at commit: the deliveries were never queued
    paused = Subscription.objects.create(department=department, name="停用", url="https://p.test/")
    submit_case(service, resident)  # on_commit callbacks not run: nothing queued
    assert Delivery.objects.filter(state=Delivery.State.PENDING).count() == 2
    later = timezone.now() + timedelta(minutes=16)
    Subscription.objects.filter(pk=paused.pk).update(is_active=False)
    # when the sweep runs
    assert delivery_services.deliveries_requeue_stale(now=later) == 1
    # then the active subscription's delivery went once; the paused one waits
    assert len(receiver["calls"]) == 1 and receiver["calls"][0]["url"] == subscription.url
    assert Delivery.objects.get(subscription=subscription).state == Delivery.State.DELIVERED
    assert Delivery.objects.get(subscription=paused).state == Delivery.State.PENDING
    assert delivery_services.deliveries_requeue_stale(now=later) == 0
