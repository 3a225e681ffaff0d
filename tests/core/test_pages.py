"""The layouts, the language switcher, care mode and the design page, as a user meets them."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.utils import translation
from django.views import defaults

TEMPLATES_DIR = Path(settings.BASE_DIR, "templates")


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


# --- layout and language -------------------------------------------------------------


@pytest.mark.django_db
def test_home_page_is_in_chinese_by_default(client):
    # when a first-time visitor opens the portal
    response = client.get("/")

    # then the page is marked as Simplified Chinese and has the landmarks and skip link
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans"' in html
    assert 'class="skip-link" href="#main"' in html
    for landmark in ("<header", "<nav", '<main id="main"', "<footer"):
        assert landmark in html
    assert 'name="language" value="en"' in html


@pytest.mark.django_db
def test_switching_to_english_with_the_language_form(client):
    # given the home page in Chinese
    assert 'lang="zh-hans"' in client.get("/").content.decode()

    # when the visitor presses "English" in the switcher (a plain form post)
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/design/"}, follow=True)

    # then they are back on the page they came from, now in English
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/design/"
    assert '<html lang="en"' in html
    assert "Design system" in html
    assert 'name="language" value="zh-hans"' in html


@pytest.mark.django_db
def test_home_page_offers_sign_in_and_help_points(client):
    # given an English-speaking visitor who is not signed in
    _english(client)

    # when they open the home page
    html = client.get("/").content.decode()

    # then they see what they can do, how to get help in person, and how to sign in
    assert "Apply for a service" in html
    assert "Report a problem or complain" in html
    assert "Track your case" in html
    assert "Rate the result" in html
    assert "Not online? We help you in person" in html
    assert 'href="/accounts/login/"' in html
    assert 'href="/accounts/register/"' in html


@pytest.mark.django_db
def test_signed_in_resident_sees_sign_out_as_a_post_form(signed_in_client):
    # when a signed-in resident opens the home page
    html = signed_in_client.get("/").content.decode()

    # then sign-out is a form post (Django 5 refuses GET logouts) and their name shows
    assert re.search(r'<form method="post" action="/accounts/logout/">', html)
    assert "王小明" in html
    assert 'href="/accounts/profile/"' in html


# --- care mode --------------------------------------------------------------------------


@pytest.mark.django_db
def test_care_mode_is_remembered_in_the_session_for_visitors(client):
    # given a visitor on the home page without care mode
    assert 'class="care-mode"' not in client.get("/").content.decode()

    # when they press "Larger text (care mode)"
    response = client.post("/care-mode/", {"enabled": "1", "next": "/design/"})

    # then they return to the page they were on, and every page is in care mode
    assert response.status_code == 302
    assert response["Location"] == "/design/"
    assert client.session["care_mode"] is True
    assert 'class="care-mode"' in client.get("/").content.decode()
    assert 'class="care-mode"' in client.get("/design/").content.decode()

    # when they turn it off again
    client.post("/care-mode/", {"enabled": "0", "next": "/"})

    # then the pages are back to the standard size
    assert 'class="care-mode"' not in client.get("/").content.decode()


@pytest.mark.django_db
def test_care_mode_is_remembered_on_the_account(client, signed_in_client, resident_user):
    # when a signed-in resident turns on care mode
    signed_in_client.post("/care-mode/", {"enabled": "1", "next": "/"})

    # then it is saved on their account
    resident_user.refresh_from_db()
    assert resident_user.care_mode is True

    # when they sign in again later in a new session
    signed_in_client.logout()
    signed_in_client.force_login(
        resident_user, backend="apps.accounts.backends.EmailOrPhoneBackend"
    )

    # then their pages are still in care mode
    assert 'class="care-mode"' in signed_in_client.get("/").content.decode()


@pytest.mark.django_db
def test_care_mode_does_not_redirect_to_another_site(client):
    # when the form is posted with a foreign "next"
    response = client.post("/care-mode/", {"enabled": "1", "next": "https://evil.example/"})

    # then the visitor lands on the portal's home page
    assert response["Location"] == "/"


@pytest.mark.django_db
def test_care_mode_toggle_is_a_form_and_refuses_get(client):
    # given the home page
    html = client.get("/").content.decode()

    # then the toggle is a form that works without JavaScript
    assert '<form method="post" action="/care-mode/">' in html
    assert 'name="enabled" value="1"' in html
    assert client.get("/care-mode/").status_code == 405


# --- the design page ------------------------------------------------------------------


@pytest.mark.django_db
def test_design_page_shows_every_component(client):
    # given an English-speaking visitor
    _english(client)

    # when they open the design page
    response = client.get("/design/")

    # then each component is there
    html = response.content.decode()
    assert response.status_code == 200
    for button in ('button"', "button--secondary", "button--warning", "button--link"):
        assert button in html
    assert 'class="error-summary"' in html
    assert 'href="#id_email"' in html  # the summary links to the field
    assert 'href="#id_contact_by_0"' in html  # and to the first option of a group
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_email_error"' in html
    assert 'id="id_email_error"' in html
    assert 'aria-describedby="id_full_name_helptext"' in html
    assert 'type="radio"' in html
    assert 'type="checkbox"' in html
    assert "<select" in html
    assert "<textarea" in html
    assert 'type="file"' in html
    assert 'aria-current="step"' in html
    for state in ("draft", "submitted", "in_review", "needs_correction", "approved", "rejected"):
        assert f"tag--{state}" in html
    assert 'class="timeline"' in html
    assert '<table class="table">' in html
    for kind in ("info", "success", "warning", "error"):
        assert f"notice--{kind}" in html
    assert 'class="pagination"' in html
    assert "Page 1 of 9" in html
    # the form keeps what was typed
    assert 'value="王小明"' in html


@pytest.mark.django_db
def test_design_page_form_without_errors_has_no_summary(client):
    # when the demo form is sent with good answers
    response = client.post(
        "/design/",
        {
            "full_name": "李华",
            "email": "li@example.org",
            "contact_by": "sms",
            "district": "west",
            "agree": "on",
        },
    )

    # then no problem is listed
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' not in html
    assert 'aria-invalid="true"' not in html


@pytest.mark.django_db
def test_design_page_pagination_keeps_its_place(client):
    # when the visitor goes to page 3
    html = client.get("/design/?page=3").content.decode()

    # then page 3 is the current one and previous/next links exist
    assert re.search(r'aria-current="page"><span class="visually-hidden">[^<]*</span>3<', html)
    assert 'href="?page=2"' in html
    assert 'href="?page=4"' in html


# --- security headers and templates ---------------------------------------------------


@pytest.mark.django_db
def test_csp_allows_no_inline_script_or_style(client):
    # when any page is served
    response = client.get("/")

    # then the policy allows scripts and styles only from the portal itself
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    assert "script-src 'self'" in policy
    assert "style-src 'self'" in policy


def _page_templates():
    # PDFs (documents/) are not pages in a browser, so the page CSP does not govern them;
    # every other template is a page or part of one.
    skipped = {"documents"}
    return [
        path
        for path in TEMPLATES_DIR.rglob("*.html")
        if path.relative_to(TEMPLATES_DIR).parts[0] not in skipped
    ]


def test_no_page_template_has_inline_script_or_style():
    # given every page template
    templates = _page_templates()
    assert templates

    # then scripts are files (no script body), and no style attribute or block appears
    offenders = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>(.*?)</script>", text, re.S | re.I):
            if match.group(1).strip():
                offenders.append(f"{path}: inline script")
        if re.search(r"\sstyle\s*=", text, re.I):
            offenders.append(f"{path}: style attribute")
        if re.search(r"<style\b", text, re.I):
            offenders.append(f"{path}: style block")
        if re.search(r"\son[a-z]+\s*=", text, re.I):
            offenders.append(f"{path}: inline event handler")
    assert not offenders


def test_no_page_template_loads_from_a_cdn():
    # then every script and stylesheet comes from static/
    for path in _page_templates():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path


@pytest.mark.django_db
def test_static_files_are_served_by_whitenoise(client):
    # when the stylesheet and the scripts are asked for
    for name in ("css/portal.css", "js/read-aloud.js", "js/portal.js"):
        response = client.get(f"/static/{name}")

        # then they come from the portal
        assert response.status_code == 200, name


# --- health ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_answers_json(client):
    # when the load balancer asks
    response = client.get("/healthz")

    # then the portal says it is fine
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json()["status"] == "ok"


# --- error pages --------------------------------------------------------------------


@pytest.mark.django_db
def test_page_not_found_is_friendly_and_translated(client):
    # given an English-speaking visitor
    _english(client)

    # when they open an address that does not exist
    response = client.get("/no-such-page/")

    # then they get a helpful page in the portal's layout
    html = response.content.decode()
    assert response.status_code == 404
    assert "Page not found" in html
    assert '<html lang="en"' in html
    assert 'href="/"' in html


def test_server_error_page_needs_no_context():
    # given a request that failed badly (Django renders 500.html without context processors)
    request = RequestFactory().get("/")

    # when the error page is rendered in English
    with translation.override("en"):
        response = defaults.server_error(request)

    # then it apologises and points home
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong" in html
    assert 'href="/"' in html


@pytest.mark.django_db
def test_permission_denied_page_explains(client, resident_user):
    # given a resident (not staff) signed in, in English
    _english(client)
    client.force_login(resident_user, backend="apps.accounts.backends.EmailOrPhoneBackend")

    # when they open the staff area
    response = client.get("/staff/")

    # then they are told they have no access, not shown a bare error
    assert response.status_code == 403
    assert "You cannot open this page" in response.content.decode()


def test_permission_denied_page_renders_for_anyone():
    # given an anonymous request
    request = RequestFactory().get("/staff/")
    request.user = AnonymousUser()

    # when the page is rendered
    with translation.override("en"):
        response = defaults.permission_denied(request, exception=None)

    # then it renders
    assert response.status_code == 403
