"""Close my account: confirmed by a one-time code, refused while a case is under way, it leaves
no personal data outside what the law keeps (submitted cases, ratings, the audit trail), and
the audit chain still verifies."""

from django.contrib.auth import authenticate
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import ApiToken, ResidentProfile, User
from apps.audit.models import AuditEvent
from apps.audit.selectors import audit_chain_first_break
from apps.cases import services as case_services
from apps.cases.models import Attachment, Case, PrefillConsent
from apps.feedback.models import Rating
from apps.helpdesk.models import FamilyLink, Mandate
from apps.notifications.models import Notification
from apps.privacy.services import CLOSED_NAME
from apps.signatures.models import SmsDevice
from tests.cases.conftest import STEP1, last_sms_code, pdf_upload, submit_case
from tests.conftest import PASSWORD

PERSONAL = ("张三", "11010519491231002X", "13800138000", "resident@example.cn", "朝阳路 8 号")


def _can_sign_in() -> bool:
    request = RequestFactory().post("/accounts/login/")
    return authenticate(request, username="resident@example.cn", password=PASSWORD) is not None


def _close(client, *, code, confirm=True):
    data = {"channel": "sms", "code": code, "close": "1"}
    if confirm:
        data["confirm"] = "1"
    return client.post(reverse("privacy:close"), data)


def _send_code(client):
    response = client.post(reverse("privacy:close"), {"channel": "sms", "send_code": "1"})
    assert response.status_code == 302
    return last_sms_code()


def test_closing_leaves_no_personal_data_outside_what_the_law_keeps(
    full_resident, service, login, django_capture_on_commit_callbacks
):
    resident = full_resident
    ResidentProfile.objects.filter(user=resident).update(address="朝阳路 8 号")
    # a draft with a file, an authenticator, a token, and a session in another browser
    draft = case_services.case_create_draft(service=service, applicant=resident, actor=resident)
    case_services.case_answers_update(case=draft, actor=resident, answers=STEP1)
    case_services.attachment_add(
        case=draft, actor=resident, field_key="id_scan", upload=pdf_upload()
    )
    TOTPDevice.objects.create(user=resident, name="phone", confirmed=True)
    StaticDevice.objects.create(user=resident, name="backup")
    ApiToken.objects.create(user=resident, key_digest="x" * 64, expires_at="2099-01-01T00:00:00Z")
    PrefillConsent.objects.create(resident=resident, service=service, given_by=resident)
    assert _can_sign_in()
    Client().force_login(resident, backend="apps.accounts.backends.EmailOrPhoneBackend")
    decided = Case.objects.get(applicant=resident, number__isnull=False)
    client = login(resident)
    page = client.get(reverse("privacy:close")).content.decode()
    assert "法律要求本市保留的数据" in page  # what the law requires the city to keep

    # when they confirm with the code sent to their phone
    code = _send_code(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = _close(client, code=code)
    assert response.status_code == 302 and response.url == reverse("privacy:closed")

    # then the account holds nothing that names or reaches them, and cannot sign in
    user = User.objects.get(pk=resident.pk)
    profile = user.profile
    assert not user.is_active and not user.has_usable_password()
    assert user.email is None and user.phone is None
    assert user.display_name == CLOSED_NAME and "resident" not in user.username
    assert profile.real_name == CLOSED_NAME and profile.id_number is None
    assert profile.address == "" and profile.family_phone == ""
    assert profile.notification_channels == []
    assert not _can_sign_in()
    assert not [
        s for s in Session.objects.all() if s.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not StaticDevice.objects.filter(user=user).exists()
    assert not SmsDevice.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    # nothing is prefilled from the closed account any more
    assert not PrefillConsent.objects.filter(resident=user, withdrawn_at__isnull=True).exists()
    assert not Notification.objects.filter(recipient=user).exists()
    assert not Notification.objects.filter(destination__in=PERSONAL[2:4]).exists()
    # the draft is withdrawn with its answers and files gone
    draft.refresh_from_db()
    assert draft.state == Case.State.WITHDRAWN and draft.answers == {}
    assert not Attachment.objects.filter(case=draft).exists()
    # family links end, mandates are revoked
    assert not FamilyLink.objects.exclude(state=FamilyLink.State.ENDED).filter(resident=user)
    assert not Mandate.objects.filter(resident=user, revoked_at__isnull=True).exists()

    # the decided case is kept, with its answers, linked to the anonymised applicant
    decided.refresh_from_db()
    assert decided.applicant_id == user.pk and decided.state == Case.State.CLOSED
    assert decided.answers
    assert Rating.objects.filter(rater=user).exists()

    # the closing is audited and the audit chain still verifies (no row was changed)
    assert AuditEvent.objects.filter(action="privacy.account.close", target_id=str(user.pk))
    assert audit_chain_first_break() is None


def test_the_code_is_required(resident, login):
    client = login(resident)
    _send_code(client)
    assert _close(client, code="").status_code == 200
    assert _close(client, code="000000").status_code == 200
    page = _close(client, code=last_sms_code(), confirm=False)
    assert page.status_code == 200
    resident.refresh_from_db()
    assert resident.is_active and resident.phone == "13800138000"
    assert not AuditEvent.objects.filter(action="privacy.account.close").exists()


def test_the_api_twin_needs_the_code_too(resident, login):
    client = login(resident)
    assert client.post(reverse("api-account-close-code"), {"channel": "sms"}).status_code == 202
    wrong = client.post(reverse("api-account-close"), {"channel": "sms", "code": "000000"})
    assert wrong.status_code == 400 and wrong.json()["detail"]
    right = client.post(reverse("api-account-close"), {"channel": "sms", "code": last_sms_code()})
    assert right.status_code == 204
    resident.refresh_from_db()
    assert not resident.is_active


def test_a_case_under_way_keeps_the_account_open(
    service, resident, login, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit_case(service, resident)
    client = login(resident)
    page = client.get(reverse("privacy:close")).content.decode()
    assert "您暂时不能注销账号" in page and case.number in page  # you cannot close yet
    api = client.get(reverse("api-account-close")).json()
    assert api == [{"ref": case.number, "state": "submitted"}]
    client.post(reverse("api-account-close-code"), {"channel": "sms"})
    refused = client.post(reverse("api-account-close"), {"channel": "sms", "code": last_sms_code()})
    assert refused.status_code == 400 and refused.json()["code"]
    assert case.number in refused.json()["detail"]
    resident.refresh_from_db()
    assert resident.is_active
