"""The anonymous reporter's loop (12345 by phone and SMS only): a caller without an account files
on the hotline, the department replies, the SMS carries an absolute signed link, the caller rates
without an account, once, and the rating counts in the satisfaction rate like any other."""

import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from apps.cases.models import Case
from apps.complaints import services
from apps.core.sms import LocmemSmsBackend
from apps.feedback.models import Rating, RatingRequest
from apps.metrics.selectors import MetricsFilters, metrics_table
from apps.metrics.services import rollups_catch_up
from apps.notifications.models import Notification

pytestmark = pytest.mark.django_db

BASE = "https://portal.example.gov"
CALLER_PHONE = "13700137000"
LINK = re.compile(r"https://portal\.example\.gov/feedback/r/[^/\s]+/")


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.PORTAL_BASE_URL = BASE


def sms_to(phone: str) -> list[str]:
    return [message["body"] for message in LocmemSmsBackend.outbox if message["to"] == phone]


def satisfaction() -> tuple[int, int]:
    rollups_catch_up(wait=True)  # what beat does every minute: the metrics read rollups
    (row,) = metrics_table(group_by=[], filters=MetricsFilters.default())
    return row.satisfied, row.counted_ratings


def file_by_hotline(
    dispatcher, login, capture, *, phone=CALLER_PHONE, description="楼下烧烤油烟扰民"
):
    """The hotline page, as a dispatcher takes a call from someone without an account."""
    client = login(dispatcher)
    with capture(execute=True):
        response = client.post(
            "/staff/complaints/new/",
            {
                "category": "noise",
                "complaint_type": "complaint",
                "urgency": "normal",
                "description": description,
                "address": "朝阳路 8 号",
                "channel": Case.Channel.HOTLINE,
                "reporter_name": "赵六",
                "reporter_phone": phone,
            },
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.filter(kind=Case.Kind.COMPLAINT).latest("pk")
    (receipt,) = [text for text in sms_to(phone) if "提取码" in text]
    return case, re.search(r"提取码\s*([A-Z0-9]{6})", receipt).group(1)


def handle_and_reply(
    case, *, dispatcher, clerk, department, capture, text="已责令商户安装油烟净化器。"
):
    case = services.complaint_dispatch(case=case, actor=dispatcher, department=department)
    case = services.complaint_sign(case=case, actor=clerk)
    with capture(execute=True):
        case = services.complaint_reply(case=case, actor=clerk, text=text)
    case.refresh_from_db()
    return case


def test_a_caller_without_an_account_rates_by_the_sms_link_once_and_it_counts(
    category, dispatcher, clerk, department, login, django_capture_on_commit_callbacks
):
    # given a caller without an account files on the hotline
    case, code = file_by_hotline(dispatcher, login, django_capture_on_commit_callbacks)
    assert case.channel == Case.Channel.HOTLINE and not case.applicant.is_active
    (receipt,) = [text for text in sms_to(CALLER_PHONE) if code in text]
    # the receipt's link is absolute and names the number (no relative /complaints/track/)
    assert f"{BASE}/complaints/track/?number={case.number}" in receipt
    before_satisfied, before_counted = satisfaction()

    # when the department replies
    LocmemSmsBackend.outbox.clear()
    case = handle_and_reply(
        case,
        dispatcher=dispatcher,
        clerk=clerk,
        department=department,
        capture=django_capture_on_commit_callbacks,
    )
    assert case.state == Case.State.REPLIED

    # then the caller's SMS say "replied" (not 已办结) and one carries an absolute signed link
    texts = sms_to(CALLER_PHONE)
    assert texts and all("已办结" not in text for text in texts), texts
    assert any("已答复" in text for text in texts)
    links = [m.group(0) for text in texts for m in LINK.finditer(text)]
    assert len(links) == 1, texts
    path = links[0].removeprefix(BASE)

    # and opening it without an account shows the rating form
    anonymous = Client()
    page = anonymous.get(path)
    assert page.status_code == 200
    assert 'name="level"' in page.content.decode()

    # when they rate
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(path, {"level": "5", "comment": "处理及时"})
    assert response.status_code == 302
    rating = Rating.objects.get(case=case)
    assert rating.level == 5 and rating.rater == case.applicant
    assert rating.channel == Rating.Channel.WEB and rating.entered_by is None
    case.refresh_from_db()
    assert case.state == Case.State.CLOSED

    # then it counts in the satisfaction rate like any other rating
    assert satisfaction() == (before_satisfied + 1, before_counted + 1)

    # and the link cannot be used twice
    again = anonymous.get(path)
    assert again.status_code == 200 and "您已评价过此办件" in again.content.decode()
    assert 'name="level"' not in again.content.decode()
    twice = anonymous.post(path, {"level": "1"})
    assert twice.status_code == 409
    assert Rating.objects.filter(case=case).count() == 1


def test_an_expired_or_tampered_link_is_refused_with_a_translated_message(
    category, dispatcher, clerk, department, login, django_capture_on_commit_callbacks
):
    case, _code = file_by_hotline(dispatcher, login, django_capture_on_commit_callbacks)
    LocmemSmsBackend.outbox.clear()
    handle_and_reply(
        case,
        dispatcher=dispatcher,
        clerk=clerk,
        department=department,
        capture=django_capture_on_commit_callbacks,
    )
    (link,) = [m.group(0) for text in sms_to(CALLER_PHONE) for m in LINK.finditer(text)]
    path = link.removeprefix(BASE)
    token = path.split("/")[-2]
    client = Client()

    # a changed token (another rating request's number) is refused
    forged = token.replace(f"{case.pk}-", f"{case.pk + 1}-", 1)
    refused = client.get(f"/feedback/r/{forged}/")
    assert refused.status_code == 400
    assert "评价链接无效" in refused.content.decode()
    assert client.get("/feedback/r/not-a-token/").status_code == 400

    # a link older than 15 days has expired, in the reader's language
    later = timezone.now() + timedelta(days=16)
    with mock.patch.object(signing.time, "time", return_value=later.timestamp()):
        expired = client.get(path)
        english = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert expired.status_code == 400 and "评价链接已过期" in expired.content.decode()
    assert "This rating link has expired" in english.content.decode()
    assert not Rating.objects.filter(case=case).exists()


def test_the_tracking_page_offers_rating_after_the_reply(
    category, dispatcher, clerk, department, login, django_capture_on_commit_callbacks
):
    case, code = file_by_hotline(dispatcher, login, django_capture_on_commit_callbacks)
    browser = Client()
    # the SMS link fills in the number; the reporter types the code
    form = browser.get(f"/complaints/track/?number={case.number}").content.decode()
    assert f'value="{case.number}"' in form
    assert (
        browser.post("/complaints/track/", {"number": case.number, "code": code}).status_code == 302
    )
    page = browser.get(f"/complaints/track/{case.number}/").content.decode()
    assert 'data-action="rate"' not in page  # nothing to rate before the reply

    handle_and_reply(
        case,
        dispatcher=dispatcher,
        clerk=clerk,
        department=department,
        capture=django_capture_on_commit_callbacks,
    )
    page = browser.get(f"/complaints/track/{case.number}/").content.decode()
    assert 'data-action="rate"' in page and "已责令商户安装油烟净化器。" in page
    to_form = browser.get(f"/feedback/track/{case.number}/rate/")
    assert to_form.status_code == 302 and to_form["Location"].startswith("/feedback/r/")
    with django_capture_on_commit_callbacks(execute=True):
        browser.post(to_form["Location"], {"level": "4"})
    assert Rating.objects.get(case=case).level == 4

    # a browser that never gave the code cannot reach it
    assert Client().get(f"/feedback/track/{case.number}/rate/").status_code == 404


def test_the_sweep_invites_an_anonymous_reporter_by_sms_with_the_signed_link(
    category, dispatcher, clerk, department, login, django_capture_on_commit_callbacks
):
    from apps.feedback.services import feedback_sweep

    case, _code = file_by_hotline(dispatcher, login, django_capture_on_commit_callbacks)
    handle_and_reply(
        case,
        dispatcher=dispatcher,
        clerk=clerk,
        department=department,
        capture=django_capture_on_commit_callbacks,
    )
    request = RatingRequest.objects.get(case=case)
    LocmemSmsBackend.outbox.clear()

    report = feedback_sweep(now=request.outcome_at + timedelta(days=4))

    assert report.invited == [request.pk]
    (invitation,) = sms_to(CALLER_PHONE)
    assert request.sms_code in invitation
    (link,) = LINK.findall(invitation)
    assert 'name="level"' in Client().get(link.removeprefix(BASE)).content.decode()


def test_the_sms_reply_with_the_code_rates_for_a_reporter_without_an_account(
    category, dispatcher, clerk, department, login, django_capture_on_commit_callbacks, settings
):
    from apps.feedback.services import rating_sms_reply

    settings.SMS_INBOUND_TOKEN = "gateway-secret"
    case, _code = file_by_hotline(dispatcher, login, django_capture_on_commit_callbacks)
    LocmemSmsBackend.outbox.clear()
    handle_and_reply(
        case,
        dispatcher=dispatcher,
        clerk=clerk,
        department=department,
        capture=django_capture_on_commit_callbacks,
    )
    request = RatingRequest.objects.get(case=case)
    # the invitation says how to reply
    assert any(f"{request.sms_code} 5" in text for text in sms_to(CALLER_PHONE))
    rating = rating_sms_reply(phone=f"+86{CALLER_PHONE}", text=f"{request.sms_code} 2")
    assert rating.channel == Rating.Channel.SMS and rating.rater == case.applicant


def test_a_merged_reporter_sees_the_reply_under_their_own_number(
    category, resident, dispatcher, clerk, department, login, django_capture_on_commit_callbacks
):
    from tests.complaints.conftest import file_complaint

    main, _main_code = file_complaint(category, reporter=resident)
    duplicate, code = file_by_hotline(
        dispatcher, login, django_capture_on_commit_callbacks, description="同一家烧烤店油烟"
    )
    duplicate = services.complaint_merge(case=duplicate, actor=dispatcher, into=main)
    LocmemSmsBackend.outbox.clear()
    handle_and_reply(
        main,
        dispatcher=dispatcher,
        clerk=clerk,
        department=department,
        capture=django_capture_on_commit_callbacks,
        text="已查处，商户停业整改。",
    )

    # the reply SMS names their own number (they hold its code) and links its tracking page
    sms = Notification.objects.get(
        event="complaint.replied", recipient=duplicate.applicant, channel="sms"
    )
    assert duplicate.number in sms.subject and duplicate.number in sms.body
    assert f"{BASE}/complaints/track/?number={duplicate.number}" in sms.body
    assert "已查处，商户停业整改。" in sms.body and "已答复" in sms.body
    # the main case's reporter is told under the main number
    own = Notification.objects.get(event="complaint.replied", recipient=resident, channel="in_app")
    assert main.number in own.body and duplicate.number not in own.body

    # and tracking their own number with their own code shows the main case's answer
    browser = Client()
    browser.post("/complaints/track/", {"number": duplicate.number, "code": code})
    page = browser.get(f"/complaints/track/{duplicate.number}/").content.decode()
    assert 'data-status="answered"' in page
    assert "已查处，商户停业整改。" in page and main.number in page


def test_reply_and_invitation_texts_say_replied_and_an_application_closed(
    category, dispatcher, clerk, department, login, django_capture_on_commit_callbacks
):
    from apps.notifications.services import notification_render

    replied = notification_render(
        event="case.rating_requested",
        language="zh-hans",
        context={"case_number": "TS-1", "service_name": "噪声", "state": "replied", "url": "/x/"},
    )
    decided = notification_render(
        event="case.rating_requested",
        language="zh-hans",
        context={"case_number": "BJ-1", "service_name": "证照", "state": "approved", "url": "/x/"},
    )
    english = notification_render(
        event="case.rating_requested",
        language="en",
        context={"case_number": "TS-1", "service_name": "Noise", "state": "replied", "url": "/x/"},
    )
    assert "已答复" in replied[1] and "已办结" not in replied[1]
    assert "已办结" in decided[1]
    assert "answered" in english[1] and "finished" not in english[1]
    # relative links become absolute on the portal's public address
    assert f"{BASE}/x/" in replied[1]
    subject, _body = notification_render(
        event="complaint.replied",
        language="zh-hans",
        context={"case_number": "TS-1", "service_name": "噪声", "reply": "好", "url": "/x/"},
    )
    assert subject == "工单 TS-1 已答复"
