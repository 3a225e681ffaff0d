import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.models import AuditEvent
from tests.conftest import make_staff

STAFF_PREFIXES = ("staff/", "desk/", "admin/")


def _sample_paths(patterns, prefix=""):
    """Every URL of the project as a concrete path, with sample values for its parameters."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from _sample_paths(entry.url_patterns, route)
        elif isinstance(entry, URLPattern):
            path = re.sub(r"<(?:\w+:)?\w+>", "1", route)
            path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path).lstrip("^").rstrip("$").replace("\\", "")
            yield "/" + path


def staff_paths():
    paths = sorted({p for p in _sample_paths(get_resolver().url_patterns)})
    return [p for p in paths if p.lstrip("/").startswith(STAFF_PREFIXES)]


def token_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):0{device.digits}d}"


@pytest.fixture
def staff_without_2fa(department):
    return make_staff(username="newclerk", department=department, role="clerk", with_device=False)


def test_staff_urls_exist_to_check():
    paths = staff_paths()
    assert "/staff/" in paths and "/desk/" in paths and "/admin/" in paths
    assert len(paths) > 20  # the admin alone has many


def test_staff_without_2fa_is_sent_to_enrolment_from_every_staff_url(login, staff_without_2fa):
    # given a clerk who never set up 2FA
    client = login(staff_without_2fa)
    for path in staff_paths():
        # when they open any staff page
        response = client.get(path)
        # then they are sent to enrolment first
        assert response.status_code == 302, path
        assert response["Location"].startswith("/accounts/2fa/enrol/"), path


def test_staff_with_unverified_device_is_sent_to_verification(login, clerk):
    client = login(clerk, verified=False)
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/verify/?next=/staff/"


def test_staff_api_refuses_staff_without_verified_2fa(login, staff_without_2fa, clerk):
    assert login(staff_without_2fa).get("/api/v1/staff/me/").status_code == 403
    assert login(clerk, verified=False).get("/api/v1/staff/me/").status_code == 403
    response = login(clerk).get("/api/v1/staff/me/")
    assert response.status_code == 200
    assert response.json() == [
        {"department_code": "market", "department": "市场监督管理局", "role": "clerk"}
    ]


def test_verified_staff_reach_staff_pages_and_residents_do_not(login, clerk, resident):
    assert login(clerk).get("/staff/").status_code == 200
    assert login(resident).get("/staff/").status_code == 403
    assert login(resident).get("/api/v1/staff/me/").status_code == 403


def test_desk_is_for_counter_staff_only(login, clerk, counter_clerk):
    assert login(clerk).get("/desk/").status_code == 403
    assert login(counter_clerk).get("/desk/").status_code == 200


def test_enrolment_confirms_authenticator_and_shows_backup_codes_once(login, staff_without_2fa):
    # given a clerk on the enrolment page
    client = login(staff_without_2fa)
    page = client.get("/accounts/2fa/enrol/?next=/staff/")
    assert page.status_code == 200
    assert b"<svg" in page.content  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=staff_without_2fa, confirmed=False)

    # when a wrong code is typed, then it is refused and nothing is confirmed
    wrong = client.post("/accounts/2fa/enrol/?next=/staff/", {"code": "000000"})
    assert wrong.status_code == 200
    device.refresh_from_db()
    assert not device.confirmed
    # and the wrong try counts: the device slows down further guesses
    assert device.throttling_failure_count == 1
    device.throttle_reset()  # the clerk waits out the short delay

    # when the right code is typed
    response = client.post("/accounts/2fa/enrol/?next=/staff/", {"code": token_for(device)})

    # then the device is confirmed, backup codes are shown once, and staff pages answer
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/backup-codes/")
    codes_page = client.get(response["Location"])
    codes = list(StaticToken.objects.filter(device__user=staff_without_2fa))
    assert len(codes) == 10
    assert codes[0].token in codes_page.content.decode()
    assert codes[0].token not in client.get(response["Location"]).content.decode()
    assert client.get("/staff/").status_code == 200
    assert AuditEvent.objects.filter(action="accounts.otp.enrol").count() == 1


def test_backup_code_verifies_once(login, clerk):
    from apps.accounts.services import backup_codes_regenerate

    codes = backup_codes_regenerate(user=clerk)
    client = login(clerk, verified=False)
    response = client.post("/accounts/2fa/verify/?next=/staff/", {"code": codes[0]})
    assert response.status_code == 302 and response["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200

    second = login(clerk, verified=False)
    refused = second.post("/accounts/2fa/verify/", {"code": codes[0]})
    assert refused.status_code == 200
    assert second.get("/staff/").status_code == 302
    assert AuditEvent.objects.filter(action="accounts.otp.verify_failed").count() == 1


def test_resident_who_opted_in_must_verify_after_password_login(client, resident):
    TOTPDevice.objects.create(user=resident, name="phone", confirmed=True)
    response = client.post(
        "/accounts/login/",
        {"username": "resident@example.cn", "password": "correct-horse-battery-9"},
    )
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/verify/")
    assert client.get("/accounts/profile/").status_code == 200  # /accounts/ pages stay open
    assert client.get("/").status_code == 302


def test_staff_cannot_turn_2fa_off(login, clerk):
    client = login(clerk)
    client.post("/accounts/2fa/disable/")
    assert TOTPDevice.objects.filter(user=clerk).exists()
