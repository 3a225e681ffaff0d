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

One browser, one context and one tab for the whole run (each visitor a session cookie of their
own), to keep the run short. Which pages: page_audit_pages.py, from the URL conf.
"""

import io
import re
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connections
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.core.middleware import CARE_MODE_SESSION_KEY

from .page_audit_pages import NOT_PAGES, PAGES, SESSION_STATE, audit_objects, get_routes, page_url

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# The pages: every GET route of the URL conf (page_audit_pages.py), in one browser context.

MEASURE = (Path(__file__).parent / "page_audit.js").read_text()

OVERFLOW = """
() => {
  const root = document.scrollingElement;
  const wide = [...document.querySelectorAll('main *')]
    .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1
      && !el.closest('.table-wrap, [data-scroll]'))
    .slice(0, 3).map((el) => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
  return {scroll: root.scrollWidth, client: root.clientWidth, wide};
}
"""


def _session_cookie(user: User | None, *, care: bool, state: dict | None = None) -> str:
    session = SessionStore()
    session.update(state or {})
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


def _outside_the_browsers_loop(function, **kwargs):
    """Run `function` in a thread of its own: Playwright's event loop runs in this one, and
    sealing a PDF (pyHanko) runs an event loop of its own, which asyncio refuses inside another."""
    result: dict = {}

    def run():
        try:
            result["value"] = function(**kwargs)
        except BaseException as exc:  # noqa: BLE001 - raised again in the test's thread
            result["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.fixture
def demo(db):
    call_command("seed_demo", stdout=io.StringIO())
    people = {
        "anonymous": None,
        "resident": User.objects.get(email="resident@demo.cn"),
        "clerk": User.objects.get(email="clerk@demo.gov"),
        "supervisor": User.objects.get(email="supervisor@demo.gov"),
        "lead": User.objects.get(email="lead@demo.gov"),
        "dispatcher": User.objects.get(email="dispatcher@demo.gov"),
        "counter": User.objects.get(email="counter@demo.gov"),
    }
    objects = _outside_the_browsers_loop(
        audit_objects,
        resident=people["resident"],
        assisted=User.objects.get(username="assisted-li"),
        counter=people["counter"],
        dispatcher=people["dispatcher"],
    )
    return {**people, "people": people, "objects": objects, "values": objects}


def test_every_get_route_is_audited_or_said_to_be_no_page():
    # the URL conf's routes that answer GET, outside the APIs and the admin
    routes = set(get_routes())
    # every one is a page measured below, or listed with the reason it is not a page
    assert not set(PAGES) & set(NOT_PAGES)
    assert routes - set(PAGES) - set(NOT_PAGES) == set(), "a page the audit does not measure"
    assert (set(PAGES) | set(NOT_PAGES)) - routes == set(), "listed, but no such GET route"
    # and the POST-only routes are found as such (the forms' targets are no pages)
    assert "cases/<str:ref>/withdraw/" not in routes and "accounts/logout/" not in routes


def _cookie(host: str, name: str, value: str) -> dict:
    return {"name": name, "value": value, "domain": host, "path": "/"}


@pytest.mark.parametrize("care", [False, True], ids=["standard", "care-mode"])
def test_every_page_has_big_targets_unique_landmarks_and_no_sideways_scroll(
    browser, live_server, demo, care
):
    minimum = 60 if care else 44
    problems: list[str] = []
    objects = demo["objects"]
    by_visitor: dict[str, list[str]] = {}
    for route, (visitor, _parameters) in PAGES.items():
        by_visitor.setdefault(visitor, []).append(page_url(route, objects))
    host = live_server.url.split("//")[1].split(":")[0]
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    for visitor, paths in by_visitor.items():
        # one context for the whole run: each visitor is a session cookie of their own
        context.clear_cookies()
        state = SESSION_STATE.get(visitor, lambda _o: {})(objects)
        session = _session_cookie(demo["people"][visitor], care=care, state=state)
        context.add_cookies([_cookie(host, settings.SESSION_COOKIE_NAME, session)])
        for language in ("zh-hans", "en"):
            context.add_cookies([_cookie(host, settings.LANGUAGE_COOKIE_NAME, language)])
            for url in paths:
                where = f"{url} [{visitor}, {language}{', care' if care else ''}]"
                page.set_viewport_size({"width": 1280, "height": 900})
                response = page.goto(live_server.url + url)
                if response is None or response.status != 200:
                    problems.append(f"{where} answers {response and response.status}")
                    continue
                if page.url.split("#")[0] != live_server.url + url:
                    problems.append(f"{where} redirects to {page.url}")
                    continue
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
