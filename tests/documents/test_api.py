import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from tests.documents.factories import issue_receipt

pytestmark = pytest.mark.django_db

URL = "/api/v1/documents/verify/"


@pytest.fixture
def api():
    return APIClient(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def receipt(db):
    return issue_receipt()


def stored_bytes(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_verify_by_code_without_logging_in(api, receipt):
    # when
    response = api.post(URL, {"code": receipt.verification_code}, format="json")

    # then
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "valid"
    assert body["document"]["title"] == receipt.title
    assert body["document"]["sha256"] == receipt.sha256
    assert body["document"]["sealed_by"] == "Citizen Services Portal seal"
    assert body["standing"] is None  # a receipt states nothing that can stop holding


def test_verify_by_upload(api, receipt):
    # when
    upload = SimpleUploadedFile("r.pdf", stored_bytes(receipt), content_type="application/pdf")
    response = api.post(URL, {"file": upload}, format="multipart")

    # then
    assert response.status_code == 200
    assert response.json()["status"] == "valid"


def test_a_tampered_upload(api, receipt):
    # given
    data = bytearray(stored_bytes(receipt))
    start = bytes(data).index(b"stream\n") + 200
    data[start] ^= 0xFF

    # when
    upload = SimpleUploadedFile("r.pdf", bytes(data), content_type="application/pdf")
    response = api.post(URL, {"file": upload}, format="multipart")

    # then
    assert response.json() == {"status": "tampered", "document": None, "standing": None}


def test_an_unknown_code(api):
    response = api.post(URL, {"code": "2222-3333-4444-5555"}, format="json")
    assert response.json() == {"status": "unknown", "document": None, "standing": None}


def test_a_non_pdf_upload_is_a_400_with_a_message(api):
    # when
    upload = SimpleUploadedFile("x.pdf", b"hello", content_type="application/pdf")
    response = api.post(URL, {"file": upload}, format="multipart")

    # then
    assert response.status_code == 400
    assert "not a PDF" in response.json()["detail"]


def test_nothing_sent_is_a_400(api):
    assert api.post(URL, {}, format="json").status_code == 400


def test_a_code_sent_as_a_number_is_refused_not_looked_up(api):
    response = api.post(URL, {"code": 0}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["code"] == ["Type the verification code as text."]
