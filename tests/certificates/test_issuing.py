import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from apps.audit.models import AuditEvent
from apps.certificates import services
from apps.certificates.models import Certificate
from apps.events.models import Event, EventDepartment
from tests.conftest import make_staff
from tests.documents.pdftext import pdf_text

pytestmark = pytest.mark.django_db


def test_an_approved_decision_issues_the_licence_with_a_sealed_pdf(issued, resident, department):
    # given the resident's approved licence application (fixture `issued`)
    certificate = issued

    # then the certificate is theirs, numbered, valid for the type's days, from market
    assert certificate.holder == resident
    assert certificate.issuing_department == department
    assert certificate.number.startswith("FOOD-LICENCE-")
    assert certificate.valid_from == timezone.localdate()
    assert (certificate.valid_until - certificate.valid_from).days == 365 * 5 - 1
    assert certificate.status == Certificate.Status.VALID
    # with the structured fields taken from the case's answers, as a plain dict
    assert certificate.fields == {"operator": "王秀兰", "premises": "东城区建国门内大街 1 号"}
    assert certificate.source_case.state == "approved"

    # and its PDF is sealed by the issuing department, in Chinese, with the fields
    document = certificate.document
    assert document.kind == "certificate" and document.seal == department.code
    with document.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert certificate.number in text and "食品经营许可证" in text and "王秀兰" in text

    # and the issue is audited and published to the issuing department, without personal data
    assert AuditEvent.objects.filter(
        action="certificates.certificate.issue", target_id=str(certificate.pk)
    ).exists()
    event = Event.objects.get(type="gov.portal.certificate.issued")
    assert event.subject == certificate.number
    assert event.data["issuing_department"] == department.code
    assert "王秀兰" not in str(event.data) and "operator" not in str(event.data)
    assert EventDepartment.objects.filter(event=event, department=department).exists()


def test_a_service_without_a_certificate_type_issues_none(
    resident, clerk, lead, department, django_capture_on_commit_callbacks
):
    from tests.catalog.factories import make_service

    from .conftest import approve, draft_case, sign_and_submit

    case = sign_and_submit(draft_case(make_service(department=department), resident), resident)
    with django_capture_on_commit_callbacks(execute=True):
        approve(case, clerk=clerk, lead=lead)
    assert not Certificate.objects.exists()


def test_direct_issue_needs_staff_of_the_issuing_department(
    licence_type, resident, other_department, clerk
):
    # a clerk of another department is refused, and the refusal is audited
    outsider = make_staff(username="outsider", department=other_department, role="lead")
    with pytest.raises(PermissionDenied):
        services.certificate_issue(
            certificate_type=licence_type, holder=resident, fields={}, actor=outsider
        )
    assert AuditEvent.objects.filter(action="certificates.certificate.refused").exists()
    # the issuing department's clerk may (a department system's client acts as one)
    certificate = services.certificate_issue(
        certificate_type=licence_type, holder=resident, fields={"operator": "王"}, actor=clerk
    )
    assert certificate.fields == {"operator": "王"}
