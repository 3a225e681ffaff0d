"""Absolute links: PORTAL_BASE_URL is required in production (no :8000 default there); on the
development default a page being served names its own host, and work without a request the
development address. SMS, email, verification links and QR codes all go through it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import RequestFactory

from apps.core.links import portal_url
from tests.portal.test_settings import PRODUCTION, run_manage

BASE_DIR = Path(__file__).resolve().parents[2]


def base_url_under(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"PORTAL_BASE_URL", "DJANGO_ENV"}}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, portal.settings as s; print(json.dumps(s.PORTAL_BASE_URL))",
        ],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_refuses_to_start_without_portal_base_url():
    env = {k: v for k, v in PRODUCTION.items() if k != "PORTAL_BASE_URL"}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "needs PORTAL_BASE_URL" in result.stderr


def test_production_uses_the_given_address_and_development_the_local_default():
    assert base_url_under(**PRODUCTION) == "https://portal.example.gov"
    assert base_url_under(DJANGO_ENV="development") == "http://127.0.0.1:8000"


def test_links_use_the_configured_address_else_the_request_host_else_the_default(settings):
    request = RequestFactory().get("/", HTTP_HOST="portal.localhost")
    settings.ALLOWED_HOSTS = ["portal.localhost"]
    settings.PORTAL_BASE_URL = "http://127.0.0.1:8000"  # the development default
    assert (
        portal_url(path="/verify/?code=A", request=request)
        == "http://portal.localhost/verify/?code=A"
    )
    assert portal_url(path="/verify/") == "http://127.0.0.1:8000/verify/"
    settings.PORTAL_BASE_URL = "https://portal.city.gov.cn/"
    assert portal_url(path="/verify/", request=request) == "https://portal.city.gov.cn/verify/"
    assert portal_url(path="https://elsewhere.example/x") == "https://elsewhere.example/x"


@pytest.mark.django_db
def test_document_verification_links_and_sms_links_come_from_the_public_address(settings):
    from apps.documents.services import verification_url
    from apps.notifications.services import notification_render

    settings.PORTAL_BASE_URL = "https://portal.city.gov.cn"
    assert verification_url(code="7KQM-3XWP") == "https://portal.city.gov.cn/verify/?code=7KQM-3XWP"
    _subject, body = notification_render(
        event="complaint.received",
        language="zh-hans",
        context={
            "case_number": "TS-1",
            "service_name": "噪声",
            "url": "/complaints/track/?number=TS-1",
        },
    )
    assert "https://portal.city.gov.cn/complaints/track/?number=TS-1" in body
