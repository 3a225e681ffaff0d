"""The staff work order page: each action form calls its one service."""

import pytest
from django.utils import translation

from apps.audit.models import AuditEvent
from apps.cases.models import Case, CaseEvent

from .conftest import file_complaint

pytestmark = pytest.mark.django_db


def test_the_dispatcher_dispatches_from_the_page(category, dispatcher, department, login):
    case, _code = file_complaint(category)
    client = login(dispatcher)
    response = client.post(
        f"/staff/complaints/{case.number}/dispatch/", {"department": department.pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == Case.State.DISPATCHED and case.lead_department == department


def test_a_dispatcher_notes_a_complaint_not_routed_to_them(category, dispatcher, login):
    # given a complaint no department has yet: the dispatcher has no permission on the case
    case, _code = file_complaint(category)
    # when they add an internal note
    response = login(dispatcher).post(f"/staff/complaints/{case.number}/note/", {"note": " 回电 "})
    # then it is on the timeline (internal, no department) and on the audit chain
    assert response.status_code == 302
    note = CaseEvent.objects.get(case=case, verb="note")
    assert (note.note, note.is_public, note.department) == ("回电", False, None)
    assert AuditEvent.objects.filter(action="cases.case.note", target_id=str(case.pk)).count() == 1


def test_a_clerk_of_another_department_may_not_note(category, dispatcher, department, login):
    from tests.conftest import make_staff

    case, _code = file_complaint(category)
    outsider = make_staff(username="outsider", department=department, role="clerk")
    response = login(outsider).post(f"/staff/complaints/{case.number}/note/", {"note": "x"})
    assert response.status_code == 404


def test_merging_into_an_unknown_number_keeps_the_form(category, dispatcher, login):
    case, _code = file_complaint(category)
    response = login(dispatcher).post(
        f"/staff/complaints/{case.number}/merge/", {"into": "TS-1999-000001"}
    )
    assert response.status_code == 400
    with translation.override("zh-hans"):
        expected = translation.gettext("Check the case number.")
    assert response.context["forms"]["merge"].errors["into"] == [expected]
    case.refresh_from_db()
    assert case.state == Case.State.SUBMITTED


def test_an_unknown_action_is_not_found(category, dispatcher, login):
    case, _code = file_complaint(category)
    assert login(dispatcher).post(f"/staff/complaints/{case.number}/close/").status_code == 404
