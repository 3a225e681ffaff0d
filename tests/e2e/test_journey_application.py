"""A resident's application reviewed by two departments, in a real browser, to its rated decision
letter: the resident applies and signs with an SMS code; the lead department's clerk takes it in
and approves their review, the other department's clerk approves theirs, the lead signs the
decision with their authenticator code; the resident opens the sealed letter and rates it. Each
person in their own browser context; axe-core on every page (tests/e2e/journeys.py)."""

import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core.sms import LocmemSmsBackend
from tests.accounts.test_two_factor import token_for
from tests.cases.conftest import PDF_BYTES
from tests.catalog.factories import make_service
from tests.conftest import make_staff

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_two_department_application_to_its_rated_decision_letter(
    journey, resident, department, other_department, clerk, lead
):
    # given a service reviewed in parallel by the lead department and the housing department
    service = make_service(department=department)
    service.stages.get().departments.add(other_department)
    housing_clerk = make_staff(username="housing-clerk", department=other_department, role="clerk")

    # the resident applies: the guide, two steps with a scan, the check page, an SMS code
    me = journey.person("resident", resident)
    me.go(f"/services/{service.code}/")
    me.submit(me.page.locator(f"main a[href='/cases/new/{service.code}/']"))
    me.submit(me.page.locator("main form button[type=submit]"))
    page = me.page
    page.get_by_label("姓名").fill("王秀兰")
    page.get_by_label("身份证号码").fill("11010519491231002X")
    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("出生日期").fill("1949-12-31")
    page.get_by_label("女").check()
    page.get_by_label("居住地址").fill("东城区建国门内大街 1 号")
    page.get_by_label("家庭人口").fill("2")
    me.submit(page.locator("main form button[type=submit]").first)
    page.get_by_label("助餐").check()
    page.get_by_label("身份证扫描件").set_input_files(
        files=[{"name": "身份证.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    me.submit(page.locator("main form button[type=submit]").first)
    assert "王秀兰" in me.main
    me.submit(page.locator("main a.button").last)
    page.locator("input[name=channel][value=sms]").check()
    me.submit(page.locator("button[name=send_code]"))
    code = re.search(r"\b(\d{6})\b", LocmemSmsBackend.outbox[-1]["body"]).group(1)
    page.locator("input[name=code]").fill(code)
    me.submit(page.locator("button[name=sign]"))
    number = re.search(r"SQ-\d{4}-\d{6}", me.main).group(0)
    assert me.page.url.endswith(f"/cases/{number}/submitted/")

    # the lead department's clerk finds it in the queue, takes it in and approves their review
    market = journey.person("market-clerk", clerk)
    market.go("/staff/cases/")
    market.submit(market.page.locator(f"main a[href='/staff/cases/{number}/']"))
    market.page.get_by_label("办件记录备注").fill("材料齐全")
    market.submit(market.page.locator("form[action$='/accept/'] button[type=submit]"))
    approve = market.page.locator("form[action$='/approve/']")
    approve.get_by_label("审查意见").fill("符合条件")
    market.submit(approve.locator("button[type=submit]"))
    assert "所有审查均已通过" not in market.main  # the other department has not reviewed yet

    # the housing department's clerk approves theirs, in their own browser
    housing = journey.person("housing-clerk", housing_clerk)
    housing.go("/staff/cases/")
    housing.submit(housing.page.locator(f"main a[href='/staff/cases/{number}/']"))
    approve = housing.page.locator("form[action$='/approve/']")
    approve.get_by_label("审查意见").fill("同意")
    housing.submit(approve.locator("button[type=submit]"))

    # the lead signs the approval with the code from their authenticator app
    boss = journey.person("market-lead", lead)
    boss.go(f"/staff/cases/{number}/")
    decide = boss.page.locator("form[action$='/decide/']")
    decide.get_by_label("理由").fill("准予许可")
    decide.get_by_label("身份验证器应用中的验证码").fill(
        token_for(TOTPDevice.objects.get(user=lead))
    )
    boss.submit(decide.locator("button[type=submit]"))
    assert "已批准" in boss.main, boss.main

    # the resident reads the notice, opens the sealed decision letter and rates it
    me.go("/notifications/")
    assert number in me.main
    me.go(f"/cases/{number}/")
    letters = me.page.locator(f"main a[href^='/cases/{number}/documents/']")
    assert letters.count() == 2, me.main  # the receipt and the decision letter
    letter = me.page.request.get(journey.base_url + letters.last.get_attribute("href"))
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.body().startswith(b"%PDF") and b"/ByteRange" in letter.body()  # sealed
    me.submit(me.page.locator(f"main a[href='/feedback/cases/{number}/rate/']"))
    me.page.locator("main input[name=level][value='5']").check()
    me.page.get_by_label("评价内容").fill("两个部门都很快")
    me.submit(me.page.locator("main form button[type=submit]"))

    # then the case page shows the rating, and asks for none any more
    assert me.page.url.endswith(f"/cases/{number}/")
    assert "两个部门都很快" in me.main and "非常满意" in me.main
    assert me.page.locator(f"main a[href='/feedback/cases/{number}/rate/']").count() == 0

    journey.assert_accessible()
