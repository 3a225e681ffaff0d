"""Where a request came from reaches the audit trail through the AuditContext the view builds:
the service itself never sees the request."""

import pytest

from apps.audit.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chromium/131"


def test_a_page_action_is_audited_with_the_address_and_browser(client, resident):
    # given a resident signed in from a known address and browser
    client.post(
        "/accounts/login/",
        {"username": "resident@example.cn", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.23",
        HTTP_USER_AGENT=BROWSER,
    )
    # when they change their profile through the page
    client.post(
        "/accounts/profile/",
        {
            "real_name": "张三",
            "address": "东城区东四北大街 10 号",
            "notification_channels": ["in_app"],
        },
        REMOTE_ADDR="198.51.100.23",
        HTTP_USER_AGENT=BROWSER,
    )
    # then the service's audit event carries both
    event = AuditEvent.objects.get(action="accounts.profile.update")
    assert event.actor == resident
    assert (event.ip_address, event.user_agent) == ("198.51.100.23", BROWSER)
