"""Every transition of `Case` and `ReviewTask`, once, through the named services: each writes
exactly one audit event and one timeline line of its own (the one transition mechanism), and
nothing else writes a transition's event beside it."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.audit.actions import AuditAction
from apps.audit.models import AuditEvent
from apps.cases import services
from apps.cases.models import Case, CaseEvent, ReviewTask
from apps.signatures.services import signature_code_send
from tests.accounts.test_two_factor import token_for
from tests.cases.conftest import STEP1, last_sms_code, pdf_upload
from tests.conftest import make_staff

CASE_TRANSITIONS = {t.name for t in Case._meta.get_field("state").get_all_transitions(Case)}
# The audit actions of transitions: a step must write exactly its own among these.
TRANSITION_ACTIONS = {
    a for a in AuditAction if a.value.startswith(("cases.case.", "cases.review_task.task_"))
} - {AuditAction.CASE_CREATE, AuditAction.CASE_UPDATE_ANSWERS, AuditAction.CASE_NOTE}
TRANSITION_VERBS = {a.value.rsplit(".", 1)[1] for a in TRANSITION_ACTIONS}

walked: list[str] = []


def step(run, *expected: str):
    """Run one service and check it wrote exactly the `expected` verbs' audit events and
    timeline lines (a task rejection also cancels its open sibling: two task steps)."""
    audit_before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    line_before = CaseEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    result = run()
    actions = sorted(
        a.rsplit(".", 1)[1]
        for a in AuditEvent.objects.filter(id__gt=audit_before).values_list("action", flat=True)
        if a in TRANSITION_ACTIONS
    )
    verbs = sorted(
        v
        for v in CaseEvent.objects.filter(id__gt=line_before).values_list("verb", flat=True)
        if v in TRANSITION_VERBS
    )
    assert actions == sorted(expected), f"audit events of {expected}"
    assert verbs == sorted(expected), f"timeline lines of {expected}"
    walked.extend(expected)
    return result


def draft(service, resident):
    case = services.case_create_draft(service=service, applicant=resident, actor=resident)
    services.case_answers_update(case=case, actor=resident, answers={**STEP1, "needs": ["bath"]})
    services.attachment_add(case=case, actor=resident, field_key="id_scan", upload=pdf_upload())
    return case


def submit(case, resident):
    signature_code_send(user=resident, channel="sms")
    return services.case_submit(case=case, actor=resident, code=last_sms_code(), channel="sms")


def decide(case, decider, reasons):
    device = TOTPDevice.objects.get(user=decider)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # a second decision this minute
    code = token_for(device)
    return services.case_decide(case=case, actor=decider, code=code, reasons=reasons)


@pytest.fixture
def parallel_service(service, other_department):
    service.stages.get().departments.add(other_department)
    return service


def test_each_case_and_review_task_transition_writes_one_audit_event_and_one_line(
    parallel_service, resident, clerk, lead, department, other_department
):
    walked.clear()
    co_clerk = make_staff(username="co-clerk", department=other_department, role="clerk")

    def task(case, dept):
        return ReviewTask.objects.get(case=case, department=dept, round=case.review_round)

    # approved: submit, accept, one review approved, one deemed, the decision, closing
    case = step(lambda: submit(draft(parallel_service, resident), resident), "submit")
    case = step(lambda: services.case_accept(case=case, actor=clerk), "accept")
    step(lambda: services.task_approve(task=task(case, department), actor=clerk), "task_approve")
    step(
        lambda: services.task_approve(task=task(case, other_department), actor=None),
        "task_deemed_consent",
    )
    # the decision by the lead, who neither took the case in nor reviewed it (four eyes)
    case = step(lambda: decide(case, lead, "准予许可"), "approve")
    step(lambda: services.case_transition(case=case, transition="close", actor=None), "close")

    # rejected: a review rejected cancels its sibling; the decision rejects
    case = submit(draft(parallel_service, resident), resident)
    case = services.case_accept(case=case, actor=clerk)
    step(
        lambda: services.task_reject(
            task=task(case, other_department), actor=co_clerk, opinion="不符合规划"
        ),
        "task_reject",
        "task_cancel",
    )
    step(lambda: decide(case, lead, "不符合规划，不予许可"), "reject")

    # returned at intake, resubmitted, then returned by a reviewer through their task
    case = submit(draft(parallel_service, resident), resident)
    case = step(
        lambda: services.case_return_for_correction(
            case=case, actor=clerk, fields=["phone"], note="电话号码有误"
        ),
        "return_for_correction",
    )
    case = step(lambda: submit(case, resident), "resubmit")
    case = services.case_accept(case=case, actor=clerk)
    step(
        lambda: services.task_return(
            task=task(case, other_department), actor=co_clerk, fields=["phone"], note="再核对"
        ),
        "task_return",
        "return_for_correction",
        "task_cancel",  # the lead department's open review ends with the return
    )

    # refused at intake; withdrawn as a draft
    case = submit(draft(parallel_service, resident), resident)
    step(lambda: services.case_refuse(case=case, actor=clerk, reasons="不属于受理范围"), "refuse")
    case = draft(parallel_service, resident)
    step(lambda: services.case_withdraw(case=case, actor=resident), "withdraw")

    # every application transition and every task step was walked (activating a stage is part
    # of accepting and of approving the last review of a stage; it writes neither)
    application = {"submit", "resubmit", "withdraw", "accept", "refuse", "return_for_correction"}
    application |= {"approve", "reject", "close"}
    assert application <= set(walked) and application <= CASE_TRANSITIONS
    tasks = {"task_approve", "task_deemed_consent", "task_reject", "task_return", "task_cancel"}
    assert tasks <= set(walked)
    task_transitions = ReviewTask._meta.get_field("state").get_all_transitions(ReviewTask)
    assert {t.name for t in task_transitions} == {
        "activate",
        "approve",
        "reject",
        "return_for_correction",
        "cancel",
    }
