"""The one rate-limit helper (apps/core/limits.py) and the database cache it counts in."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.utils import translation

from apps.core.exceptions import TooManyAttemptsError
from apps.core.limits import limit_hit, wait_text

DATABASE_CACHE = {
    "default": {"BACKEND": "apps.core.cache.DatabaseCache", "LOCATION": "portal_cache"},
}


def test_a_limit_refuses_past_its_rate_with_the_time_to_wait(settings):
    # given a limit of two tries an hour
    settings.RATE_LIMITS = {"code-send": "2/h"}
    for _ in range(2):
        limit_hit(name="code-send", key=["13700137000"], message="Too many codes.")
    # when a third comes
    with translation.override("en"), pytest.raises(TooManyAttemptsError) as refused:
        limit_hit(name="code-send", key=["13700137000"], message="Too many codes.")
    # then it is refused (429) and says how long to wait, in minutes within the hour
    error = refused.value
    assert error.status_code == 429 and error.code == "throttled"
    assert 0 < error.extra["retry_after"] <= 3600
    assert str(error.message).startswith("Too many codes. Try again in ")
    assert str(error.message).endswith(("minutes.", "minute.", "seconds.", "second."))
    # and another phone number has its own count
    limit_hit(name="code-send", key=["13700137001"], message="Too many codes.")


def test_the_wait_is_said_in_seconds_minutes_or_hours():
    with translation.override("en"):
        assert wait_text(seconds=1) == "1 second"
        assert wait_text(seconds=45) == "45 seconds"
        assert wait_text(seconds=61) == "2 minutes"
        assert wait_text(seconds=15 * 60) == "15 minutes"
        assert wait_text(seconds=3 * 3600) == "3 hours"
    with translation.override("zh-hans"):
        assert wait_text(seconds=30) == "30 秒"
        assert wait_text(seconds=15 * 60) == "15 分钟"


@pytest.fixture
def database_cache(settings, db):
    settings.CACHES = DATABASE_CACHE
    call_command("createcachetable", verbosity=0)
    cache = caches["default"]
    cache.clear()
    yield cache
    cache.clear()


def _expires(key: str):
    cache = caches["default"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT expires FROM portal_cache WHERE cache_key = %s", [cache.make_key(key)]
        )
        return cursor.fetchone()[0]


def test_the_database_cache_counts_on_and_keeps_the_expiry(database_cache):
    # given a count that lasts an hour (Django's own incr would reset it to 300 seconds)
    assert database_cache.add("tries", 1, 3600)
    expires = _expires("tries")
    # when it is incremented
    assert database_cache.incr("tries") == 2
    assert database_cache.incr("tries", 3) == 5
    # then the count is kept, with the expiry it was given
    assert database_cache.get("tries") == 5
    assert _expires("tries") == expires
    # and a missing key is an error, as for every cache
    with pytest.raises(ValueError):
        database_cache.incr("missing")
    # and add does not replace a live count
    assert not database_cache.add("tries", 1, 3600)
    assert database_cache.get("tries") == 5


def test_a_limit_counts_in_the_database_cache(database_cache, settings):
    settings.RATE_LIMITS = {"open311-post-ip": "3/h"}
    for _ in range(3):
        limit_hit(name="open311-post-ip", key=["203.0.113.7"], message="Too many.")
    with pytest.raises(TooManyAttemptsError):
        limit_hit(name="open311-post-ip", key=["203.0.113.7"], message="Too many.")
