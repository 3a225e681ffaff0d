"""Administrators edit the catalogue in the admin; published versions show read-only."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.catalog.models import ServiceVersion

from .factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(login):
    admin = User.objects.create_user(
        username="admin", email="admin@city.gov", password="x-long-pass-1", is_staff=True
    )
    admin.is_superuser = True
    admin.save()
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    return login(admin)


def test_the_admin_pages_open(admin_client, department):
    service = make_service(department=department)
    version = service.current_version()
    for url in [
        "/admin/catalog/serviceitem/",
        f"/admin/catalog/serviceitem/{service.pk}/change/",
        "/admin/catalog/serviceversion/",
        f"/admin/catalog/serviceversion/{version.pk}/change/",
        "/admin/core/calendarday/",
        "/admin/core/calendarday/add/",
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_a_published_version_is_read_only_in_the_admin(admin_client, department):
    version = make_service(department=department).current_version()
    response = admin_client.get(f"/admin/catalog/serviceversion/{version.pk}/change/")
    assert 'name="declaration_zh"' not in response.content.decode()
    assert 'name="fields-0-label_zh"' not in response.content.decode()


def test_a_draft_is_editable_in_the_admin(admin_client, department):
    version = make_service(department=department, publish=False).draft_version()
    response = admin_client.get(f"/admin/catalog/serviceversion/{version.pk}/change/")
    assert 'name="declaration_zh"' in response.content.decode()
    assert 'name="fields-0-label_zh"' in response.content.decode()


def test_admin_actions_make_a_draft_and_publish_it(admin_client, department):
    # given a published service
    service = make_service(department=department)
    # when the administrator makes a new draft
    response = admin_client.post(
        "/admin/catalog/serviceitem/",
        {"action": "new_draft", "_selected_action": [service.pk]},
    )
    assert response.status_code == 302
    draft = service.draft_version()
    assert draft.number == 2
    # and publishes it
    admin_client.post(
        "/admin/catalog/serviceversion/",
        {"action": "publish", "_selected_action": [draft.pk]},
    )
    # then it is the current version
    assert service.current_version() == draft
    assert ServiceVersion.objects.filter(service=service).count() == 2
