"""Limits of signing codes: codes sent to one phone, wrong codes of one user, a locked
authenticator; each refusal says how long to wait (429 through the API)."""

import datetime
import re

import pytest
from django.utils import translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.exceptions import ApplicationError, TooManyAttemptsError
from apps.core.sms import LocmemSmsBackend
from apps.signatures.services import signature_code_send
from tests.catalog.factories import make_service
from tests.signatures.test_services import _totp_now, sms_code, take


@pytest.fixture(autouse=True)
def _no_resend_cooldown(settings):
    settings.VERIFICATION_CODE_RESEND_AFTER = datetime.timedelta(0)


def test_codes_sent_to_one_phone_are_limited_per_hour(resident, settings):
    # given a limit of two codes an hour to one phone
    settings.RATE_LIMITS = {"code-send": "2/h"}
    signature_code_send(user=resident, channel="sms")
    signature_code_send(user=resident, channel="sms")
    # when a third is asked for
    with translation.override("en"), pytest.raises(TooManyAttemptsError) as refused:
        signature_code_send(user=resident, channel="sms")
    # then it is refused with the time to wait, and no SMS goes out
    assert re.fullmatch(
        r"Too many codes were sent to this address or phone number\. "
        r"Try again in \d+ (seconds?|minutes?)\.",
        str(refused.value.message),
    )
    assert len(LocmemSmsBackend.outbox) == 2
    # and the code sent last still signs
    assert take(resident, sms_code(), "sms").pk


def test_asking_again_too_soon_says_how_many_seconds(resident, settings):
    settings.VERIFICATION_CODE_RESEND_AFTER = datetime.timedelta(seconds=30)
    signature_code_send(user=resident, channel="sms")
    with translation.override("en"), pytest.raises(TooManyAttemptsError) as refused:
        signature_code_send(user=resident, channel="sms")
    assert re.fullmatch(
        r"We sent you a code a moment ago\. Try again in \d+ seconds?\.",
        str(refused.value.message),
    )
    assert 0 < refused.value.extra["retry_after"] <= 30


def test_wrong_codes_of_one_user_are_limited_over_all_their_codes(resident, settings):
    # given a limit of three wrong codes an hour, and a fresh code after each two wrong ones
    settings.RATE_LIMITS = {"signing-code-wrong": "3/h"}
    signature_code_send(user=resident, channel="sms")
    for _ in range(2):
        with pytest.raises(ApplicationError):
            take(resident, "000000" if sms_code() != "000000" else "111111", "sms")
    signature_code_send(user=resident, channel="sms")
    code = sms_code()
    with pytest.raises(TooManyAttemptsError):  # the third wrong code of the hour
        take(resident, "000000" if code != "000000" else "111111", "sms")
    # when the right code of the fresh one comes
    with translation.override("en"), pytest.raises(TooManyAttemptsError) as refused:
        take(resident, code, "sms")
    # then it is refused too, saying how long to wait
    assert str(refused.value.message).startswith("Too many wrong signing codes. Try again in ")
    assert refused.value.extra["reason"] == "too_many_attempts"


def test_a_locked_authenticator_says_so_when_signing(clerk):
    device = TOTPDevice.objects.get(user=clerk)
    right = _totp_now(device)
    with pytest.raises(ApplicationError) as wrong:
        take(clerk, "000000" if right != "000000" else "111111", "totp")
    assert not isinstance(wrong.value, TooManyAttemptsError)
    # when the right code comes straight after, while django-otp keeps the device locked
    with translation.override("en"), pytest.raises(TooManyAttemptsError) as refused:
        take(clerk, right, "totp")
    # then the refusal says why and how long to wait
    assert re.fullmatch(
        r"Too many wrong codes\. Try again in \d+ seconds?\.", str(refused.value.message)
    )


def test_the_signing_code_api_answers_429_with_the_time_to_wait(
    login, resident, department, settings
):
    from apps.cases import services

    settings.VERIFICATION_CODE_RESEND_AFTER = datetime.timedelta(seconds=60)
    service = make_service(department=department)
    case = services.case_create_draft(service=service, applicant=resident, actor=resident)
    api = login(resident)
    url = f"/api/v1/cases/{case.number or case.reference}/signature-code/"
    first = api.post(url, {"channel": "sms"}, content_type="application/json")
    assert first.status_code == 202, first.content
    # when the resident asks again at once
    again = api.post(
        url, {"channel": "sms"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    # then (with the resend wait of the settings) the API answers 429 in its error shape
    assert again.status_code == 429
    body = again.json()
    assert body["code"] == "throttled" and body["reason"] == "code_sent_recently"
    assert re.fullmatch(r"We sent you a code a moment ago\. Try again in .+\.", body["detail"])
    assert again["Retry-After"] == str(body["retry_after"])
