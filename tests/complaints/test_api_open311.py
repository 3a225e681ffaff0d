"""The complaint API and Open311 GeoReport v2."""

from xml.etree import ElementTree as ET

import pytest
from django.utils import translation

from apps.cases.models import Case
from apps.complaints import services
from apps.complaints.open311_render import STATUS_NOTES
from apps.complaints.services import open311_client_create

from .conftest import file_complaint

pytestmark = pytest.mark.django_db

SPEC_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
}


def test_anonymous_api_filing_returns_number_and_code(category, client):
    response = client.post(
        "/api/v1/complaints/",
        {
            "category": "noise",
            "complaint_type": "help",
            "description": "路灯不亮",
            "address": "长安街 1 号",
            "reporter_phone": "13700137000",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["number"].startswith("TS-") and len(body["extraction_code"]) == 6
    case = Case.objects.get(number=body["number"])
    assert case.channel == Case.Channel.API and not case.applicant.is_active


def test_staff_actions_through_the_api(
    category, dispatcher, clerk, other_department, department, login
):
    case, _code = file_complaint(category)
    api = login(dispatcher)
    # the department cannot dispatch: it may not even see the complaint yet
    assert login(clerk).post(f"/api/v1/complaints/{case.number}/dispatch/", {}).status_code == 404
    response = api.post(
        f"/api/v1/complaints/{case.number}/dispatch/",
        {"department": department.code, "co_departments": [other_department.code]},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "dispatched"
    assert response.json()["co_departments"] == [other_department.code]
    clerk_api = login(clerk)
    # reply before signing: not allowed now
    assert (
        clerk_api.post(
            f"/api/v1/complaints/{case.number}/reply/",
            {"text": "x"},
            content_type="application/json",
        ).status_code
        == 409
    )
    # the clerk sees it but may not merge it
    assert (
        clerk_api.post(
            f"/api/v1/complaints/{case.number}/merge/",
            {"into": "TS-1"},
            content_type="application/json",
        ).status_code
        == 403
    )
    assert clerk_api.post(f"/api/v1/complaints/{case.number}/sign/").status_code == 200
    response = clerk_api.post(
        f"/api/v1/complaints/{case.number}/extend/",
        {"days": 2, "reason": "需要现场勘查"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    response = clerk_api.post(
        f"/api/v1/complaints/{case.number}/reply/",
        {"text": "已处理"},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["state"] == "replied"
    reopened = api.post(
        f"/api/v1/complaints/{case.number}/reopen/",
        {"comment": "回访不满意"},
        content_type="application/json",
    )
    assert reopened.status_code == 200 and reopened.json()["state"] == "in_progress"


def test_the_api_return_still_serves_applications(clerk, login, department):
    from tests.cases.conftest import submit_case
    from tests.catalog.factories import make_service
    from tests.conftest import make_resident

    service = make_service(department=department)
    applicant = make_resident(email="a@example.cn", phone="13300133000", id_number=None)
    application = submit_case(service, applicant)
    response = login(clerk).post(
        f"/api/v1/cases/{application.number}/return/",
        {"fields": ["full_name"], "note": "姓名与证件不符"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "needs_correction"


def test_open311_services_and_requests(category, dispatcher, department, client):
    case, _code = file_complaint(category, latitude="39.9", longitude="116.4")
    services.complaint_dispatch(case=case, actor=dispatcher, department=department)

    listed = client.get("/open311/v2/services.json").json()
    assert listed[0]["service_code"] == "noise" and listed[0]["type"] == "realtime"
    assert client.get("/open311/v2/services/noise.json").json()["service_code"] == "noise"

    requests = client.get("/open311/v2/requests.json").json()
    assert len(requests) == 1
    item = requests[0]
    assert set(item) == SPEC_FIELDS
    assert item["service_request_id"] == case.number and item["status"] == "open"
    assert item["agency_responsible"] == str(department)
    assert item["expected_datetime"] and item["lat"] == 39.9 and item["long"] == 116.4
    # the notes come from the public timeline, said for the public (not to the reporter)
    with translation.override("zh-hans"):
        assert item["status_notes"] == str(STATUS_NOTES["dispatch"])
    one = client.get(f"/open311/v2/requests/{case.number}.json").json()
    assert one == requests

    xml = client.get("/open311/v2/requests.xml")
    assert xml["Content-Type"].startswith("text/xml")
    root = ET.fromstring(xml.content)  # noqa: S314 - our own response
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == case.number
    assert client.get("/open311/v2/requests.json?status=closed").json() == []


def test_open311_post_creates_a_case_with_an_api_key(category, client):
    _client, key = open311_client_create(name="City app")
    data = {
        "service_code": "noise",
        "lat": "39.91",
        "long": "116.39",
        "description": "广场舞音响太吵",
        "first_name": "Li",
        "phone": "13700137000",
    }
    assert client.post("/open311/v2/requests.json", data).status_code == 403
    response = client.post("/open311/v2/requests.json", {**data, "api_key": key})
    assert response.status_code == 201, response.content
    (created,) = response.json()
    assert set(created) == {"service_request_id", "service_notice", "account_id"}
    case = Case.objects.get(number=created["service_request_id"])
    assert case.channel == Case.Channel.OPEN311 and case.description == "广场舞音响太吵"
    xml = client.post("/open311/v2/requests.xml", {**data, "api_key": key})
    root = ET.fromstring(xml.content)  # noqa: S314 - our own response
    assert root.find("request/service_request_id").text.startswith("TS-")


def test_an_inactive_category_is_refused_by_the_api_like_the_form(category, client):
    category.is_active = False
    category.save()
    response = client.post(
        "/api/v1/complaints/",
        {"category": "noise", "complaint_type": "help", "description": "路灯不亮"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {
        "detail": "Choose one of the complaint categories.",
        "code": "invalid",
        "errors": {"category": ["Choose one of the complaint categories."]},
    }
    assert not Case.objects.filter(kind=Case.Kind.COMPLAINT).exists()


def test_a_staff_view_through_the_api_is_audited(category, dispatcher, login):
    from apps.audit.models import AuditEvent

    case, _code = file_complaint(category, reporter_name="王五", reporter_phone="13700137001")
    response = login(dispatcher).get(f"/api/v1/complaints/{case.number}/")
    assert response.status_code == 200
    assert (
        AuditEvent.objects.filter(
            action="cases.case.staff_view", actor=dispatcher, target_id=str(case.pk)
        ).count()
        == 1
    )


def test_every_step_with_a_status_note_is_looked_for():
    from apps.complaints.open311_selectors import OPEN311_NOTE_VERBS

    assert set(OPEN311_NOTE_VERBS) == set(STATUS_NOTES)
