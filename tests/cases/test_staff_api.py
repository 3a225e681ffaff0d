"""The staff API: queue, task and case actions, decisions and extensions — with the answers a
client can rely on: 404 for a case you may not see, 403 for one you may not act on, 409 for an
action the current state does not allow."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.cases.models import Case, ExtensionRequest, ReviewTask
from tests.accounts.test_two_factor import token_for
from tests.cases.staff_factories import accepted_case, submitted_case
from tests.conftest import make_staff


@pytest.fixture
def co_clerk(other_department):
    return make_staff(username="co-clerk", department=other_department, role="clerk")


@pytest.fixture
def parallel_service(service, other_department):
    service.stages.get().departments.add(other_department)
    return service


def post(client, url, data=None):
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def test_accepting_twice_is_a_conflict(login, clerk, service):
    # given a submitted case accepted once through the API
    case = submitted_case(service)
    client = login(clerk)
    first = post(client, f"/api/v1/cases/{case.number}/accept/")
    assert first.status_code == 200
    assert first.json()["state"] == "in_review"
    # when accepted again
    second = post(client, f"/api/v1/cases/{case.number}/accept/")
    # then 409 with a message that says why
    assert second.status_code == 409
    assert second.json()["detail"]
    assert Case.objects.get(pk=case.pk).events.filter(verb="accept").count() == 1


def test_a_clerk_of_another_department_gets_404(login, service, other_department):
    case = submitted_case(service)
    stranger = make_staff(username="housing", department=other_department, role="clerk")
    client = login(stranger)
    assert post(client, f"/api/v1/cases/{case.number}/accept/").status_code == 404
    assert client.get(f"/api/v1/staff/cases/{case.number}/").status_code == 404


def test_a_resident_may_not_accept_their_own_case(login, service):
    # given a resident who can see their own case
    case = submitted_case(service)
    client = login(case.applicant)
    assert client.get(f"/api/v1/cases/{case.number}/").status_code == 200
    # when they call the staff action, then it is forbidden
    assert post(client, f"/api/v1/cases/{case.number}/accept/").status_code == 403
    assert client.get("/api/v1/tasks/").status_code == 403


def test_a_co_reviewer_may_see_the_case_but_not_take_it_in(
    login, clerk, co_clerk, parallel_service
):
    # given a case in review, which the second department may see
    case = accepted_case(parallel_service, clerk)
    client = login(co_clerk)
    assert client.get(f"/api/v1/staff/cases/{case.number}/").status_code == 200
    # then intake and decision are forbidden to them, not missing
    assert post(client, f"/api/v1/cases/{case.number}/accept/").status_code == 403
    decide = post(client, f"/api/v1/cases/{case.number}/decide/", {"code": "123456"})
    assert decide.status_code == 403
    # and the lead department's task is not theirs to approve
    task = ReviewTask.objects.get(case=case, department=case.lead_department)
    assert post(client, f"/api/v1/tasks/{task.pk}/approve/").status_code == 403


def test_staff_api_needs_verified_2fa(login, clerk, service):
    case = submitted_case(service)
    client = login(clerk, verified=False)
    assert post(client, f"/api/v1/cases/{case.number}/accept/").status_code == 403


def test_two_department_approval_ending_in_a_signed_decision(
    login,
    clerk,
    lead,
    co_clerk,
    department,
    other_department,
    parallel_service,
    django_capture_on_commit_callbacks,
):
    # given a submitted case reviewed by two departments
    case = submitted_case(parallel_service)
    lead_api, co_api = login(clerk), login(co_clerk)

    # when the lead department takes it in
    accepted = post(lead_api, f"/api/v1/cases/{case.number}/accept/").json()
    assert {r["department"] for r in accepted["reviews"]} == {"market", "housing"}

    # then each reviewer finds their task in their queue, claims and approves it
    for client, code in ((lead_api, "market"), (co_api, "housing")):
        queue = client.get("/api/v1/tasks/").json()
        assert len(queue["results"]) == 1
        task = queue["results"][0]
        assert task["case"] == case.number and task["department"] == code
        claimed = post(client, f"/api/v1/tasks/{task['id']}/claim/")
        assert claimed.status_code == 200
        approved = post(client, f"/api/v1/tasks/{task['id']}/approve/", {"opinion": "同意"})
        assert approved.json()["state"] == "approved"
        # approving twice is refused
        assert post(client, f"/api/v1/tasks/{task['id']}/approve/").status_code == 409

    # and the lead department's lead decides (not the clerk who took it in and reviewed it),
    # signing with the lead's own authenticator
    detail = lead_api.get(f"/api/v1/staff/cases/{case.number}/").json()
    assert detail["actions"]["decide"] is False
    decider = login(lead)
    assert decider.get(f"/api/v1/staff/cases/{case.number}/").json()["actions"]["decide"] is True
    until = timezone.localdate() + timedelta(days=365)
    with django_capture_on_commit_callbacks(execute=True):
        decided = post(
            decider,
            f"/api/v1/cases/{case.number}/decide/",
            {
                "reasons": "准予许可",
                "granted_until": until.isoformat(),
                "code": token_for(TOTPDevice.objects.get(user=lead)),
            },
        )
    assert decided.status_code == 200, decided.json()
    assert decided.json()["state"] == "approved"

    # then the resident finds the decision letter on their case
    resident_view = login(case.applicant).get(f"/api/v1/cases/{case.number}/").json()
    assert resident_view["state"] == "approved"
    assert "decision_letter" in [d["kind"] for d in resident_view["documents"]]
    # and the reviewers' opinions stay internal
    assert "task_approve" not in json.dumps(resident_view)


def test_a_wrong_code_does_not_decide(login, clerk, lead, service):
    case = accepted_case(service, clerk)
    task = ReviewTask.objects.get(case=case)
    post(login(clerk), f"/api/v1/tasks/{task.pk}/approve/")
    response = post(login(lead), f"/api/v1/cases/{case.number}/decide/", {"code": "000000"})
    assert response.status_code == 400
    assert Case.objects.get(pk=case.pk).state == Case.State.IN_REVIEW


def test_refuse_without_reasons_names_the_field(login, clerk, service):
    case = submitted_case(service)
    response = post(login(clerk), f"/api/v1/cases/{case.number}/refuse/", {"reasons": " "})
    assert response.status_code == 400
    assert "reasons" in response.json()["errors"]


def test_a_reviewer_returns_the_case_for_correction(login, clerk, service):
    case = accepted_case(service, clerk)
    task = ReviewTask.objects.get(case=case)
    response = post(
        login(clerk),
        f"/api/v1/tasks/{task.pk}/return/",
        {"fields": ["address"], "note": "请补充门牌号"},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "needs_correction"
    assert body["correction_request"]["fields"] == ["address"]


def test_extension_asked_by_a_clerk_and_granted_by_the_lead(login, clerk, lead, service):
    # given a case in review
    case = accepted_case(service, clerk)
    old_deadline = case.deadline
    # when the clerk asks for five more working days
    asked = post(
        login(clerk), f"/api/v1/cases/{case.number}/extend/", {"days": 5, "reason": "需现场核查"}
    )
    assert asked.status_code == 201
    extension = asked.json()
    # then a clerk cannot grant it, and the lead can
    assert post(login(clerk), f"/api/v1/extensions/{extension['id']}/approve/").status_code == 403
    granted = post(login(lead), f"/api/v1/extensions/{extension['id']}/approve/")
    assert granted.status_code == 200
    assert granted.json()["state"] == "approved"
    assert Case.objects.get(pk=case.pk).deadline > old_deadline
    assert post(login(lead), f"/api/v1/extensions/{extension['id']}/refuse/").status_code == 409
    assert ExtensionRequest.objects.get().state == "approved"


def test_the_staff_case_shows_the_internal_timeline(login, clerk, service):
    case = accepted_case(service, clerk)
    body = login(clerk).get(f"/api/v1/staff/cases/{case.number}/").json()
    assert body["applicant_name"]
    assert [r["state"] for r in body["reviews"]] == ["active"]
    # nobody has claimed or decided the review yet: JSON nulls, never a Python repr
    assert (body["reviews"][0]["assignee"], body["reviews"][0]["decided_by"]) == (None, None)
    assert body["actions"]["tasks"] == [body["reviews"][0]["id"]]
    assert body["attachments"][0]["download"].endswith("/")
    post(login(clerk), f"/api/v1/tasks/{body['reviews'][0]['id']}/approve/", {"opinion": "同意"})
    body = login(clerk).get(f"/api/v1/staff/cases/{case.number}/").json()
    internal = [line for line in body["timeline"] if line["internal"]]
    assert internal and internal[-1]["verb"] == "task_approve"
    assert internal[-1]["department"] == "market"
