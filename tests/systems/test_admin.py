"""An administrator registers a department's system in the admin: the secret is shown once,
kept hashed, and works at the token endpoint; switching the system off ends its tokens."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.audit.models import AuditEvent
from apps.systems.models import DepartmentSystem
from tests.systems.conftest import basic, bearer

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


def test_the_admin_registers_a_system_and_sees_its_secret_once(admin_client, client, department):
    # when an administrator registers a system with one scope
    response = admin_client.post(
        "/admin/systems/departmentsystem/add/",
        {"name": "市场监管审批系统", "department": department.pk, "scopes": ["cases:read"]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    system = DepartmentSystem.objects.get()
    page = response.content.decode()
    shown = re.search(r"client secret: (\S+?)\. ", page).group(1)
    # then the page showed the id and the secret, the portal keeps neither the secret nor a copy
    assert system.client_id in page
    assert system.application.client_secret != shown
    # and the system's account is a clerk of the department that cannot sign in
    assert system.user.roles_in(department) == {"clerk"}
    assert not system.user.has_usable_password()
    # and the registration is audited without the secret
    audit = AuditEvent.objects.get(action="systems.system.register")
    assert shown not in str(audit.data)
    # and the secret works at the token endpoint, for the one scope
    token = client.post(
        "/api/v1/systems/token/",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=basic(system.client_id, shown),
    )
    assert token.status_code == 200
    assert token.json()["scope"] == "cases:read"
    # when the administrator switches it off, its token stops working at once
    admin_client.post(
        f"/admin/systems/departmentsystem/{system.pk}/change/",
        {"name": system.name, "scopes": ["cases:read"]},  # "is_active" unticked
    )
    access = token.json()["access_token"]
    assert client.get("/api/v1/systems/cases/", **bearer(access)).status_code == 401


def test_a_new_secret_replaces_the_old_one(admin_client, client, register, department):
    system, old = register(department)
    response = admin_client.post(
        "/admin/systems/departmentsystem/",
        {"action": "rotate_secret", "_selected_action": [system.pk]},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    new = re.search(r"client secret: (\S+?)\. ", response.content.decode()).group(1)
    assert new != old

    def token_status(secret):
        return client.post(
            "/api/v1/systems/token/",
            {"grant_type": "client_credentials"},
            HTTP_AUTHORIZATION=basic(system.client_id, secret),
        ).status_code

    assert token_status(old) == 401
    assert token_status(new) == 200
