"""A resident applies through the pages: steps saved as drafts, check, sign, sealed receipt."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from apps.audit.models import AuditEvent
from apps.cases.models import Case
from apps.core.sms import LocmemSmsBackend
from apps.documents.services import document_verify
from apps.notifications.models import Notification
from tests.cases.conftest import STEP1, last_sms_code, pdf_upload


def start(client, service) -> Case:
    response = client.post(f"/cases/new/{service.code}/")
    case = Case.objects.get()
    assert response["Location"] == f"/cases/{case.reference}/step/1/"
    return case


def test_whole_application_from_draft_to_sealed_receipt(
    login, resident, service, django_capture_on_commit_callbacks
):
    client = login(resident)
    case = start(client, service)

    # step 1, with a mistyped phone: the error is shown and every other answer is kept
    response = client.post(f"/cases/{case.reference}/step/1/", {**STEP1, "phone": "12345"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "error-summary" in page
    assert 'value="王秀兰"' in page
    case.refresh_from_db()
    assert case.answers["full_name"] == "王秀兰" and "phone" not in case.answers

    # fixed: on to step 2
    response = client.post(f"/cases/{case.reference}/step/1/", STEP1)
    assert response["Location"] == f"/cases/{case.reference}/step/2/"

    # step 2: a file called .pdf whose bytes are not a PDF is refused, the answers stay
    fake = SimpleUploadedFile(
        "id-card.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"
    )
    response = client.post(
        f"/cases/{case.reference}/step/2/", {"needs": ["meals"], "id_scan": fake}
    )
    assert response.status_code == 200
    assert "id-card.pdf" in response.content.decode()
    case.refresh_from_db()
    assert case.answers["needs"] == ["meals"]
    assert not case.attachments.exists()

    response = client.post(
        f"/cases/{case.reference}/step/2/", {"needs": ["meals"], "id_scan": pdf_upload()}
    )
    assert response["Location"] == f"/cases/{case.reference}/check/"

    # check your answers, with a Change link that comes back here
    check = client.get(f"/cases/{case.reference}/check/").content.decode()
    assert "王秀兰" in check and "id-card.pdf" in check
    assert f"/cases/{case.reference}/step/1/?return=check" in check
    back = client.post(f"/cases/{case.reference}/step/1/?return=check", STEP1)
    assert back["Location"] == f"/cases/{case.reference}/check/"

    # sign: a code by SMS; a wrong code is refused and the draft is intact
    client.post(f"/cases/{case.reference}/sign/", {"channel": "sms", "send_code": "1"})
    wrong = client.post(f"/cases/{case.reference}/sign/", {"channel": "sms", "code": "000000"})
    assert wrong.status_code == 200
    case.refresh_from_db()
    assert case.state == Case.State.DRAFT and case.answers["full_name"] == "王秀兰"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/cases/{case.reference}/sign/", {"channel": "sms", "code": last_sms_code()}
        )
    case.refresh_from_db()
    assert case.state == Case.State.SUBMITTED
    assert response["Location"] == f"/cases/{case.number}/submitted/"
    assert case.number.startswith("SQ-") and case.number.endswith("-000001")
    assert case.deadline is not None
    assert case.signature.signer == resident

    # the confirmation page says what happens next and by when, with the sealed receipt
    confirmation = client.get(response["Location"]).content.decode()
    assert case.number in confirmation
    receipt = case.case_documents.get().document
    assert receipt.kind == "receipt"
    assert receipt.verification_code in confirmation
    pdf = client.get(f"/cases/{case.number}/documents/{receipt.pk}/")
    assert pdf["Content-Type"] == "application/pdf"
    assert document_verify(pdf_bytes=b"".join(pdf.streaming_content)).status == "valid"

    # the resident is told, and every step is audited
    assert Notification.objects.filter(recipient=resident, event="case.submitted").exists()
    # the case page masks the ID number the resident gave
    case_page = client.get(f"/cases/{case.number}/").content.decode()
    assert "1101**********002X" in case_page and "11010519491231002X" not in case_page
    actions = list(
        AuditEvent.objects.filter(target_id=str(case.pk)).values_list("action", flat=True)
    )
    assert "cases.case.create" in actions and "cases.case.submit" in actions


def test_draft_can_be_resumed_from_my_cases(login, resident, service):
    client = login(resident)
    case = start(client, service)
    client.post(f"/cases/{case.reference}/step/1/", {**STEP1, "save_exit": "1"})
    listing = client.get("/cases/").content.decode()
    assert case.reference in listing
    # on another device: a new session sees the saved answers
    step = login(resident).get(f"/cases/{case.reference}/step/1/").content.decode()
    assert 'value="王秀兰"' in step


def test_another_residents_case_is_404(login, resident, service):
    from tests.conftest import make_resident

    client = login(resident)
    case = start(client, service)
    other = login(
        make_resident(email="other@example.cn", phone="13900001111", id_number="110101194003070027")
    )
    assert other.get(f"/cases/{case.reference}/").status_code == 404
    assert other.get(f"/cases/{case.reference}/step/1/").status_code == 404
    assert other.get(f"/api/v1/cases/{case.reference}/").status_code == 404


def test_withdraw_a_draft(login, resident, service):
    client = login(resident)
    case = start(client, service)
    client.post(f"/cases/{case.reference}/withdraw/", {"reason": "不需要了"})
    case.refresh_from_db()
    assert case.state == Case.State.WITHDRAWN
    assert client.get(f"/cases/{case.reference}/step/1/").status_code == 302


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_step_pages_render_in_both_languages(login, resident, service, language):
    client = login(resident)
    client.cookies["django_language"] = language
    case = start(client, service)
    page = client.get(f"/cases/{case.reference}/step/1/").content.decode()
    assert ("身份证号码" if language == "zh-hans" else "ID number") in page


def test_someone_with_access_signs_for_the_applicant(
    login, resident, service, django_capture_on_commit_callbacks
):
    """A family proxy (亲情账号) with access signs with their own code, for the applicant."""
    from guardian.shortcuts import assign_perm

    from apps.cases import services
    from tests.conftest import make_resident

    # given a draft ready to sign and a family member with access to it
    case = services.case_create_draft(service=service, applicant=resident, actor=resident)
    services.case_answers_update(case=case, actor=resident, answers={**STEP1, "needs": ["meals"]})
    services.attachment_add(case=case, actor=resident, field_key="id_scan", upload=pdf_upload())
    daughter = make_resident(
        email="daughter@example.cn", phone="13900002222", id_number="110101194003070027"
    )
    for perm in ("cases.view_case", "cases.change_case"):
        assign_perm(perm, daughter, case)
    client = login(daughter)

    # when she signs with a code sent to her own phone
    client.post(f"/cases/{case.reference}/sign/", {"channel": "sms", "send_code": "1"})
    assert LocmemSmsBackend.outbox[-1]["to"] == "13900002222"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/cases/{case.reference}/sign/", {"channel": "sms", "code": last_sms_code()})

    # then the case is submitted for the resident, and the record names both
    case.refresh_from_db()
    assert case.state == Case.State.SUBMITTED and case.applicant == resident
    assert case.signature.signer == daughter and case.signature.on_behalf_of == resident
    submit = AuditEvent.objects.get(action="cases.case.submit", target_id=str(case.pk))
    assert submit.actor == daughter and submit.on_behalf_of == resident
