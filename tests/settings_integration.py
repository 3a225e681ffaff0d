"""Settings of the real Celery worker started by tests/integration (not for pytest itself).

Overlays tests.settings: tasks go to the Redis broker, SMS are appended to a file that the test
reads, and the database is the test database pytest-django created (its name comes in
INTEGRATION_DATABASE_NAME)."""

import os

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A task whose worker was killed is handed out again after this many seconds...
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "5")),
    # ...and the worker looks for such tasks every second.
    "unacked_restore_interval": 1,
    "unacked_restore_throttle": 1,
}
SMS_BACKEND = os.environ.get("SMS_BACKEND", "apps.core.sms.ConsoleFileSmsBackend")
SMS_FILE_PATH = os.environ["SMS_FILE_PATH"]
DATABASES["default"]["NAME"] = os.environ["INTEGRATION_DATABASE_NAME"]
NOTIFICATIONS_CELERY_QUEUE = os.environ.get("NOTIFICATIONS_CELERY_QUEUE", "")
NOTIFICATIONS_RETRY_BACKOFF = 1
# The portal's own default, shared by every process (tests.settings uses a memory cache): the
# database table, or Redis when INTEGRATION_CACHE_URL names one (as CACHE_URL in production).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["INTEGRATION_CACHE_URL"],
    }
    if os.environ.get("INTEGRATION_CACHE_URL")
    else {"BACKEND": "apps.core.cache.DatabaseCache", "LOCATION": "portal_cache"}
}
