"""Every public, resident, staff and desk page, in both modes (standard, care) and both languages
(zh-hans, en), measured in Debian's Chromium:

- every interactive element (links, buttons, fields, radios and checkboxes through their labels,
  details > summary) is at least 44 × 44 px, 60 × 60 px in care mode (the MIIT sizes for
  适老化 web pages). Links inside running text are exempt, as WCAG 2.5.8 (target size,
  "inline" exception) allows: a link whose paragraph, list item or cell holds other text;
- nothing scrolls sideways at 375 px wide (document.scrollingElement.scrollWidth <= clientWidth);
  wide tables scroll inside their own wrapper;
- landmarks of the same role have distinct accessible names (axe's landmark-unique rule, written
  here in JavaScript: axe-core is not installed in the project).

One browser and one tab per visitor, reused for every page, to keep the run short.
"""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.cases import services as case_services
from apps.catalog.models import ServiceItem
from apps.core.middleware import CARE_MODE_SESSION_KEY

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PUBLIC = [
    "/",
    "/design/",
    "/accounts/login/",
    "/accounts/register/",
    "/services/",
    "/services/{service}/",
    "/verify/",
    "/complaints/",
    "/complaints/track/",
    "/family/claim/",
    "/open-data/",
]
RESIDENT = [
    "/accounts/profile/",
    "/notifications/",
    "/cases/",
    "/cases/{case}/",
    "/cases/{case}/step/1/",
    "/certificates/",
    "/family/",
    "/my-data/",
    "/my-data/close/",
]
STAFF = ["/staff/", "/staff/cases/", "/staff/feedback/", "/staff/certificates/", "/accounts/2fa/"]
DISPATCHER = ["/staff/complaints/new/"]
SUPERVISOR = [
    "/staff/cases/overdue/",
    "/staff/complaints/",
    "/staff/metrics/",
]
DESK = [
    "/desk/",
    "/desk/residents/",
    "/desk/residents/new/",
    "/desk/residents/{assisted}/",
    "/desk/residents/{assisted}/mandates/new/",
    "/desk/residents/{assisted}/data/",
    "/desk/print/",
]

MEASURE = (Path(__file__).parent / "page_audit.js").read_text()

OVERFLOW = """
() => {
  const root = document.scrollingElement;
  const wide = [...document.querySelectorAll('main *')]
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1
      && !el.closest('.table-scroll, .table-wrapper, [data-scroll]'))
    .slice(0, 3).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return {scroll: root.scrollWidth, client: root.clientWidth, wide};
}
"""


def _session_cookie(user: User | None, *, care: bool) -> str:
    session = SessionStore()
    if user is None:
        session[CARE_MODE_SESSION_KEY] = care
    else:
        User.objects.filter(pk=user.pk).update(care_mode=care, preferred_language="")
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "apps.accounts.backends.EmailOrPhoneBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return session.session_key


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    resident = User.objects.get(email="resident@demo.cn")
    service = ServiceItem.objects.filter(kind=ServiceItem.Kind.APPLICATION).order_by("code").first()
    case = case_services.case_create_draft(service=service, applicant=resident, actor=resident)
    return {
        "resident": resident,
        "clerk": User.objects.get(email="clerk@demo.gov"),
        "supervisor": User.objects.get(email="supervisor@demo.gov"),
        "dispatcher": User.objects.get(email="dispatcher@demo.gov"),
        "counter": User.objects.get(email="counter@demo.gov"),
        "values": {
            "service": service.code,
            "case": case.ref,
            "assisted": User.objects.get(username="assisted-li").pk,
        },
    }


@pytest.mark.parametrize("care", [False, True], ids=["standard", "care-mode"])
def test_every_page_has_big_targets_unique_landmarks_and_no_sideways_scroll(
    browser, live_server, demo, care
):
    minimum = 60 if care else 44
    problems: list[str] = []
    visitors = [(None, PUBLIC), (demo["resident"], RESIDENT), (demo["clerk"], STAFF)]
    visitors += [
        (demo["supervisor"], SUPERVISOR),
        (demo["dispatcher"], DISPATCHER),
        (demo["counter"], DESK),
    ]
    host = live_server.url.split("//")[1].split(":")[0]
    for user, paths in visitors:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": _session_cookie(user, care=care),
                    "domain": host,
                    "path": "/",
                },
            ]
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        for language in ("zh-hans", "en"):
            context.add_cookies(
                [
                    {
                        "name": settings.LANGUAGE_COOKIE_NAME,
                        "value": language,
                        "domain": host,
                        "path": "/",
                    }
                ]
            )
            for path in paths:
                url = path.format(**demo["values"])
                where = f"{url} [{language}{', care' if care else ''}]"
                page.set_viewport_size({"width": 1280, "height": 900})
                response = page.goto(live_server.url + url)
                assert response is not None and response.status == 200, (where, response.status)
                found = page.evaluate(MEASURE, minimum)
                assert found["lang"] == language and found["care"] == care, where
                problems += [f"{where} target {item}" for item in found["small"]]
                problems += [f"{where} landmarks {item}" for item in found["repeated"]]
                page.set_viewport_size({"width": 375, "height": 800})
                width = page.evaluate(OVERFLOW)
                if width["scroll"] > width["client"]:
                    problems.append(f"{where} overflows at 375px: {width}")
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("language", "hint"),
    [
        ("zh-hans", "按“年-月-日”填写，例如 2026-03-31。"),
        ("en", "Year-month-day, for example 2026-03-31."),
    ],
)
def test_date_fields_show_the_page_format_whatever_the_browser_locale(
    browser, live_server, demo, language, hint
):
    # given counter staff whose browser runs in US English, on a page in `language`
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    host = live_server.url.split("//")[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": _session_cookie(demo["counter"], care=False),
                "domain": host,
                "path": "/",
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "domain": host, "path": "/"},
        ]
    )
    page = context.new_page()
    assisted = demo["values"]["assisted"]

    # when they open the mandate form with its validity dates
    page.goto(f"{live_server.url}/desk/residents/{assisted}/mandates/new/")

    # then each date reads year-month-day (not mm/dd/yyyy) with the format said in the page's
    # language and announced with the field
    field = page.locator("input[name=valid_from]")
    assert field.get_attribute("type") == "text"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", field.input_value())
    described = field.get_attribute("aria-describedby").split()
    assert page.locator(f"#{described[0]}").inner_text() == hint
    context.close()
