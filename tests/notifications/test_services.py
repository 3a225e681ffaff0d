import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction

from apps.accounts.models import ResidentProfile
from apps.audit.models import AuditEvent
from apps.notifications import selectors, services, tasks
from apps.notifications.models import Notification, NotificationTemplate

from .factories import ServicePointFactory, UserFactory, assisted_resident, resident
from .sms_backends import FlakySmsBackend

pytestmark = pytest.mark.django_db

CONTEXT = {"case_number": "C-2025-0001", "service_name": "户籍证明", "url": "/cases/1/"}


def channels_of(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("channel", flat=True))


def test_resident_who_chose_email_and_sms_gets_each_exactly_once(
    django_capture_on_commit_callbacks, sms_outbox
):
    # given
    user = resident(channels=["email", "sms"], phone="13800138000", language="en")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            event="case.submitted", recipients=[user], context=CONTEXT, dedup_key="case:1:submitted"
        )
    # then
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    assert mail.outbox[0].subject == "Your application C-2025-0001 has been submitted"
    assert len(sms_outbox) == 1
    assert sms_outbox[0]["to"] == "13800138000"
    assert "C-2025-0001" in sms_outbox[0]["body"]
    assert selectors.unread_count(user=user) == 1
    assert channels_of(user) == ["email", "in_app", "sms"]
    statuses = dict(Notification.objects.filter(recipient=user).values_list("channel", "status"))
    assert statuses == {"in_app": "delivered", "email": "sent", "sms": "sent"}


def test_notifying_twice_about_the_same_event_sends_nothing_more(
    django_capture_on_commit_callbacks, sms_outbox
):
    # given
    user = resident(channels=["email", "sms"], phone="13800138001")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(event="case.accepted", recipients=[user], context=CONTEXT, dedup_key="c:1")
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = services.notify(
            event="case.accepted", recipients=[user], context=CONTEXT, dedup_key="c:1"
        )
    # then
    assert created == []
    assert callbacks == []
    assert len(mail.outbox) == 1
    assert len(sms_outbox) == 1
    assert Notification.objects.filter(recipient=user).count() == 3


def test_text_is_in_the_residents_language_with_chinese_by_default(
    django_capture_on_commit_callbacks,
):
    # given
    chinese = resident(channels=["email"])
    english = resident(channels=["email"], language="en")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(event="case.refused", recipients=[chinese, english], context=CONTEXT)
    # then
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert subjects[chinese.email] == "办件 C-2025-0001 不予受理"
    assert subjects[english.email] == "Case C-2025-0001 was not accepted"


def test_an_event_without_a_template_still_reaches_the_resident():
    # given
    user = resident()
    # when
    services.notify(event="no.such.event", recipients=[user], context={"url": "/x/"})
    # then
    notification = Notification.objects.get(recipient=user)
    assert notification.subject
    assert notification.body.endswith("/x/")


def test_assisted_resident_gets_a_letter_at_their_service_point_and_sms_to_family(
    django_capture_on_commit_callbacks, sms_outbox
):
    # given
    point = ServicePointFactory()
    user = assisted_resident(
        phone="13800138002",
        service_point=point,
        preferred_contact=ResidentProfile.Contact.FAMILY_PHONE,
        family_phone="13900139000",
    )
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(
            event="case.decided", recipients=[user], context={**CONTEXT, "outcome": "approved"}
        )
    # then
    letters = list(selectors.letters_pending(service_point=point))
    assert [letter.recipient for letter in letters] == [user]
    assert "准予许可" in letters[0].body
    assert [message["to"] for message in sms_outbox] == ["13900139000"]
    assert mail.outbox == []
    assert channels_of(user) == ["in_app", "letter", "sms"]


def test_assisted_resident_without_a_phone_gets_only_the_letter(sms_outbox):
    # given
    user = assisted_resident()
    # when
    services.notify(event="case.accepted", recipients=[user], context=CONTEXT)
    # then
    assert channels_of(user) == ["in_app", "letter"]
    assert sms_outbox == []


def test_staff_without_a_resident_profile_get_the_portal_and_email(
    django_capture_on_commit_callbacks,
):
    # given
    clerk = UserFactory()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(event="case.submitted", recipients=[clerk], context=CONTEXT)
    # then
    assert channels_of(clerk) == ["email", "in_app"]
    assert [message.to for message in mail.outbox] == [[clerk.email]]


def test_nothing_is_queued_or_sent_when_the_transaction_rolls_back(
    django_capture_on_commit_callbacks, sms_outbox
):
    # given
    user = resident(channels=["email", "sms"], phone="13800138003")
    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            services.notify(event="case.submitted", recipients=[user], context=CONTEXT)
            raise RuntimeError("the case could not be saved")
    # then
    assert callbacks == []
    assert Notification.objects.filter(recipient=user).count() == 0
    assert mail.outbox == []
    assert sms_outbox == []


def test_a_failing_sms_provider_leaves_the_notification_failed_after_retries(
    settings, django_capture_on_commit_callbacks
):
    # given
    settings.SMS_BACKEND = "tests.notifications.sms_backends.BrokenSmsBackend"
    user = resident(channels=["sms"], phone="13800138004")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(event="case.submitted", recipients=[user], context=CONTEXT)
    # then
    sms = Notification.objects.get(recipient=user, channel="sms")
    assert sms.status == Notification.Status.FAILED
    assert sms.attempts == tasks.MAX_RETRIES + 1
    assert "SMS gateway unreachable" in sms.last_error
    assert sms.sent_at is None

    # when an administrator sends it again once the gateway is back
    settings.SMS_BACKEND = "apps.core.sms.LocmemSmsBackend"
    admin = UserFactory(is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.notification_retry(notification=sms, actor=admin)
    # then it goes out, and the retry is audited with who asked for it
    sms.refresh_from_db()
    assert sms.status == Notification.Status.SENT
    retry = AuditEvent.objects.get(action="notifications.notification.retry")
    assert retry.actor == admin and retry.target_id == str(sms.pk)


def test_a_provider_that_recovers_sends_the_message_once(
    settings, django_capture_on_commit_callbacks, sms_outbox
):
    # given
    settings.SMS_BACKEND = "tests.notifications.sms_backends.FlakySmsBackend"
    FlakySmsBackend.failures_left = 2
    user = resident(channels=["sms"], phone="13800138005")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(event="case.submitted", recipients=[user], context=CONTEXT)
    # then
    sms = Notification.objects.get(recipient=user, channel="sms")
    assert sms.status == Notification.Status.SENT
    assert sms.attempts == 3
    assert len(sms_outbox) == 1
    assert sms_outbox[0]["idempotency_key"] == sms.idempotency_key


def test_delivering_a_sent_notification_again_sends_nothing(
    django_capture_on_commit_callbacks, sms_outbox
):
    # given
    user = resident(channels=["sms"], phone="13800138006")
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(event="case.submitted", recipients=[user], context=CONTEXT)
    sms = Notification.objects.get(recipient=user, channel="sms")
    # when: the broker hands the same task out again
    tasks.deliver_notification.delay(sms.pk)
    # then
    assert len(sms_outbox) == 1
    sms.refresh_from_db()
    assert sms.attempts == 1


def test_retry_backoff_grows_exponentially(settings):
    # given
    settings.NOTIFICATIONS_RETRY_BACKOFF = 10
    settings.NOTIFICATIONS_RETRY_BACKOFF_MAX = 100
    # when
    countdowns = [tasks.retry_countdown(retries) for retries in range(5)]
    # then
    assert 10 <= countdowns[0] <= 12.5
    assert 20 <= countdowns[1] <= 25
    assert 40 <= countdowns[2] <= 50
    assert 100 <= countdowns[4] <= 125


def test_printing_a_letter_takes_it_off_the_print_queue_and_is_audited():
    # given
    point = ServicePointFactory()
    user = assisted_resident(service_point=point)
    services.notify(event="case.accepted", recipients=[user], context=CONTEXT)
    letter = selectors.letters_pending(service_point=point).get()
    clerk = UserFactory()
    # when
    services.letter_mark_printed(notification=letter, actor=clerk)
    # then
    assert not selectors.letters_pending(service_point=point).exists()
    letter.refresh_from_db()
    assert letter.status == Notification.Status.SENT
    assert AuditEvent.objects.filter(
        action="notifications.letter.print", actor=clerk, target_id=str(letter.pk)
    ).exists()


def test_default_templates_exist_in_both_languages():
    # given
    events = [
        "case.submitted",
        "case.correction_requested",
        "case.accepted",
        "case.refused",
        "case.decided",
        "case.rating_requested",
    ]
    # when
    found = set(NotificationTemplate.objects.values_list("event", "language"))
    # then
    for event in events:
        assert (event, "zh-hans") in found
        assert (event, "en") in found


def test_a_template_with_broken_syntax_is_refused():
    # given
    template = NotificationTemplate(event="x", language="en", subject="Hi", body="{% if %}")
    # when / then
    with pytest.raises(ValidationError) as error:
        template.full_clean()
    assert "body" in error.value.message_dict
