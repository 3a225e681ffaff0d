import datetime
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django_otp import devices_for_user
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.models import AuditEvent
from apps.core.exceptions import ApplicationError
from apps.core.sms import LocmemSmsBackend
from apps.signatures.models import AppendOnlyError, SignatureRecord
from apps.signatures.services import (
    canonical_json,
    payload_digest,
    signature_code_send,
    signature_take,
    signature_verify_payload,
)

DECLARATION = "本人承诺所填信息真实、准确、完整。"
PAYLOAD = {
    "service_version": 3,
    "answers": {"shop_name": "张记面馆", "area_m2": 42},
    "attachments": [{"name": "lease.pdf", "sha256": "ab" * 32}],
}


@pytest.fixture(autouse=True)
def _no_resend_cooldown(settings):
    settings.VERIFICATION_CODE_RESEND_AFTER = datetime.timedelta(0)


def _last_code(text: str) -> str:
    return re.search(r"\b(\d{6})\b", text).group(1)


def email_code() -> str:
    return _last_code(mail.outbox[-1].body)


def sms_code() -> str:
    return _last_code(LocmemSmsBackend.outbox[-1]["body"])


def take(user, code, channel, **kwargs):
    return signature_take(
        signer=user,
        payload=kwargs.pop("payload", PAYLOAD),
        declaration=DECLARATION,
        code=code,
        channel=channel,
        **kwargs,
    )


# --- canonical JSON and digests -------------------------------------------------------------


def test_canonical_json_sorts_keys_drops_whitespace_and_keeps_chinese():
    # when
    data = canonical_json(obj={"b": 1, "a": {"d": "张三", "c": datetime.date(2025, 5, 1)}})

    # then
    assert data == '{"a":{"c":"2025-05-01","d":"张三"},"b":1}'.encode()


def test_payload_digest_is_stable_under_key_order():
    reordered = {
        "attachments": [{"sha256": "ab" * 32, "name": "lease.pdf"}],
        "answers": {"area_m2": 42, "shop_name": "张记面馆"},
        "service_version": 3,
    }
    assert payload_digest(payload=PAYLOAD) == payload_digest(payload=reordered)
    assert len(payload_digest(payload=PAYLOAD)) == 64


def test_payload_digest_changes_with_any_answer():
    changed = {**PAYLOAD, "answers": {**PAYLOAD["answers"], "area_m2": 43}}
    assert payload_digest(payload=changed) != payload_digest(payload=PAYLOAD)


def test_canonical_json_handles_dates_and_decimals():
    value = {
        "when": datetime.datetime(2025, 5, 1, 8, 30, tzinfo=datetime.UTC),
        "fee": Decimal("1.50"),
    }
    assert canonical_json(obj=value) == b'{"fee":"1.50","when":"2025-05-01T08:30:00+00:00"}'


# --- codes by email and SMS -----------------------------------------------------------------


def test_an_email_code_signs_once(resident):
    # given
    signature_code_send(user=resident, channel="email")
    code = email_code()
    assert mail.outbox[-1].to == [resident.email]

    # when
    record = take(resident, code, "email")

    # then
    assert record.method == SignatureRecord.Method.EMAIL_OTP
    assert record.signer == resident
    assert record.payload == PAYLOAD
    assert record.digest == payload_digest(payload={"payload": PAYLOAD, "declaration": DECLARATION})
    with pytest.raises(ApplicationError):
        take(resident, code, "email")
    assert SignatureRecord.objects.count() == 1


def test_an_sms_code_signs_once(resident):
    # given
    signature_code_send(user=resident, channel="sms")
    code = sms_code()
    assert LocmemSmsBackend.outbox[-1]["to"] == resident.phone

    # when
    record = take(resident, code, "sms")

    # then
    assert record.method == SignatureRecord.Method.SMS_OTP
    with pytest.raises(ApplicationError):
        take(resident, code, "sms")


def test_a_wrong_code_is_refused_with_a_clear_error(resident):
    # given
    signature_code_send(user=resident, channel="sms")
    wrong = "000000" if sms_code() != "000000" else "111111"

    # when
    with pytest.raises(ApplicationError) as error:
        take(resident, wrong, "sms")

    # then
    assert error.value.extra["remaining_attempts"] == 4
    assert SignatureRecord.objects.count() == 0
    take(resident, sms_code(), "sms")  # the right code still works


def test_an_expired_code_is_refused(resident, settings):
    # given
    settings.VERIFICATION_CODE_TTL = datetime.timedelta(seconds=0)
    signature_code_send(user=resident, channel="email")

    # when / then
    with pytest.raises(ApplicationError) as error:
        take(resident, email_code(), "email")
    assert error.value.extra["reason"] == "expired"
    assert SignatureRecord.objects.count() == 0


def test_tries_are_limited_and_a_new_code_starts_again(resident, settings):
    # given
    settings.VERIFICATION_CODE_MAX_ATTEMPTS = 3
    signature_code_send(user=resident, channel="sms")
    code = sms_code()
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(3):
        with pytest.raises(ApplicationError):
            take(resident, wrong, "sms")

    # when the right code comes after the limit
    with pytest.raises(ApplicationError) as error:
        take(resident, code, "sms")
    assert error.value.extra["reason"] == "too_many_attempts"

    # then a new code works
    signature_code_send(user=resident, channel="sms")
    assert take(resident, sms_code(), "sms").pk


def test_wrong_tries_stay_counted_when_the_callers_transaction_rolls_back(resident, settings):
    # given
    settings.VERIFICATION_CODE_MAX_ATTEMPTS = 2
    signature_code_send(user=resident, channel="email")
    code = email_code()
    wrong = "000000" if code != "000000" else "111111"

    # when each wrong try happens inside a transaction that rolls back
    for _ in range(2):
        with pytest.raises(ApplicationError), transaction.atomic():
            take(resident, wrong, "email")

    # then
    with pytest.raises(ApplicationError) as error:
        take(resident, code, "email")
    assert error.value.extra["reason"] == "too_many_attempts"


def test_sending_refuses_users_without_an_address(db):
    from apps.accounts.models import User

    # given
    user = User.objects.create_user(username="nobody", email=None, phone=None)

    # when / then
    with pytest.raises(ApplicationError):
        signature_code_send(user=user, channel="email")
    with pytest.raises(ApplicationError):
        signature_code_send(user=user, channel="sms")
    with pytest.raises(ApplicationError):
        signature_code_send(user=user, channel="totp")


def test_resending_too_soon_is_refused(resident, settings):
    # given
    settings.VERIFICATION_CODE_RESEND_AFTER = datetime.timedelta(seconds=30)
    signature_code_send(user=resident, channel="sms")

    # when / then
    with pytest.raises(ApplicationError):
        signature_code_send(user=resident, channel="sms")
    assert len(LocmemSmsBackend.outbox) == 1


def test_signing_code_devices_are_not_second_factors(resident):
    # when
    signature_code_send(user=resident, channel="email")
    signature_code_send(user=resident, channel="sms")

    # then
    assert list(devices_for_user(resident, confirmed=True)) == []


# --- TOTP and assisted signatures ---------------------------------------------------------


def _totp_now(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def test_a_totp_code_signs(clerk):
    # given
    device = TOTPDevice.objects.get(user=clerk)

    # when
    record = take(clerk, _totp_now(device), "totp")

    # then
    assert record.method == SignatureRecord.Method.TOTP
    with pytest.raises(ApplicationError):  # a TOTP code is not accepted twice
        take(clerk, _totp_now(device), "totp")


def test_a_wrong_totp_code_is_refused(clerk):
    # given
    device = TOTPDevice.objects.get(user=clerk)
    right = _totp_now(device)
    wrong = "000000" if right != "000000" else "111111"

    # when / then
    with pytest.raises(ApplicationError):
        take(clerk, wrong, "totp")


def test_an_assisted_signature_names_the_counter_clerk_and_the_mandate(
    assisted_resident, counter_clerk
):
    # given
    device = TOTPDevice.objects.get(user=counter_clerk)

    # when
    record = take(
        assisted_resident,
        _totp_now(device),
        "totp",
        assisted_by=counter_clerk,
        mandate_ref="M-2025-0001",
    )

    # then
    assert record.method == SignatureRecord.Method.ASSISTED
    assert record.assisted_by == counter_clerk
    assert record.mandate_ref == "M-2025-0001"
    event = AuditEvent.objects.get(action="signatures.signature.take")
    assert event.actor == counter_clerk
    assert event.on_behalf_of == assisted_resident


# --- records ---------------------------------------------------------------------------------


def test_taking_a_signature_is_audited_with_its_target(resident, department):
    # given
    signature_code_send(user=resident, channel="email")

    # when
    record = take(resident, email_code(), "email", target=department)

    # then
    assert (record.target_type, record.target_id) == ("accounts.department", str(department.pk))
    event = AuditEvent.objects.get(action="signatures.signature.take")
    assert event.actor == resident
    assert event.data["digest"] == record.digest


def test_changing_anything_after_signing_needs_a_new_signature(resident):
    # given
    signature_code_send(user=resident, channel="email")
    record = take(resident, email_code(), "email")

    # then
    assert signature_verify_payload(record=record, payload=PAYLOAD, declaration=DECLARATION)
    assert signature_verify_payload(
        record=record, payload=record.payload, declaration=record.declaration
    )
    changed = {**PAYLOAD, "answers": {**PAYLOAD["answers"], "shop_name": "李记面馆"}}
    assert not signature_verify_payload(record=record, payload=changed, declaration=DECLARATION)
    assert not signature_verify_payload(
        record=record, payload=PAYLOAD, declaration=DECLARATION + " "
    )


def test_a_signature_record_cannot_be_updated_or_deleted(resident):
    # given
    signature_code_send(user=resident, channel="email")
    record = take(resident, email_code(), "email")

    # when / then
    record.declaration = "something else"
    with pytest.raises(AppendOnlyError):
        record.save()
    with pytest.raises(AppendOnlyError):
        SignatureRecord.objects.filter(pk=record.pk).update(declaration="x")
    with pytest.raises(AppendOnlyError):
        record.delete()
    with pytest.raises(AppendOnlyError):
        SignatureRecord.objects.all().delete()
    assert SignatureRecord.objects.get(pk=record.pk).declaration == DECLARATION
