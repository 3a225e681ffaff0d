"""The complaint API's old paths, kept one release as deprecated aliases; and the applications'
routes, which no complaint route shadows any more."""

import pytest

from apps.cases.models import Case
from apps.complaints import services

from .conftest import file_complaint

pytestmark = pytest.mark.django_db


def _json(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


def test_old_dispatch_path_still_dispatches(category, dispatcher, department, login):
    case, _code = file_complaint(category)
    response = _json(
        login(dispatcher), f"/api/v1/cases/{case.number}/dispatch/", {"department": "market"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "dispatched"


def test_old_sign_path_still_signs(category, dispatcher, clerk, department, login):
    case, _code = file_complaint(category)
    services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    response = _json(login(clerk), f"/api/v1/cases/{case.number}/sign/")
    assert response.status_code == 200 and response.json()["state"] == "in_progress"


def test_old_reply_path_still_replies(category, dispatcher, clerk, department, login):
    case, _code = file_complaint(category)
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    services.complaint_sign(case=case, actor=clerk)
    response = _json(login(clerk), f"/api/v1/cases/{case.number}/reply/", {"text": "已处理"})
    assert response.status_code == 200 and response.json()["state"] == "replied"


def test_old_merge_path_still_merges(category, dispatcher, login):
    main, _code = file_complaint(category)
    duplicate, _code = file_complaint(category)
    response = _json(
        login(dispatcher), f"/api/v1/cases/{duplicate.number}/merge/", {"into": main.number}
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "merged"
    assert response.json()["merged_into"] == main.number


def test_old_reopen_path_still_reopens(category, dispatcher, clerk, department, login):
    case, _code = file_complaint(category)
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    case = services.complaint_sign(case=case, actor=clerk)
    services.complaint_reply(case=case, actor=clerk, text="已处理")
    response = _json(login(dispatcher), f"/api/v1/cases/{case.number}/reopen/", {"comment": "x"})
    assert response.status_code == 200 and response.json()["state"] == "in_progress"


def test_old_work_order_path_still_answers(category, dispatcher, login):
    case, _code = file_complaint(category)
    old = login(dispatcher).get(f"/api/v1/staff/complaints/{case.number}/")
    assert old.status_code == 200
    assert old.json()["number"] == case.number


def test_the_applications_own_return_and_extend_for_a_complaint(
    category, dispatcher, clerk, department, login
):
    # given a complaint dispatched to the clerk's department
    case, _code = file_complaint(category)
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    api = login(clerk)
    return_body = {"reason": "不属本部门职责", "legal_basis": "《条例》第五条"}
    # when an old client posts to the applications' paths, the applications' views answer:
    # their input (the fields to correct) is missing, and a complaint is not extended as an
    # application
    returned = _json(api, f"/api/v1/cases/{case.number}/return/", return_body)
    extended = _json(api, f"/api/v1/cases/{case.number}/extend/", {"days": 2, "reason": "x"})
    # then neither reaches the complaint workflow
    assert returned.status_code == 400 and "fields" in returned.json()["errors"]
    assert extended.status_code == 409
    assert Case.objects.get(pk=case.pk).state == Case.State.DISPATCHED
    assert not case.extension_requests.exists()
    # and the new paths do
    response = _json(api, f"/api/v1/complaints/{case.number}/return/", return_body)
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "submitted" and response.json()["return_reason"]


def test_the_schema_marks_the_old_paths_deprecated(client):
    schema = client.get("/api/schema/?format=json").json()
    paths = schema["paths"]
    for old in ("dispatch", "sign", "reply", "merge", "reopen"):
        assert paths[f"/api/v1/cases/{{ref}}/{old}/"]["post"]["deprecated"] is True
        new = paths[f"/api/v1/complaints/{{ref}}/{old}/"]["post"]
        assert not new.get("deprecated")
        assert "requestBody" in new
    assert paths["/api/v1/staff/complaints/{ref}/"]["get"]["deprecated"] is True
    assert not paths["/api/v1/cases/{ref}/return/"]["post"].get("deprecated")
    assert not paths["/api/v1/complaints/{ref}/return/"]["post"].get("deprecated")
