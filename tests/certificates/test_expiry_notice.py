"""Some days before a certificate in the wallet expires, its holder is told in the portal, once,
by the daily beat task; a certificate already ended, or ending later, is left alone."""

import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from apps.certificates import services
from apps.certificates.models import Certificate
from apps.certificates.selectors import certificates_expiring
from apps.certificates.tasks import certificate_expiry_notices_task
from apps.notifications.models import Notification
from portal.celery import app


def ending_in(certificate, days: int) -> Certificate:
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=timezone.localdate() + datetime.timedelta(days=days)
    )
    certificate.refresh_from_db()
    return certificate


def expiry_notices(certificate):
    return Notification.objects.filter(
        event="certificate.expiring", dedup_key=f"certificate:{certificate.pk}:expiring"
    )


def test_the_holder_is_told_once_in_the_portal_before_the_certificate_expires(
    issued, resident, login
):
    # given a licence whose last valid day is ten days away
    licence = ending_in(issued, 10)
    # when the daily task runs, and runs again
    assert certificate_expiry_notices_task.delay().get() == 1
    assert certificate_expiry_notices_task.delay().get() == 0
    # then the holder has one notice in the portal, naming the licence and its last day
    notice = expiry_notices(licence).get(channel="in_app")
    assert notice.recipient == resident
    last_day = licence.valid_until
    assert f"{last_day.year}年{last_day.month}月{last_day.day}日" in notice.subject
    assert licence.number in notice.subject and "还有 10 天到期" in notice.body
    assert licence.number in login(resident).get(reverse("notifications:notification-list")).text


def test_certificates_ending_later_or_already_ended_get_no_notice(issued, lead):
    # a licence ending after the window is not noticed yet
    ending_in(issued, settings.CERTIFICATE_EXPIRY_NOTICE_DAYS + 1)
    assert services.certificate_expiry_notices_send() == []
    # one ending on the window's last day is
    ending_in(issued, settings.CERTIFICATE_EXPIRY_NOTICE_DAYS)
    assert (
        services.certificate_expiry_notices_send(
            today=timezone.localdate() - datetime.timedelta(days=1)
        )
        == []
    )
    assert services.certificate_expiry_notices_send() == [issued.pk]


def test_a_revoked_or_expired_certificate_gets_no_expiry_notice(issued, lead):
    ending_in(issued, -1)  # expired yesterday
    assert services.certificate_expiry_notices_send() == []
    ending_in(issued, 5)
    services.certificate_revoke(certificate=issued, actor=lead, reason="经营场所已注销")
    assert services.certificate_expiry_notices_send() == []
    assert not expiry_notices(issued).exists()


def test_beat_runs_the_task_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["certificates-expiry-notices"]
    assert entry["task"] in app.tasks
    assert entry["schedule"].hour == {8}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (query plans)")
def test_the_window_is_read_through_its_index(db):
    query = certificates_expiring(today=timezone.localdate(), days=30)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = query.explain()
    assert "certificates_valid_until" in plan, plan
