"""A licence issued by market (市场监管) answers a document housing (住建) requires: the
resident uses it instead of an upload, the reviewer sees it verified live, and once it is
revoked (or expired) the application cannot be submitted with it."""

import datetime

import pytest
from django.utils import timezone

from apps.cases.services import case_signature_payload
from apps.certificates import services
from apps.certificates.models import CaseCertificate, Certificate
from apps.core.exceptions import ApplicationError
from apps.events.models import Event, EventDepartment
from apps.signatures.models import SignatureRecord
from apps.signatures.services import signature_verify_payload

from .conftest import draft_case, sign_and_submit

pytestmark = pytest.mark.django_db

NOTICE_ZH = "已有电子证照，无需上传"


def _step2(client, case, **extra):
    return client.post(f"/cases/{case.reference}/step/2/", {"needs": ["bath"], **extra})


def test_licence_reused_across_departments_without_upload_verified_live_and_refused_once_revoked(
    issued, sign_service, resident, housing_clerk, lead, other_department, login
):
    # given the resident holds market's licence and starts housing's shop-sign application
    case = draft_case(sign_service, resident)
    client = login(resident)

    # the form offers the licence instead of an upload
    page = client.get(f"/cases/{case.reference}/step/2/").content.decode()
    assert NOTICE_ZH in page and issued.number in page

    # when the resident uses it (while typing a note on the same step)
    response = _step2(client, case, notes="门头朝南", use_document=f"licence:{issued.number}")
    assert response.status_code == 200
    link = CaseCertificate.objects.get(case=case, field_key="licence")
    assert link.certificate == issued  # a link, not a copy
    assert "门头朝南" in response.content.decode()  # nothing typed is lost

    # then the case is signed and submitted without an upload for the licence
    _step2(client, case, notes="门头朝南")
    case = sign_and_submit(case, resident)
    assert case.state == "submitted"
    assert not case.attachments.filter(field_key="licence").exists()

    # and housing's reviewer sees it verified: valid, with its fields, on the page and the API
    reviewer = login(housing_clerk)
    page = reviewer.get(f"/staff/cases/{case.number}/").content.decode()
    assert issued.number in page and "王秀兰" in page and "有效" in page
    api = reviewer.get(f"/api/v1/staff/cases/{case.number}/certificates/").json()
    assert api[0]["number"] == issued.number and api[0]["status"] == "valid"
    assert api[0]["fields"] == {"operator": "王秀兰", "premises": "东城区建国门内大街 1 号"}
    assert api[0]["pdf_sha256"] == issued.document.sha256

    # when market's lead revokes the licence, housing's reviewer sees it revoked at once
    services.certificate_revoke(certificate=issued, actor=lead, reason="许可已注销")
    page = reviewer.get(f"/staff/cases/{case.number}/").content.decode()
    assert "已吊销" in page
    api = reviewer.get(f"/api/v1/staff/cases/{case.number}/certificates/").json()
    assert api[0]["status"] == "revoked" and api[0]["usable"] is False
    # and the revocation reached housing, the department that reuses it
    event = Event.objects.get(type="gov.portal.certificate.revoked")
    assert EventDepartment.objects.filter(event=event, department=other_department).exists()


def test_submission_with_a_revoked_certificate_is_refused_and_nothing_is_lost(
    issued, sign_service, resident, lead
):
    # given a draft that uses the licence
    case = draft_case(sign_service, resident)
    services.case_certificate_link(
        case=case, actor=resident, field_key="licence", number=issued.number
    )
    # when the licence is revoked before the resident signs
    services.certificate_revoke(certificate=issued, actor=lead, reason="许可已注销")

    # then signing is refused with the reason on the licence's field
    with pytest.raises(ApplicationError) as refused:
        sign_and_submit(case, resident)
    message = " ".join(str(m) for m in refused.value.errors["licence"])
    assert issued.number in message and "吊销" in message
    # and nothing the resident typed is lost
    case.refresh_from_db()
    assert case.state == "draft" and case.answers["full_name"] == "王秀兰"


def test_the_resident_api_offers_links_refuses_and_removes(
    issued, sign_service, resident, lead, login
):
    case = draft_case(sign_service, resident)
    client = login(resident)
    url = f"/api/v1/cases/{case.reference}/certificates/"

    # the API twin of the form: the offer, with the same notice
    offered = client.get(url).json()
    assert offered["notice"] == NOTICE_ZH
    assert [o["number"] for o in offered["offers"]] == [issued.number]

    # use it
    used = client.post(
        url, {"field": "licence", "number": issued.number}, content_type="application/json"
    )
    assert used.status_code == 201
    assert used.json()["linked"][0]["status"] == "valid" and used.json()["offers"] == []

    # submission through the API is refused once it is revoked, with a translated error
    services.certificate_revoke(certificate=issued, actor=lead, reason="许可已注销")
    code = client.post(
        f"/api/v1/cases/{case.reference}/signature-code/",
        {"channel": "sms"},
        content_type="application/json",
    )
    assert code.status_code == 202
    from tests.cases.conftest import last_sms_code

    submit = client.post(
        f"/api/v1/cases/{case.reference}/submit/",
        {"channel": "sms", "code": last_sms_code()},
        content_type="application/json",
    )
    assert submit.status_code == 400
    assert "吊销" in " ".join(submit.json()["errors"]["licence"])

    # a revoked certificate cannot be linked again, and the link can be removed
    again = client.post(
        url, {"field": "licence", "number": issued.number}, content_type="application/json"
    )
    assert again.status_code == 400 and "吊销" in again.json()["detail"]
    assert client.delete(f"{url}licence/").status_code == 204
    assert not CaseCertificate.objects.filter(case=case).exists()


def test_another_residents_certificate_cannot_be_used(issued, sign_service, login):
    from tests.conftest import make_resident

    other = make_resident(
        email="other@example.cn", phone="13900139000", id_number="110101194003070027"
    )
    case = draft_case(sign_service, other)
    with pytest.raises(ApplicationError):
        services.case_certificate_link(
            case=case, actor=other, field_key="licence", number=issued.number
        )
    assert not CaseCertificate.objects.exists()


def test_the_signature_covers_each_linked_certificates_number_and_pdf_hash(
    issued, sign_service, resident
):
    # given a case submitted with the licence
    case = draft_case(sign_service, resident)
    services.case_certificate_link(
        case=case, actor=resident, field_key="licence", number=issued.number
    )
    case = sign_and_submit(case, resident)
    record = SignatureRecord.objects.get(target_id=str(case.pk), target_type="cases.case")
    payload = case_signature_payload(case=case)
    assert payload["certificates"] == [
        {"field": "licence", "number": issued.number, "sha256": issued.document.sha256}
    ]
    declaration = case.version.declaration
    assert signature_verify_payload(record=record, payload=payload, declaration=declaration)

    # when the certificate's number changes, the signature no longer verifies
    Certificate.objects.filter(pk=issued.pk).update(number="FOOD-LICENCE-2026-FORGED00")
    assert not signature_verify_payload(
        record=record, payload=case_signature_payload(case=case), declaration=declaration
    )
    # nor when its PDF's hash changes (number put back)
    Certificate.objects.filter(pk=issued.pk).update(number=issued.number)
    assert signature_verify_payload(
        record=record, payload=case_signature_payload(case=case), declaration=declaration
    )
    issued.document.__class__.objects.filter(pk=issued.document_id).update(sha256="0" * 64)
    assert not signature_verify_payload(
        record=record, payload=case_signature_payload(case=case), declaration=declaration
    )


def test_wallet_marks_expired_and_revoked_certificates(
    issued, licence_type, resident, clerk, lead, login
):
    # given a second licence that expired yesterday, and the first one revoked
    expired = services.certificate_issue(
        certificate_type=licence_type,
        holder=resident,
        fields={"operator": "王秀兰"},
        actor=clerk,
        valid_from=timezone.localdate() - datetime.timedelta(days=400),
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )
    services.certificate_revoke(certificate=issued, actor=lead, reason="许可已注销")

    # then the wallet shows both, each marked
    page = login(resident).get("/certificates/").content.decode()
    assert expired.number in page and issued.number in page
    assert "tag--expired" in page and "已过期" in page
    assert "tag--revoked" in page and "已吊销" in page and "许可已注销" in page
    # and the API says the same
    rows = {r["number"]: r for r in login(resident).get("/api/v1/certificates/").json()["results"]}
    assert rows[expired.number]["status"] == "expired"
    assert rows[issued.number]["status"] == "revoked"
    # an expired certificate is not offered and cannot be used
    assert not expired.is_usable
