"""审批分离: who may take a case in, review it and decide it — role × step × service setting.

Every step runs through the real services (the one transition mechanism). An allowed step
changes the case; a refused one is a 403 (`PermissionDenied`) with a translated reason, leaves
the case as it was, and writes exactly one `cases.transition.refused` audit event naming who
tried which step on which case and why — written after the refused transaction was rolled back.
"""

import json
from dataclasses import dataclass

import pytest
from django.core.exceptions import PermissionDenied
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import Department, StaffMembership, User
from apps.audit.actions import AuditAction
from apps.audit.models import AuditEvent
from apps.cases import services
from apps.cases.models import Case, ReviewTask
from apps.core.exceptions import ApplicationError
from tests.accounts.test_two_factor import token_for
from tests.cases.conftest import STEP1
from tests.cases.staff_factories import new_resident, submitted_case
from tests.conftest import PASSWORD, make_staff

Role = StaffMembership.Role

# --- the people ---------------------------------------------------------------------------------

PERSONAS = (
    "superuser",  # an administrator with no staff role
    "superuser_lead",  # an administrator who is also the lead department's lead
    "clerk",  # a plain clerk of the lead department
    "lead",  # the lead department's lead
    "co_clerk",  # a clerk of the reviewing department
    "stranger",  # a clerk of a department with nothing to do with the case
    "supervisor",  # a supervisor (督查) of the lead department
    "counter",  # counter staff of the lead department
)
HANDLERS = {"superuser_lead", "clerk", "lead"}  # intake and the lead department's review


def superuser(username: str) -> User:
    user = User.objects.create_user(
        username=username,
        email=f"{username}@city.gov",
        password=PASSWORD,
        display_name=username,
        is_staff=True,
        is_superuser=True,
    )
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    return user


@pytest.fixture
def people(department, other_department, clerk, lead, supervisor, counter_clerk):
    transport = Department.objects.create(code="transport", name_zh="交通运输局", name_en="Roads")
    boss = superuser("admin-lead")
    StaffMembership.objects.create(user=boss, department=department, role=Role.LEAD)
    return {
        "superuser": superuser("admin"),
        "superuser_lead": boss,
        "clerk": clerk,
        "lead": lead,
        "co_clerk": make_staff(username="co-clerk", department=other_department, role="clerk"),
        "stranger": make_staff(username="stranger", department=transport, role="clerk"),
        "supervisor": supervisor,
        "counter": counter_clerk,
        # who does the work a step needs before it, so no persona has touched the case
        "intake": make_staff(username="intake", department=department, role="clerk"),
        "reviewer": make_staff(username="reviewer", department=department, role="clerk"),
        "co_reviewer": make_staff(
            username="co-reviewer", department=other_department, role="clerk"
        ),
    }


@pytest.fixture
def parallel_service(service, other_department):
    service.stages.get().departments.add(other_department)
    return service


# --- the steps ----------------------------------------------------------------------------------


def lead_task(case: Case) -> ReviewTask:
    return ReviewTask.objects.get(
        case=case, department=case.lead_department, round=case.review_round
    )


def co_task(case: Case) -> ReviewTask:
    return ReviewTask.objects.exclude(department=case.lead_department).get(
        case=case, round=case.review_round
    )


def decide(case: Case, person: User, reasons: str = "准予许可") -> Case:
    device = TOTPDevice.objects.get(user=person)
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)  # a second code this minute
    return services.case_decide(case=case, actor=person, code=token_for(device), reasons=reasons)


@dataclass(frozen=True)
class Step:
    """A step to try: `prepare(service, people, persona)` gives the case in the state the step
    needs (with whatever the persona did before it), `run(case, person)` tries it."""

    name: str
    prepare: object
    run: object
    after: str  # the case's state once the step is done


def _submitted(service, people, persona):
    return submitted_case(service)


def _accepted(service, people, persona):
    return services.case_accept(case=submitted_case(service), actor=people["intake"])


def _reviewed(outcome: str, *, own: str = ""):
    """In review with every review in (`approved`, or `rejected` by the other department); with
    `own`, the persona took it in (`intake`) or approved the lead department's review
    (`review`) themselves where their role lets them."""

    def prepare(service, people, persona):
        person = people[persona] if persona in HANDLERS else None
        taker = person if own == "intake" and person else people["intake"]
        case = services.case_accept(case=submitted_case(service), actor=taker)
        if outcome == "rejected":
            services.task_reject(task=co_task(case), actor=people["co_reviewer"], opinion="不同意")
            return case
        reviewer = person if own == "review" and person else people["reviewer"]
        services.task_approve(task=lead_task(case), actor=reviewer, opinion="同意")
        services.task_approve(task=co_task(case), actor=people["co_reviewer"], opinion="同意")
        return case

    return prepare


STEPS = {
    "accept": Step(
        "accept",
        _submitted,
        lambda case, person: services.case_accept(case=case, actor=person),
        Case.State.IN_REVIEW,
    ),
    "return": Step(
        "return_for_correction",
        _submitted,
        lambda case, person: services.case_return_for_correction(
            case=case, actor=person, fields=["phone"], note="电话号码有误"
        ),
        Case.State.NEEDS_CORRECTION,
    ),
    "task_approve": Step(
        "task_approve",
        _accepted,
        lambda case, person: services.task_approve(task=lead_task(case), actor=person),
        Case.State.IN_REVIEW,
    ),
    "decide_approve": Step(
        "approve",
        _reviewed("approved"),
        lambda case, person: decide(case, person),
        Case.State.APPROVED,
    ),
    "decide_reject": Step(
        "reject",
        _reviewed("rejected"),
        lambda case, person: decide(case, person, reasons="不符合条件，不予许可。"),
        Case.State.REJECTED,
    ),
    "decide_after_own_intake": Step(
        "approve",
        _reviewed("approved", own="intake"),
        lambda case, person: decide(case, person),
        Case.State.APPROVED,
    ),
    "decide_after_own_review": Step(
        "approve",
        _reviewed("approved", own="review"),
        lambda case, person: decide(case, person),
        Case.State.APPROVED,
    ),
}

SETTINGS = [
    pytest.param(Role.LEAD, True, id="lead-decides-four-eyes"),
    pytest.param(Role.LEAD, False, id="lead-decides"),
    pytest.param(Role.CLERK, True, id="clerk-decides-four-eyes"),
    pytest.param(Role.CLERK, False, id="clerk-decides"),
]


def expected(persona: str, step: str, *, decision_role: str, four_eyes: bool) -> str:
    """ "allowed", or the reason it is refused."""
    if step.startswith("decide"):
        deciders = {"superuser_lead", "lead"} | (
            {"clerk"} if decision_role == Role.CLERK else set()
        )
        if persona not in deciders:
            return "superuser_without_role" if persona == "superuser" else "role_missing"
        if four_eyes and step in ("decide_after_own_intake", "decide_after_own_review"):
            return "four_eyes"  # every decider here may also take in and review
        return "allowed"
    if persona in HANDLERS:
        return "allowed"
    return "superuser_without_role" if persona == "superuser" else "role_missing"


def refusals() -> int:
    return AuditEvent.objects.filter(action=AuditAction.TRANSITION_REFUSED).count()


@pytest.mark.parametrize(("decision_role", "four_eyes"), SETTINGS)
@pytest.mark.parametrize("step_key", list(STEPS))
def test_who_may_take_which_step(step_key, decision_role, four_eyes, parallel_service, people):
    parallel_service.decision_role, parallel_service.four_eyes = decision_role, four_eyes
    parallel_service.save(update_fields=["decision_role", "four_eyes"])
    step = STEPS[step_key]
    found, wanted = {}, {}
    for persona in PERSONAS:
        person = people[persona]
        wanted[persona] = expected(
            persona, step_key, decision_role=decision_role, four_eyes=four_eyes
        )
        case = step.prepare(parallel_service, people, persona)
        before, logged = Case.objects.get(pk=case.pk).state, refusals()
        try:
            step.run(case, person)
        except PermissionDenied as exc:
            event = AuditEvent.objects.filter(action=AuditAction.TRANSITION_REFUSED).last()
            found[persona] = event.data["reason"] if event else "not audited"
            # the refusal left the case alone, wrote one event naming who, what and where
            assert Case.objects.get(pk=case.pk).state == before
            assert refusals() == logged + 1
            assert event.actor_id == person.pk and event.data["step"] == step.name
            assert event.data["case"] == case.number
            assert str(exc)  # a sentence for the person
        else:
            found[persona] = "allowed"
            assert Case.objects.get(pk=case.pk).state == step.after
            assert refusals() == logged
    assert found == wanted


# --- the cases the attacker found ------------------------------------------------------------


def post(client, url, data=None, method="post"):
    return getattr(client, method)(url, json.dumps(data or {}), content_type="application/json")


def test_the_administrator_may_not_accept_approve_or_edit_a_draft_through_the_api(
    login, service, people
):
    admin = login(people["superuser"])
    # given a submitted case, one in review and a resident's draft
    submitted = submitted_case(service)
    in_review = services.case_accept(case=submitted_case(service), actor=people["intake"])
    resident = new_resident()
    draft = services.case_create_draft(service=service, applicant=resident, actor=resident)
    services.case_answers_update(case=draft, actor=resident, answers=STEP1)

    # when the administrator accepts, approves the review and changes the draft's answers,
    # then none of it happens: the superuser flag shows them no case at all
    assert post(admin, f"/api/v1/cases/{submitted.number}/accept/").status_code == 404
    task = lead_task(in_review)
    assert post(admin, f"/api/v1/tasks/{task.pk}/approve/").status_code == 404
    patched = post(
        admin, f"/api/v1/cases/{draft.ref}/", {"answers": {"phone": "13000000000"}}, "patch"
    )
    assert patched.status_code == 404
    assert admin.get("/api/v1/tasks/").json()["results"] == []
    assert Case.objects.get(pk=submitted.pk).state == Case.State.SUBMITTED
    assert ReviewTask.objects.get(pk=task.pk).state == ReviewTask.State.ACTIVE
    kept = Case.objects.get(pk=draft.pk).answers["phone"]
    assert kept != "13000000000"

    # and the services refuse them the same steps, each refusal audited as a superuser's
    for attempt in (
        lambda: services.case_accept(case=submitted, actor=people["superuser"]),
        lambda: services.task_approve(task=task, actor=people["superuser"]),
        lambda: services.case_answers_update(
            case=draft, actor=people["superuser"], answers={"phone": "13000000000"}
        ),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    events = AuditEvent.objects.filter(action=AuditAction.TRANSITION_REFUSED).order_by("id")
    assert [(e.data["step"], e.data["reason"]) for e in events] == [
        ("accept", "superuser_without_role"),
        ("task_approve", "superuser_without_role"),
        ("update_answers", "superuser_without_role"),
    ]
    assert all(e.actor_id == people["superuser"].pk for e in events)
    assert Case.objects.get(pk=draft.pk).answers["phone"] == kept


def test_an_administrator_who_is_also_the_lead_acts_as_the_lead(login, service, people):
    case = submitted_case(service)
    response = post(login(people["superuser_lead"]), f"/api/v1/cases/{case.number}/accept/")
    assert response.status_code == 200
    assert response.json()["state"] == "in_review"


def test_the_clerk_who_took_the_case_in_and_reviewed_it_may_not_decide(login, service, people):
    # given the service's defaults: the lead decides, four eyes
    assert (service.decision_role, service.four_eyes) == (Role.LEAD, True)
    clerk = people["clerk"]
    api = login(clerk)
    case = submitted_case(service)
    assert post(api, f"/api/v1/cases/{case.number}/accept/").status_code == 200
    case.refresh_from_db()
    task = lead_task(case)
    assert post(api, f"/api/v1/tasks/{task.pk}/approve/", {"opinion": "同意"}).status_code == 200
    # when the clerk issues the decision himself
    code = token_for(TOTPDevice.objects.get(user=clerk))
    response = post(
        api, f"/api/v1/cases/{case.number}/decide/", {"reasons": "准予许可", "code": code}
    )
    # then 403 in the API's error shape, with the reason translated (the portal speaks
    # Chinese by default), audited; nothing is decided
    body = response.json()
    assert response.status_code == 403, body
    assert body["code"] == "permission_denied"
    assert body["detail"] == "此步骤须由市场监督管理局的部门负责人办理。"
    assert body["errors"] == {}
    event = AuditEvent.objects.get(action=AuditAction.TRANSITION_REFUSED)
    assert (event.actor_id, event.data["reason"], event.data["roles"]) == (
        clerk.pk,
        "role_missing",
        [Role.LEAD],
    )
    assert Case.objects.get(pk=case.pk).state == Case.State.IN_REVIEW
    # no signature was taken for a decision that was refused
    assert not AuditEvent.objects.filter(action=AuditAction.SIGNATURE_TAKE, actor=clerk).exists()

    # and where the service lets clerks decide, four eyes still keeps him from it
    service.decision_role = Role.CLERK
    service.save(update_fields=["decision_role"])
    again = post(api, f"/api/v1/cases/{case.number}/decide/", {"reasons": "准予许可", "code": code})
    assert again.status_code == 403
    assert again.json()["detail"].startswith("审批分离：您受理了本办件")
    assert (
        AuditEvent.objects.filter(action=AuditAction.TRANSITION_REFUSED).last().data["reason"]
        == "four_eyes"
    )

    # while the lead, who did neither, decides
    assert decide(case, people["lead"]).state == Case.State.APPROVED


def test_the_lead_who_approved_a_review_may_not_decide_under_four_eyes(service, people):
    lead = people["lead"]
    case = services.case_accept(case=submitted_case(service), actor=people["intake"])
    services.task_approve(task=lead_task(case), actor=lead, opinion="同意")
    with pytest.raises(PermissionDenied):
        decide(case, lead)
    event = AuditEvent.objects.get(action=AuditAction.TRANSITION_REFUSED)
    assert (event.actor_id, event.data["step"], event.data["reason"]) == (
        lead.pk,
        "approve",
        "four_eyes",
    )
    assert Case.objects.get(pk=case.pk).state == Case.State.IN_REVIEW
    # without four eyes, the service lets the lead decide what they reviewed
    service.four_eyes = False
    service.save(update_fields=["four_eyes"])
    assert decide(case, lead).state == Case.State.APPROVED


def test_the_case_page_offers_the_decision_only_to_who_may_issue_it(login, service, people):
    case = services.case_accept(case=submitted_case(service), actor=people["lead"])
    services.task_approve(task=lead_task(case), actor=people["clerk"], opinion="同意")

    def buttons(persona):
        response = login(people[persona]).get(f"/api/v1/staff/cases/{case.number}/")
        return response.json()["actions"]["decide"] if response.status_code == 200 else None

    # the lead took it in, the clerk reviewed it, another lead has done neither
    other_lead = make_staff(username="lead-2", department=case.lead_department, role="lead")
    assert buttons("lead") is False
    assert buttons("clerk") is False
    assert login(other_lead).get(f"/api/v1/staff/cases/{case.number}/").json()["actions"]["decide"]
    assert buttons("superuser") is None  # not even shown the case


# --- complaints: the department handles them; the superuser flag gives nothing either ---------


def test_an_administrator_may_not_dispatch_sign_or_reply_to_a_complaint(
    department, people, dispatcher, clerk
):
    from apps.catalog.models import ServiceItem
    from apps.complaints import services as complaints
    from tests.complaints.conftest import file_complaint

    category = ServiceItem.objects.create(
        code="noise",
        kind=ServiceItem.Kind.COMPLAINT,
        name_zh="噪声扰民",
        lead_department=department,
        statutory_days=13,
        promised_days=13,
    )
    case, _code = file_complaint(category)
    admin = people["superuser"]
    with pytest.raises(PermissionDenied):
        complaints.complaint_dispatch(case=case, actor=admin, department=department)
    case = complaints.complaint_dispatch(case=case, actor=dispatcher, department=department)
    with pytest.raises(PermissionDenied):
        complaints.complaint_sign(case=Case.objects.get(pk=case.pk), actor=admin)
    # the department's clerk signs for it as before; the administrator may not answer it
    case = complaints.complaint_sign(case=Case.objects.get(pk=case.pk), actor=clerk)
    with pytest.raises(PermissionDenied):
        complaints.complaint_reply(case=Case.objects.get(pk=case.pk), actor=admin, text="已处理")
    events = AuditEvent.objects.filter(action=AuditAction.TRANSITION_REFUSED).order_by("id")
    assert [(e.data["step"], e.data["reason"]) for e in events] == [
        ("dispatch", "superuser_without_role"),
        ("sign", "superuser_without_role"),
        ("reply", "superuser_without_role"),
    ]
    assert Case.objects.get(pk=case.pk).state == Case.State.IN_PROGRESS


@pytest.mark.django_db(transaction=True)
def test_the_refusal_stays_on_record_although_its_transaction_is_rolled_back(service, supervisor):
    from django.db import connection

    # given no transaction around the test: each service commits or rolls back for real
    case = submitted_case(service)
    assert not connection.in_atomic_block
    # (and a service that failed for another reason before leaves nothing behind)
    with pytest.raises(ApplicationError):
        services.case_refuse(case=case, actor=supervisor, reasons=" ")
    # when a supervisor tries to take the case in, inside the service's own transaction
    with pytest.raises(PermissionDenied):
        services.case_accept(case=case, actor=supervisor)
    # then that transaction was rolled back, and the refusal's audit event was committed
    assert Case.objects.get(pk=case.pk).state == Case.State.SUBMITTED
    event = AuditEvent.objects.get(action=AuditAction.TRANSITION_REFUSED)
    assert (event.actor_id, event.data["step"], event.data["reason"]) == (
        supervisor.pk,
        "accept",
        "role_missing",
    )
