"""A category's own questions are asked on every channel: the web form (anyone, the hotline for a
caller, the counter under a mandate), the JSON APIs and Open311. The same form engine checks
them, a refusal is translated and loses nothing typed, and the answers are stored the same way
whatever the channel (`complaint_file`)."""

from urllib.parse import urlencode

import pytest

from apps.cases.models import Case
from apps.complaints.services import open311_client_create
from tests.helpdesk.conftest import make_mandate

pytestmark = pytest.mark.django_db

REPORT = {
    "complaint_type": Case.ComplaintType.COMPLAINT,
    "urgency": Case.Urgency.NORMAL,
    "description": "工地每晚十一点后还在打桩",
    "address": "建国门内大街 5 号",
}
# What the noise category's questions (tests/complaints/conftest.py) store when answered so.
STORED = {"source": "music", "when": ["night"], "floor": "12", "since": "2026-11-20", "detail": ""}


def _web_answers() -> dict:
    return {
        "answer_source": "music",
        "answer_when": ["night"],
        "answer_floor": "12",
        "answer_since": "2026-11-20",
    }


def test_the_web_form_asks_the_chosen_categorys_questions(client, questions, category):
    # given the category's page links to the form with the category chosen
    client.cookies["django_language"] = "en"
    page = client.get(f"/complaints/?category={category.code}").content.decode()

    # then its questions are on the form, labelled in the page's language, files aside
    assert "Source of the noise" in page and "Building work" in page
    assert 'name="answer_floor"' in page and 'name="answer_when"' in page
    assert 'name="answer_evidence"' not in page  # pictures come as photos
    assert f'name="asked" value="{category.code}"' in page


def test_a_missing_answer_is_refused_in_the_pages_language_and_keeps_what_was_typed(
    client, questions, category
):
    for language, required in (("zh-hans", "该字段是必填项。"), ("en", "This field is required.")):
        # given a reporter who sends the form without saying what makes the noise
        client.cookies["django_language"] = language
        response = client.post(
            "/complaints/",
            {"category": category.code, "asked": category.code, "file": "1", **REPORT},
        )

        # then nothing is filed; the error stands beside the question, in the page's language,
        # and the description typed is still there
        assert response.status_code == 200
        html = response.content.decode()
        assert required in html and 'id="id_answer_source_error"' in html
        assert REPORT["description"] in html
    assert not Case.objects.filter(kind=Case.Kind.COMPLAINT).exists()


def test_an_answer_out_of_range_is_named_beside_its_question(client, questions, category):
    client.cookies["django_language"] = "en"
    response = client.post(
        "/complaints/",
        {
            "category": category.code,
            "asked": category.code,
            "file": "1",
            **REPORT,
            **_web_answers(),
            "answer_floor": "99",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_answer_floor_error"' in html and "60" in html
    assert 'value="99"' in html  # kept as typed
    assert not Case.objects.filter(kind=Case.Kind.COMPLAINT).exists()


def test_a_category_chosen_on_a_page_without_its_questions_asks_them_first(
    client, questions, category
):
    # given a form sent with the noise category chosen, from a page that showed no questions
    client.cookies["django_language"] = "en"
    response = client.post(
        "/complaints/", {"category": category.code, "asked": "", "file": "1", **REPORT}
    )

    # then the questions are asked, without refusing them as missing, and nothing is lost
    html = response.content.decode()
    assert response.status_code == 200
    assert "This category asks a few questions of its own" in html
    assert 'id="id_answer_source_error"' not in html
    assert 'name="answer_source"' in html and REPORT["description"] in html
    assert not Case.objects.filter(kind=Case.Kind.COMPLAINT).exists()


def test_web_answers_are_stored_as_open311_stores_them(
    client, questions, category, django_capture_on_commit_callbacks
):
    # given one report sent through the web form with its answers
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/complaints/",
            {"category": category.code, "asked": category.code, "file": "1", **REPORT}
            | _web_answers(),
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    web = Case.objects.get(kind=Case.Kind.COMPLAINT)

    # and the same answers posted by an Open311 client
    key = open311_client_create(name="City app")[1]
    posted = client.post(
        f"/open311/v2/requests.json?{urlencode({'api_key': key})}",
        urlencode(
            {
                "service_code": category.code,
                "address_string": REPORT["address"],
                "description": REPORT["description"],
                "attribute[source]": "music",
                "attribute[when][]": ["night"],
                "attribute[floor]": "12",
                "attribute[since]": "2026-11-20",
            },
            doseq=True,
        ),
        content_type="application/x-www-form-urlencoded",
    )
    assert posted.status_code == 201, posted.content
    open311 = Case.objects.exclude(pk=web.pk).get(kind=Case.Kind.COMPLAINT)

    # then both cases hold the same answers, in the same shape
    assert web.answers == open311.answers == STORED
    assert web.channel == Case.Channel.WEB and open311.channel == Case.Channel.OPEN311


def test_the_hotline_asks_the_questions_for_a_caller(login, dispatcher, questions, category):
    client = login(dispatcher)
    client.cookies["django_language"] = "en"
    form = {
        "channel": Case.Channel.HOTLINE,
        "reporter_name": "王先生",
        "reporter_phone": "13700137000",
        "category": category.code,
        "asked": category.code,
        **REPORT,
    }
    refused = client.post("/staff/complaints/new/", form)
    assert refused.status_code == 200
    assert 'id="id_answer_source_error"' in refused.content.decode()

    filed = client.post("/staff/complaints/new/", form | _web_answers())
    assert filed.status_code == 302
    case = Case.objects.get(kind=Case.Kind.COMPLAINT)
    assert case.channel == Case.Channel.HOTLINE and case.answers == STORED


def test_the_counter_asks_the_questions_under_a_mandate(
    login, counter_clerk, assisted_resident, questions, category
):
    # given counter staff acting for an assisted resident under her mandate
    mandate = make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)
    client = login(counter_clerk)
    client.cookies["django_language"] = "en"
    client.post(f"/desk/residents/{assisted_resident.pk}/act/", {"mandate": mandate.pk})

    # when they choose the category, they are asked its questions first
    first = client.post("/desk/act/complaint/", {"category": category.code, **REPORT})
    html = first.content.decode()
    assert "This category asks a few questions of its own" in html
    assert "Source of the noise" in html and REPORT["description"] in html

    # and a missing answer is refused beside its question
    missing = client.post(
        "/desk/act/complaint/", {"category": category.code, "asked": category.code, **REPORT}
    )
    assert 'id="id_answer_source_error"' in missing.content.decode()

    # then with the answers the complaint is hers, with the answers stored as on every channel
    filed = client.post(
        "/desk/act/complaint/",
        {"category": category.code, "asked": category.code, **REPORT} | _web_answers(),
    )
    assert filed.status_code == 302
    case = Case.objects.get(kind=Case.Kind.COMPLAINT)
    assert case.applicant == assisted_resident and case.answers == STORED


def test_the_apis_take_the_answers_and_name_a_refused_one(
    client, login, counter_clerk, assisted_resident, questions, category
):
    # given the public complaint API, with a question left unanswered
    body = {"category": category.code, **REPORT}
    refused = client.post(
        "/api/v1/complaints/", body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert refused.status_code == 400
    assert refused.json()["errors"]["answers.source"] == ["This field is required."]

    # when the answers come with the report, they are stored as on every channel
    api_answers = {"source": "music", "when": ["night"], "floor": 12, "since": "2026-11-20"}
    filed = client.post(
        "/api/v1/complaints/", body | {"answers": api_answers}, content_type="application/json"
    )
    assert filed.status_code == 201, filed.content
    assert Case.objects.get(number=filed.json()["number"]).answers == STORED

    # and the desk API, filing under a mandate, asks the same questions
    mandate = make_mandate(counter_clerk=counter_clerk, resident=assisted_resident)
    desk = login(counter_clerk)
    path = f"/api/v1/desk/residents/{assisted_resident.pk}/complaints/"
    missing = desk.post(path, body | {"mandate": mandate.pk}, content_type="application/json")
    assert missing.status_code == 400 and "answers.source" in missing.json()["errors"]
    done = desk.post(
        path,
        body | {"mandate": mandate.pk, "answers": api_answers},
        content_type="application/json",
    )
    assert done.status_code == 201, done.content
    assert Case.objects.get(number=done.json()["number"]).answers == STORED
