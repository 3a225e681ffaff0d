import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.core.sms import LocmemSmsBackend
from tests.catalog.factories import VALID_ANSWERS, make_service
from tests.core.sample_files import good_pdf

# A real one-page PDF: uploads are parsed, so a PDF-looking fragment is refused.
PDF_BYTES = good_pdf()
STEP1 = {k: v for k, v in VALID_ANSWERS.items() if k not in {"needs", "notes"}}


@pytest.fixture
def service(department):
    return make_service(department=department)


def pdf_upload(name="id-card.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def last_sms_code() -> str:
    return re.search(r"\b(\d{6})\b", LocmemSmsBackend.outbox[-1]["body"]).group(1)


def submit_case(service, applicant):
    """A case submitted through the real services, signed with an SMS code."""
    from apps.cases import services
    from apps.signatures.services import signature_code_send

    case = services.case_create_draft(service=service, applicant=applicant, actor=applicant)
    services.case_answers_update(case=case, actor=applicant, answers={**STEP1, "needs": ["bath"]})
    services.attachment_add(case=case, actor=applicant, field_key="id_scan", upload=pdf_upload())
    signature_code_send(user=applicant, channel="sms")
    return services.case_submit(case=case, actor=applicant, code=last_sms_code(), channel="sms")
