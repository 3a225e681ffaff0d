from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.models import AuditEvent
from tests.accounts.test_two_factor import token_for
from tests.conftest import PASSWORD


def obtain(client: Client, **data):
    return client.post("/api/v1/auth/token/", data, content_type="application/json")


def test_resident_gets_a_token_and_uses_it(client, resident):
    response = obtain(client, login="13800138000", password=PASSWORD)
    assert response.status_code == 200
    token = response.json()["token"]
    me = Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert me.status_code == 200
    assert me.json()["id_number_masked"] == "1101**********002X"
    assert AuditEvent.objects.filter(action="accounts.token.issue", actor=resident).count() == 1


def test_wrong_password_is_refused_in_the_request_language(client, resident):
    response = client.post(
        "/api/v1/auth/token/",
        {"login": "13800138000", "password": "nope"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "The login or password is not right."


def test_staff_token_needs_a_one_time_code_for_the_staff_api(client, clerk):
    refused = obtain(client, login="clerk@city.gov", password=PASSWORD)
    assert refused.status_code == 400
    assert refused.json()["otp_required"] is True

    device = TOTPDevice.objects.get(user=clerk)
    response = obtain(client, login="clerk@city.gov", password=PASSWORD, otp=token_for(device))
    assert response.status_code == 200 and response.json()["otp_verified"] is True
    token = response.json()["token"]
    staff = Client().get("/api/v1/staff/me/", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert staff.status_code == 200


def test_bad_token_is_refused(client, db):
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer not-a-token")
    assert response.status_code == 401


def test_api_sign_in_locks_out_and_audits_failures(client, resident, settings):
    # given the configured number of wrong passwords through the API
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        assert obtain(client, login="13800138000", password="wrong").status_code in (400, 429)
    # then every failure is audited, and even the right password is refused for now
    assert AuditEvent.objects.filter(action="accounts.user.login_failed").count() == 3
    locked = obtain(client, login="13800138000", password=PASSWORD)
    assert locked.status_code == 429
    assert "token" not in locked.json()


def test_a_wrong_enrolment_code_is_audited(login, db, department):
    from tests.conftest import make_staff

    newcomer = make_staff(
        username="newcomer", department=department, role="clerk", with_device=False
    )
    client = login(newcomer)
    client.get("/accounts/2fa/enrol/")
    client.post("/accounts/2fa/enrol/", {"code": "000000"})
    assert (
        AuditEvent.objects.filter(action="accounts.otp.enrol_failed", actor=newcomer).count() == 1
    )
