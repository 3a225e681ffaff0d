"""Prefill with consent (issue 15, 3): fields declare a source, the resident agrees (for one
draft or for the service until withdrawn), the form and the API say where each answer came
from, and a locked answer cannot be changed on the page or through the API."""

import re

import pytest
from django.core.cache import cache

from apps.audit.models import AuditEvent
from apps.cases import services
from apps.cases.models import Case, PrefillConsent
from apps.signatures.services import signature_code_send
from tests.cases.conftest import STEP1, last_sms_code, pdf_upload
from tests.catalog.factories import make_prefill_service, make_service
from tests.conftest import make_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def service(department):
    return make_prefill_service(department=department)


@pytest.fixture
def resident(db):
    return make_resident(real_name="王秀兰", address="东城区建国门内大街 1 号")


def submitted(service, applicant, **answers) -> Case:
    """A case of `applicant`, answered with STEP1 and `answers`, signed and submitted."""
    case = services.case_create_draft(service=service, applicant=applicant, actor=applicant)
    services.case_answers_update(
        case=case, actor=applicant, answers={**STEP1, "needs": ["bath"], **answers}
    )
    services.attachment_add(case=case, actor=applicant, field_key="id_scan", upload=pdf_upload())
    cache.clear()  # the one-time codes sent per phone are rate limited; these are set-up
    signature_code_send(user=applicant, channel="sms")
    return services.case_submit(case=case, actor=applicant, code=last_sms_code(), channel="sms")


def start(client, service, choice):
    response = client.post(f"/cases/new/{service.code}/", {"prefill": choice})
    assert response.status_code == 302, response.content
    return Case.objects.filter(service=service, state=Case.State.DRAFT).latest("id")


def test_the_start_page_asks_first_and_nothing_is_prefilled_without_consent(
    login, resident, service
):
    client = login(resident)
    # given the start page, which names what would be read, with "no" chosen for the resident
    page = client.get(f"/cases/new/{service.code}/").content.decode()
    assert "个人资料" in page and "上次办理" in page
    checked = re.findall(r'<input[^>]*name="prefill"[^>]*\bchecked\b[^>]*>', page)
    assert len(checked) == 1 and 'value="none"' in checked[0]
    # when they start without agreeing
    case = start(client, service, "none")
    # then nothing is filled in, nothing is shown as prefilled, and no prefill is audited
    assert case.answers == {} and case.prefill == {}
    step = client.get(f"/cases/{case.ref}/step/1/").content.decode()
    assert "来自：" not in step and "王秀兰" not in step
    assert not AuditEvent.objects.filter(action="cases.case.prefill").exists()
    # and the API without a choice (and no remembered consent) fills in nothing either
    created = client.post(
        "/api/v1/cases/", {"service": service.code}, content_type="application/json"
    ).json()
    assert created["answers"] == {} and created["prefill"] == []


def test_prefilled_fields_show_their_source_on_the_page(login, resident, service):
    client = login(resident)
    earlier = submitted(service, resident, household=3)
    # when the resident agrees for this application
    case = start(client, service, "draft")
    # then the profile and the last application filled in the empty answers
    assert case.answers["full_name"] == "王秀兰"
    assert case.answers["id_number"] == "11010519491231002X"
    assert case.answers["phone"] == "13800138000"
    assert case.answers["household"] == "3"
    # and the step page says where each came from, beside the field, in Chinese
    page = client.get(f"/cases/{case.ref}/step/1/").content.decode()
    assert "来自：个人资料" in page
    assert f"来自：上次办理 {earlier.number}" in page
    assert "本事项不允许修改" in page  # the locked name and ID number say so
    # the locked name is read-only, the phone is not
    name_input = page[page.index('name="full_name"') - 200 : page.index('name="full_name"') + 200]
    phone_input = page[page.index('name="phone"') - 200 : page.index('name="phone"') + 200]
    assert "readonly" in name_input and "readonly" not in phone_input
    # and in English on request
    client.cookies.load({"django_language": "en"})
    english = client.get(f"/cases/{case.ref}/step/1/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "From: your profile" in english
    # and the consent is in the audit trail: the draft, the purpose, the fields and sources
    event = AuditEvent.objects.get(action="cases.case.prefill", target_id=str(case.pk))
    assert event.actor == resident and event.data["basis"] == "draft"
    assert event.data["fields"]["full_name"] == "profile.name"
    assert "王秀兰" not in str(event.data)  # sources, never values


def test_the_api_creates_a_prefilled_draft_and_shows_the_sources(login, resident, service):
    client = login(resident)
    response = client.post(
        "/api/v1/cases/",
        {"service": service.code, "prefill": "draft"},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    marks = {mark["field"]: mark for mark in body["prefill"]}
    assert body["answers"]["full_name"] == "王秀兰"
    assert marks["full_name"] == {
        "field": "full_name",
        "source": "profile.name",
        "label": "From: your profile",
        "locked": True,
        "origin": {"kind": "profile"},
    }
    assert marks["phone"]["locked"] is False
    assert "household" not in marks  # no earlier application to take it from
    # and the detail says the same, in Chinese by default
    detail = client.get(f"/api/v1/cases/{body['number']}/").json()
    assert {m["field"]: m["label"] for m in detail["prefill"]}["address"] == "来自：个人资料"


def test_a_locked_answer_cannot_be_changed_through_the_api(login, resident, service):
    client = login(resident)
    ref = client.post(
        "/api/v1/cases/",
        {"service": service.code, "prefill": "draft"},
        content_type="application/json",
    ).json()["number"]
    # when the client sends another name (and a changeable phone) in one update
    response = client.patch(
        f"/api/v1/cases/{ref}/",
        {"answers": {"full_name": "王小兰", "phone": "13900139000"}},
        content_type="application/json",
    )
    # then it is refused, naming the field, its source and why, in the request's language
    assert response.status_code == 400
    assert "本事项不允许修改" in response.json()["errors"]["full_name"][0]
    assert "来自：个人资料" in response.json()["errors"]["full_name"][0]
    case = Case.objects.get(reference=ref)
    assert case.answers["full_name"] == "王秀兰" and case.answers["phone"] == "13800138000"
    # the same value sent again is no change and passes; a changeable answer changes
    ok = client.patch(
        f"/api/v1/cases/{ref}/",
        {"answers": {"full_name": "王秀兰", "phone": "13900139000"}},
        content_type="application/json",
    )
    assert ok.status_code == 200, ok.content
    assert ok.json()["answers"]["phone"] == "13900139000"


def test_a_locked_answer_cannot_be_changed_on_the_page_and_nothing_typed_is_lost(
    login, resident, service
):
    client = login(resident)
    case = start(client, service, "draft")
    # when a changed name is posted (the field is read-only; a hand-made request) with answers
    posted = {**STEP1, "full_name": "王小兰", "phone": "13900139000", "birth_date": "1950-01-02"}
    response = client.post(f"/cases/{case.ref}/step/1/", posted)
    # then the page comes back with the field's error, translated, and the other answers kept
    assert response.status_code == 200
    page = response.content.decode()
    assert "本事项不允许修改" in page and "field--error" in page
    assert "13900139000" in page and "1950-01-02" in page
    case.refresh_from_db()
    assert case.answers["full_name"] == "王秀兰"
    assert case.answers["phone"] == "13900139000" and case.answers["birth_date"] == "1950-01-02"


def test_last_case_prefill_picks_the_latest_case_of_that_service(
    login, resident, service, department
):
    other_service = make_service(department=department, code="other-card")
    older = submitted(service, resident, household=2, gender="m")
    latest = submitted(service, resident, household=4, gender="f")
    submitted(other_service, resident, household=9)  # another service: not a source
    withdrawn = submitted(service, resident, household=7)
    services.case_withdraw(case=withdrawn, actor=resident)  # taken back: not a source
    assert older.submitted_at < latest.submitted_at
    # when the resident starts a new application with consent
    case = start(login(resident), service, "draft")
    # then the answers are the latest submitted case's, and it is named as their origin
    assert case.answers["household"] == "4" and case.answers["gender"] == "f"
    assert case.prefill["fields"]["household"]["origin"] == {
        "kind": "last_case",
        "case": latest.number,
    }


def test_the_form_page_queries_do_not_grow_with_past_cases(login, resident, service):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(resident)
    counts = []
    for past in (1, 4):
        while Case.objects.filter(applicant=resident, submitted_at__isnull=False).count() < past:
            submitted(service, resident, household=past)
        case = start(client, service, "draft")
        assert case.prefill["fields"]["household"]["origin"]["kind"] == "last_case"
        client.get(f"/cases/{case.ref}/step/1/")  # the session's first reads
        with CaptureQueriesContext(connection) as page:
            response = client.get(f"/cases/{case.ref}/step/1/")
        assert response.status_code == 200
        with CaptureQueriesContext(connection) as starting:
            start(client, service, "draft")
        counts.append((len(page), len(starting)))
    # the form page and the prefilling start cost the same with 1 or 4 past cases (measured on
    # PostgreSQL: 10 queries for the page, 52 for starting a prefilled draft, at both sizes)
    assert counts[0] == counts[1], counts


def test_a_remembered_consent_prefills_later_drafts_until_withdrawn(login, resident, service):
    client = login(resident)
    # given the resident agreed for this service and its later applications
    first = start(client, service, "remember")
    assert first.answers["full_name"] == "王秀兰"
    consent = PrefillConsent.objects.get(resident=resident, service=service)
    given = AuditEvent.objects.get(action="cases.prefill_consent.give", target_id=str(consent.pk))
    assert given.data["purpose"] and "王秀兰" not in given.target_repr  # the trail names no one
    # then the start page says so, and the API prefills without being asked again
    assert "您已于" in client.get(f"/cases/new/{service.code}/").content.decode()
    second = client.post(
        "/api/v1/cases/", {"service": service.code}, content_type="application/json"
    ).json()
    assert second["answers"]["full_name"] == "王秀兰"
    # when they withdraw it
    response = client.post(f"/cases/new/{service.code}/prefill-consent/withdraw/")
    assert response.status_code == 302
    # then the next draft is not prefilled, and the withdrawal is audited
    third = client.post(
        "/api/v1/cases/", {"service": service.code}, content_type="application/json"
    ).json()
    assert third["answers"] == {}
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None
    assert AuditEvent.objects.filter(action="cases.prefill_consent.withdraw").count() == 1
    # and the drafts already filled in keep their answers
    first.refresh_from_db()
    assert first.answers["full_name"] == "王秀兰"


def test_a_remembered_consent_can_be_declined_for_one_draft(login, resident, service):
    client = login(resident)
    start(client, service, "remember")
    case = start(client, service, "none")
    assert case.answers == {}
    assert PrefillConsent.objects.filter(resident=resident, withdrawn_at__isnull=True).exists()


def test_a_typed_answer_is_never_overwritten(resident, service):
    case = services.case_create_draft(service=service, applicant=resident, actor=resident)
    services.case_answers_update(case=case, actor=resident, answers={"phone": "13900139000"})
    case = services.case_prefill(case=case, actor=resident, basis="draft")
    assert case.answers["phone"] == "13900139000" and "phone" not in case.prefill["fields"]
    assert case.answers["full_name"] == "王秀兰"


def test_an_unknown_choice_is_refused_with_a_translated_error(login, resident, service):
    response = login(resident).post(
        "/api/v1/cases/",
        {"service": service.code, "prefill": "always"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "prefill" in response.json()["errors"]
    assert not Case.objects.filter(applicant=resident).exists()


def test_the_api_lists_and_withdraws_a_remembered_consent(login, resident, service):
    client = login(resident)
    start(client, service, "remember")
    listed = client.get("/api/v1/prefill-consents/").json()
    assert [entry["service"] for entry in listed] == [service.code]
    assert client.delete(f"/api/v1/prefill-consents/{service.code}/").status_code == 204
    assert client.get("/api/v1/prefill-consents/").json() == []
    # withdrawing again says there is nothing to withdraw, translated
    again = client.delete(f"/api/v1/prefill-consents/{service.code}/")
    assert again.status_code == 409 and "没有可撤回" in again.json()["detail"]
