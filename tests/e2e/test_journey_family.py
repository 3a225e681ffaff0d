"""A family proxy (亲情账号) in a real browser: a daughter bound to her mother's account follows the
mother's application while the department reviews it, reads the decision when it comes, and
rates it for her; the rating is the mother's, entered by the daughter. axe-core on every page
(tests/e2e/journeys.py)."""

import pytest

from apps.feedback.models import Rating
from apps.helpdesk import services as helpdesk_services
from tests.cases.conftest import submit_case
from tests.catalog.factories import make_service
from tests.conftest import make_resident
from tests.e2e.journeys import prepared
from tests.feedback.conftest import decide_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_family_proxy_tracks_the_mothers_case_and_rates_it(
    journey, resident, department, clerk, lead, django_capture_on_commit_callbacks
):
    # given a daughter bound to her mother's account, and the mother's application submitted
    daughter = make_resident(
        email="daughter@example.cn",
        phone="13700137001",
        real_name="王芳",
        id_number="110101199001010015",
    )
    link = helpdesk_services.family_invite(actor=daughter, member=daughter, login=resident.email)
    helpdesk_services.family_confirm(link=link, actor=resident)
    service = make_service(department=department)
    case = prepared(lambda: submit_case(service, resident))

    # the daughter finds the mother's case from her family page and follows it
    proxy = journey.person("daughter", daughter)
    proxy.go("/family/")
    proxy.submit(proxy.page.locator(f"main a[href='/family/for/{resident.pk}/']"))
    proxy.submit(proxy.page.locator(f"main a[href='/cases/{case.number}/']"))
    assert "已提交" in proxy.main, proxy.main

    # when the department decides (not this journey's step: through the services)
    prepared(lambda: decide_case(case, clerk, django_capture_on_commit_callbacks))

    # then she reads the decision on the case page, and rates it for her mother
    proxy.go(f"/cases/{case.number}/")
    assert "准予许可" in proxy.main, proxy.main
    proxy.submit(proxy.page.locator(f"main a[href='/feedback/cases/{case.number}/rate/']"))
    proxy.page.locator("main input[name=level][value='4']").check()
    proxy.page.get_by_label("评价内容").fill("帮妈妈评价：办得很快")
    proxy.submit(proxy.page.locator("main form button[type=submit]"))

    # the rating is the mother's, entered by her daughter, and the case page shows it
    rating = Rating.objects.get(case=case)
    assert rating.rater == resident and rating.entered_by == daughter and rating.level == 4
    assert "帮妈妈评价" in proxy.main

    journey.assert_accessible()
