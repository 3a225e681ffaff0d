"""The layouts in a real browser (Debian's Chromium through Playwright): keyboard, language,
care mode, and the same without JavaScript."""

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _body_font_px(page) -> float:
    return page.evaluate(
        "() => parseFloat(getComputedStyle(document.querySelector('main p')).fontSize)"
    )


def test_tab_first_reaches_the_visible_skip_link(page, live_server):
    # given the home page
    page.goto(live_server.url + "/")

    # when a keyboard user presses Tab once
    page.keyboard.press("Tab")

    # then the skip link has the focus and can be seen on screen
    focused = page.evaluate(
        "() => { const el = document.activeElement; const box = el.getBoundingClientRect();"
        " return {cls: el.className, href: el.getAttribute('href'), top: box.top,"
        " height: box.height, outline: getComputedStyle(el).outlineStyle}; }"
    )
    assert focused["cls"] == "skip-link"
    assert focused["href"] == "#main"
    assert focused["top"] >= 0
    assert focused["height"] >= 44
    assert page.locator(".skip-link").is_visible()

    # when they follow it
    page.keyboard.press("Enter")

    # then the focus moves to the main content
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_switching_to_english_changes_the_page_language(page, live_server):
    # given the home page, in Chinese by default
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    # when the visitor presses "English" in the language switcher
    page.locator(".language-switcher button[value='en']").click()
    page.wait_for_load_state()

    # then the page is in English
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h1").inner_text() == "Welcome to the Citizen Services Portal"


def test_care_mode_makes_text_larger_and_persists(page, live_server):
    # given the home page at the standard size
    page.goto(live_server.url + "/")
    standard = _body_font_px(page)
    assert standard >= 18
    page.screenshot(path="/tmp/portal-home.png", full_page=True)

    # when the visitor turns on care mode
    page.locator("button[data-care-mode='off']").click()
    page.wait_for_load_state()

    # then body text is at least 24px and buttons at least 60px high
    assert "care-mode" in page.locator("html").get_attribute("class")
    assert _body_font_px(page) >= 24
    button_height = page.evaluate(
        "() => document.querySelector('.hero .button').getBoundingClientRect().height"
    )
    assert button_height >= 60
    page.screenshot(path="/tmp/portal-home-care.png", full_page=True)

    # when they go to another page
    page.goto(live_server.url + "/design/")

    # then care mode is still on
    assert "care-mode" in page.locator("html").get_attribute("class")
    assert _body_font_px(page) >= 24
    page.screenshot(path="/tmp/portal-design-care.png", full_page=True)


def test_design_page_in_the_browser(page, live_server):
    # when the design page is opened
    page.goto(live_server.url + "/design/")

    # then the error summary has the focus (script enhancement) and links to the field
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    page.locator(".error-summary a[href='#id_email']").click()
    assert page.evaluate("() => document.activeElement.id") == "id_email"

    # when the visitor picks a radio option and a checkbox by clicking their labels
    page.locator("label[for='id_contact_by_0']").click()
    page.locator("label[for='id_channels_1']").click()

    # then both are chosen, and each row is a large enough target
    assert page.locator("#id_contact_by_0").is_checked()
    assert page.locator("#id_channels_1").is_checked()
    row = page.locator(".choice").first.bounding_box()
    assert row["height"] >= 44
    page.screenshot(path="/tmp/portal-design.png", full_page=True)


def test_without_javascript_language_and_care_mode_still_work(browser, live_server):
    # given a browser with JavaScript turned off
    context = browser.new_context(java_script_enabled=False, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        # (the read-aloud button is added by script only, so it is absent)
        assert page.locator("[data-read-aloud] button").count() == 0

        # when the visitor switches to English
        page.locator(".language-switcher button[value='en']").click()
        page.wait_for_load_state()

        # then the page is in English
        assert page.locator("html").get_attribute("lang") == "en"

        # when they turn on care mode
        page.locator("button[data-care-mode='off']").click()
        page.wait_for_load_state()

        # then care mode is on and the language stayed English
        assert "care-mode" in page.locator("html").get_attribute("class")
        assert page.locator("html").get_attribute("lang") == "en"
        assert _body_font_px(page) >= 24
    finally:
        context.close()


def test_read_aloud_button_appears_only_with_speech_support(page, live_server):
    # given a browser that can speak (Chromium has the Web Speech API)
    page.goto(live_server.url + "/")
    has_speech = page.evaluate("() => 'speechSynthesis' in window")

    # then the read-aloud button is there exactly when speech is available
    assert page.locator("[data-read-aloud] button").count() == (1 if has_speech else 0)
