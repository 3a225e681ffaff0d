"""Destruction lists: proposed by the run for cases whose record period ended, destroyed only
after a records officer and the department's lead, two people, both approved; a clerk cannot
approve; the sealed report verifies and reads in Chinese."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext as _

from apps.accounts.models import StaffMembership
from apps.audit.models import AuditEvent
from apps.audit.selectors import audit_chain_first_break
from apps.cases import services as case_services
from apps.cases.models import Case, CaseEvent
from apps.documents.services import document_verify
from apps.metrics.services import rollups_rebuild
from apps.retention import services
from apps.retention.models import CaseRetention, DestructionList
from tests.conftest import make_staff
from tests.documents.pdftext import pdf_text

from .conftest import backdate, decided_application
from .test_anonymise import figures

pytestmark = pytest.mark.django_db
Role = StaffMembership.Role
State = DestructionList.State


@pytest.fixture(autouse=True)
def _postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the retention run's row locks (SKIP LOCKED) need PostgreSQL")


@pytest.fixture
def proposed(service, resident, clerk, lead, django_capture_on_commit_callbacks):
    """A decided application and a withdrawn one, both ended 11 years ago (archive class 10
    years), anonymised and proposed for destruction by the run."""
    decided = backdate(
        decided_application(service, resident, clerk, django_capture_on_commit_callbacks),
        years=11,
    )
    draft = case_services.case_create_draft(service=service, applicant=resident, actor=resident)
    withdrawn = backdate(case_services.case_withdraw(case=draft, actor=resident), years=11)
    run = services.retention_run()
    assert run.anonymised == 2 and run.proposed == 2
    return DestructionList.objects.get(), [decided, withdrawn]


def test_a_destruction_list_needs_both_approvals(
    proposed, records_officer, lead, clerk, department, django_capture_on_commit_callbacks
):
    destruction_list, cases = proposed
    assert destruction_list.department == department and destruction_list.state == State.PROPOSED
    rollups_rebuild()
    before = figures()

    # a clerk can give neither approval
    for role in (Role.RECORDS_OFFICER, Role.LEAD):
        with pytest.raises(PermissionDenied):
            services.destruction_list_approve(
                destruction_list=destruction_list, actor=clerk, as_role=role
            )
    # and the records officer cannot approve as the lead
    with pytest.raises(PermissionDenied) as refused:
        services.destruction_list_approve(
            destruction_list=destruction_list, actor=records_officer, as_role=Role.LEAD
        )
    assert str(refused.value) == _("Only the department's lead may give this approval.")

    # when the records officer approves, nothing is destroyed yet
    with django_capture_on_commit_callbacks(execute=True):
        half = services.destruction_list_approve(
            destruction_list=destruction_list, actor=records_officer, as_role=Role.RECORDS_OFFICER
        )
    assert half.state == State.OFFICER_APPROVED
    assert not CaseRetention.objects.filter(destroyed_at__isnull=False).exists()
    assert CaseEvent.objects.filter(case=cases[0]).count() > 3

    # and when the lead approves too, the list is destroyed after the commit
    with django_capture_on_commit_callbacks(execute=True):
        services.destruction_list_approve(destruction_list=half, actor=lead, as_role=Role.LEAD)
    destruction_list.refresh_from_db()
    assert destruction_list.state == State.DESTROYED
    assert (destruction_list.officer_approved_by, destruction_list.lead_approved_by) == (
        records_officer,
        lead,
    )
    for case in cases:
        assert CaseRetention.objects.get(case=case).destroyed_at is not None
        assert Case.objects.filter(pk=case.pk, number=case.number).exists()
    # the timeline is gone but for the lines the figures count; the figures are the same
    assert not CaseEvent.objects.filter(case=cases[0]).exists()
    rollups_rebuild()
    assert figures() == before

    # every step is on the chain, once, and the chain verifies
    for step in ("approve_as_officer", "complete_as_lead", "destroy"):
        assert (
            AuditEvent.objects.filter(
                action=f"retention.destruction_list.{step}", target_id=str(destruction_list.pk)
            ).count()
            == 1
        )
    assert AuditEvent.objects.filter(action="retention.destruction_list.refused").count() == 3
    assert AuditEvent.objects.filter(action="retention.case.destroy").count() == 2
    assert audit_chain_first_break() is None

    # and its final report says what was destroyed
    assert destruction_list.report is not None
    with destruction_list.report.file.open("rb") as handle:
        assert document_verify(pdf_bytes=handle.read()).status == "valid"


def test_one_person_cannot_give_both_approvals(
    proposed, department, django_capture_on_commit_callbacks
):
    destruction_list, cases = proposed
    both = make_staff(username="both", department=department, role=Role.RECORDS_OFFICER)
    StaffMembership.objects.create(user=both, department=department, role=Role.LEAD)
    services.destruction_list_approve(
        destruction_list=destruction_list, actor=both, as_role=Role.RECORDS_OFFICER
    )
    with pytest.raises(PermissionDenied) as refused:
        services.destruction_list_approve(
            destruction_list=destruction_list, actor=both, as_role=Role.LEAD
        )
    assert str(refused.value) == _(
        "You already approved this list. The second approval must come from another person."
    )
    destruction_list.refresh_from_db()
    assert destruction_list.state == State.OFFICER_APPROVED
    assert not CaseRetention.objects.filter(destroyed_at__isnull=False).exists()


def test_a_case_put_on_hold_after_the_proposal_is_not_destroyed(
    proposed, records_officer, lead, django_capture_on_commit_callbacks
):
    destruction_list, (decided, withdrawn) = proposed
    services.legal_hold_set(case=decided, actor=records_officer, reason="行政复议中")
    with django_capture_on_commit_callbacks(execute=True):
        services.destruction_list_approve(
            destruction_list=destruction_list, actor=lead, as_role=Role.LEAD
        )
        services.destruction_list_approve(
            destruction_list=destruction_list, actor=records_officer, as_role=Role.RECORDS_OFFICER
        )
    assert CaseRetention.objects.get(case=decided).destroyed_at is None
    assert CaseRetention.objects.get(case=withdrawn).destroyed_at is not None
    assert CaseEvent.objects.filter(case=decided).exists()


def test_a_rejected_list_destroys_nothing_and_the_cases_come_back_next_run(
    proposed, records_officer
):
    destruction_list, cases = proposed
    from apps.core.exceptions import ApplicationError

    with pytest.raises(ApplicationError):
        services.destruction_list_reject(
            destruction_list=destruction_list, actor=records_officer, reason=""
        )
    rejected = services.destruction_list_reject(
        destruction_list=destruction_list, actor=records_officer, reason="档案馆尚未鉴定"
    )
    assert rejected.state == State.REJECTED
    assert not CaseRetention.objects.filter(destroyed_at__isnull=False).exists()
    later = services.retention_run(day=rejected.run.day + timedelta(days=1))
    assert later.proposed == 2


def test_the_report_pdf_is_sealed_verifies_and_reads_in_chinese(proposed, records_officer):
    destruction_list, cases = proposed
    with translation.override("zh-hans"):
        document = services.destruction_list_report_issue(
            destruction_list=destruction_list, actor=records_officer
        )
    with document.file.open("rb") as handle:
        data = handle.read()
    result = document_verify(pdf_bytes=data)
    assert result.status == "valid"
    assert document_verify(code=document.verification_code).status == "valid"
    text = pdf_text(data)
    for case in cases:
        assert case.ref in text
    assert "销毁清单" in text and "市场监督管理局" in text
    # a changed byte is caught
    middle = len(data) // 2
    tampered = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1 :]
    assert document_verify(pdf_bytes=tampered).status != "valid"
