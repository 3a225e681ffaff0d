"""Test overlay: fast hashers, in-memory mail and SMS, temporary media, eager Celery.

The database comes from DATABASE_URL as in production (CI sets PostgreSQL)."""

import tempfile
from pathlib import Path

from portal.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "apps.core.sms.LocmemSmsBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="portal-test-media-")
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
SECURE_SSL_REDIRECT = False
LANGUAGE_CODE = "zh-hans"
WHITENOISE_AUTOREFRESH = True
SIGNING_KEYS_DIR = Path(tempfile.mkdtemp(prefix="portal-test-keys-"))

# The read replica's alias (apps/core/db_router.py) as a test mirror of the primary. The router
# stays off here (existing tests read everything from `default`); the tests of the router
# turn it on with `settings.DATABASE_ROUTERS`.
DATABASES = {
    **DATABASES,  # noqa: F405
    "replica": {**DATABASES["default"], "TEST": {"MIRROR": "default"}},  # noqa: F405
}
DATABASE_ROUTERS: list[str] = []
