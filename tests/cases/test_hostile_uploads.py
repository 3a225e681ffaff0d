"""Hostile attachments on the resident's pages and API: refused with their reason beside the
field, every other answer kept, nothing stored; good files stored re-encoded, the digest the
resident signs being of the stored bytes; files served as downloads or sandboxed."""

import hashlib
import re

import pytest
from django.core.files.base import ContentFile
from PIL import Image

from apps.cases.models import Attachment, Case
from apps.cases.services import case_signature_payload
from tests.cases.conftest import STEP1
from tests.cases.staff_factories import submitted_case
from tests.core import sample_files as files

pytestmark = pytest.mark.django_db


def english(client):
    client.cookies["django_language"] = "en"
    return client


def draft(client, service) -> Case:
    client.post(f"/cases/new/{service.code}/")
    case = Case.objects.get()
    assert client.post(f"/cases/{case.reference}/step/1/", STEP1).status_code == 302
    return case


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("bomb.png", files.png_bomb, "the picture is too large to open safely (900 megapixels"),
        ("scan.pdf", files.pdf_html_polyglot, "also contains web page code"),
        ("id.jpg", files.jpeg_with_script, "has extra content after its end"),
        ("form.pdf", files.pdf_open_action_js, "the PDF contains a script"),
    ],
)
def test_the_resident_page_refuses_a_hostile_file_and_keeps_the_answers(
    login, resident, service, name, make, reason
):
    # given a resident on the documents step of a draft
    client = english(login(resident))
    case = draft(client, service)
    # when they send their answers with a hostile file
    response = client.post(
        f"/cases/{case.reference}/step/2/",
        {"needs": ["meals", "bath"], "notes": "请上午联系", "id_scan": files.upload(name, make())},
    )
    # then the page comes back with the reason beside the file field
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_id_scan_error"' in page
    assert f"“{name}”" in page and reason in page
    # and what they typed is kept, on the page and in the draft; no file is stored
    assert re.search(r'<textarea name="notes"[^>]*>\s*请上午联系</textarea>', page)
    assert re.search(r'<input type="checkbox" name="needs" value="bath"[^>]* checked>', page)
    case.refresh_from_db()
    assert case.answers["needs"] == ["meals", "bath"] and case.answers["notes"] == "请上午联系"
    assert not case.attachments.exists()


def test_the_resident_api_refuses_a_hostile_file_in_the_error_shape(login, resident, service):
    client = login(resident)
    case = draft(client, service)
    response = client.post(
        f"/api/v1/cases/{case.reference}/attachments/",
        {"field": "id_scan", "file": files.upload("bomb.png", files.png_bomb())},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"detail", "code", "errors"}
    assert body["code"] == "too_many_pixels"
    assert body["detail"].startswith("“bomb.png”: the picture is too large to open safely")
    assert body["errors"] == {"id_scan": [body["detail"]]}
    assert not case.attachments.exists()
    # and in Chinese for a Chinese client
    response = client.post(
        f"/api/v1/cases/{case.reference}/attachments/",
        {"field": "id_scan", "file": files.upload("表格.pdf", files.pdf_encrypted())},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.json()["detail"] == "“表格.pdf”是加密的 PDF：请去除密码后重新选择。"


def test_a_good_photo_is_stored_re_encoded_and_signed_by_its_stored_digest(
    login, resident, service
):
    # given a resident who uploads a phone photo with GPS data as their ID scan
    client = login(resident)
    case = draft(client, service)
    original = files.jpeg(exif=True)
    response = client.post(
        f"/api/v1/cases/{case.reference}/attachments/",
        {"field": "id_scan", "file": files.upload("身份证.jpg", original)},
    )
    assert response.status_code == 201, response.content
    # then the stored file is a new JPEG without the EXIF, named by its content
    attachment = case.attachments.get()
    with attachment.file.open("rb") as stored_file:
        stored = stored_file.read()
    assert stored != original and attachment.file.name.endswith(".jpg")
    with attachment.file.open("rb") as stored_file, Image.open(stored_file) as image:
        assert image.format == "JPEG" and not image.getexif()
    # and its digest, which the declaration signs, is of the stored bytes
    assert attachment.sha256 == hashlib.sha256(stored).hexdigest()
    assert attachment.size == len(stored) and attachment.original_name == "身份证.jpg"
    payload = case_signature_payload(case=case)
    assert payload["attachments"] == [
        {"field": "id_scan", "name": "身份证.jpg", "sha256": attachment.sha256}
    ]


# --- serving ---------------------------------------------------------------------------------


def _attachment(case: Case, *, name: str, content: bytes, content_type: str) -> Attachment:
    attachment = Attachment(
        case=case,
        field_key="id_scan",
        original_name=name,
        content_type=content_type,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        uploaded_by=case.applicant,
    )
    attachment.file.save("served.bin", ContentFile(content), save=False)
    attachment.save()
    return attachment


def test_the_resident_downloads_their_attachment_never_renders_it(login, service):
    case = submitted_case(service)
    attachment = case.attachments.get()
    response = login(case.applicant).get(f"/cases/{case.ref}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_staff_see_a_picture_sandboxed_and_a_pdf_framed_only_by_the_portal(login, clerk, service):
    case = submitted_case(service)
    pdf = case.attachments.get()
    photo = _attachment(case, name="photo.jpg", content=files.jpeg(), content_type="image/jpeg")
    client = login(clerk)
    response = client.get(f"/staff/cases/{case.ref}/attachments/{photo.pk}/")
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "image/jpeg"
    policy = response["Content-Security-Policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    response = client.get(f"/staff/cases/{case.ref}/attachments/{pdf.pk}/")
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_file_of_any_other_type_is_only_ever_a_download_of_unknown_bytes(login, clerk, service):
    # given an attachment recorded (before the deep check existed) as a web page
    case = submitted_case(service)
    page = _attachment(
        case, name="id.html", content=b"<html><script>alert(1)</script>", content_type="text/html"
    )
    # when staff open it
    response = login(clerk).get(f"/staff/cases/{case.ref}/attachments/{page.pk}/")
    # then the browser gets bytes to save, never a page to run
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
