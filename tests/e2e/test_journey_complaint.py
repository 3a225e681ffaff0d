"""An anonymous complaint in a real browser, round the whole loop (闭环): filed without an account,
dispatched to the wrong department and returned by it (退单), dispatched again, signed for and
replied; the reporter tracks it with the extraction code and rates it badly; the department
answers the rectification; the reporter rates again through the signed link in the SMS. Each
person in their own browser context; axe-core on every page (tests/e2e/journeys.py)."""

import re

import pytest

from apps.core.sms import LocmemSmsBackend
from apps.feedback.models import Rating
from tests.complaints.conftest import category  # noqa: F401 - the fixture: the noise category
from tests.conftest import make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = "13700137000"


def sms_to(phone: str) -> list[str]:
    return [message["body"] for message in LocmemSmsBackend.outbox if message["to"] == phone]


@pytest.mark.usefixtures("category")
def test_an_anonymous_complaint_returned_replied_rated_badly_rectified_and_rated_again(
    journey, department, other_department, dispatcher, clerk
):
    housing_clerk = make_staff(username="housing-clerk", department=other_department, role="clerk")

    # an anonymous reporter files the complaint, leaving a phone for the SMS
    reporter = journey.person("reporter")
    reporter.go("/complaints/")
    form = reporter.page.locator("main form")
    form.get_by_label("反映什么问题？").select_option(label="噪声扰民")
    form.locator("input[name=complaint_type][value=complaint]").check()
    form.get_by_label("问题描述").fill("楼下烧烤店深夜油烟和噪声扰民")
    form.get_by_label("问题发生地点").fill("朝阳路 8 号")
    form.get_by_label("您的姓名").fill("赵六")
    form.get_by_label("接收提取码短信的手机号码").fill(PHONE)
    reporter.submit(form.get_by_role("button", name="提交", exact=True))
    number = re.search(r"TS-\d{4}-\d{6}", reporter.main).group(0)
    code = re.search(r"提取码\s*([A-Z0-9]{6})", " ".join(sms_to(PHONE))).group(1)
    assert code in reporter.main  # the confirmation shows it too

    # the dispatcher sends it to the housing department, which returns it: not its remit
    desk = journey.person("dispatcher", dispatcher)
    desk.go("/staff/complaints/")
    desk.submit(desk.page.locator(f"main a[href='/staff/complaints/{number}/']").first)
    dispatch = desk.page.locator("form[action$='/dispatch/']")
    dispatch.get_by_label("牵头部门").select_option(label=str(other_department))
    desk.submit(dispatch.locator("button[type=submit]"))

    housing = journey.person("housing-clerk", housing_clerk)
    housing.go("/staff/complaints/")
    housing.submit(housing.page.locator(f"main a[href='/staff/complaints/{number}/']").first)
    returned = housing.page.locator("form[action$='/return/']")
    returned.get_by_label("为什么不属于本部门办理范围？").fill("餐饮油烟和噪声由市场监管部门负责")
    returned.get_by_label("设定依据").fill("《大气污染防治法》第八十一条")
    housing.submit(returned.locator("button[type=submit]"))

    # the dispatcher sends it on to the market department, whose clerk signs for it and replies
    desk.go(f"/staff/complaints/{number}/")
    assert "市场监管部门负责" in desk.main
    dispatch = desk.page.locator("form[action$='/dispatch/']")
    dispatch.get_by_label("牵头部门").select_option(label=str(department))
    desk.submit(dispatch.locator("button[type=submit]"))

    market = journey.person("market-clerk", clerk)
    market.go("/staff/complaints/")
    market.submit(market.page.locator(f"main a[href='/staff/complaints/{number}/']").first)
    market.submit(market.page.locator("form[action$='/sign/'] button[type=submit]"))
    reply = market.page.locator("form[action$='/reply/']")
    reply.get_by_label("答复诉求人").fill("已到现场检查，责令商户晚十点后停止营业。")
    market.submit(reply.locator("button[type=submit]"))

    # the reporter tracks it with the number and the code, reads the reply and rates it badly
    reporter.go("/complaints/track/")
    reporter.page.get_by_label("办件编号").fill(number)
    reporter.page.locator("input[name=code]").fill(code)
    reporter.submit(reporter.page.locator("main form button[type=submit]"))
    assert "责令商户晚十点后停止营业" in reporter.main
    reporter.submit(reporter.page.locator("main a[data-action=rate]"))
    assert "/feedback/r/" in reporter.page.url
    reporter.page.locator("main input[name=level][value='1']").check()
    reporter.page.get_by_label("评价内容").fill("晚上还是很吵")
    reporter.submit(reporter.page.locator("main form button[type=submit]"))
    assert reporter.page.locator("main [data-rated]").get_attribute("data-rated") == "1"
    first = Rating.objects.get(case__number=number)
    assert first.level == 1 and first.rectification is not None

    # the department answers the rectification
    market.go("/staff/feedback/")
    assert "晚上还是很吵" in market.main
    answer = market.page.locator(
        f"form[action$='/rectifications/{first.rectification.pk}/answer/']"
    )
    answer.locator("textarea").fill("已加装隔音设施，并每晚巡查一周。")
    before = len(sms_to(PHONE))
    market.submit(answer.locator("button[type=submit]"))

    # the reporter opens the signed link in the SMS the answer sent, and rates again
    links = [
        m.group(1)
        for text in sms_to(PHONE)[before:]
        for m in re.finditer(r"https?://\S+?(/feedback/r/[^/\s]+/)", text)
    ]
    assert links, sms_to(PHONE)
    reporter.go(links[-1])
    assert "已加装隔音设施" in reporter.main
    reporter.page.locator("main input[name=level][value='4']").check()
    reporter.submit(reporter.page.locator("main form button[type=submit]"))

    # then the new rating stands for the complaint, superseding the bad one
    again = Rating.objects.get(supersedes=first)
    assert again.level == 4 and again.rater == first.rater
    assert reporter.page.locator("main [data-rated]").get_attribute("data-rated") == "4"

    journey.assert_accessible()
