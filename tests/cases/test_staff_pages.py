"""The department's pages: the queue, the case page with only the actions allowed now, internal
notes, and the overdue work — as a clerk, a lead and a supervisor see them."""

import pytest
from django.utils import timezone

from apps.accounts.models import StaffMembership
from apps.audit.models import AuditEvent
from apps.cases import services
from apps.cases.models import Case, CaseEvent, ReviewTask
from tests.cases.staff_factories import accepted_case, new_resident, overdue, submitted_case
from tests.conftest import make_staff

QUEUE = "/staff/cases/"


def english(client):
    """Read the buttons in English (the catalogue's source language)."""
    client.cookies["django_language"] = "en"
    return client


def page(case) -> str:
    return f"/staff/cases/{case.ref}/"


@pytest.fixture
def co_clerk(other_department):
    return make_staff(username="co-clerk", department=other_department, role="clerk")


@pytest.fixture
def parallel_service(service, other_department):
    """Reviewed by the lead department and a second department in parallel."""
    service.stages.get().departments.add(other_department)
    return service


def test_a_lead_department_clerk_takes_a_case_in_and_the_reviewers_see_it(
    login, clerk, co_clerk, parallel_service
):
    # given a submitted case in the lead department's queue
    case = submitted_case(parallel_service, new_resident("李四"))
    client = login(clerk)
    queue = client.get(QUEUE)
    assert case.number in queue.text and "李四" in queue.text
    assert case.number not in login(co_clerk).get(QUEUE).text

    # when the clerk accepts it from the case page
    response = client.post(f"{page(case)}accept/", {"accept-note": "材料齐全"}, follow=True)

    # then the case is in review and both departments find their review in their queue
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.state == Case.State.IN_REVIEW
    for person in (clerk, co_clerk):
        queue = login(person).get(QUEUE).text
        assert case.number in queue, person
    co_page = english(login(co_clerk)).get(page(case)).text
    assert "Approve the review" in co_page


def test_a_clerk_of_another_department_gets_404(login, service, other_department):
    # given a case of the market department and a housing clerk
    case = submitted_case(service)
    stranger = make_staff(username="housing", department=other_department, role="clerk")
    # when they open its page, then it does not exist for them
    assert login(stranger).get(page(case)).status_code == 404


def test_the_clerk_sees_only_the_actions_the_workflow_allows(login, clerk, lead, parallel_service):
    # given a case just taken in, the other department not yet done
    case = accepted_case(parallel_service, clerk)
    client = english(login(clerk))

    # when the clerk opens it
    html = client.get(page(case)).text

    # then they can review for their department but neither accept again nor decide
    assert "Approve the review" in html
    assert "Accept the case" not in html
    assert "Sign and issue the decision" not in html

    # and once both reviews are in, the decision appears and the review buttons go
    for task in ReviewTask.objects.filter(case=case):
        member = make_staff(
            username=f"r{task.pk}", department=task.department, role="clerk", with_device=True
        )
        services.task_approve(task=task, actor=member, opinion="同意")
    html = client.get(page(case)).text
    assert "Approve the review" not in html
    # and the decision is the department lead's (the service names the lead; four eyes), not
    # the clerk's who took the case in
    assert "Sign and issue the decision" not in html
    assert "Sign and issue the decision" in english(login(lead)).get(page(case)).text


def test_viewing_a_case_is_audited(login, clerk, service):
    case = submitted_case(service)
    login(clerk).get(page(case))
    assert AuditEvent.objects.filter(action="cases.case.staff_view", actor=clerk).count() == 1


def test_return_for_correction_names_the_chosen_fields_to_the_resident(login, clerk, service):
    # given a submitted case
    case = submitted_case(service)
    # when the clerk returns it with two fields and a note
    response = login(clerk).post(
        f"{page(case)}return/",
        {"return-fields": ["address", "id_scan"], "return-note": "地址不完整，身份证扫描不清晰"},
    )
    assert response.status_code == 302
    # then the resident reads the note and exactly those fields are open to correction
    resident = login(case.applicant)
    assert "地址不完整" in resident.get(f"/cases/{case.ref}/").text
    api = resident.get(f"/api/v1/cases/{case.ref}/").json()
    assert api["state"] == "needs_correction"
    assert api["correction_request"]["fields"] == ["address", "id_scan"]
    assert services.editable_keys(case=Case.objects.get(pk=case.pk)) == {"address", "id_scan"}


def test_a_missing_reason_is_shown_on_the_field_and_nothing_typed_is_lost(login, clerk, service):
    case = submitted_case(service)
    client = login(clerk)
    response = client.post(
        f"{page(case)}return/", {"return-fields": [], "return-note": "请补充材料说明"}
    )
    assert response.status_code == 400
    assert "field--error" in response.text
    assert "请补充材料说明" in response.text
    assert Case.objects.get(pk=case.pk).state == Case.State.SUBMITTED


def test_a_stale_page_gets_an_error_notice_not_a_second_acceptance(login, clerk, lead, service):
    # given a case the lead took in while the clerk's page was open
    case = submitted_case(service)
    services.case_accept(case=case, actor=lead)
    # when the clerk presses accept
    response = login(clerk).post(f"{page(case)}accept/", {"accept-note": "好"})
    # then they read why, and the note they typed is still there
    assert response.status_code == 409
    assert "notice--error" in response.text
    assert Case.objects.get(pk=case.pk).events.filter(verb="accept").count() == 1


def test_internal_notes_are_not_shown_to_the_resident(login, clerk, service):
    # given a clerk's internal note on a case
    case = submitted_case(service)
    client = login(clerk)
    response = client.post(f"{page(case)}note/", {"note-note": "申请人电话无人接听，明日再联系"})
    assert response.status_code == 302
    note = CaseEvent.objects.get(case=case, verb="note")
    assert not note.is_public and note.department == case.lead_department
    assert AuditEvent.objects.filter(action="cases.case.note").exists()
    # then staff read it, tagged internal; the resident does not
    assert "申请人电话无人接听" in client.get(page(case)).text
    resident = login(case.applicant)
    assert "申请人电话无人接听" not in resident.get(f"/cases/{case.ref}/").text
    assert "申请人电话无人接听" not in resident.get(f"/api/v1/cases/{case.ref}/").text


def test_claim_and_assign_to_a_colleague(login, clerk, lead, service):
    # given an active review task of the market department
    case = accepted_case(service, clerk)
    task = ReviewTask.objects.get(case=case)
    client = login(lead)
    # when the lead claims it, then gives it to the clerk
    client.post(f"/staff/cases/tasks/{task.pk}/claim/")
    task.refresh_from_db()
    assert task.assignee == lead
    response = client.post(
        f"/staff/cases/tasks/{task.pk}/assign/", {f"task{task.pk}-assignee": clerk.pk}
    )
    # then the clerk is the assignee, and the queue says so
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.assignee == clerk
    queue = login(clerk).get(QUEUE).text
    assert "<td>您</td>" in queue  # "You": the task is now hers


def test_queue_filters_and_orders_overdue_first(login, clerk, service):
    # given two cases to take in, the newer one overdue
    first = submitted_case(service)
    late = overdue(submitted_case(service))
    client = login(clerk)
    html = client.get(QUEUE).text
    # then the overdue one comes first, and the overdue filter keeps only it
    assert html.index(late.number) < html.index(first.number)
    filtered = client.get(QUEUE, {"overdue": "on"}).text
    assert late.number in filtered and first.number not in filtered
    assert first.number not in client.get(QUEUE, {"state": "in_review"}).text


def test_the_overdue_view_lists_an_overdue_case_for_a_supervisor(
    login, clerk, service, other_department
):
    # given an overdue case in review
    case = overdue(accepted_case(service, clerk))
    Case.objects.filter(pk=case.pk).update(escalated_at=timezone.now())
    supervisor = make_staff(
        username="boss", department=other_department, role=StaffMembership.Role.SUPERVISOR
    )
    # when a supervisor of another department opens the overdue view
    response = login(supervisor).get("/staff/cases/overdue/")
    # then the case is listed with its department
    assert response.status_code == 200
    assert response.text.count(f">{case.number}</a>") == 2  # the case and its review task
    assert str(case.lead_department) in response.text
    # and the supervisor can open the case, but has no workflow action on it
    supervisor_page = english(login(supervisor)).get(page(case))
    assert supervisor_page.status_code == 200
    assert "The workflow has no action for you on this case now." in supervisor_page.text
    assert "Add the note" not in supervisor_page.text
    # and a plain clerk may not open the overdue view
    assert login(clerk).get("/staff/cases/overdue/").status_code == 403


def test_attachments_open_inline_for_staff(login, clerk, service):
    case = submitted_case(service)
    attachment = case.attachments.get()
    client = login(clerk)
    html = client.get(page(case))
    assert f'<object data="/staff/cases/{case.ref}/attachments/{attachment.pk}/"' in html.text
    assert "'self'" in html["Content-Security-Policy"].split("object-src")[1].split(";")[0]
    response = client.get(f"/staff/cases/{case.ref}/attachments/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert "frame-ancestors 'self'" in response["Content-Security-Policy"]


def test_a_clerk_asks_for_more_time_and_the_lead_grants_it(login, clerk, lead, service):
    # given a case in review
    case = accepted_case(service, clerk)
    old_deadline = case.deadline
    # when the clerk asks for three more working days from the case page
    response = login(clerk).post(
        f"{page(case)}extend/", {"extend-days": "3", "extend-reason": "需要现场核查"}
    )
    assert response.status_code == 302
    # then the lead sees the request on the case page and grants it
    lead_client = english(login(lead))
    assert "Grant the extension" in lead_client.get(page(case)).text
    assert "Grant the extension" not in english(login(clerk)).get(page(case)).text
    extension = case.extension_requests.get()
    lead_client.post(f"/staff/cases/extensions/{extension.pk}/approve/")
    assert Case.objects.get(pk=case.pk).deadline > old_deadline


def test_a_wrong_signing_code_is_shown_on_the_code_field(login, clerk, lead, service):
    # given a case whose only review is approved
    case = accepted_case(service, clerk)
    services.task_approve(task=ReviewTask.objects.get(case=case), actor=clerk, opinion="同意")
    # when the lead signs the decision with a wrong code
    response = login(lead).post(
        f"{page(case)}decide/", {"decide-reasons": "符合条件，准予办理", "decide-code": "000000"}
    )
    # then the error is on the code field, the reasons are kept, nothing is decided
    assert response.status_code == 400
    assert 'id="id_decide-code_error"' in response.text
    assert "符合条件，准予办理" in response.text
    assert Case.objects.get(pk=case.pk).state == Case.State.IN_REVIEW


def test_id_numbers_are_masked_for_a_clerk(login, clerk, service):
    case = submitted_case(service)
    html = login(clerk).get(page(case)).text
    assert "11010519491231002X" not in html
    assert "1101" in html


@pytest.mark.parametrize("granted_to", ["user", "group"])
def test_the_full_id_number_is_for_staff_allowed_it_on_the_page_and_the_api(
    granted_to, login, clerk, service
):
    from django.contrib.auth.models import Group, Permission

    # given a case whose applicant gave an ID number, and a clerk without the permission
    case = accepted_case(service, clerk)
    full = case.answers["id_number"]
    client = login(clerk)
    api = f"/api/v1/staff/cases/{case.ref}/"

    def shown() -> tuple[bool, bool]:
        answers = {a["key"]: a["value"] for a in client.get(api).json()["answers"]}
        return full in client.get(page(case)).text, answers["id_number"] == full

    # then both show it masked
    assert shown() == (False, False)
    # when the permission is given to the clerk or to a group they are in
    permission = Permission.objects.get(codename="view_full_id_number")
    if granted_to == "user":
        clerk.user_permissions.add(permission)
    else:
        readers = Group.objects.create(name="ID readers")
        readers.permissions.add(permission)
        clerk.groups.add(readers)
    # then both show it in full
    assert shown() == (True, True)
