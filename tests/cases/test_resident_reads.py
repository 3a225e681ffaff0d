"""The resident's pages and API show a case to the person it belongs to (and a family member
they granted it), never to the department's staff: staff read a case on the staff pages and
API, which record each view of the resident's personal data. Found by the permission matrix
(tests/portal/permission_matrix.csv): every member of the department (clerks, counter staff,
dispatchers, supervisors) read the applicant's answers on /cases/<ref>/ and /api/v1/cases/<ref>/
without the view being audited."""

import pytest

from apps.audit.models import AuditEvent
from tests.cases.conftest import submit_case

pytestmark = pytest.mark.django_db


def test_staff_read_a_case_on_the_staff_pages_only(service, resident, clerk, lead, login):
    # given a submitted case routed to the department
    case = submit_case(service, resident)
    document = case.case_documents.first()
    resident_urls = [
        f"/cases/{case.ref}/",
        f"/cases/{case.ref}/submitted/",
        f"/api/v1/cases/{case.ref}/",
    ]
    if document is not None:
        resident_urls.append(f"/cases/{case.ref}/documents/{document.document_id}/")
    for member in (clerk, lead):
        client = login(member)
        # when a member of the department opens the resident's pages, then there is no case
        for url in resident_urls:
            assert client.get(url).status_code == 404, (member, url)
        # and on the staff page the case is there, and the view is on the audit trail
        before = AuditEvent.objects.filter(actor=member).count()
        assert client.get(f"/staff/cases/{case.ref}/").status_code == 200
        assert AuditEvent.objects.filter(actor=member).count() > before
    # while the resident still reads their own case
    own = login(resident)
    for url in resident_urls:
        assert own.get(url).status_code == 200, url
