"""The API: the resident's rating, the staff's rectification and appeal actions, the SMS webhook."""

from datetime import timedelta

import pytest
from django.test import override_settings

from apps.feedback import services
from apps.feedback.models import Appeal, Rating, RatingRequest, Rectification
from tests.cases.conftest import submit_case
from tests.conftest import make_resident, make_staff


def url(case):
    return f"/api/v1/cases/{case.number}/rating/"


def bad_rating(case, level=1):
    return services.rating_submit(
        case=case, rater=case.applicant, level=level, sub_scores={}, comment="", channel="web"
    )


def test_the_resident_rates_through_the_api(decided_case, resident, login):
    client = login(resident)

    response = client.post(
        url(decided_case),
        {"level": 4, "sub_scores": {"efficiency": 5}, "comment": "好"},
        content_type="application/json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["level"] == 4 and body["channel"] == "api" and body["is_bad"] is False
    assert body["sub_scores"] == {"efficiency": 5, "overall": 4}
    assert Rating.objects.get().channel == Rating.Channel.API
    # already rated: 409
    again = client.post(url(decided_case), {"level": 5}, content_type="application/json")
    assert again.status_code == 409


def test_rating_api_errors(decided_case, resident, service, login):
    client = login(resident)
    post = lambda case, data: client.post(url(case), data, content_type="application/json")  # noqa: E731

    bad_level = post(decided_case, {"level": 9})
    # the input serializer rejects it, in the one error shape, the field's messages by its name
    assert bad_level.status_code == 400
    assert bad_level.json()["code"] == "invalid"
    assert list(bad_level.json()["errors"]) == ["level"] and bad_level.json()["errors"]["level"]
    unknown = post(decided_case, {"level": 5, "sub_scores": {"attitude": 5}})
    assert unknown.status_code == 400 and "sub_scores" in unknown.json()["errors"]
    # someone else's case
    stranger = make_resident(
        email="li@example.cn", phone="13500135000", id_number="110101199003074514"
    )
    response = login(stranger).post(
        url(decided_case), {"level": 5}, content_type="application/json"
    )
    assert response.status_code == 404
    # nothing to rate yet
    assert post(submit_case(service, resident), {"level": 5}).status_code == 409
    assert not Rating.objects.exists()


def test_staff_rectification_and_appeal_api(
    decided_case, resident, clerk, lead, supervisor, other_department, login
):
    rating = bad_rating(decided_case)
    rectification = Rectification.objects.get(rating=rating)
    outsider = make_staff(username="outsider", department=other_department, role="clerk")

    # the department and the supervisors see the open rectification; others do not
    listed = login(clerk).get("/api/v1/feedback/rectifications/").json()
    assert [r["id"] for r in listed["results"]] == [rectification.pk]
    assert listed["results"][0]["rating"]["rater_name"] == "张三"
    supervised = login(supervisor).get("/api/v1/feedback/rectifications/").json()
    assert [r["id"] for r in supervised["results"]] == [rectification.pk]
    assert login(outsider).get("/api/v1/feedback/rectifications/").json()["results"] == []
    answer_url = f"/api/v1/feedback/rectifications/{rectification.pk}/answer/"
    assert login(outsider).post(answer_url, {"answer": "x"}).status_code == 404
    # unverified staff are refused
    assert login(clerk, verified=False).get("/api/v1/feedback/rectifications/").status_code == 403

    # appeal and decision
    appeal_url = f"/api/v1/feedback/ratings/{rating.pk}/appeal/"
    assert login(lead).post(appeal_url, {}).status_code == 400
    response = login(lead).post(appeal_url, {"reason": "误评"})
    assert response.status_code == 201
    # undecided yet: a JSON null, never a Python repr
    assert response.json()["decided_by"] is None
    appeal_id = response.json()["id"]
    decide_url = f"/api/v1/feedback/appeals/{appeal_id}/decide/"
    assert login(clerk).post(decide_url, {"uphold": True}).status_code == 403
    response = login(supervisor).post(decide_url, {"uphold": False, "note": "评价属实"})
    assert response.status_code == 200 and response.json()["state"] == "dismissed"
    assert response.json()["rating_excluded"] is False
    assert login(supervisor).post(decide_url, {"uphold": True}).status_code == 409
    assert Appeal.objects.get().state == Appeal.State.DISMISSED

    # the clerk answers; the resident is told and rates again
    response = login(clerk).post(answer_url, {"answer": "已整改"})
    assert response.status_code == 200 and response.json()["state"] == "answered"
    response = login(resident).post(
        url(decided_case), {"level": 5}, content_type="application/json"
    )
    assert response.status_code == 201 and response.json()["supersedes"] == rating.pk


def test_the_sms_webhook(decided_case, resident, client):
    code = RatingRequest.objects.get(case=decided_case).sms_code
    data = {"phone": resident.phone, "text": f"{code} 5"}

    # disabled without a token, and refused with a wrong one
    assert client.post("/api/v1/sms/inbound/", data).status_code == 404
    with override_settings(SMS_INBOUND_TOKEN="s3cret"):
        assert (
            client.post("/api/v1/sms/inbound/", data, HTTP_X_SMS_TOKEN="wrong").status_code == 404
        )
        bad = client.post(
            "/api/v1/sms/inbound/", {**data, "text": "hello"}, HTTP_X_SMS_TOKEN="s3cret"
        )
        assert bad.status_code == 200 and bad.json()["recorded"] is False

        response = client.post("/api/v1/sms/inbound/", data, HTTP_X_SMS_TOKEN="s3cret")

    assert response.status_code == 200 and response.json()["recorded"] is True
    assert Rating.objects.get().channel == Rating.Channel.SMS


@pytest.mark.parametrize("path", ["/api/v1/feedback/rectifications/"])
def test_residents_cannot_use_the_staff_api(path, resident, login):
    assert login(resident).get(path).status_code == 403


def test_an_upheld_appeal_answers_the_rating_excluded(decided_case, lead, supervisor, login):
    """The decision's answer says what is true after it: the rating is now excluded."""
    rating = bad_rating(decided_case)
    appeal_id = (
        login(lead).post(f"/api/v1/feedback/ratings/{rating.pk}/appeal/", {"reason": "误评"}).json()
    )["id"]
    response = login(supervisor).post(
        f"/api/v1/feedback/appeals/{appeal_id}/decide/", {"uphold": True, "note": "恶意差评"}
    )
    assert response.status_code == 200
    assert response.json()["state"] == "upheld"
    assert response.json()["rating_excluded"] is True
    rating.refresh_from_db()
    assert rating.excluded is True


def test_counter_staff_enter_a_rating_through_the_api_as_on_their_page(
    decided_case, resident, counter_clerk, clerk, login
):
    url = f"/api/v1/feedback/cases/{decided_case.number}/counter-rating/"
    # a department clerk is not counter staff: the case is not found for them
    assert login(clerk).post(url, {"level": 5}, content_type="application/json").status_code == 404

    # counter staff type in the resident's rating
    response = login(counter_clerk).post(
        url, {"level": 5, "comment": "窗口服务热情"}, content_type="application/json"
    )

    # then it is the resident's, entered at the counter by the staff member
    assert response.status_code == 201, response.content
    assert response.json()["entered_at_counter"] is True
    rating = Rating.objects.get()
    assert rating.channel == Rating.Channel.COUNTER
    assert rating.rater == resident and rating.entered_by == counter_clerk
    # and only once, as on the page
    again = login(counter_clerk).post(url, {"level": 4}, content_type="application/json")
    assert again.status_code == 409


def test_the_rectification_list_is_walked_by_cursor_without_page_numbers(
    decided_case, clerk, login
):
    # given five open rectifications of the department (two due the same day) and an answered one
    first = Rectification.objects.get(rating=bad_rating(decided_case))
    for days, state in ((3, "open"), (1, "open"), (2, "answered"), (1, "open"), (2, "open")):
        rating = Rating.objects.create(
            request=first.rating.request,
            case=decided_case,
            department=first.department,
            level=1,
            channel="web",
            rater=decided_case.applicant,
            is_bad=True,
        )
        Rectification.objects.create(
            rating=rating,
            department=first.department,
            deadline=first.deadline + timedelta(days=days),
            state=state,
        )
    expected = list(
        Rectification.objects.filter(state="open")
        .order_by("deadline", "pk")
        .values_list("pk", flat=True)
    )
    client = login(clerk)
    # when the clerk follows the `next` links two at a time
    seen, pages, link = [], [], "/api/v1/feedback/rectifications/?page_size=2"
    while link:
        page = client.get(link).json()
        assert "count" not in page  # no count of the whole table
        pages.append(page)
        seen += [r["id"] for r in page["results"]]
        link = page["next"]
    # then every open one comes once, nearest deadline first, and `previous` leads back
    assert seen == expected and len(pages) == 3
    back = client.get(pages[-1]["previous"]).json()
    assert [r["id"] for r in back["results"]] == expected[2:4]
    # a page number is no parameter any more: the first page
    numbered = client.get("/api/v1/feedback/rectifications/?page_size=2&page=3").json()
    assert [r["id"] for r in numbered["results"]] == expected[:2]
