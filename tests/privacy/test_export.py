"""Download my data: the ZIP holds every kind of record, the files themselves, and a sealed
PDF summary that the portal's verification accepts; only the resident (or counter staff under
a mandate) may download it, and every step is on the audit chain."""

import io
import json
import zipfile

from django.urls import reverse

from apps.audit.models import AuditEvent
from apps.cases.models import Attachment, CaseDocument
from apps.documents.services import document_verify
from apps.notifications.models import Notification
from apps.privacy.models import DataExport
from apps.privacy.services import data_exports_purge
from tests.conftest import make_resident


def _export(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("privacy:export-request"))
    assert response.status_code == 302
    return DataExport.objects.get()


def _zip(response) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def test_the_export_holds_every_kind_of_record_and_the_files(
    full_resident, login, django_capture_on_commit_callbacks
):
    # given a resident with one record of each kind, who asks for a copy of their data
    client = login(full_resident)
    export = _export(client, django_capture_on_commit_callbacks)

    # then it is built (Celery, eager here), kept for 7 days and the resident is told
    assert export.state == DataExport.State.READY
    assert (export.expires_at - export.ready_at).days == 7
    assert Notification.objects.filter(recipient=full_resident, event="privacy.export_ready")

    # when they download it
    response = client.get(reverse("privacy:export-download", args=[export.pk]))
    assert response.status_code == 200
    archive = _zip(response)
    data = json.loads(archive.read("data.json"))

    # then data.json holds each kind of record
    assert data["format"] == "portal-data-export/1"
    assert data["profile"]["real_name"] == "张三"
    assert data["profile"]["id_number"] == "11010519491231002X"
    assert data["profile"]["phone"] == "13800138000"
    [case] = data["cases"]
    assert case["state"] == "closed" and case["answers"]  # rated, so closed
    assert {line["to_state"] for line in case["timeline"]} >= {"submitted", "approved"}
    kinds = {d["kind"] for d in case["documents"]}
    assert {"receipt", "decision_letter"} <= kinds
    assert len(data["ratings"]) == 1 and data["ratings"][0]["comment"] == "办得很快"
    assert data["notifications"]
    assert len(data["mandates"]) == 1
    assert data["family_links"][0]["relationship"] == "儿子"
    actions = {e["action"] for e in data["audit_events"]}
    assert {
        "cases.case.submit",
        "cases.case.approve",
        "feedback.rating.submit",
        "helpdesk.mandate.create",
        "helpdesk.family.bind",
        "privacy.export.request",
    } <= actions
    # the audit events carry what they hold, the people in them by role, never by name
    events = json.dumps(data["audit_events"], ensure_ascii=False)
    assert '"city_staff"' in events
    for event in data["audit_events"]:
        assert event["actor"] in {"you", "city_staff", "another_person", "portal"}

    # and the ZIP carries the files themselves, byte for byte
    attachment = Attachment.objects.get(case__applicant=full_resident)
    [attachment_json] = case["attachments"]
    assert attachment_json["sha256"] == attachment.sha256
    with attachment.file.open("rb") as handle:
        assert archive.read(attachment_json["path_in_zip"]) == handle.read()
    for document in CaseDocument.objects.filter(case__applicant=full_resident, is_public=True):
        stored = archive.read(f"documents/{document.document.verification_code}.pdf")
        assert document_verify(pdf_bytes=stored).status == "valid"

    # and the sealed summary verifies with the portal's own check
    summary = archive.read("summary.pdf")
    result = document_verify(pdf_bytes=summary)
    assert result.status == "valid"
    assert result.document.verification_code == export.summary_code

    # and asking, building and downloading are on the audit chain
    for action in ("privacy.export.request", "privacy.export.build", "privacy.export.download"):
        assert AuditEvent.objects.filter(action=action, target_id=str(export.pk)).exists()


def test_the_api_twin_builds_and_downloads_the_export(
    resident, login, django_capture_on_commit_callbacks
):
    client = login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("api-data-exports"))
    assert response.status_code == 202
    [listed] = client.get(reverse("api-data-exports")).json()
    assert listed["state"] == "ready" and listed["download_url"]
    download = client.get(reverse("api-data-export-download", args=[listed["id"]]))
    assert download.status_code == 200
    # a ZIP, as the schema says, and only ever a download
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith("attachment")
    assert "data.json" in _zip(download).namelist()


def test_another_resident_cannot_download_it_and_it_expires(
    resident, login, django_capture_on_commit_callbacks
):
    export = _export(login(resident), django_capture_on_commit_callbacks)
    other = make_resident(email="li@example.cn", phone="13600136000", id_number=None)
    other_client = login(other)
    assert other_client.get(reverse("privacy:export-download", args=[export.pk])).status_code == 404
    assert (
        other_client.get(reverse("api-data-export-download", args=[export.pk])).status_code == 404
    )

    # past its time the ZIP is deleted and the download refused
    DataExport.objects.filter(pk=export.pk).update(expires_at=export.ready_at)
    assert data_exports_purge() == 1
    export.refresh_from_db()
    assert export.state == DataExport.State.EXPIRED and not export.file
    response = login(resident).get(reverse("privacy:export-download", args=[export.pk]))
    assert response.status_code == 302


def test_the_export_holds_the_residents_certificates_and_prefill_consents(
    service, resident, clerk, department, login, django_capture_on_commit_callbacks
):
    from apps.cases.models import PrefillConsent
    from apps.certificates.models import CertificateType
    from apps.certificates.services import certificate_issue

    # given a licence the city issued to the resident, and a consent to prefill a service
    licence = CertificateType.objects.create(
        code="licence", name_zh="营业执照", issuing_department=department, validity_days=None
    )
    with django_capture_on_commit_callbacks(execute=True):
        certificate = certificate_issue(
            certificate_type=licence, holder=resident, fields={"name": "张三"}, actor=clerk
        )
    PrefillConsent.objects.create(resident=resident, service=service, given_by=resident)
    # when they download a copy of their data
    client = login(resident)
    export = _export(client, django_capture_on_commit_callbacks)
    archive = _zip(client.get(reverse("privacy:export-download", args=[export.pk])))
    data = json.loads(archive.read("data.json"))
    # then both are in it, the certificate with its fields and the hash of its sealed PDF
    [held] = data["certificates"]
    certificate.refresh_from_db()
    assert held["number"] == certificate.number and held["fields"] == {"name": "张三"}
    assert held["status"] == "valid" and held["pdf_sha256"] == certificate.pdf_sha256
    [consent] = data["prefill_consents"]
    assert consent["service"] == service.code and consent["given_by"] == "you"
    assert consent["withdrawn_at"] is None
