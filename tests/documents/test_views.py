import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests.documents.factories import issue_receipt

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


@pytest.fixture
def receipt(db):
    return issue_receipt()


def pdf_upload(data: bytes, name="receipt.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def stored_bytes(document) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read()


def test_the_page_needs_no_login_and_no_inline_script_or_style(client):
    # when
    response = client.get(reverse("documents:verify"))

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert "<style" not in html
    assert " style=" not in html
    assert "<script>" not in html


def test_the_qr_link_answers_with_the_document(client, receipt):
    # when
    response = client.get(reverse("documents:verify"), {"code": receipt.verification_code})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "notice--success" in html
    assert receipt.title in html
    assert receipt.sha256 in html
    assert "Citizen Services Portal seal" in html


def test_a_typed_unknown_code_is_unknown(client, receipt):
    response = client.post(reverse("documents:verify"), {"code": "2222-3333-4444-5555"})
    assert response.status_code == 200
    assert "notice--warning" in response.content.decode()


def test_a_malformed_code_gets_a_clear_error_and_keeps_what_was_typed(client):
    # when
    response = client.post(reverse("documents:verify"), {"code": "abc"})

    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert "16 letters and digits" in html
    assert 'value="abc"' in html


def test_uploading_the_issued_pdf_is_valid(client, receipt):
    # when
    response = client.post(reverse("documents:verify"), {"file": pdf_upload(stored_bytes(receipt))})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "notice--success" in html
    assert receipt.verification_code in html


def test_uploading_a_changed_pdf_is_tampered(client, receipt):
    # given
    changed = stored_bytes(receipt) + b"\n% appended\n"

    # when
    response = client.post(reverse("documents:verify"), {"file": pdf_upload(changed)})

    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "notice--error" in html
    assert receipt.sha256 not in html


def test_uploading_something_that_is_not_a_pdf_gets_a_clear_error(client):
    # when
    response = client.post(
        reverse("documents:verify"), {"file": pdf_upload(b"GIF89a...", name="photo.pdf")}
    )

    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert "This file is not a PDF" in html
    assert "error-summary" in html


def test_an_upload_over_the_size_limit_gets_a_clear_error(client, monkeypatch):
    # given a limit lowered for the test (the real one is 20 MB)
    monkeypatch.setattr("apps.documents.services.MAX_UPLOAD_BYTES", 1024 * 1024)

    # when a 2 MB file is sent
    response = client.post(
        reverse("documents:verify"),
        {"file": pdf_upload(b"%PDF-1.7 " + b"0" * (2 * 1024 * 1024))},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    # then the page names the limit that applies
    assert response.status_code == 400
    assert "The file is larger than 1 MB." in response.content.decode()


def test_an_empty_form_asks_for_a_file_or_a_code(client):
    response = client.post(reverse("documents:verify"), {})
    assert response.status_code == 400
    assert "Upload a PDF or type a verification code" in response.content.decode()
