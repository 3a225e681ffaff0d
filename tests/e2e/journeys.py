"""What the browser journeys share (tests/e2e/test_journey_*.py): one browser context per person,
traced, and axe-core on every page the journey lands on, in three variants.

- Each person (a resident, a clerk of each department, counter staff, an anonymous reporter) acts
  in their own context, signed in by a session cookie (signing in is not what a journey tests;
  tests/accounts does), with a Playwright trace running.
- Every page a journey lands on is checked by axe-core (axe-playwright-python bundles it) as the
  journey sees it (zh-hans, standard size), then re-loaded, the same URL in the same state, in
  a second context with the person's cookies but in English, and in care mode (适老化). The
  journey itself is never replayed. A violation of impact critical, serious or moderate fails
  the journey, listed with the page, the variant, the rule and the elements.
- When a test fails, `conftest.pytest_runtest_makereport` saves each person's trace and a
  screenshot of each open page under the test's tmp directory and names it in the failure.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from axe_playwright_python.base import AXE_FILE_PATH
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from django.db import connections
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User
from apps.core.middleware import CARE_MODE_SESSION_KEY

T = TypeVar("T")
FAILING_IMPACTS = ("critical", "serious", "moderate")
VIEWPORT = {"width": 1280, "height": 900}
# Every rule axe-core runs by default (WCAG 2.0-2.2 A/AA and its best practices); results
# other than violations are not needed and cost time to serialise.
AXE_OPTIONS = {"resultTypes": ["violations"]}
# What tells two visits of one URL apart: the page's headings, forms and buttons (a case page
# before and after the clerk accepts it offers other forms, and is checked again).
SHAPE = """
() => [...document.querySelectorAll(
    'main h1, main h2, main h3, main form, main button, main a.button, main summary')]
  .map((el) => el.tagName + (el.getAttribute('action') || '')
    + (el.tagName === 'FORM' ? '' : el.textContent.trim()))
  .join('|')
"""


def prepared(build: Callable[[], T]) -> T:
    """Run `build` (state made through the services before a journey step) in a thread of its
    own: Playwright's sync API keeps an event loop running in the test's thread, and the PDF
    seal (pyHanko) starts one of its own, which asyncio refuses inside a running one."""

    def run() -> T:
        try:
            return build()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def session_for(user: User | None) -> str:
    """A saved session signed in as `user` (2FA passed for staff), or an anonymous one."""
    session = SessionStore()
    if user is not None:
        session["_auth_user_id"] = str(user.pk)
        session["_auth_user_backend"] = "apps.accounts.backends.EmailOrPhoneBackend"
        session["_auth_user_hash"] = user.get_session_auth_hash()
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return session.session_key


@dataclass
class Variant:
    name: str
    language: str
    care: bool


VARIANTS = (Variant("en", "en", False), Variant("care", "zh-hans", True))


@dataclass
class Person:
    """One person's browser context and tab in a journey."""

    journey: Journey
    name: str
    user: User | None
    context: Any
    page: Any
    variants: dict[str, Any] = field(default_factory=dict)

    def go(self, path: str) -> Any:
        """Open `path` (relative to the live server) and check the page it lands on."""
        response = self.page.goto(self.journey.base_url + path)
        assert response is not None and response.ok, (self.name, path, response and response.status)
        self.journey.check(self)
        return response

    def submit(self, locator: Any) -> None:
        """Press a button that sends a form (or follow a link) and check the page it leads to.
        A page answered to the POST itself (not redirected to) cannot be re-loaded by its URL in
        the other variants: it is checked as the journey sees it."""
        with self.page.expect_navigation() as navigation:
            locator.click()
        response = navigation.value
        assert response is not None and response.ok, (self.name, response and response.status)
        self.journey.check(self, variants=response.request.method == "GET")

    @property
    def main(self) -> str:
        return self.page.locator("main").inner_text()


class Journey:
    """The people of one journey, the pages they visited and what axe found there."""

    def __init__(self, browser: Any, base_url: str, artefacts: Path) -> None:
        self.browser = browser
        self.base_url = base_url
        self.host = base_url.split("//")[1].split(":")[0]
        self.artefacts = artefacts
        self.people: list[Person] = []
        self.checked: set[tuple[str, str]] = set()
        self.checks = 0
        self.answered_to_post = 0
        self.check_seconds = 0.0
        self.minor: set[str] = set()
        self.started = time.monotonic()
        self.violations: list[str] = []
        self.traces_saved = False

    # --- people -------------------------------------------------------------------------
    def person(self, name: str, user: User | None = None) -> Person:
        context = self._context(locale="zh-CN")
        # DOM snapshots for the trace viewer; no screencast (it costs CPU all the time): the
        # failure's screenshots are taken when it fails
        context.tracing.start(title=name, snapshots=True)
        context.add_cookies([self._cookie(settings.SESSION_COOKIE_NAME, session_for(user))])
        page = context.new_page()
        page.set_default_timeout(15_000)
        person = Person(journey=self, name=name, user=user, context=context, page=page)
        self.people.append(person)
        return person

    def _context(self, *, locale: str) -> Any:
        context = self.browser.new_context(viewport=VIEWPORT, locale=locale)
        # axe-core in every page before its own scripts: cheaper than sending it to each page
        # checked (half a megabyte) and harmless to the page (it only defines `axe`)
        context.add_init_script(path=str(AXE_FILE_PATH))
        return context

    def _cookie(self, name: str, value: str) -> dict:
        return {"name": name, "value": value, "domain": self.host, "path": "/"}

    # --- axe ----------------------------------------------------------------------------
    def check(self, person: Person, *, variants: bool = True) -> None:
        """axe on the page `person` is on, then on the same URL in English and in care mode.
        The three runs overlap (one renderer each) and are collected at the end."""
        began = time.monotonic()
        try:
            self._check(person, variants=variants)
        finally:
            self.check_seconds += time.monotonic() - began

    def _check(self, person: Person, *, variants: bool) -> None:
        page = person.page
        url = page.url
        shape = hashlib.sha256(page.evaluate(SHAPE).encode()).hexdigest()
        if (url, shape) in self.checked:
            return
        self.checked.add((url, shape))
        running = [(self._axe_start(page), f"{url} [zh-hans]")]
        if variants:
            cookies = person.context.cookies()
            running += [
                (self._load_variant(person, variant, url, cookies), f"{url} [{variant.name}]")
                for variant in VARIANTS
            ]
        else:
            self.answered_to_post += 1
        for checked_page, where in running:
            self._axe_collect(checked_page, where)

    def _load_variant(self, person: Person, variant: Variant, url: str, cookies: list) -> Any:
        context = person.variants.get(variant.name)
        if context is None:
            context = self._context(locale="en-US" if variant.language == "en" else "zh-CN")
            context.new_page().set_default_timeout(15_000)
            person.variants[variant.name] = context
        session_key = next(
            (c["value"] for c in cookies if c["name"] == settings.SESSION_COOKIE_NAME), None
        )
        extra = [self._cookie(settings.LANGUAGE_COOKIE_NAME, variant.language)]
        if session_key is None and variant.care:
            # an anonymous visitor whose session holds nothing yet: care mode needs one
            session_key = session_for(None)
            extra.append(self._cookie(settings.SESSION_COOKIE_NAME, session_key))
        context.clear_cookies()
        context.add_cookies(
            [c for c in cookies if c["name"] != settings.LANGUAGE_COOKIE_NAME] + extra
        )
        page = context.pages[0]
        with _care_mode(session_key, on=variant.care):
            response = page.goto(url)
        assert response is not None and response.ok, (variant.name, url, response.status)
        state = page.evaluate(
            "() => [document.documentElement.lang,"
            " document.documentElement.classList.contains('care-mode')]"
        )
        assert state == [variant.language, variant.care], (url, variant, state)
        return self._axe_start(page)

    def _axe_start(self, page: Any) -> Any:
        """Start axe-core's run (put in every page by the context's init script) on the next
        turn of the page's event loop, so the call returns at once and the runs overlap."""
        page.evaluate(
            "(options) => { window.__portalAxe = new Promise((resolve) =>"
            " setTimeout(() => resolve(axe.run(document, options)), 0)); }",
            AXE_OPTIONS,
        )
        self.checks += 1
        return page

    def _axe_collect(self, page: Any, where: str) -> None:
        results = page.evaluate("() => window.__portalAxe")
        for violation in results["violations"]:
            if violation["impact"] not in FAILING_IMPACTS:
                self.minor.add(violation["id"])
                continue
            targets = "; ".join(
                " ".join(node["target"]) + " " + node["html"][:160] for node in violation["nodes"]
            )
            self.violations.append(
                f"{where}: {violation['id']} ({violation['impact']}) {violation['help']}: {targets}"
            )

    def assert_accessible(self) -> None:
        # shown with `pytest -s`: what was checked and what it cost
        print(
            f"axe: {len(self.checked)} pages ({self.answered_to_post} answered to a POST: one"
            f" variant), {self.checks} runs; {self.check_seconds:.1f} s of the journey's"
            f" {time.monotonic() - self.started:.1f} s; minor (not failing): {sorted(self.minor)}"
        )
        assert not self.violations, "\n".join(self.violations)

    # --- artefacts and the end -----------------------------------------------------------
    def save_artefacts(self) -> Path:
        """Each person's trace (`playwright show-trace <file>`) and a screenshot of each tab."""
        self.artefacts.mkdir(parents=True, exist_ok=True)
        for person in self.people:
            try:
                person.page.screenshot(
                    path=str(self.artefacts / f"{person.name}.png"), full_page=True
                )
            except Exception as exc:  # noqa: BLE001 - the trace still tells what happened
                (self.artefacts / f"{person.name}.screenshot-error.txt").write_text(str(exc))
            person.context.tracing.stop(path=str(self.artefacts / f"{person.name}.trace.zip"))
        self.traces_saved = True
        return self.artefacts

    def close(self) -> None:
        for person in self.people:
            if not self.traces_saved:
                person.context.tracing.stop()  # a journey that passed keeps no trace
            for context in person.variants.values():
                context.close()
            person.context.close()


@contextmanager
def _care_mode(session_key: str | None, *, on: bool) -> Iterator[None]:
    """Care mode on for the session's user (their preference) or the anonymous session, for
    the time of one page load, and back as it was. The journey's own context sends nothing
    meanwhile, so it never sees the change."""
    if not on or session_key is None:
        yield
        return
    session = SessionStore(session_key)
    user_id = session.get("_auth_user_id")
    if user_id:
        before = User.objects.values_list("care_mode", flat=True).get(pk=user_id)
        User.objects.filter(pk=user_id).update(care_mode=True)
        try:
            yield
        finally:
            User.objects.filter(pk=user_id).update(care_mode=before)
        return
    had = session.get(CARE_MODE_SESSION_KEY)
    session[CARE_MODE_SESSION_KEY] = True
    session.save()
    try:
        yield
    finally:
        session = SessionStore(session_key)
        if had is None:
            session.pop(CARE_MODE_SESSION_KEY, None)
        else:
            session[CARE_MODE_SESSION_KEY] = had
        session.save()
