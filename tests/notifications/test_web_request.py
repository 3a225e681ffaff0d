import pytest
from django.core import mail

from apps.notifications.models import Notification

from .factories import resident


@pytest.mark.django_db(transaction=True)
def test_the_web_request_succeeds_when_the_sms_provider_is_down(client, settings):
    # given
    settings.ROOT_URLCONF = "tests.notifications.trigger_urls"
    settings.SMS_BACKEND = "tests.notifications.sms_backends.BrokenSmsBackend"
    user = resident(channels=["email", "sms"], phone="13800138010")
    client.force_login(user)
    # when
    response = client.post("/submit/")
    # then
    assert response.status_code == 200
    statuses = dict(Notification.objects.filter(recipient=user).values_list("channel", "status"))
    assert statuses == {"in_app": "delivered", "email": "sent", "sms": "failed"}
    assert len(mail.outbox) == 1
    sms = Notification.objects.get(recipient=user, channel="sms")
    assert "SMS gateway unreachable" in sms.last_error
