"""The records pages at /staff/retention/: records officers and leads only, translated, thin
over the services (bad input answered with a translated error beside what was typed)."""

import pytest
from django.db import connection
from django.utils.translation import gettext as _

from apps.accounts.models import StaffMembership
from apps.documents.services import document_verify
from apps.retention import services
from apps.retention.models import CaseRetention, DestructionList
from tests.conftest import make_staff

from .conftest import backdate, decided_application

pytestmark = pytest.mark.django_db
Role = StaffMembership.Role


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the retention run's row locks (SKIP LOCKED) need PostgreSQL")


def test_the_records_page_is_for_records_officers_and_leads(
    records_officer, lead, clerk, resident, login, service
):
    page = login(records_officer).get("/staff/retention/")
    text = page.content.decode()
    assert page.status_code == 200
    assert "档案保存与销毁" in text and "保存期限表" in text and service.name_zh in text
    assert login(lead).get("/staff/retention/").status_code == 200
    assert login(clerk).get("/staff/retention/").status_code == 403
    assert login(resident).get("/staff/retention/").status_code in (302, 403)
    english = login(records_officer).get("/staff/retention/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 200


def test_a_hold_without_a_reason_is_refused_and_keeps_what_was_typed(
    service, resident, clerk, lead, records_officer, login, django_capture_on_commit_callbacks
):
    case = decided_application(service, resident, clerk, django_capture_on_commit_callbacks)
    client = login(records_officer)
    refused = client.post("/staff/retention/holds/", {"case": case.number, "reason": ""})
    assert refused.status_code == 400
    assert case.number in refused.content.decode()
    assert not CaseRetention.objects.filter(case=case, legal_hold=True).exists()
    unknown = client.post("/staff/retention/holds/", {"case": "SQ-1999-000001", "reason": "调查"})
    assert unknown.status_code == 400
    assert _("No case with this number in your departments.") in unknown.content.decode()
    assert "SQ-1999-000001" in unknown.content.decode()
    done = client.post("/staff/retention/holds/", {"case": case.number, "reason": "法院保全裁定"})
    assert done.status_code == 302
    assert CaseRetention.objects.get(case=case).legal_hold
    page = client.get("/staff/retention/").content.decode()
    assert case.number in page and "法院保全裁定" in page
    lifted = client.post(f"/staff/retention/holds/{case.number}/clear/", {"reason": "裁定解除"})
    assert lifted.status_code == 302
    assert not CaseRetention.objects.get(case=case).legal_hold


def test_approving_on_the_page_and_downloading_the_sealed_report(
    service,
    resident,
    clerk,
    lead,
    records_officer,
    other_department,
    login,
    django_capture_on_commit_callbacks,
):
    backdate(
        decided_application(service, resident, clerk, django_capture_on_commit_callbacks),
        years=11,
    )
    services.retention_run()
    destruction_list = DestructionList.objects.get()
    url = f"/staff/retention/lists/{destruction_list.pk}/"
    officer = login(records_officer)
    assert "销毁清单" in officer.get(url).content.decode()
    # a records officer of another department does not see it
    stranger = make_staff(
        username="records-2", department=other_department, role=Role.RECORDS_OFFICER
    )
    assert login(stranger).get(url).status_code == 404
    # a clerk is refused
    assert login(clerk).post(url + "approve/", {"as_role": "records_officer"}).status_code == 403
    # the officer approves; then approving as the lead too is refused
    assert officer.post(url + "approve/", {"as_role": "records_officer"}).status_code == 302
    assert officer.post(url + "approve/", {"as_role": "lead"}).status_code == 403
    destruction_list.refresh_from_db()
    assert destruction_list.state == DestructionList.State.OFFICER_APPROVED
    # the report: sealed on request, downloaded as a PDF that verifies
    assert officer.post(url + "report/").status_code == 302
    response = officer.get(url + "report.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    data = b"".join(response.streaming_content)
    assert document_verify(pdf_bytes=data).status == "valid"
    # the lead's approval on the page destroys it
    with django_capture_on_commit_callbacks(execute=True):
        assert login(lead).post(url + "approve/", {"as_role": "lead"}).status_code == 302
    destruction_list.refresh_from_db()
    assert destruction_list.state == DestructionList.State.DESTROYED
