"""A resident applies in a real browser: steps, an upload, check, sign with an SMS code, and
the confirmation with the sealed receipt."""

import re

import pytest

from apps.core.sms import LocmemSmsBackend
from tests.cases.conftest import PDF_BYTES
from tests.catalog.factories import make_service
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_resident_applies_and_gets_a_sealed_receipt(
    page, live_server, resident, department, tmp_path
):
    service = make_service(department=department)
    scan = tmp_path / "身份证.pdf"
    scan.write_bytes(PDF_BYTES)

    # signs in and opens the guide
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("电子邮箱或手机号码").fill("resident@example.cn")
    page.get_by_label("密码").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto(f"{live_server.url}/services/{service.code}/")
    page.locator(f"main a[href='/cases/new/{service.code}/']").click()
    page.locator("main form button[type=submit]").click()

    # step 1
    page.get_by_label("姓名").fill("王秀兰")
    page.get_by_label("身份证号码").fill("11010519491231002X")
    page.get_by_label("手机号码").fill("13800138000")
    page.get_by_label("出生日期").fill("1949-12-31")
    page.get_by_label("女").check()
    page.get_by_label("居住地址").fill("东城区建国门内大街 1 号")
    page.get_by_label("家庭人口").fill("2")
    page.locator("main form button[type=submit]").first.click()

    # step 2, with the scan
    page.get_by_label("助餐").check()
    page.get_by_label("身份证扫描件").set_input_files(str(scan))
    page.locator("main form button[type=submit]").first.click()

    # check your answers, then sign with a code sent by SMS
    assert page.get_by_text("王秀兰").first.is_visible()
    page.locator("main a.button").last.click()
    page.locator("input[name=channel][value=sms]").check()
    page.locator("button[name=send_code]").click()
    code = re.search(r"\b(\d{6})\b", LocmemSmsBackend.outbox[-1]["body"]).group(1)
    page.locator("input[name=code]").fill(code)
    page.locator("button[name=sign]").click()

    # the confirmation names the case number, what happens next and the sealed receipt
    main = page.locator("main").inner_text()
    number = re.search(r"SQ-\d{4}-\d{6}", main).group(0)
    assert page.url.endswith(f"/cases/{number}/submitted/")
    receipt = page.locator(f"a[href^='/cases/{number}/documents/']")
    assert receipt.count() == 1
    response = page.request.get(live_server.url + receipt.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
