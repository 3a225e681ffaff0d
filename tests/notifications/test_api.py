import pytest
from django.urls import reverse

from apps.notifications import selectors, services

from .factories import resident

pytestmark = pytest.mark.django_db


def tell(user, number: int):
    services.notify(
        event="case.submitted",
        recipients=[user],
        context={"case_number": f"C-{number}", "service_name": "证明", "url": f"/cases/{number}/"},
        dedup_key=f"case:{number}:submitted",
    )


def test_lists_only_my_notifications_newest_first_with_unread_count(client):
    # given
    me, other = resident(), resident()
    tell(me, 1)
    tell(me, 2)
    tell(other, 3)
    client.force_login(me)
    # when
    response = client.get(reverse("api-notification-list"))
    # then
    assert response.status_code == 200
    data = response.json()
    assert "count" not in data  # keyset pages: the inbox is not counted
    assert data["unread_count"] == 2
    assert [item["url"] for item in data["results"]] == ["/cases/2/", "/cases/1/"]
    assert all(item["is_read"] is False for item in data["results"])


def test_the_inbox_is_walked_by_cursor_newest_first(client):
    # given seven notifications, the oldest read
    me = resident()
    for number in range(1, 8):
        tell(me, number)
    services.notification_mark_read(
        notification=selectors.notification_list_for_user(user=me).last(), user=me
    )
    client.force_login(me)
    # when I follow the `next` links three at a time
    seen, link = [], reverse("api-notification-list") + "?page_size=3"
    while link:
        page = client.get(link).json()
        assert page["unread_count"] == 6  # on every page
        seen += [item["url"] for item in page["results"]]
        link = page["next"]
    # then each comes once, newest first
    assert seen == [f"/cases/{n}/" for n in range(7, 0, -1)]
    # and a page bigger than 100 is refused, as before
    assert client.get(reverse("api-notification-list"), {"page_size": "101"}).status_code == 400


def test_marking_read_through_the_api(client):
    # given
    me = resident()
    tell(me, 1)
    notification = selectors.notification_list_for_user(user=me).get()
    client.force_login(me)
    # when
    response = client.post(reverse("api-notification-read", args=[notification.pk]))
    # then
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert client.get(reverse("api-notification-list")).json()["unread_count"] == 0


def test_someone_elses_notification_is_not_found(client):
    # given
    other = resident()
    tell(other, 1)
    notification = selectors.notification_list_for_user(user=other).get()
    client.force_login(resident())
    # when
    response = client.post(reverse("api-notification-read", args=[notification.pk]))
    # then
    assert response.status_code == 404
    assert selectors.unread_count(user=other) == 1


def test_the_api_needs_sign_in(client):
    # when
    response = client.get(reverse("api-notification-list"))
    # then
    assert response.status_code in (401, 403)
