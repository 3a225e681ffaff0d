"""/verify/ for a certificate's sealed PDF: the seal stays intact after a revocation, so the page
(and its API) must say itself that the certificate no longer holds, and since when."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from apps.certificates import services
from apps.certificates.models import Certificate

VERIFY = "/verify/"
VALID_TITLE = "有效：本文书由门户出具"


def sealed_pdf(certificate) -> SimpleUploadedFile:
    with certificate.document.file.open("rb") as handle:
        return SimpleUploadedFile("licence.pdf", handle.read(), content_type="application/pdf")


def chinese_date(day: datetime.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


@pytest.fixture
def revoked(issued, lead):
    return services.certificate_revoke(certificate=issued, actor=lead, reason="经营场所已注销")


def test_a_valid_certificate_reads_valid_with_its_status(issued):
    # when anyone uploads the licence's PDF
    page = Client().post(VERIFY, {"file": sealed_pdf(issued)}).text
    # then it is valid, and the page says the certificate is in force until its end date
    assert VALID_TITLE in page
    assert "证照状态" in page and chinese_date(issued.valid_until) in page


def test_a_revoked_certificates_pdf_says_revoked_on_its_date_yet_sealed_intact(revoked):
    # when someone uploads the revoked licence's PDF, unchanged since it was sealed
    response = Client().post(VERIFY, {"file": sealed_pdf(revoked)})
    page = response.text
    # then the page says it was revoked, on which day, and never that it is valid
    assert response.status_code == 200
    assert "已吊销：该证照已失效" in page
    revoked_on = chinese_date(timezone.localdate(revoked.ended_at))
    assert f"发证部门已于{revoked_on}吊销该证照" in page
    assert "吊销日期" in page
    assert VALID_TITLE not in page
    # and that the file and its seal are still the portal's, unchanged
    assert "电子印章完好" in page
    assert 'role="alert"' in page


def test_the_code_of_a_revoked_certificate_says_revoked_too(revoked):
    page = Client().get(VERIFY, {"code": revoked.document.verification_code}).text
    assert "已吊销：该证照已失效" in page and VALID_TITLE not in page


def test_in_english_the_revocation_is_said_with_its_date(revoked):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.cookies["django_language"] = "en"
    page = client.get(VERIFY, {"code": revoked.document.verification_code}).text
    assert "Revoked: this certificate is no longer valid" in page
    assert "The issuing department revoked this certificate on" in page
    assert "Valid: the portal issued this document" not in page


def test_an_expired_certificate_says_expired_with_its_last_day(issued):
    # given a licence whose validity ended yesterday
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Certificate.objects.filter(pk=issued.pk).update(valid_until=yesterday)
    # when its PDF is checked
    page = Client().post(VERIFY, {"file": sealed_pdf(issued)}).text
    # then the page says it expired after that day
    assert "已过期：该证照已失效" in page
    assert f"该证照有效期至{chinese_date(yesterday)}" in page
    assert VALID_TITLE not in page and "电子印章完好" in page


def test_a_replaced_certificate_says_replaced(issued, lead):
    services.certificate_replace(certificate=issued, actor=lead, reason="经营者更名")
    page = Client().get(VERIFY, {"code": issued.document.verification_code}).text
    assert "已换发：该证照已失效" in page and VALID_TITLE not in page


def test_the_api_gives_the_standing_beside_the_valid_seal(revoked):
    response = Client().post(
        "/api/v1/documents/verify/",
        {"code": revoked.document.verification_code},
        content_type="application/json",
    )
    body = response.json()
    assert body["status"] == "valid"  # the document is the portal's, unchanged
    assert body["standing"]["status"] == "revoked"
    assert body["standing"]["in_force"] is False
    assert body["standing"]["ended_on"] == timezone.localdate(revoked.ended_at).isoformat()
