import pytest
from django.urls import reverse, reverse_lazy

from apps.notifications import selectors, services

from .factories import resident

pytestmark = pytest.mark.django_db

INBOX = reverse_lazy("notifications:notification-list")


def tell(user, number: int):
    services.notify(
        event="case.accepted",
        recipients=[user],
        context={"case_number": f"C-{number}", "service_name": "证明", "url": f"/cases/{number}/"},
        dedup_key=f"case:{number}:accepted",
    )
    return selectors.notification_list_for_user(user=user).get(
        event="case.accepted", body__contains=f"C-{number}"
    )


def test_inbox_shows_unread_notifications_and_their_count(client):
    # given
    user = resident()
    tell(user, 1)
    tell(user, 2)
    client.force_login(user)
    # when
    response = client.get(INBOX, HTTP_ACCEPT_LANGUAGE="en")
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "You have 2 unread notifications." in page
    assert "办件 C-1 已受理" in page
    assert "办件 C-2 已受理" in page
    assert page.count("Mark as read") == 2


def test_marking_one_read_without_javascript(client):
    # given
    user = resident()
    first = tell(user, 1)
    tell(user, 2)
    client.force_login(user)
    # when
    response = client.post(reverse("notifications:notification-read", args=[first.pk]))
    # then
    assert response.status_code == 302
    assert response.url == INBOX
    page = client.get(INBOX, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have 1 unread notification." in page
    first.refresh_from_db()
    assert first.is_read


def test_opening_a_notification_marks_it_read_and_goes_to_its_page(client):
    # given
    user = resident()
    notification = tell(user, 7)
    client.force_login(user)
    # when
    response = client.post(
        reverse("notifications:notification-read", args=[notification.pk]), {"open": "1"}
    )
    # then
    assert response.url == "/cases/7/"
    assert selectors.unread_count(user=user) == 0


def test_mark_all_read(client):
    # given
    user = resident()
    tell(user, 1)
    tell(user, 2)
    client.force_login(user)
    # when
    response = client.post(
        reverse("notifications:notification-read-all"), follow=True, HTTP_ACCEPT_LANGUAGE="en"
    )
    # then
    page = response.content.decode()
    assert "All notifications are marked as read." in page
    assert "You have 0 unread notifications." in page
    assert "Mark as read" not in page


def test_nobody_can_mark_someone_elses_notification(client):
    # given
    owner = resident()
    notification = tell(owner, 1)
    client.force_login(resident())
    # when
    response = client.post(reverse("notifications:notification-read", args=[notification.pk]))
    # then
    assert response.status_code == 404
    assert selectors.unread_count(user=owner) == 1


def test_the_inbox_needs_sign_in(client):
    # when
    response = client.get(INBOX)
    # then
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url
