"""Limits of signing in: a locked authenticator says so, with the time to wait, on the staff
2FA page and on the API token endpoint; sign-in lock-outs and code sends say how long."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import VerificationCode
from apps.audit.models import AuditEvent
from apps.core.sms import LocmemSmsBackend
from tests.accounts.test_two_factor import token_for
from tests.conftest import PASSWORD

WAIT = re.compile(r"Too many wrong codes\. Try again in (\d+) (second|seconds|minute|minutes)\.")


def obtain(client, **data):
    return client.post(
        "/api/v1/auth/token/", data, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )


def wrong_code_for(device: TOTPDevice) -> str:
    return "000000" if token_for(device) != "000000" else "111111"


def test_twelve_wrong_codes_on_the_token_endpoint_lock_the_device_and_say_so(
    client, clerk, settings
):
    # A first lock of a minute, not a second: on a busy machine a request can take longer than
    # one second, and the lock would end between the tries.
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    device = TOTPDevice.objects.get(user=clerk)
    wrong = wrong_code_for(device)
    # given a first wrong code: refused as wrong (400), naming the field
    first = obtain(client, login="clerk@city.gov", password=PASSWORD, otp=wrong)
    assert first.status_code == 400
    assert first.json()["errors"] == {"otp": ["Check the one-time code."]}
    # when eleven more come straight after
    answers = [
        obtain(client, login="clerk@city.gov", password=PASSWORD, otp=wrong) for _ in range(11)
    ]
    # then each is refused because the device is locked (429), saying how long to wait
    assert {answer.status_code for answer in answers} == {429}
    body = answers[-1].json()
    assert body["code"] == "throttled" and WAIT.fullmatch(body["detail"]), body
    assert body["errors"]["otp"] == [body["detail"]]
    assert body["retry_after"] >= 1 and answers[-1]["Retry-After"] == str(body["retry_after"])

    # when the right code comes during the lock
    right = obtain(client, login="clerk@city.gov", password=PASSWORD, otp=token_for(device))
    # then it is refused with the same message, not the generic 400, and no token is given
    assert right.status_code == 429 and WAIT.fullmatch(right.json()["detail"])
    assert "token" not in right.json()
    # and every refusal is audited, the locked ones with the reason and the wait
    failures = AuditEvent.objects.filter(action="accounts.otp.verify_failed", actor=clerk)
    assert failures.count() == 13
    locked = failures.filter(data__reason="locked")
    assert locked.count() == 12 and all(e.data["retry_after"] >= 1 for e in locked)


def test_the_lock_ends_and_the_right_code_then_works(client, clerk):
    device = TOTPDevice.objects.get(user=clerk)
    obtain(client, login="clerk@city.gov", password=PASSWORD, otp=wrong_code_for(device))
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    # when the clerk waits out the lock (the failure moved back in time, instead of sleeping)
    device.throttling_failure_timestamp = timezone.now() - timedelta(hours=1)
    device.save()
    response = obtain(client, login="clerk@city.gov", password=PASSWORD, otp=token_for(device))
    assert response.status_code == 200 and response.json()["otp_verified"] is True


def test_the_staff_2fa_page_says_the_device_is_locked_and_keeps_the_code(login, clerk):
    client = login(clerk, verified=False)
    device = TOTPDevice.objects.get(user=clerk)
    # given wrong codes typed in a row
    first = client.post("/accounts/2fa/verify/?next=/staff/", {"code": wrong_code_for(device)})
    assert first.status_code == 200  # a wrong code, said so beside the field
    # when the right code is typed while the device is locked
    right = token_for(device)
    response = client.post(
        "/accounts/2fa/verify/?next=/staff/", {"code": right}, HTTP_ACCEPT_LANGUAGE="en"
    )
    # then the page answers 429, says how long to wait, and keeps what was typed
    page = response.content.decode()
    assert response.status_code == 429
    assert re.search(r"Too many wrong codes\. Try again in \d+ seconds?\.", page), page
    assert f'value="{right}"' in page
    # and the session is still not verified
    assert client.get("/staff/").status_code == 302


def test_the_staff_2fa_page_says_so_in_chinese(login, clerk):
    client = login(clerk, verified=False)
    device = TOTPDevice.objects.get(user=clerk)
    client.post("/accounts/2fa/verify/", {"code": wrong_code_for(device)})
    response = client.post("/accounts/2fa/verify/", {"code": token_for(device)})
    assert response.status_code == 429
    assert re.search(r"验证码错误次数过多。请在 \d+ 秒后再试。", response.content.decode())


def test_an_api_sign_in_lockout_says_how_long_to_wait(client, resident, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        obtain(client, login="13800138000", password="wrong")
    locked = obtain(client, login="13800138000", password=PASSWORD)
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "throttled"
    assert body["detail"] == "Too many failed sign-ins. Try again in 30 minutes."
    assert body["retry_after"] == 30 * 60 and locked["Retry-After"] == "1800"


REGISTRATION = {
    "real_name": "王小明",
    "id_number": "11010519491231002X",
    "contact": "13700137000",
    "password1": "a-long-Passphrase-42",
    "password2": "a-long-Passphrase-42",
}


@pytest.fixture
def no_resend_wait(settings):
    settings.VERIFICATION_CODE_RESEND_AFTER = timedelta(0)


def test_codes_to_one_phone_are_limited_per_hour(client, db, settings, no_resend_wait):
    # given a limit of two codes an hour to one phone
    settings.RATE_LIMITS = {"code-send": "2/h"}
    for _ in range(2):
        assert client.post("/accounts/register/", REGISTRATION).status_code == 302
    assert len(LocmemSmsBackend.outbox) == 2
    # when a third is asked for
    response = client.post("/accounts/register/", REGISTRATION)
    # then it is refused (429) with the time to wait, the form keeps what was typed, and no
    # SMS goes out
    page = response.content.decode()
    assert response.status_code == 429
    assert re.search(r"发送到此邮箱或手机号码的验证码过多。请在 \d+ (秒|分钟)后再试。", page), page
    assert 'value="王小明"' in page and 'value="13700137000"' in page
    assert len(LocmemSmsBackend.outbox) == 2
    # and resending from the code page is refused the same way
    resend = client.post("/accounts/register/verify/", {"resend": "1"})
    assert resend.status_code == 429
    assert "发送到此邮箱或手机号码的验证码过多" in resend.content.decode()
    assert len(LocmemSmsBackend.outbox) == 2


def test_codes_asked_for_from_one_address_are_limited(client, db, settings, no_resend_wait):
    settings.RATE_LIMITS = {"code-send-ip": "2/h"}
    for phone in ("13700137001", "13700137002"):
        client.post("/accounts/register/", {**REGISTRATION, "contact": phone})
    response = client.post("/accounts/register/", {**REGISTRATION, "contact": "13700137003"})
    assert response.status_code == 429
    assert "从此网络地址申请的验证码过多" in response.content.decode()
    assert len(LocmemSmsBackend.outbox) == 2
    assert not VerificationCode.objects.filter(destination="13700137003").exists()


def test_asking_again_too_soon_says_how_long_to_wait(client, db):
    client.post("/accounts/register/", REGISTRATION)
    response = client.post("/accounts/register/verify/", {"resend": "1"})
    assert response.status_code == 429
    assert re.search(r"验证码刚刚已发送。请在 \d+ (秒|分钟)后再试。", response.content.decode())
    assert len(LocmemSmsBackend.outbox) == 1
