import pytest
from django.test import Client, override_settings

from apps.audit.models import AuditEvent
from apps.audit.personal import personal_digest
from tests.conftest import PASSWORD


def sign_in(client: Client, login: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": login, "password": password})


@pytest.mark.parametrize(
    "login_name", ["resident@example.cn", "RESIDENT@example.cn", "13800138000"]
)
def test_resident_signs_in_by_email_or_phone(client, resident, login_name):
    response = sign_in(client, login_name)
    assert response.status_code == 302
    assert client.get("/api/v1/me/").json()["display_name"] == "张三"


def test_login_logout_and_failure_are_audited(client, resident):
    sign_in(client, "resident@example.cn", "wrong-password")
    sign_in(client, "resident@example.cn")
    client.post("/accounts/logout/")
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == [
        "accounts.user.login_failed",
        "accounts.user.login",
        "accounts.user.logout",
    ]
    failed = AuditEvent.objects.get(action="accounts.user.login_failed")
    # what was typed as the login, as a keyed digest: it may be a resident's email or phone
    assert failed.data == {"login": personal_digest("resident@example.cn")}
    assert "resident@example.cn" not in str(failed.data)
    assert failed.ip_address == "127.0.0.1"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_lockout_after_configured_number_of_failures(client, resident):
    # given two wrong passwords: still allowed to try
    for _ in range(2):
        response = sign_in(client, "resident@example.cn", "wrong")
        assert response.status_code == 200
    # when the third wrong password is typed
    response = sign_in(client, "resident@example.cn", "wrong")
    # then the account is locked, and even the right password is refused
    assert response.status_code == 429
    response = sign_in(client, "resident@example.cn")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_staff_password_login_leads_to_2fa(client, clerk):
    response = sign_in(client, "clerk@city.gov")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/verify/")


def test_care_mode_is_remembered_on_the_account_and_audited(login, resident):
    login(resident).post("/care-mode/", {"enabled": "1", "next": "/"})
    resident.refresh_from_db()
    assert resident.care_mode is True
    event = AuditEvent.objects.get(action="accounts.user.care_mode")
    assert event.actor == resident and event.data == {"enabled": True}
