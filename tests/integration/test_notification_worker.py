"""A real Celery worker on Redis delivers each committed notification exactly once.

Run with PostgreSQL and Redis, e.g.
DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \
REQUIRE_INTEGRATION=1 .venv/bin/pytest tests/integration
"""

import json

import pytest
from django.db import transaction

from apps.notifications.models import Notification, NotificationTemplate
from apps.notifications.services import notify
from tests.notifications.factories import resident

from .conftest import wait_for

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def case_templates():
    # Transactional tests start from a flushed database, without the migration's templates.
    for event in ("case.submitted", "case.decided"):
        NotificationTemplate.objects.get_or_create(
            event=event,
            language="zh-hans",
            defaults={
                "subject": "办件 {{ case_number }}",
                "body": "办件 {{ case_number }} 有新进展",
            },
        )


CONTEXT = {"case_number": "C-2025-0042", "service_name": "户籍证明", "url": "/cases/42/"}


def sms_lines(sms_file, idempotency_key: str) -> list[dict]:
    if not sms_file.exists():
        return []
    lines = [json.loads(line) for line in sms_file.read_text(encoding="utf-8").splitlines() if line]
    return [line for line in lines if line["idempotency_key"] == idempotency_key]


def status_of(notification_id: int) -> str:
    return Notification.objects.values_list("status", flat=True).get(pk=notification_id)


def sms_notification_for(user) -> Notification:
    return Notification.objects.get(recipient=user, channel=Notification.Channel.SMS)


def test_committed_notification_is_sent_once_and_rolled_back_one_never(start_worker):
    # given
    start_worker()
    rolled_back = resident(channels=["sms"], phone="13800138100")
    committed = resident(channels=["sms"], phone="13800138101")
    # when: one case is saved, the other one fails and rolls back
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(event="case.submitted", recipients=[rolled_back], context=CONTEXT, dedup_key="c:1")
        raise RuntimeError("the case could not be saved")
    with transaction.atomic():
        notify(event="case.submitted", recipients=[committed], context=CONTEXT, dedup_key="c:2")
    # then
    sms = sms_notification_for(committed)
    wait_for(lambda: status_of(sms.pk) == "sent", what="the SMS to be sent")
    lines = sms_lines(start_worker.sms_file, sms.idempotency_key)
    assert len(lines) == 1
    assert lines[0]["to"] == "13800138101"
    assert "C-2025-0042" in lines[0]["body"]
    assert not Notification.objects.filter(recipient=rolled_back).exists()
    all_lines = start_worker.sms_file.read_text(encoding="utf-8").splitlines()
    assert len(all_lines) == 1


@pytest.mark.parametrize(
    "killed",
    ["before the provider accepted it", "after the provider accepted it"],
)
def test_worker_killed_mid_delivery_still_sends_exactly_once(start_worker, killed):
    # given: a worker whose SMS provider is slow, in the middle of sending
    started = start_worker.tmp_path / "sms-started"
    first = start_worker(
        SMS_BACKEND="tests.integration.slow_sms.SlowSmsBackend",
        SLOW_SMS_MODE="before" if killed.startswith("before") else "after",
        SLOW_SMS_SECONDS="120",
        SLOW_SMS_STARTED_FILE=str(started),
    )
    user = resident(channels=["sms"], phone="13800138102")
    with transaction.atomic():
        notify(event="case.decided", recipients=[user], context=CONTEXT, dedup_key="c:3")
    sms = sms_notification_for(user)
    wait_for(started.exists, what="the worker to start sending")
    # when: the worker is killed, and another one starts
    first.kill()
    assert status_of(sms.pk) == "queued"
    start_worker()
    # then
    wait_for(lambda: status_of(sms.pk) == "sent", what="the SMS to be sent after the restart")
    lines = sms_lines(start_worker.sms_file, sms.idempotency_key)
    assert len(lines) == 1
    assert "C-2025-0042" in lines[0]["body"]
