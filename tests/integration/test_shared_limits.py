"""Limits hold across processes: several web workers (gunicorn) share one count, so five wrong
extraction codes are five, not five per worker. Each test runs on both shared stores: the
database table of the embedded default and Redis (CACHE_URL in production)."""

import json
import os
import subprocess
import sys
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection

from apps.complaints.services import open311_client_create
from tests.complaints.conftest import category, file_complaint  # noqa: F401 (fixtures)

from .conftest import BASE_DIR, integration_broker_url, require_integration_environment

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

DATABASE_CACHE = {"BACKEND": "apps.core.cache.DatabaseCache", "LOCATION": "portal_cache"}


def redis_cache_url() -> str:
    """The broker's Redis, in a database of its own (INTEGRATION_CACHE_REDIS_DB, default 14)."""
    parts = urlsplit(os.environ["CELERY_BROKER_URL"])
    return urlunsplit(parts._replace(path=f"/{os.environ.get('INTEGRATION_CACHE_REDIS_DB', '14')}"))


@pytest.fixture(params=["database", "redis"])
def shared_cache(request, settings):
    """The portal's shared cache, in this process and in every process a test starts."""
    require_integration_environment()
    if request.param == "redis":
        url = redis_cache_url()
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        }
        env = {"INTEGRATION_CACHE_URL": url}
    else:
        settings.CACHES = {"default": DATABASE_CACHE}
        call_command("createcachetable")
        env = {"INTEGRATION_CACHE_URL": ""}
    caches["default"].clear()
    yield env
    caches["default"].clear()


def run_in_a_new_process(script: str, **env: str) -> list:
    """Run `script` in a fresh Python process on the test database; its last line is JSON."""
    full_env = {
        **os.environ,
        "PYTHONPATH": str(BASE_DIR),
        "DJANGO_SETTINGS_MODULE": "tests.settings_integration",
        "INTEGRATION_DATABASE_NAME": connection.settings_dict["NAME"],
        "SMS_FILE_PATH": os.devnull,
        # whatever a request queues goes to the tests' own broker database and a queue no
        # worker reads, never to a shared one
        "CELERY_BROKER_URL": integration_broker_url(),
        "NOTIFICATIONS_CELERY_QUEUE": f"itest-limits-{uuid.uuid4().hex[:8]}",
        **env,
    }
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- tracking codes -------------------------------------------------------------------------

GUESSES = """
import json, django
django.setup()
from apps.complaints.services.tracking import complaint_track
from apps.core.exceptions import ApplicationError, TooManyAttemptsError
results = []
for code in {codes!r}:
    try:
        complaint_track(number={number!r}, code=code, client_ip="203.0.113.9")
        results.append("found")
    except TooManyAttemptsError:
        results.append("limited")
    except ApplicationError:
        results.append("wrong")
print(json.dumps(results))
"""


def test_the_tracking_limit_holds_across_two_processes(category, shared_cache):  # noqa: F811
    # given a complaint
    case, code = file_complaint(category, reporter_name="王五", reporter_phone="13700137001")
    # (five tries a day: a window of 15 minutes could end between the two processes)
    env = {**shared_cache, "RATE_LIMIT_COMPLAINT_TRACK": "5/d"}
    # when two processes (two web workers) each try three wrong codes, then the right one
    first = run_in_a_new_process(GUESSES.format(codes=["000000"] * 3, number=case.number), **env)
    second = run_in_a_new_process(
        GUESSES.format(codes=["111111"] * 3 + [code], number=case.number), **env
    )
    # then only five tries were allowed in all, and the right code comes too late
    assert first == ["wrong", "wrong", "wrong"]
    assert second == ["wrong", "wrong", "limited", "limited"]


# --- Open311 posts, through the whole request -------------------------------------------------

POSTS = """
import json, django
django.setup()
from django.test.utils import setup_test_environment
setup_test_environment()
from django.test import Client
client = Client(REMOTE_ADDR={address!r})
data = {{"service_code": "noise", "lat": "39.91", "long": "116.39",
        "description": "广场舞音响太吵", "api_key": {key!r}}}
print(json.dumps([client.post("/open311/v2/requests.json", data).status_code
                  for _ in range({count})]))
"""


def test_open311_posts_of_one_client_are_limited_across_two_processes(
    category,  # noqa: F811
    shared_cache,
):
    # given a client allowed three posts (a day, so that no window ends during the test),
    # counted by every web worker together
    _client, key = open311_client_create(name="City app")
    env = {**shared_cache, "RATE_LIMIT_OPEN311_POST_CLIENT": "3/d"}
    # when one worker takes two posts, and another three more from another address
    first = run_in_a_new_process(POSTS.format(address="203.0.113.9", key=key, count=2), **env)
    second = run_in_a_new_process(POSTS.format(address="198.51.100.4", key=key, count=3), **env)
    # then three were filed in all, and the rest refused with 429
    assert first == [201, 201]
    assert second == [201, 429, 429]


# --- code sends to one phone --------------------------------------------------------------------

SENDS = """
import json, django
django.setup()
from apps.accounts.services import verification_code_send
from apps.core.exceptions import TooManyAttemptsError
results = []
for _ in range({count}):
    try:
        verification_code_send(purpose="registration", channel="sms", destination="13700137002")
        results.append("sent")
    except TooManyAttemptsError:
        results.append("limited")
print(json.dumps(results))
"""


def test_codes_to_one_phone_are_limited_across_two_processes(shared_cache):
    env = {**shared_cache, "RATE_LIMIT_CODE_SEND": "3/d", "VERIFICATION_CODE_RESEND_SECONDS": "0"}
    first = run_in_a_new_process(SENDS.format(count=2), **env)
    second = run_in_a_new_process(SENDS.format(count=2), **env)
    assert first == ["sent", "sent"]
    assert second == ["sent", "limited"]


# --- simultaneous tries -----------------------------------------------------------------------

HITS = """
import json, django
django.setup()
from apps.core.exceptions import TooManyAttemptsError
from apps.core.limits import limit_hit
results = []
for _ in range({count}):
    try:
        limit_hit(name="open311-post-ip", key=["203.0.113.50"], message="Too many.")
        results.append("allowed")
    except TooManyAttemptsError:
        results.append("limited")
print(json.dumps(results))
"""


def test_simultaneous_tries_in_two_processes_are_all_counted(shared_cache):
    # given a limit of 30, and two processes trying 25 times each at the same moment
    env = {**os.environ, **shared_cache, "RATE_LIMIT_OPEN311_POST_IP": "30/d"}
    env.update(
        PYTHONPATH=str(BASE_DIR),
        DJANGO_SETTINGS_MODULE="tests.settings_integration",
        INTEGRATION_DATABASE_NAME=connection.settings_dict["NAME"],
        SMS_FILE_PATH=os.devnull,
        CELERY_BROKER_URL=integration_broker_url(),
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", HITS.format(count=25)],
            cwd=BASE_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert all(process.returncode == 0 for process in processes), [err for _out, err in outputs]
    results = [json.loads(out.strip().splitlines()[-1]) for out, _err in outputs]
    # then exactly 30 were allowed in all: no try was lost to a race between the processes
    allowed = sum(r.count("allowed") for r in results)
    assert allowed == 30
    assert sum(r.count("limited") for r in results) == 20
