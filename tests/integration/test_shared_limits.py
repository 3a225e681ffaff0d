"""A limit kept in the cache holds across processes: several web workers (gunicorn) share one
count, so five wrong extraction codes are five, not five per worker."""

import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import connection

from tests.complaints.conftest import category, file_complaint  # noqa: F401 (fixtures)

from .conftest import BASE_DIR, require_integration_environment

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

GUESSES = """
import json, django
django.setup()
from django.core.exceptions import PermissionDenied
from apps.complaints.services.tracking import complaint_track
from apps.core.exceptions import ApplicationError
results = []
for code in {codes!r}:
    try:
        complaint_track(number={number!r}, code=code, client_ip="203.0.113.9")
        results.append("found")
    except PermissionDenied:
        results.append("limited")
    except ApplicationError:
        results.append("wrong")
print(json.dumps(results))
"""


def guess_in_a_new_process(*, number: str, codes: list[str]) -> list[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "tests.settings_integration",
        "INTEGRATION_DATABASE_NAME": connection.settings_dict["NAME"],
        "SMS_FILE_PATH": os.devnull,
    }
    done = subprocess.run(
        [sys.executable, "-c", GUESSES.format(codes=codes, number=number)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_tracking_limit_holds_across_two_processes(category, settings):  # noqa: F811
    require_integration_environment()
    # given a complaint and the portal's default, shared cache (a table in the database)
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "portal_cache",
        }
    }
    call_command("createcachetable")
    case, code = file_complaint(category, reporter_name="王五", reporter_phone="13700137001")
    # when two processes (two web workers) each try three wrong codes, then the right one
    first = guess_in_a_new_process(number=case.number, codes=["000000"] * 3)
    second = guess_in_a_new_process(number=case.number, codes=["111111"] * 3 + [code])
    # then only five tries were allowed in all, and the right code comes too late
    assert first == ["wrong", "wrong", "wrong"]
    assert second == ["wrong", "wrong", "limited", "limited"]
