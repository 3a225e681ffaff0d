"""The service API's certificates (电子证照, scope `certificates:manage`): a department's own
licensing system issues a certificate to the applicant of one of its cases and revokes one of
its department's, through the certificate services, audited with the client named; without the
scope it is refused; another department's system may not revoke; and holding the scope never
lets a system decide a case."""

import pytest
from django.core.exceptions import PermissionDenied

from apps.accounts.models import StaffMembership
from apps.audit.models import AuditEvent
from apps.cases import services as case_services
from apps.cases.selectors import case_get_for_staff, case_staff_actions
from apps.certificates.models import Certificate, CertificateType
from apps.events.models import Event
from apps.notifications.models import Notification
from apps.systems.services import department_system_update
from tests.cases.staff_factories import accepted_case, submitted_case
from tests.catalog.factories import make_service
from tests.systems.conftest import access_token, bearer, post_json

pytestmark = pytest.mark.django_db

MANAGE = ["cases:read", "certificates:manage"]


@pytest.fixture
def licence_type(department):
    return CertificateType.objects.create(
        code="food-licence",
        name_zh="食品经营许可证",
        name_en="Food business licence",
        issuing_department=department,
        validity_days=365,
        field_sources=[{"name": "operator", "answer": "full_name", "label_zh": "经营者"}],
    )


def issue(client, token, case, **data):
    return post_json(
        client,
        "/api/v1/systems/certificates/",
        token,
        {"type": "food-licence", "case": case.number, "fields": {"operator": "王"}, **data},
    )


def test_a_client_with_the_scope_issues_lists_and_revokes_its_departments_certificate(
    client, register, department, licence_type
):
    # given the department's licensing system with the scope, and a case of the department
    system, secret = register(department, scopes=MANAGE, name="许可系统")
    case = submitted_case(make_service(department=department))
    token = access_token(client, system, secret)
    label = f"许可系统 (client {system.client_id})"
    # when it issues a licence for that case
    response = issue(client, token, case)
    # then the applicant holds it, it is published and audited with the client named
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    certificate = Certificate.objects.get(number=number)
    assert certificate.holder == case.applicant and certificate.source_case == case
    assert certificate.fields == {"operator": "王"}
    assert Event.objects.filter(type="gov.portal.certificate.issued", subject=number).exists()
    issued = AuditEvent.objects.get(action="certificates.certificate.issue")
    assert issued.client == label and issued.actor == system.user
    # and it is on the department's list
    listed = client.get("/api/v1/systems/certificates/", **bearer(token))
    assert [row["number"] for row in listed.json()["results"]] == [number]
    # when it revokes it with a reason
    response = post_json(
        client, f"/api/v1/systems/certificates/{number}/revoke/", token, {"reason": "已注销"}
    )
    # then it is revoked, the holder is told why, and the audit names the client
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "revoked"
    certificate.refresh_from_db()
    assert certificate.state == Certificate.State.REVOKED and certificate.end_reason == "已注销"
    note = Notification.objects.get(
        recipient=case.applicant, event="certificate.revoked", channel="in_app"
    )
    assert "已注销" in note.body
    revoked = AuditEvent.objects.get(action="certificates.certificate.revoke")
    assert revoked.client == label and revoked.actor == system.user


def test_a_client_without_the_scope_is_refused(client, register, department, licence_type):
    system, secret = register(department, scopes=["cases:read", "tasks:act"])
    case = submitted_case(make_service(department=department))
    token = access_token(client, system, secret)
    response = issue(client, token, case)
    assert response.status_code == 403
    assert "certificates:manage" in response.json()["detail"]
    assert not Certificate.objects.exists()
    assert AuditEvent.objects.filter(action="systems.scope.refused").exists()
    # and its account holds no system membership to revoke with
    assert not StaffMembership.objects.filter(user=system.user, role="system").exists()


def test_another_departments_client_cannot_revoke_and_is_audited(
    client, register, department, other_department, licence_type
):
    # given a licence market's system issued
    ours, our_secret = register(department, scopes=MANAGE)
    case = submitted_case(make_service(department=department))
    number = issue(client, access_token(client, ours, our_secret), case).json()["number"]
    # when housing's system, with the same scope, tries to revoke it
    theirs, their_secret = register(other_department, scopes=MANAGE, name="住建系统")
    response = post_json(
        client,
        f"/api/v1/systems/certificates/{number}/revoke/",
        access_token(client, theirs, their_secret),
        {"reason": "试试"},
    )
    # then it is refused with the reason, the licence stays valid, and the refusal is audited
    assert response.status_code == 403
    assert response.json()["detail"]
    assert Certificate.objects.get(number=number).state == Certificate.State.VALID
    refused = AuditEvent.objects.get(action="certificates.certificate.refused")
    assert refused.client == f"住建系统 (client {theirs.client_id})"
    assert refused.data["step"] == "revoke"
    # and it does not see the licence on its list
    listed = client.get(
        "/api/v1/systems/certificates/", **bearer(access_token(client, theirs, their_secret))
    )
    assert listed.json()["results"] == []


def test_an_unknown_type_is_bad_input_and_nothing_is_issued(
    client, register, department, licence_type
):
    system, secret = register(department, scopes=MANAGE)
    case = submitted_case(make_service(department=department))
    response = issue(client, access_token(client, system, secret), case, type="no-such")
    assert response.status_code == 400
    assert response.json()["errors"]["type"]
    assert not Certificate.objects.exists()


def test_the_system_membership_follows_the_scope(register, department, administrator):
    system, _secret = register(department, scopes=MANAGE)
    membership = StaffMembership.objects.get(user=system.user, role="system")
    assert membership.is_active and membership.department == department
    department_system_update(
        system=system, name=system.name, scopes=["cases:read"], is_active=True, actor=administrator
    )
    membership.refresh_from_db()
    assert not membership.is_active
    department_system_update(
        system=system, name=system.name, scopes=MANAGE, is_active=True, actor=administrator
    )
    membership.refresh_from_db()
    assert membership.is_active


def test_the_certificates_scope_never_lets_a_system_decide(register, department, clerk, lead):
    # given a case ready for decision, and a system holding the certificates scope
    service = make_service(department=department)
    case = accepted_case(service, clerk)
    case_services.task_approve(task=case.review_tasks.get(), actor=clerk, opinion="同意")
    system, _secret = register(department, scopes=["cases:read", "tasks:act", *MANAGE[1:]])
    assert case_staff_actions(case=case_get_for_staff(user=lead, ref=case.number), user=lead)[
        "decide"
    ]
    for decision_role in ("lead", "system"):  # even if a service's row named the system role
        type(service).objects.filter(pk=service.pk).update(decision_role=decision_role)
        staff_case = case_get_for_staff(user=system.user, ref=case.number)
        # then the system is offered no decision, and the service refuses it
        assert not case_staff_actions(case=staff_case, user=system.user)["decide"]
        with pytest.raises(PermissionDenied):
            case_services.case_decide(
                case=staff_case, actor=system.user, code="000000", reasons="准予"
            )
    case.refresh_from_db()
    assert case.decided_at is None
