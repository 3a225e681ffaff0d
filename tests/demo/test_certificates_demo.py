"""The demo walks the certificate story: market's business registration issues the business
licence, and urban's road permit offers it instead of an upload."""

import datetime

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.cases import services
from apps.cases.models import ReviewTask
from apps.cases.provided import document_offers
from apps.catalog.models import ServiceItem
from apps.demo.loader import seed_accounts, seed_catalog
from tests.accounts.test_two_factor import token_for
from tests.cases.conftest import last_sms_code, pdf_upload

pytestmark = pytest.mark.django_db

REGISTRATION = {
    "operator_name": "张三",
    "operator_id_number": "11010519491231002X",
    "operator_phone": "13800138000",
    "organisation_form": "personal",
    "business_name": "东城区张三面馆",
    "business_scope": ["catering"],
    "business_address": "北京市东城区东四十条 10 号",
    "capital": 50000,
    "start_date": (timezone.localdate() + datetime.timedelta(days=30)).isoformat(),
}


def test_the_demo_licence_is_issued_by_market_and_offered_by_urbans_road_permit(
    django_capture_on_commit_callbacks,
):
    from apps.signatures.services import signature_code_send

    # given the demo accounts and catalogue
    seed_accounts()
    seed_catalog()
    resident = User.objects.get(username="resident")
    clerk, lead = User.objects.get(username="clerk"), User.objects.get(username="lead")

    # when the resident registers a business and market approves it
    registration = ServiceItem.objects.get(code="individual-business-registration")
    case = services.case_create_draft(service=registration, applicant=resident, actor=resident)
    services.case_answers_update(case=case, actor=resident, answers=REGISTRATION)
    for key in ("id_card_scan", "premises_proof"):
        services.attachment_add(case=case, actor=resident, field_key=key, upload=pdf_upload())
    signature_code_send(user=resident, channel="sms")
    case = services.case_submit(case=case, actor=resident, code=last_sms_code(), channel="sms")
    case = services.case_accept(case=case, actor=clerk)
    services.task_approve(task=ReviewTask.objects.get(case=case), actor=clerk, opinion="同意")
    case.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.case_decide(
            case=case,
            actor=lead,
            code=token_for(TOTPDevice.objects.get(user=lead)),
            reasons="准予登记",
        )

    # then the resident holds the business licence, with the registration's fields
    licence = resident.certificates.get()
    assert licence.type.code == "business-licence" and licence.is_usable
    assert licence.fields["business_name"] == "东城区张三面馆"
    assert licence.document is not None

    # and urban's road permit offers it for the business licence upload
    permit = ServiceItem.objects.get(code="road-occupation-permit")
    draft = services.case_create_draft(service=permit, applicant=resident, actor=resident)
    offers = document_offers(case=draft)
    assert [o.reference for o in offers["licence_scan"]] == [licence.number]
