"""A supervisor (督查) reads every submitted case's page read-only: its attachments and
documents too, each download on the audit chain; nobody gets a file of a case whose page they
may not open."""

import pytest

from apps.accounts.models import StaffMembership
from apps.audit.models import AuditEvent
from apps.cases import services
from tests.cases.conftest import pdf_upload
from tests.cases.staff_factories import new_resident, submitted_case
from tests.conftest import make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def far_supervisor(other_department):
    """A supervisor whose membership is in another department than the case's."""
    return make_staff(
        username="far-supervisor",
        department=other_department,
        role=StaffMembership.Role.SUPERVISOR,
    )


@pytest.fixture
def far_clerk(other_department):
    return make_staff(username="far-clerk", department=other_department, role="clerk")


def _files(case):
    attachment = case.attachments.get()
    document = case.case_documents.select_related("document").get().document
    return (
        f"/staff/cases/{case.ref}/attachments/{attachment.pk}/",
        f"/staff/cases/{case.ref}/documents/{document.pk}/",
        attachment,
        document,
    )


def test_a_supervisor_downloads_the_attachment_and_the_document_of_a_case_they_see(
    login, far_supervisor, service, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submitted_case(service)
    attachment_url, document_url, attachment, document = _files(case)
    client = login(far_supervisor)
    # the supervisor sees the case page, with the links to its files
    page = client.get(f"/staff/cases/{case.ref}/")
    assert page.status_code == 200
    assert attachment_url in page.text and document_url in page.text

    # and the files themselves
    response = client.get(attachment_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == attachment.file.open("rb").read()
    letter = client.get(document_url)
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert b"".join(letter.streaming_content).startswith(b"%PDF")

    # each download is on the audit chain, naming the file
    files = set(
        AuditEvent.objects.filter(
            action="cases.case.staff_view", actor=far_supervisor, target_id=str(case.pk)
        ).values_list("data__file", flat=True)
    )
    assert {f"attachment:{attachment.pk}", f"document:{document.pk}"} <= files


def test_no_file_of_a_case_whose_page_one_may_not_open(
    login, far_supervisor, far_clerk, clerk, service, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submitted_case(service)
    attachment_url, document_url, _, _ = _files(case)
    # a clerk of another department: neither the page nor its files
    other = login(far_clerk)
    assert other.get(f"/staff/cases/{case.ref}/").status_code == 404
    assert other.get(attachment_url).status_code == 404
    assert other.get(document_url).status_code == 404
    # the lead department's clerk still reads them
    assert login(clerk).get(attachment_url).status_code == 200

    # a draft is no supervisor's: not its page, not its files
    applicant = new_resident()
    draft = services.case_create_draft(service=service, applicant=applicant, actor=applicant)
    draft_file = services.attachment_add(
        case=draft, actor=applicant, field_key="id_scan", upload=pdf_upload()
    )
    supervisor = login(far_supervisor)
    assert supervisor.get(f"/staff/cases/{draft.ref}/").status_code == 404
    assert (
        supervisor.get(f"/staff/cases/{draft.ref}/attachments/{draft_file.pk}/").status_code == 404
    )
    # nor a file of one case through another case's address
    assert (
        supervisor.get(f"/staff/cases/{case.ref}/attachments/{draft_file.pk}/").status_code == 404
    )
