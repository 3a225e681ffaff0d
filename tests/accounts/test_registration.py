import re

import pytest
from django.core import mail

from apps.accounts.models import ResidentProfile, User
from apps.audit.models import AuditEvent
from apps.core.sms import LocmemSmsBackend

FORM = {
    "real_name": "王小明",
    "id_number": "11010519491231002X",
    "contact": "13700137000",
    "password1": "a-long-pass-phrase-7",
    "password2": "a-long-pass-phrase-7",
}


def last_code(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("zh-hans", "身份证号码的校验位不正确"),
        ("en", "The check digit of this ID number is wrong"),
    ],
)
def test_wrong_id_number_gets_clear_error_and_keeps_other_fields(client, db, language, message):
    # given a resident who mistypes the last digit of their ID number
    client.cookies["django_language"] = language
    data = {**FORM, "id_number": "110105194912310021"}
    # when they send the registration form
    response = client.post("/accounts/register/", data)
    # then they see the error in their language and what they typed is still there
    page = response.content.decode()
    assert response.status_code == 200
    assert message in page
    assert 'value="王小明"' in page
    assert 'value="13700137000"' in page
    assert 'value="110105194912310021"' in page
    assert not User.objects.filter(phone="13700137000").exists()


def test_registration_by_phone_with_one_time_code(client, db):
    client.post("/accounts/register/", FORM)
    assert len(LocmemSmsBackend.outbox) == 1
    sms = LocmemSmsBackend.outbox[0]
    assert sms["to"] == "13700137000"

    # a wrong code is refused and says how many tries are left
    wrong = client.post("/accounts/register/verify/", {"code": "000000"})
    assert wrong.status_code == 200
    assert not User.objects.filter(phone="13700137000").exists()

    response = client.post("/accounts/register/verify/", {"code": last_code(sms["body"])})
    assert response.status_code == 302
    user = User.objects.get(phone="13700137000")
    assert user.check_password("a-long-pass-phrase-7")
    profile = ResidentProfile.objects.get(user=user)
    assert profile.real_name == "王小明"
    assert profile.masked_id_number == "1101**********002X"
    assert profile.notification_channels == ["in_app", "sms"]
    assert AuditEvent.objects.filter(action="accounts.user.register", actor=user).exists()
    assert client.get("/api/v1/me/").json()["id_number_masked"] == "1101**********002X"


def test_registration_by_email_code_works_once(client, db):
    client.post("/accounts/register/", {**FORM, "contact": "Wang@Example.cn"})
    code = last_code(mail.outbox[0].body)
    assert mail.outbox[0].to == ["wang@example.cn"]
    client.post("/accounts/register/verify/", {"code": code})
    assert User.objects.filter(email="wang@example.cn").count() == 1


def test_code_is_refused_after_too_many_tries(client, db, settings):
    settings.VERIFICATION_CODE_MAX_ATTEMPTS = 2
    client.post("/accounts/register/", FORM)
    code = last_code(LocmemSmsBackend.outbox[0]["body"])
    client.post("/accounts/register/verify/", {"code": "111111"})
    client.post("/accounts/register/verify/", {"code": "222222"})
    response = client.post("/accounts/register/verify/", {"code": code})
    # then even the right code is refused as too many tries (429), and the page says what to do
    assert response.status_code == 429
    assert "验证码错误次数过多，请重新获取。" in response.content.decode()
    assert not User.objects.filter(phone="13700137000").exists()


def test_expired_code_is_refused(client, db, settings):
    from datetime import timedelta

    settings.VERIFICATION_CODE_TTL = timedelta(seconds=-1)
    client.post("/accounts/register/", FORM)
    code = last_code(LocmemSmsBackend.outbox[0]["body"])
    client.post("/accounts/register/verify/", {"code": code})
    assert not User.objects.filter(phone="13700137000").exists()


def test_profile_page_shows_masked_id_and_saves_preferences(login, resident):
    client = login(resident)
    page = client.get("/accounts/profile/").content.decode()
    assert "11010519491231002X" not in page
    response = client.post(
        "/accounts/profile/",
        {
            "real_name": "张三",
            "id_number": "",
            "address": "新地址 1 号",
            "notification_channels": ["in_app", "sms"],
        },
    )
    assert response.status_code == 302
    resident.profile.refresh_from_db()
    assert resident.profile.address == "新地址 1 号"
    assert resident.profile.notification_channels == ["in_app", "sms"]
    assert resident.profile.id_number == "11010519491231002X"  # left empty: kept
    event = AuditEvent.objects.get(action="accounts.profile.update")
    assert event.data == {"fields": ["address", "notification_channels"]}


def test_codes_cannot_be_requested_again_straight_away(client, db):
    client.post("/accounts/register/", FORM)
    client.post("/accounts/register/verify/", {"resend": "1"})
    assert len(LocmemSmsBackend.outbox) == 1  # the resend within a minute was refused
    # the first code still works
    client.post(
        "/accounts/register/verify/", {"code": last_code(LocmemSmsBackend.outbox[0]["body"])}
    )
    assert User.objects.filter(phone="13700137000").exists()
