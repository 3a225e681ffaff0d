import pytest
from django.core.exceptions import PermissionDenied

from apps.audit.models import AuditEvent
from apps.certificates import services
from apps.certificates.models import Certificate
from apps.core.exceptions import ApplicationError, ConflictError
from apps.events.models import Event
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_issuing_lead_revokes_audited_notified_and_published(
    issued, lead, resident, department
):
    # when market's lead revokes the licence
    certificate = services.certificate_revoke(
        certificate=issued, actor=lead, reason="经营场所已注销"
    )

    # then it is revoked for every reader, today
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.REVOKED
    assert certificate.status == Certificate.Status.REVOKED and not certificate.is_usable
    assert certificate.ended_by == lead and certificate.end_reason == "经营场所已注销"
    # audited, with the lead as actor
    audit = AuditEvent.objects.get(action="certificates.certificate.revoke")
    assert audit.actor == lead and audit.data["number"] == certificate.number
    # the holder is told, with the reason
    note = Notification.objects.get(
        recipient=resident, event="certificate.revoked", channel="in_app"
    )
    assert certificate.number in note.body and "经营场所已注销" in note.body
    # and the departments' systems get the revoked event
    event = Event.objects.get(type="gov.portal.certificate.revoked")
    assert event.subject == certificate.number and event.data["state"] == "revoked"
    assert event.data["issuing_department"] == department.code


def test_a_clerk_of_another_department_cannot_revoke(issued, other_department):
    from tests.conftest import make_staff

    outsider = make_staff(username="housing-boss", department=other_department, role="lead")
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=issued, actor=outsider, reason="不应成功")
    issued.refresh_from_db()
    assert issued.state == Certificate.State.VALID
    refused = AuditEvent.objects.get(action="certificates.certificate.refused")
    assert refused.actor == outsider and refused.data["step"] == "revoke"
    assert not Event.objects.filter(type="gov.portal.certificate.revoked").exists()


def test_the_issuing_departments_clerk_is_no_lead_and_cannot_revoke(issued, clerk):
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(certificate=issued, actor=clerk, reason="越权")
    issued.refresh_from_db()
    assert issued.state == Certificate.State.VALID


def test_revocation_needs_a_reason_and_happens_once(issued, lead):
    with pytest.raises(ApplicationError) as refused:
        services.certificate_revoke(certificate=issued, actor=lead, reason="  ")
    assert "reason" in refused.value.errors
    services.certificate_revoke(certificate=issued, actor=lead, reason="注销")
    with pytest.raises(ConflictError):
        services.certificate_revoke(certificate=issued, actor=lead, reason="再次")
    assert AuditEvent.objects.filter(action="certificates.certificate.revoke").count() == 1


def test_replacement_points_to_its_successor(
    issued, lead, resident, django_capture_on_commit_callbacks
):
    # when the lead replaces the licence after a change of premises
    with django_capture_on_commit_callbacks(execute=True):
        successor = services.certificate_replace(
            certificate=issued,
            actor=lead,
            reason="经营场所变更",
            fields={"premises": "朝阳区 9 号"},
        )

    # then the old one points to its successor and can no longer be used
    issued.refresh_from_db()
    assert issued.state == Certificate.State.REPLACED and issued.replaced_by == successor
    assert issued.status == Certificate.Status.REPLACED and not issued.is_usable
    # the successor is the holder's, valid, with the change merged in and its own sealed PDF
    assert successor.holder == resident and successor.is_usable
    assert successor.fields == {"operator": "王秀兰", "premises": "朝阳区 9 号"}
    assert successor.number != issued.number
    successor.refresh_from_db()
    assert successor.document is not None and successor.document.sha256
    # audited, notified, and published: the old one revoked (replaced), the new one issued
    assert AuditEvent.objects.get(action="certificates.certificate.replace").data["successor"] == (
        successor.number
    )
    assert Notification.objects.filter(recipient=resident, event="certificate.replaced").exists()
    revoked = Event.objects.get(type="gov.portal.certificate.revoked", subject=issued.number)
    assert revoked.data["reason"] == "replaced" and revoked.data["replaced_by"] == successor.number
    issued_again = Event.objects.get(type="gov.portal.certificate.issued", subject=successor.number)
    assert issued_again.data["replaces"] == issued.number


def test_replacement_refuses_a_field_the_type_does_not_carry(issued, lead):
    with pytest.raises(ApplicationError) as refused:
        services.certificate_replace(
            certificate=issued, actor=lead, reason="变更", fields={"colour": "red"}
        )
    assert "fields" in refused.value.errors
    issued.refresh_from_db()
    assert issued.state == Certificate.State.VALID
