"""Two steps notifying about the same event at the same moment: each message is written and
sent once, whichever step inserts it first."""

import threading

import pytest
from django.db import connection, transaction

from apps.notifications import services
from apps.notifications.models import Notification
from tests.conftest import require_postgresql

from .factories import resident

pytestmark = pytest.mark.django_db(transaction=True)

CONTEXT = {"case_number": "C-2025-0002", "service_name": "户籍证明", "url": "/cases/2/"}


def test_a_message_another_step_is_inserting_is_not_written_twice(db):
    require_postgresql("two connections at once")
    first, second = resident(channels=[]), resident(channels=[])
    inserted, release = threading.Event(), threading.Event()

    def other_step() -> None:
        try:
            with transaction.atomic():
                services.notify(
                    event="case.accepted", recipients=[first], context=CONTEXT, dedup_key="c:2"
                )
                inserted.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_step)
    thread.start()
    assert inserted.wait(10)
    # when this step notifies both while the other's row for `first` is not committed yet (its
    # insert waits on that row, then finds it there), releasing the other step meanwhile
    threading.Timer(0.5, release.set).start()
    created = services.notify(
        event="case.accepted", recipients=[first, second], context=CONTEXT, dedup_key="c:2"
    )
    thread.join(10)
    # then this step wrote only what the other had not, and each has one in-app message
    assert [(n.recipient_id, n.channel) for n in created] == [(second.pk, "in_app")]
    for user in (first, second):
        assert Notification.objects.filter(recipient=user, dedup_key="c:2").count() == 1
