"""The pages: the resident rates on the web and sees the department's answer; the department
answers and appeals; supervisors decide; counter staff enter a rating for the resident."""

import html
import re

import pytest

from apps.cases.models import Case
from apps.feedback import services
from apps.feedback.models import Appeal, Rating, Rectification
from tests.conftest import make_resident


def bad_rating(case, level=2, comment="态度不好"):
    return services.rating_submit(
        case=case, rater=case.applicant, level=level, sub_scores={}, comment=comment, channel="web"
    )


def test_the_resident_rates_on_the_web(decided_case, resident, login):
    client = login(resident)
    url = f"/feedback/cases/{decided_case.number}/rate/"

    # given the case page offers the rating
    page = client.get(f"/cases/{decided_case.number}/").content.decode()
    assert url in page

    # the form shows the five levels with the official terms and the online sub-indicators
    form = client.get(url).content.decode()
    for term in ("非常满意", "满意", "基本满意", "不满意", "非常不满意"):
        assert term in form
    assert 'name="sub_ease_of_use"' in form and 'name="sub_attitude"' not in form

    # a missing level is an error that keeps the comment
    response = client.post(url, {"comment": "很方便", "sub_efficiency": "5"})
    assert response.status_code == 200
    assert "很方便" in response.content.decode() and not Rating.objects.exists()

    # when the resident sends the form
    response = client.post(url, {"level": "5", "sub_efficiency": "5", "comment": "很方便"})

    # then the rating is recorded and the case is closed
    assert response.status_code == 302 and response.url == f"/cases/{decided_case.number}/"
    rating = Rating.objects.get()
    assert rating.channel == Rating.Channel.WEB and rating.sub_scores == {
        "efficiency": 5,
        "overall": 5,
    }
    decided_case.refresh_from_db()
    assert decided_case.state == Case.State.CLOSED
    page = client.get(f"/cases/{decided_case.number}/").content.decode()
    assert "很方便" in page and url not in page
    # and the form is gone
    assert client.get(url).status_code == 302


def test_others_cannot_open_the_rating_page(decided_case, login):
    stranger = make_resident(
        email="li@example.cn", phone="13500135000", id_number="110101199003074514"
    )
    assert login(stranger).get(f"/feedback/cases/{decided_case.number}/rate/").status_code == 404


def test_rectification_loop_on_the_pages(decided_case, resident, clerk, login):
    # given a bad rating
    rating = bad_rating(decided_case)
    rectification = rating.rectification
    staff = login(clerk)
    page = staff.get("/staff/feedback/").content.decode()
    assert "态度不好" in page and "张三" in page
    action = f"/staff/feedback/rectifications/{rectification.pk}/answer/"
    assert action in page

    # an empty answer is refused on the field
    response = staff.post(action, {f"rect-{rectification.pk}-answer": ""})
    assert response.status_code == 400

    # when the clerk answers
    response = staff.post(action, {f"rect-{rectification.pk}-answer": "已对窗口人员进行培训"})
    assert response.status_code == 302

    # then the resident sees the answer and may rate again
    client = login(resident)
    page = client.get(f"/cases/{decided_case.number}/").content.decode()
    assert "已对窗口人员进行培训" in page
    assert f"/feedback/cases/{decided_case.number}/rate/" in page
    response = client.post(f"/feedback/cases/{decided_case.number}/rate/", {"level": "4"})
    assert response.status_code == 302
    assert Rating.objects.get(supersedes=rating).level == 4


def test_the_department_does_not_see_a_hidden_reporter(decided_case, clerk, supervisor, login):
    # given a reporter who hid their identity
    Case.objects.filter(pk=decided_case.pk).update(
        answers={**decided_case.answers, "hide_identity": True}
    )
    decided_case.refresh_from_db()
    bad_rating(decided_case)

    # then neither the department nor the supervisors see the name
    for user in (clerk, supervisor):
        page = login(user).get("/staff/feedback/").content.decode()
        assert "张三" not in page
    assert "态度不好" in login(clerk).get("/staff/feedback/").content.decode()


def test_appeal_on_the_pages(decided_case, lead, clerk, supervisor, login):
    rating = bad_rating(decided_case, level=1)
    response = login(lead).post(
        f"/staff/feedback/ratings/{rating.pk}/appeal/", {f"appeal-{rating.pk}-reason": "恶意评价"}
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()

    decide = f"/staff/feedback/appeals/{appeal.pk}/decide/"
    # a clerk may not decide
    data = {f"decide-{appeal.pk}-decision": "uphold", f"decide-{appeal.pk}-note": ""}
    assert login(clerk).post(decide, data).status_code == 403

    # the supervisor sees every open rectification and appeal, and upholds it
    boss = login(supervisor)
    page = boss.get("/staff/feedback/").content.decode()
    assert "恶意评价" in page and decided_case.number in page
    assert boss.post(decide, data).status_code == 302
    rating.refresh_from_db()
    assert rating.excluded
    assert rating.rectification.state == Rectification.State.WITHDRAWN


def test_counter_staff_enter_a_rating_for_the_resident(
    decided_case, resident, counter_clerk, login
):
    staff = login(counter_clerk)
    response = staff.get(f"/staff/feedback/?case={decided_case.number}")
    url = f"/staff/feedback/cases/{decided_case.number}/counter-rating/"
    assert response.status_code == 302 and response.url == url
    assert "非常满意" in staff.get(url).content.decode()

    response = staff.post(url, {"level": "5", "comment": "窗口服务热情"})

    assert response.status_code == 302
    rating = Rating.objects.get()
    assert rating.channel == Rating.Channel.COUNTER
    assert rating.entered_by == counter_clerk and rating.rater == resident


@pytest.mark.parametrize("who", ["resident", "clerk"])
def test_only_counter_staff_enter_ratings(who, decided_case, request, login):
    user = request.getfixturevalue(who)
    url = f"/staff/feedback/cases/{decided_case.number}/counter-rating/"
    assert login(user).get(url).status_code == 403


def test_a_family_proxy_rates_for_the_resident(decided_case, resident, login):
    from guardian.shortcuts import assign_perm

    from apps.audit.models import AuditEvent

    # given a family member who may act on the resident's case
    son = make_resident(email="son@example.cn", phone="13500135001", id_number="110101199003074514")
    for perm in ("cases.view_case", "cases.change_case"):
        assign_perm(perm, son, decided_case)
    # when he rates it on the web
    response = login(son).post(
        f"/feedback/cases/{decided_case.number}/rate/", {"level": "4", "comment": "帮妈妈评价"}
    )
    # then the rating is the resident's, marked as entered by him, and audited as such
    assert response.status_code == 302
    rating = Rating.objects.get()
    assert rating.rater == resident and rating.entered_by == son
    event = AuditEvent.objects.filter(action__startswith="feedback.rating").latest("id")
    assert event.actor == son and event.on_behalf_of == resident


def test_a_supervisor_pages_through_every_open_rectification_without_a_count(
    service, resident, supervisor, login
):
    """Past the first page the rest are one "next" link away (once capped at 200, unseen)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.metrics.factories import at, make_case, make_rating, make_rectification
    from tests.metrics.factories import make_request as make_rating_request

    numbers = []
    for day in range(1, 28):  # 27 open rectifications, due one a day
        case = make_case(
            service,
            resident,
            state=Case.State.APPROVED,
            submitted=at(2025, 1, 1),
            decided=at(2025, 1, day),
            on_time=True,
            days=3,
        )
        rating = make_rating(
            make_rating_request(case, opened=at(2025, 1, day)), level=1, at_time=at(2025, 1, day)
        )
        make_rectification(rating)
        numbers.append(case.ref)
    boss = login(supervisor)
    with CaptureQueriesContext(connection) as queries:
        first = boss.get("/staff/feedback/").content.decode()
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert not [sql for sql in counts if "feedback_" in sql], counts
    assert all(number in first for number in numbers[:25])
    assert numbers[25] not in first and numbers[26] not in first
    next_link = re.search(r'href="(\?[^"]*rectifications=[^"]+)" rel="next"', first)
    assert next_link is not None
    second = boss.get("/staff/feedback/" + html.unescape(next_link[1])).content.decode()
    assert numbers[25] in second and numbers[26] in second and numbers[0] not in second
    assert 'rel="prev"' in second
