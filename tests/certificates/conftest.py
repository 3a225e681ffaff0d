"""Two departments: market (市场监管) issues a food business licence when it approves its
licence service; housing (住建) runs a shop-front service that requires that licence."""

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.cases import services
from apps.cases.models import ReviewTask
from apps.catalog.models import FieldDefinition, RequiredDocument
from apps.certificates.models import CertificateType
from tests.accounts.test_two_factor import token_for
from tests.cases.conftest import STEP1, last_sms_code, pdf_upload
from tests.catalog.factories import make_service
from tests.conftest import make_staff


@pytest.fixture
def licence_type(department):
    return CertificateType.objects.create(
        code="food-licence",
        name_zh="食品经营许可证",
        name_en="Food business licence",
        issuing_department=department,
        validity_days=365 * 5,
        field_sources=[
            {
                "name": "operator",
                "answer": "full_name",
                "label_zh": "经营者",
                "label_en": "Operator",
            },
            {
                "name": "premises",
                "answer": "address",
                "label_zh": "经营场所",
                "label_en": "Premises",
            },
        ],
    )


@pytest.fixture
def licence_service(department, licence_type):
    """Market's service whose approval grants the licence."""
    return make_service(
        department=department,
        code="food-licence",
        name_zh="食品经营许可",
        name_en="Food business licence",
        certificate_type=licence_type,
    )


@pytest.fixture
def housing_clerk(other_department):
    return make_staff(username="housing-clerk", department=other_department, role="clerk")


@pytest.fixture
def housing_lead(other_department):
    return make_staff(username="housing-lead", department=other_department, role="lead")


@pytest.fixture
def sign_service(other_department, licence_type):
    """Housing's shop-sign service: requires the food licence as a document."""
    service = make_service(
        department=other_department,
        code="shop-sign",
        name_zh="门头招牌设置",
        name_en="Shop sign permit",
        publish=False,
    )
    licence_doc = RequiredDocument.objects.create(
        service=service,
        order=2,
        name_zh="食品经营许可证",
        name_en="Food business licence",
        certificate_type=licence_type,
    )
    version = service.versions.get()
    FieldDefinition.objects.create(
        version=version,
        order=20,
        step=2,
        key="licence",
        kind=FieldDefinition.Kind.FILE,
        label_zh="食品经营许可证",
        label_en="Food business licence",
        document=licence_doc,
    )
    version.published_at = timezone.now()
    version.save()
    return service


def draft_case(service, applicant):
    case = services.case_create_draft(service=service, applicant=applicant, actor=applicant)
    services.case_answers_update(case=case, actor=applicant, answers={**STEP1, "needs": ["bath"]})
    services.attachment_add(case=case, actor=applicant, field_key="id_scan", upload=pdf_upload())
    return case


def sign_and_submit(case, applicant):
    from apps.signatures.services import signature_code_send

    signature_code_send(user=applicant, channel="sms")
    return services.case_submit(case=case, actor=applicant, code=last_sms_code(), channel="sms")


def approve(case, *, clerk, lead):
    """accept → review approved → the lead's signed decision, through the real services."""
    case = services.case_accept(case=case, actor=clerk)
    task = ReviewTask.objects.get(case=case, round=case.review_round)
    services.task_approve(task=task, actor=clerk, opinion="同意")
    case.refresh_from_db()
    code = token_for(TOTPDevice.objects.get(user=lead))
    return services.case_decide(case=case, actor=lead, code=code, reasons="准予许可")


@pytest.fixture
def issued(licence_service, resident, clerk, lead, django_capture_on_commit_callbacks):
    """A licence market issued to the resident by approving their application."""
    case = sign_and_submit(draft_case(licence_service, resident), resident)
    with django_capture_on_commit_callbacks(execute=True):
        case = approve(case, clerk=clerk, lead=lead)
    return case.certificates.get()
