"""The account pages use the design system's form partials: error summary, inline errors."""

import pytest
from django.core import mail

from apps.accounts.models import User


def _english(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})


@pytest.mark.django_db
def test_login_with_a_wrong_password_lists_the_problem_and_keeps_the_login(client, resident_user):
    # given an English-speaking resident on the sign-in page
    _english(client)
    assert client.get("/accounts/login/").status_code == 200

    # when they type a wrong password
    response = client.post(
        "/accounts/login/", {"username": "wang@example.org", "password": "wrong-password"}
    )

    # then the error summary says so and the login they typed is still there
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary"' in html
    assert "The login or password is not right" in html
    assert 'value="wang@example.org"' in html
    assert "novalidate" in html


@pytest.mark.django_db
def test_login_works_and_lands_home(client, resident_user):
    # when the resident signs in with the right password
    response = client.post(
        "/accounts/login/",
        {"username": "wang@example.org", "password": "a-long-Passw0rd"},
        follow=True,
    )

    # then they are on the home page, signed in
    assert response.redirect_chain[-1][0] == "/"
    assert "/accounts/logout/" in response.content.decode()


@pytest.mark.django_db
def test_registration_errors_point_at_their_fields(client):
    # given an English-speaking visitor
    _english(client)

    # when they send the registration form with nothing filled in
    blank = dict.fromkeys(("real_name", "id_number", "contact", "password1", "password2"), "")
    response = client.post("/accounts/register/", blank)

    # then each missing field is listed at the top and marked inline
    html = response.content.decode()
    assert 'class="error-summary"' in html
    for name in ("real_name", "id_number", "contact", "password1", "password2"):
        assert f'href="#id_{name}"' in html
        assert f'id="id_{name}_error"' in html
    assert html.count('aria-invalid="true"') == 5
    assert 'id="id_id_number_helptext"' in html


@pytest.mark.django_db
def test_registration_leads_to_the_code_page(client):
    # when a visitor registers with good details
    response = client.post(
        "/accounts/register/",
        {
            "real_name": "张三",
            "id_number": "11010519491231002X",
            "contact": "zhang@example.org",
            "password1": "a-long-Passw0rd",
            "password2": "a-long-Passw0rd",
        },
        follow=True,
    )

    # then they are asked for the code sent to their address
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/register/verify/"
    assert "zhang@example.org" in html
    assert 'name="resend"' in html
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_profile_page_shows_the_form_and_the_account(signed_in_client):
    # when a resident opens their details
    response = signed_in_client.get("/accounts/profile/")

    # then the form uses the partials: grouped checkboxes for the channels
    html = response.content.decode()
    assert response.status_code == 200
    assert 'name="real_name"' in html
    assert '<fieldset class="fieldset"' in html
    assert 'type="checkbox" name="notification_channels"' in html


@pytest.mark.django_db
def test_two_factor_pages_render(signed_in_client):
    # when a resident looks at sign-in security and starts setting it up
    settings_page = signed_in_client.get("/accounts/2fa/")
    enrol_page = signed_in_client.get("/accounts/2fa/enrol/")

    # then they see the state and a QR code with the key to type
    assert settings_page.status_code == 200
    assert 'href="/accounts/2fa/enrol/"' in settings_page.content.decode()
    html = enrol_page.content.decode()
    assert enrol_page.status_code == 200
    assert "<svg" in html
    assert 'class="secret"' in html
    assert 'name="code"' in html


@pytest.mark.django_db
def test_backup_codes_page_without_fresh_codes_offers_new_ones(signed_in_client):
    # when the page is opened again after the codes were shown
    response = signed_in_client.get("/accounts/2fa/backup-codes/")

    # then it explains and offers to make new ones
    assert response.status_code == 200
    assert 'action="/accounts/2fa/backup-codes/"' in response.content.decode()


@pytest.mark.django_db
def test_too_many_wrong_passwords_show_the_lock_out_page(client, resident_user, settings):
    # given an English-speaking visitor
    _english(client)

    # when they type a wrong password more often than allowed
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            "/accounts/login/", {"username": "wang@example.org", "password": "wrong"}
        )

    # then the portal pauses sign-in and says for how long, in its own layout
    html = response.content.decode()
    assert response.status_code == 429
    assert "Sign-in paused" in html
    assert "Try again in 30 minutes" in html
    assert '<main id="main"' in html


@pytest.mark.django_db
def test_staff_home_lists_departments_and_roles(clerk_client):
    # when a clerk with verified 2FA opens the staff area in English
    _english(clerk_client)
    response = clerk_client.get("/staff/")

    # then they see the staff layout and their role
    html = response.content.decode()
    assert response.status_code == 200
    assert "audience-staff" in html
    assert "Civil Affairs Bureau" in html
    assert "Clerk" in html


@pytest.mark.django_db
def test_desk_home_shows_the_service_point(counter_client):
    # when counter staff open the service desk in English
    _english(counter_client)
    response = counter_client.get("/desk/")

    # then they see the desk layout and where they work
    html = response.content.decode()
    assert response.status_code == 200
    assert "audience-desk" in html
    assert "East Service Centre" in html
    assert "Counter staff" in html


def test_user_model_has_care_mode():
    # the layouts rely on this preference
    assert User._meta.get_field("care_mode")
