"""The counter (帮办) in a real browser: counter staff open an assisted account for a resident who
is not online, record the resident's mandate signed on the tablet, apply on the resident's
behalf and sign with their own code, and once the department has decided, print the day's
letters in one batch. axe-core on every page (tests/e2e/journeys.py)."""

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.cases.models import Case
from apps.helpdesk.models import Mandate
from tests.accounts.test_two_factor import token_for
from tests.cases.conftest import PDF_BYTES
from tests.catalog.factories import make_service
from tests.documents.pdftext import pdf_text
from tests.e2e.journeys import prepared
from tests.feedback.conftest import decide_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_desk_opens_an_assisted_account_a_mandate_an_application_and_a_print_batch(
    journey,
    counter_clerk,
    department,
    service_point,
    clerk,
    lead,
    django_capture_on_commit_callbacks,
):
    service = make_service(department=department)
    desk = journey.person("counter", counter_clerk)
    page = desk.page

    # counter staff open an assisted account, having checked the resident's ID card
    desk.go("/desk/")
    desk.submit(page.locator("main a[href='/desk/residents/new/']"))
    page.get_by_label("居民真实姓名").fill("李秀英")
    page.get_by_label("居民身份证号码").fill("110101194003070027")
    page.get_by_label("居民家庭住址").fill("东城区东四十条 3 号")
    page.get_by_label("证件号码后 4 位").fill("0027")
    desk.submit(page.locator("main form button[type=submit]").last)
    resident = User.objects.get(profile__id_number="110101194003070027")
    assert resident.is_assisted and page.url.endswith(f"/desk/residents/{resident.pk}/")

    # the resident signs the mandate on the tablet
    desk.submit(page.locator(f"main a[href='/desk/residents/{resident.pk}/mandates/new/']"))
    page.locator("input[name=scope][value=all]").check()
    pad = page.locator("canvas[data-signature-canvas]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 40, box["y"] + 120)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 40 + step * 30, box["y"] + 120 - (step % 3) * 25)
    page.mouse.up()
    assert page.locator("input[name=drawn_signature]").input_value().startswith("data:image/png")
    desk.submit(page.locator("main form button[type=submit]").last)
    mandate = resident.mandates.get()
    assert mandate.evidence_kind == Mandate.Evidence.TABLET and mandate.scope == Mandate.Scope.ALL
    assert mandate.reference in desk.main  # listed on the resident's page, ready to act under

    # and acts for them: a new application, answered, a scan added, signed with their own code
    desk.submit(page.locator(f"form[action$='/residents/{resident.pk}/act/'] button"))
    desk.submit(page.locator(f"form[action='/desk/act/apply/{service.code}/'] button"))
    page.get_by_label("姓名").fill("李秀英")
    page.get_by_label("身份证号码").fill("110101194003070027")
    page.get_by_label("手机号码").fill("13900139000")
    page.get_by_label("出生日期").fill("1940-03-07")
    page.get_by_label("女").check()
    page.get_by_label("居住地址").fill("东城区东四十条 3 号")
    page.get_by_label("家庭人口").fill("1")
    desk.submit(page.locator("main form.form button[type=submit]"))
    page.get_by_label("助浴").check()
    page.get_by_label("身份证扫描件").set_input_files(
        files=[{"name": "身份证.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    desk.submit(page.locator("main form.form button[type=submit]"))
    desk.submit(page.locator("main a[href$='/sign/']"))
    page.get_by_label("您本人的一次性验证码（身份验证器应用）").fill(
        token_for(TOTPDevice.objects.get(user=counter_clerk))
    )
    desk.submit(page.locator("main form.form button[type=submit]"))
    case = Case.objects.get(applicant=resident)
    assert case.state == Case.State.SUBMITTED and case.channel == Case.Channel.COUNTER
    assert case.signature.assisted_by == counter_clerk
    assert case.signature.mandate_ref == mandate.reference
    desk.submit(page.get_by_role("button", name="结束代办"))  # done acting for her

    # given the department decided it (not this journey's step: through the services)
    prepared(lambda: decide_case(case, clerk, django_capture_on_commit_callbacks))

    # then the day's print batch holds the decision letter for the resident
    desk.go("/desk/print/")
    desk.submit(page.get_by_role("button", name="生成今天的打印批次（一个 PDF 文件）"))
    batch = page.locator("main a[href^='/desk/print/']")
    assert batch.count() == 1, desk.main
    response = page.request.get(journey.base_url + batch.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(response.body())
    letter = case.case_documents.get(document__kind="decision_letter").document
    assert "李秀英" in text and letter.verification_code in text

    journey.assert_accessible()
