"""Departments decide: intake, parallel review, returns with a paused clock, the signed decision,
deadlines and escalation — through the services, on the data a resident and a clerk see."""

import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Department, StaffMembership
from apps.audit.models import AuditEvent
from apps.cases import services
from apps.cases.models import Case, ReviewTask
from apps.core.calendar import add_working_days, working_days_between
from apps.core.exceptions import ApplicationError, ConflictError
from apps.documents.services import document_verify
from apps.notifications.models import Notification
from tests.accounts.test_two_factor import token_for
from tests.cases.conftest import submit_case
from tests.conftest import make_staff, require_postgresql


@pytest.fixture
def co_clerk(other_department):
    return make_staff(username="co-clerk", department=other_department, role="clerk")


@pytest.fixture
def parallel_service(service, other_department):
    """Reviewed by the lead department and a second department in parallel."""
    service.stages.get().departments.add(other_department)
    return service


@pytest.fixture
def accepted(parallel_service, resident, clerk, co_clerk, lead):
    case = submit_case(parallel_service, resident)
    return services.case_accept(case=case, actor=clerk)


def task_of(case, department) -> ReviewTask:
    return ReviewTask.objects.get(case=case, department=department, round=case.review_round)


def decide(case, decider, reasons="", granted_until=None):
    code = token_for(TOTPDevice.objects.get(user=decider))
    return services.case_decide(
        case=case, actor=decider, code=code, reasons=reasons, granted_until=granted_until
    )


def test_submission_routes_the_case_to_the_lead_department(
    parallel_service, resident, clerk, co_clerk
):
    case = submit_case(parallel_service, resident)
    assert case.lead_department == parallel_service.lead_department
    assert clerk.has_perm("cases.process_case", case)
    assert not co_clerk.has_perm("cases.view_case", case)
    assert Notification.objects.filter(recipient=clerk, event="task.assigned").exists()


def test_two_department_parallel_review_ending_in_approval(
    accepted,
    clerk,
    lead,
    co_clerk,
    department,
    other_department,
    resident,
    login,
    django_capture_on_commit_callbacks,
):
    # given an accepted case: one active task per department, in parallel
    case = accepted
    assert case.state == Case.State.IN_REVIEW
    tasks = ReviewTask.objects.filter(case=case)
    assert {t.department for t in tasks} == {department, other_department}
    assert all(t.state == ReviewTask.State.ACTIVE for t in tasks)
    assert co_clerk.has_perm("cases.view_case", case)

    # a clerk cannot act on the other department's task
    with pytest.raises(PermissionDenied):
        services.task_approve(task=task_of(case, other_department), actor=clerk)

    # when both departments approve
    services.task_approve(task=task_of(case, department), actor=clerk, opinion="材料齐全")
    with pytest.raises(ConflictError):
        decide(case, lead)  # not before every review is in
    services.task_approve(task=task_of(case, other_department), actor=co_clerk, opinion="同意")
    assert not co_clerk.has_perm("cases.act_on_task", task_of(case, other_department))

    # then the lead department's lead decides (the service names the lead; the clerk took it
    # in and reviewed it), signed with the lead's own code
    until = timezone.localdate() + timedelta(days=365)
    with django_capture_on_commit_callbacks(execute=True):
        case = decide(case, lead, reasons="准予许可", granted_until=until)
    case.refresh_from_db()
    assert case.state == Case.State.APPROVED and case.granted_until == until
    assert case.outcome_on_time is True and case.working_days_to_outcome == 0

    # and the sealed decision letter is on the resident's case page, sealed by the department
    letter = case.case_documents.get(document__kind="decision_letter").document
    assert letter.seal == department.code
    page = login(resident).get(f"/cases/{case.number}/").content.decode()
    assert f"/cases/{case.number}/documents/{letter.pk}/" in page
    with letter.file.open("rb") as handle:
        result = document_verify(pdf_bytes=handle.read())
    assert result.status == "valid"
    # the decision reaches the resident once on each channel they chose (in-app and email)
    told = Notification.objects.filter(recipient=resident, event="case.decided")
    assert sorted(told.values_list("channel", flat=True)) == ["email", "in_app"]
    assert told.get(channel="email").status == "sent"
    decided_mail = [m for m in mail.outbox if m.subject == f"办件 {case.number} 已办结"]
    assert len(decided_mail) == 1 and "准予许可" in decided_mail[0].body


def test_one_rejection_cancels_the_sibling_and_rejects_the_case(
    accepted, lead, co_clerk, department, other_department, django_capture_on_commit_callbacks
):
    case = accepted
    with pytest.raises(ApplicationError):
        services.task_reject(task=task_of(case, other_department), actor=co_clerk, opinion=" ")
    services.task_reject(
        task=task_of(case, other_department), actor=co_clerk, opinion="道路占用与管线施工冲突"
    )
    assert task_of(case, department).state == ReviewTask.State.CANCELLED
    assert case.__class__.objects.get(pk=case.pk).review_outcome() == "rejected"
    with pytest.raises(ApplicationError):
        decide(case, lead, reasons="")  # a rejection needs reasons
    with django_capture_on_commit_callbacks(execute=True):
        decide(case, lead, reasons="与管线施工冲突，依据《城市道路管理条例》第三十条不予许可。")
    case.refresh_from_db()
    assert case.state == Case.State.REJECTED
    assert case.case_documents.filter(document__kind="decision_letter").exists()


def test_a_clerk_of_another_department_gets_404(accepted, login, db):
    third = Department.objects.create(code="environment", name_zh="生态环境局")
    outsider = make_staff(username="outsider", department=third, role="clerk")
    assert login(outsider).get(f"/api/v1/cases/{accepted.number}/").status_code == 404
    with pytest.raises(PermissionDenied):
        services.case_return_for_correction(
            case=accepted, actor=outsider, fields=["phone"], note="x"
        )


def test_refuse_at_intake_tells_the_resident(
    parallel_service, resident, clerk, django_capture_on_commit_callbacks
):
    case = submit_case(parallel_service, resident)
    from apps.cases.signals import case_outcome_reached

    heard = []

    def listener(sender, case, **kwargs):
        heard.append(case.pk)

    case_outcome_reached.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            case = services.case_refuse(case=case, actor=clerk, reasons="不属于本部门受理范围")
    finally:
        case_outcome_reached.disconnect(listener)
    assert case.state == Case.State.NOT_ACCEPTED
    assert heard == [case.pk]  # apps above cases (feedback) hear of the outcome after commit
    note = Notification.objects.get(recipient=resident, event="case.refused", channel="in_app")
    assert "不属于本部门受理范围" in note.body


def test_deadline_pauses_while_the_case_waits_for_the_resident(accepted, clerk, resident, login):
    # given a case in review returned for correction three working days ago
    case = accepted
    deadline = case.deadline
    case = services.case_return_for_correction(
        case=case,
        actor=clerk,
        fields=["phone", "id_scan"],
        note="电话号码无法接通，身份证扫描不清晰",
    )
    assert case.state == Case.State.NEEDS_CORRECTION
    assert case.correction_request["fields"] == ["id_scan", "phone"]
    assert all(t.state == ReviewTask.State.CANCELLED for t in case.review_tasks.all())
    # the resident is told everything to correct at once (一次告知), by field name
    page = login(resident).get(f"/cases/{case.number}/").content.decode()
    assert "手机号码" in page and "身份证扫描件" in page and "电话号码无法接通" in page
    paused_on = add_working_days(timezone.localdate(), -3)
    Case.objects.filter(pk=case.pk).update(clock_paused_on=paused_on)

    # only the returned answers may change
    with pytest.raises(ApplicationError):
        services.case_answers_update(case=case, actor=resident, answers={"full_name": "李四"})
    services.case_answers_update(case=case, actor=resident, answers={"phone": "13911112222"})

    # when the resident resubmits
    from apps.signatures.services import signature_code_send
    from tests.cases.conftest import last_sms_code

    signature_code_send(user=resident, channel="sms")
    case = services.case_submit(
        case=Case.objects.get(pk=case.pk), actor=resident, code=last_sms_code(), channel="sms"
    )
    # then the deadline moved by the working days it waited, and the old signature is replaced
    assert case.state == Case.State.SUBMITTED
    assert working_days_between(deadline, case.deadline) == working_days_between(
        paused_on, timezone.localdate()
    )
    assert case.deadline > deadline


def test_returned_at_intake_restarts_the_clock(parallel_service, resident, clerk):
    case = submit_case(parallel_service, resident)
    services.case_return_for_correction(case=case, actor=clerk, fields=["phone"], note="请补正电话")
    case.refresh_from_db()
    assert case.correction_request["from_state"] == Case.State.SUBMITTED
    assert services.resubmission_deadline(case=case) == add_working_days(
        timezone.localdate(), parallel_service.promised_days
    )


def test_the_beat_job_escalates_an_overdue_case_exactly_once(accepted, lead):
    Case.objects.filter(pk=accepted.pk).update(deadline=timezone.localdate() - timedelta(days=3))
    ReviewTask.objects.filter(case=accepted).update(
        due_date=timezone.localdate() - timedelta(days=3)
    )
    first = services.deadlines_sweep()
    second = services.deadlines_sweep()
    assert first.escalated == [accepted.pk] and second.escalated == []
    case = Case.objects.get(pk=accepted.pk)
    assert case.escalated_at is not None
    assert case.events.filter(verb="escalated").count() == 1
    assert Notification.objects.filter(recipient=lead, event="case.escalated").count() >= 1
    assert (
        len(
            {n.channel for n in Notification.objects.filter(recipient=lead, event="case.escalated")}
        )
        == Notification.objects.filter(recipient=lead, event="case.escalated").count()
    )
    assert AuditEvent.objects.filter(action="cases.case.escalate").count() == 1


def test_the_beat_job_warns_one_working_day_before(accepted, clerk):
    services.task_claim(
        task=ReviewTask.objects.get(
            case=accepted, department=clerk.staff_memberships.get().department
        ),
        actor=clerk,
    )
    from apps.core.calendar import next_working_day

    ReviewTask.objects.filter(case=accepted).update(due_date=next_working_day(timezone.localdate()))
    report = services.deadlines_sweep()
    again = services.deadlines_sweep()
    assert len(report.warned) == 2 and again.warned == []
    assert Notification.objects.filter(recipient=clerk, event="task.deadline_warning").exists()


@pytest.mark.parametrize("allowed", [True, False])
def test_a_silent_co_reviewer_is_deemed_to_consent_only_where_allowed(
    accepted, other_department, department, allowed
):
    accepted.service.allows_deemed_consent = allowed
    accepted.service.save()
    ReviewTask.objects.filter(case=accepted, department=other_department).update(
        due_date=timezone.localdate() - timedelta(days=1)
    )
    report = services.deadlines_sweep()
    silent = task_of(accepted, other_department)
    lead_task = task_of(accepted, department)
    if allowed:
        assert silent.state == ReviewTask.State.APPROVED and silent.deemed_consent
        assert silent.decided_by is None
        assert report.deemed == [silent.pk]
        assert lead_task.state == ReviewTask.State.ACTIVE  # the lead's own review is never deemed
    else:
        assert silent.state == ReviewTask.State.ACTIVE and not silent.deemed_consent
        assert report.escalated == [accepted.pk]


def test_extension_asked_before_the_deadline_and_approved_by_the_lead(
    accepted, clerk, lead, resident
):
    old = accepted.deadline
    extension = services.extension_request(case=accepted, actor=clerk, days=5, reason="需现场勘验")
    with pytest.raises(PermissionDenied):
        services.extension_decide(extension=extension, actor=clerk, approve=True)
    services.extension_decide(extension=extension, actor=lead, approve=True)
    case = Case.objects.get(pk=accepted.pk)
    assert case.deadline == add_working_days(old, 5)
    told = Notification.objects.get(recipient=resident, event="case.extended", channel="in_app")
    assert "延长至" in told.body and "需现场勘验" in told.body
    assert case.events.filter(verb="extension_granted", is_public=True).exists()


def test_extension_after_the_deadline_is_refused(accepted, clerk):
    Case.objects.filter(pk=accepted.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    with pytest.raises(ApplicationError):
        services.extension_request(
            case=Case.objects.get(pk=accepted.pk), actor=clerk, days=5, reason="太晚了"
        )


def test_transitions_not_allowed_now_are_conflicts(accepted, clerk):
    with pytest.raises(ConflictError):
        services.case_accept(case=accepted, actor=clerk)


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_clerks_approving_the_same_task_at_once(parallel_service, resident, clerk, co_clerk):
    require_postgresql("row locks across threads")
    # given two clerks of the same department and one active task
    second = make_staff(
        username="clerk-b", department=clerk.staff_memberships.get().department, role="clerk"
    )
    case = services.case_accept(case=submit_case(parallel_service, resident), actor=clerk)
    task = ReviewTask.objects.get(case=case, department=clerk.staff_memberships.get().department)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(user):
        try:
            barrier.wait()
            services.task_approve(task=task, actor=user, opinion=f"by {user.username}")
            outcomes.append("approved")
        except ConflictError:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(u,)) for u in (clerk, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    # then exactly one approval and one audit event
    assert sorted(outcomes) == ["approved", "conflict"]
    task.refresh_from_db()
    assert task.state == ReviewTask.State.APPROVED
    assert (
        AuditEvent.objects.filter(
            action="cases.review_task.task_approve", target_id=str(task.pk)
        ).count()
        == 1
    )
    assert StaffMembership.objects.filter(user=second).exists()
