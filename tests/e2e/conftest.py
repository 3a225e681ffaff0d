import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def _allow_sync_playwright_with_django():
    # Playwright's sync API keeps an event loop running in this thread while the browser is
    # open; Django would then refuse database work in the (synchronous) tests and fixtures.
    # The permission lasts only as long as the browser, so other tests keep Django's guard.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def browser(django_db_setup, django_db_blocker, _allow_sync_playwright_with_django):
    if not CHROMIUM.exists():
        if os.environ.get("REQUIRE_E2E") == "1":
            pytest.fail(f"REQUIRE_E2E=1 but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def journey(browser, live_server, tmp_path):
    """The people of a browser journey, each in a traced context, with axe on every page
    (tests/e2e/journeys.py). On failure the traces and screenshots go to `tmp_path/artefacts`."""
    from tests.e2e.journeys import Journey

    journey = Journey(browser, live_server.url, tmp_path / "artefacts")
    yield journey
    journey.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Saved while the test's browser contexts are still open (before its fixtures end), and
    # named in the failure report.
    outcome = yield
    report = outcome.get_result()
    journey = getattr(item, "funcargs", {}).get("journey")
    if report.when == "call" and report.failed and journey is not None:
        where = journey.save_artefacts()
        report.sections.append(
            ("browser artefacts", f"traces (playwright show-trace) and screenshots: {where}")
        )
