"""The same application through the API: draft, answers, attachment, code, submit, track."""

from datetime import timedelta

import pytest
from django.utils import timezone

from apps.cases.models import Case
from apps.core.calendar import add_working_days, next_working_day
from apps.core.models import CalendarDay
from tests.cases.conftest import STEP1, last_sms_code, pdf_upload


@pytest.fixture
def api(login, resident):
    return login(resident)


def test_whole_application_through_the_api(api, service, django_capture_on_commit_callbacks):
    # a draft with some answers
    response = api.post(
        "/api/v1/cases/",
        {"service": service.code, "answers": STEP1},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    ref = response.json()["number"]
    assert response.json()["is_draft"] is True

    # a bad answer comes back keyed by field, in the request's language, and nothing is lost
    bad = api.patch(
        f"/api/v1/cases/{ref}/",
        {"answers": {"id_number": "110105194912310021", "needs": ["meals"]}},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 400
    assert "check digit" in bad.json()["errors"]["id_number"][0]
    assert api.get(f"/api/v1/cases/{ref}/").json()["answers"]["full_name"] == "王秀兰"

    ok = api.patch(
        f"/api/v1/cases/{ref}/", {"answers": {"needs": ["meals"]}}, content_type="application/json"
    )
    assert ok.status_code == 200

    # submitting too early lists what is missing
    api.post(
        f"/api/v1/cases/{ref}/signature-code/", {"channel": "sms"}, content_type="application/json"
    )
    early = api.post(
        f"/api/v1/cases/{ref}/submit/",
        {"channel": "sms", "code": last_sms_code()},
        content_type="application/json",
    )
    assert early.status_code == 400
    assert "id_scan" in early.json()["errors"]

    attached = api.post(
        f"/api/v1/cases/{ref}/attachments/", {"field": "id_scan", "file": pdf_upload()}
    )
    assert attached.status_code == 201
    assert attached.json()["attachments"][0]["content_type"] == "application/pdf"

    # wrong code: refused, draft intact
    wrong = api.post(
        f"/api/v1/cases/{ref}/submit/",
        {"channel": "sms", "code": "000000"},
        content_type="application/json",
    )
    assert wrong.status_code == 400
    assert Case.objects.get(reference=ref).state == Case.State.DRAFT

    api.post(
        f"/api/v1/cases/{ref}/signature-code/", {"channel": "sms"}, content_type="application/json"
    )
    with django_capture_on_commit_callbacks(execute=True):
        submitted = api.post(
            f"/api/v1/cases/{ref}/submit/",
            {"channel": "sms", "code": last_sms_code()},
            content_type="application/json",
        )
    assert submitted.status_code == 200, submitted.content
    number = submitted.json()["number"]
    assert number.startswith("SQ-")

    detail = api.get(f"/api/v1/cases/{number}/").json()
    assert detail["state"] == "submitted" and detail["deadline"]
    assert "submitted" in [e["state"] for e in detail["timeline"]]
    [receipt] = detail["documents"]
    pdf = api.get(receipt["download"])
    assert pdf.status_code == 200
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert [c["number"] for c in api.get("/api/v1/cases/").json()["results"]] == [number]

    # once submitted, answers are locked: 409
    locked = api.patch(
        f"/api/v1/cases/{number}/", {"answers": {"notes": "x"}}, content_type="application/json"
    )
    assert locked.status_code == 409


def test_unknown_service_is_404(api, db):
    response = api.post("/api/v1/cases/", {"service": "nope"}, content_type="application/json")
    assert response.status_code == 404


def test_deadline_skips_a_configured_holiday(service, resident, db):
    from apps.cases import services
    from apps.signatures.services import signature_code_send

    today = timezone.localdate()
    without_holiday = add_working_days(today, service.promised_days)
    CalendarDay.objects.create(
        date=next_working_day(today), kind=CalendarDay.Kind.HOLIDAY, name="测试假日"
    )
    case = services.case_create_draft(service=service, applicant=resident, actor=resident)
    services.case_answers_update(case=case, actor=resident, answers={**STEP1, "needs": ["bath"]})
    services.attachment_add(case=case, actor=resident, field_key="id_scan", upload=pdf_upload())
    signature_code_send(user=resident, channel="sms")
    case = services.case_submit(case=case, actor=resident, code=last_sms_code(), channel="sms")
    assert case.deadline == next_working_day(without_holiday)
    assert case.deadline > without_holiday
    assert (case.deadline - today) >= timedelta(days=service.promised_days + 1)
