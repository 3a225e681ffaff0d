"""Strings built outside a request follow the page's language: a form's help text formatted
at import time, and the admin's names of the third-party apps and their models."""

import pytest
from django.conf import settings
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.accounts.models import User

pytestmark = pytest.mark.django_db


def _page(client: Client, url: str, language: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client.get(url).content.decode()


def test_the_complaint_photo_hint_follows_the_page_language(client):
    # given the Chinese page was drawn first (the help text used to be fixed at import time)
    chinese = _page(client, "/complaints/", "zh-hans")
    assert "最多 6 张照片" in chinese

    # when an English visitor opens the same form
    english = _page(Client(), "/complaints/", "en")

    # then the hint is in English, with the number filled in
    assert "Up to 6 photos (JPEG, PNG or WebP)" in english
    assert "最多 6 张照片" not in english


@pytest.fixture
def admin_client(login):
    admin = User.objects.create_user(
        username="admin", email="admin@city.gov", password="x-long-pass-1", is_staff=True
    )
    admin.is_superuser = True
    admin.save()
    TOTPDevice.objects.create(user=admin, name="phone", confirmed=True)
    return login(admin)


def test_the_chinese_admin_names_every_app_and_model_in_chinese(admin_client):
    page = _page(admin_client, "/admin/", "zh-hans")

    for chinese in [
        "登录锁定",
        "身份验证器（TOTP）",
        "备用验证码",
        "门户基础数据",
        "登录日志",
        "OAuth2 客户端与令牌",
        "访问令牌",
    ]:
        assert chinese in page, chinese
    for english in [
        "Axes",
        "Otp_Totp",
        "Otp_Static",
        "Core",
        "TOTP devices",
        "access logs",
        "Django OAuth Toolkit",
    ]:
        assert f">{english}<" not in page, english
