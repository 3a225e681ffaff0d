"""The portal's one settings module: every production toggle is an environment
variable with a safe default. `DJANGO_ENV=production` turns the defaults strict."""

import os
from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PORTAL_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
PRODUCTION = DJANGO_ENV == "production"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("DJANGO_ENV=production needs SECRET_KEY.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"  # noqa: S105

DEBUG = env_bool("DEBUG", not PRODUCTION)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "django_fsm",
    "django_otp",
    # Third-party apps under translated admin names (apps/core/third_party_apps.py).
    "apps.core.third_party_apps.OtpTotpConfig",
    "apps.core.third_party_apps.OtpStaticConfig",
    "apps.core.third_party_apps.AxesConfig",
    "csp",
    "pgtrigger",
    "apps.core.third_party_apps.OAuth2ProviderConfig",
    "apps.core",
    "apps.audit",
    "apps.accounts",
    "apps.notifications",
    "apps.signatures",
    "apps.documents",
    "apps.catalog",
    "apps.cases",
    "apps.complaints",
    "apps.certificates",
    "apps.feedback",
    "apps.helpdesk",
    "apps.events",
    "apps.systems",
    "apps.metrics",
    "apps.privacy",
    "apps.retention",
]
if not PRODUCTION:
    # `seed_demo` and the demo data (apps/demo/data/): for `make run` and the tests only.
    INSTALLED_APPS.append("apps.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "apps.core.input_guard.RefuseUnstorableTextMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "apps.accounts.middleware.StaffTwoFactorMiddleware",
    "apps.core.middleware.CareModeMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "apps.core.context_processors.portal",
                "apps.notifications.context_processors.notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
if PRODUCTION and DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
    raise ImproperlyConfigured("DJANGO_ENV=production needs a PostgreSQL DATABASE_URL.")
# A streaming read replica of the primary: the pages wrapped in `read_from_replica()` (the
# metrics, the open-data exports, the Open311 searches, the catalogue) read from it, everything
# else from the primary (apps/core/db_router.py). Unset: one database, no router.
DATABASE_ROUTERS: list[str] = []
if os.environ.get("REPLICA_DATABASE_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["REPLICA_DATABASE_URL"],
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
    # Tests run against one database: the replica alias reads the test primary.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    if PRODUCTION and DATABASES["replica"]["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("REPLICA_DATABASE_URL must be a PostgreSQL database.")
    DATABASE_ROUTERS = ["apps.core.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts, 2FA, lock-out ------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "apps.accounts.backends.EmailOrPhoneBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Citizen Portal")
# One-time codes sent by email or SMS (registration, signing).
VERIFICATION_CODE_TTL = timedelta(
    minutes=int(os.environ.get("VERIFICATION_CODE_TTL_MINUTES", "10"))
)
VERIFICATION_CODE_MAX_ATTEMPTS = int(os.environ.get("VERIFICATION_CODE_MAX_ATTEMPTS", "5"))
# No new code (registration, signing) to the same person within this time.
VERIFICATION_CODE_RESEND_AFTER = timedelta(
    seconds=int(os.environ.get("VERIFICATION_CODE_RESEND_SECONDS", "60"))
)
API_TOKEN_TTL = timedelta(hours=int(os.environ.get("API_TOKEN_TTL_HOURS", "12")))

# Failed sign-ins are counted in the database (AccessAttempt rows), shared by every web worker;
# AxesCacheHandler would count in the cache instead.
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_LOCKOUT_CALLABLE = "apps.accounts.lockout.lockout_response"
AXES_VERBOSE = False
# The HTTP status of the lock-out page: 429 says "too many attempts" to people and robots.
AXES_HTTP_RESPONSE_CODE = 429

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

# --- Static and media ------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
STORAGES: dict[str, dict[str, Any]] = {
    "default": {
        "BACKEND": os.environ.get(
            "MEDIA_STORAGE_BACKEND", "django.core.files.storage.FileSystemStorage"
        )
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
if os.environ.get("STORAGE_S3_BUCKET"):
    # Attachments and issued documents in an S3-compatible object store (MinIO, Ceph, a cloud's
    # S3), shared by every web node and worker. Private objects, fetched only by the
    # permission-checked views (never a public or signed URL handed to the browser).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["STORAGE_S3_BUCKET"],
            "endpoint_url": os.environ.get("STORAGE_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("STORAGE_S3_REGION") or None,
            "access_key": os.environ.get("STORAGE_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("STORAGE_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("STORAGE_S3_PREFIX", ""),
            "file_overwrite": False,
            "querystring_auth": True,
            "addressing_style": os.environ.get("STORAGE_S3_ADDRESSING_STYLE") or None,
        },
    }
# In development WhiteNoise serves straight from the finders; production serves collected files.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email and SMS ----------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "portal@example.gov")
SMS_BACKEND = os.environ.get("SMS_BACKEND", "apps.core.sms.ConsoleFileSmsBackend")
SMS_FILE_PATH = os.environ.get("SMS_FILE_PATH", str(VAR_DIR / "sms.jsonl"))
# The domain of the Message-ID of notification emails (lets mail systems fold a rare duplicate).
NOTIFICATIONS_EMAIL_DOMAIN = os.environ.get("NOTIFICATIONS_EMAIL_DOMAIN", "portal.invalid")

# Webhooks for departments' systems (apps/events, docs/integration.md): attempt n waits
# base × 2^(n-1) seconds, capped; 13 attempts from 60 s with a 6 h cap span about 26.5 hours.
EVENTS_RETRY_BASE_SECONDS = int(os.environ.get("EVENTS_RETRY_BASE_SECONDS", "60"))
EVENTS_RETRY_MAX_SECONDS = int(os.environ.get("EVENTS_RETRY_MAX_SECONDS", str(6 * 3600)))
EVENTS_MAX_ATTEMPTS = int(os.environ.get("EVENTS_MAX_ATTEMPTS", "13"))
EVENTS_HTTP_TIMEOUT_SECONDS = 10
EVENTS_CELERY_QUEUE = os.environ.get("EVENTS_CELERY_QUEUE", "")

# The service API for departments' systems: OAuth2 (django-oauth-toolkit), in portal/oauth2.py.
from .oauth2 import OAUTH2_PROVIDER, OAUTH2_PROVIDER_APPLICATION_MODEL  # noqa: E402, F401

# --- Celery ----------------------------------------------------------------
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# Without a broker the embedded default runs tasks in-process.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # With acks_late, a task whose worker died is delivered again after this many seconds.
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
CELERY_BEAT_SCHEDULE = {
    # The retention schedule: anonymise cases past their period, propose destruction lists.
    "retention-daily": {
        "task": "apps.retention.tasks.retention_run_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Warnings, deemed consent (默认同意) and escalation (督办); each step is idempotent.
    "deadlines-sweep": {
        "task": "apps.cases.tasks.deadlines_sweep_task",
        "schedule": crontab(minute=5),
    },
    # The complaints' hour-based clock: 签收 reminders, 督办 and 催办; each step is idempotent.
    "complaints-clock-sweep": {
        "task": "apps.complaints.tasks.complaint_clock_sweep_task",
        "schedule": crontab(minute=5),
    },
    # Rating invitations by SMS 3 days after an outcome; unrated cases close after the window.
    "feedback-sweep": {
        "task": "apps.feedback.tasks.feedback_sweep_task",
        "schedule": crontab(minute=15),
    },
    # One PDF per service point with every letter due to its assisted residents.
    "helpdesk-print-batches": {
        "task": "apps.helpdesk.tasks.print_batches_daily_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # The audit chain's head in the log, kept outside the database (docs/deploy.md).
    "audit-anchor": {
        "task": "apps.audit.tasks.audit_anchor_task",
        "schedule": crontab(hour=0, minute=10),
    },
    # The metrics' daily rollups take in the days changed since their watermark.
    "metrics-rollups-catch-up": {
        "task": "apps.metrics.tasks.metrics_rollups_catch_up_task",
        "schedule": crontab(),
    },
    # Expired access tokens of departments' systems (apps/systems) are deleted.
    "systems-tokens-clear": {
        "task": "apps.systems.tasks.system_tokens_clear_task",
        "schedule": crontab(hour=3, minute=40),
    },
    # Events whose after-commit numbering did not run get their place in the feed.
    "events-sequence": {"task": "apps.events.tasks.events_sequence_task", "schedule": 60.0},
    # Webhook deliveries long overdue (the broker was down at commit) go again.
    "events-requeue-stale": {
        "task": "apps.events.tasks.requeue_stale_deliveries",
        "schedule": crontab(minute="*/5"),
    },
    # Email and SMS still queued after 15 minutes (the broker was down at commit) go again.
    "notifications-requeue-stale": {
        "task": "apps.notifications.tasks.requeue_stale_notifications",
        "schedule": crontab(minute="*/5"),
    },
    # Holders told CERTIFICATE_EXPIRY_NOTICE_DAYS before a certificate expires (once each).
    "certificates-expiry-notices": {
        "task": "apps.certificates.tasks.certificate_expiry_notices_task",
        "schedule": crontab(hour=8, minute=0),
    },
    # "Download my data" ZIPs past DATA_EXPORT_DAYS are deleted (the row keeps the digest).
    "privacy-exports-purge": {
        "task": "apps.privacy.tasks.data_exports_purge_task",
        "schedule": crontab(hour=3, minute=20),
    },
}

# --- A resident's data (apps/privacy) -------------------------------------------
# How long a "download my data" ZIP is kept for the resident.
DATA_EXPORT_DAYS = int(os.environ.get("DATA_EXPORT_DAYS", "7"))
RETENTION_BATCH_SIZE = int(os.environ.get("RETENTION_BATCH_SIZE", "200"))
CERTIFICATE_EXPIRY_NOTICE_DAYS = int(os.environ.get("CERTIFICATE_EXPIRY_NOTICE_DAYS", "30"))
# The resident's "who looked at my case" page names departments and roles; a city that
# chooses to show the staff member's name too sets this.
CASE_VIEWS_SHOW_NAMES = os.environ.get("CASE_VIEWS_SHOW_NAMES", "") == "1"

# --- Caches -------------------------------------------------------------------
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["CACHE_URL"],
    }
    if os.environ.get("CACHE_URL")
    # Without Redis, a table in the database: every web worker must see the same counts (the
    # attempt limits live in the cache), which a per-process memory cache would multiply. The
    # portal's DatabaseCache counts simultaneous tries too (apps/core/cache.py). Past
    # MAX_ENTRIES rows it drops expired ones, then a third of the rest (live counts too):
    # Django's default of 300 would let many keys flush the limits.
    else {
        "BACKEND": "apps.core.cache.DatabaseCache",
        "LOCATION": "portal_cache",
        "OPTIONS": {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "50000"))},
    }
}
# Rate limits (apps/core/limits.py), counted in the default cache: {"name": "count/period"}
# overrides DEFAULT_RATES there (complaint-track 5/15m, code-send 5/h per phone or email,
# code-send-ip 20/h, signing-code-wrong 10/h per user, open311-post-client 600/h per API key,
# open311-post-ip 60/h, oauth-token-ip 120/h, oauth-token-client 30/h per client id).
RATE_LIMITS = {
    name[len("RATE_LIMIT_") :].lower().replace("_", "-"): value
    for name, value in os.environ.items()
    if name.startswith("RATE_LIMIT_") and value
}

# --- REST API -------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "apps.accounts.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "apps.core.schema.PortalAutoSchema",
    "EXCEPTION_HANDLER": "apps.core.api.exception_handler",
    # No default pagination: every list pages by keyset (apps/core/pagination.py).
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Citizen services portal API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Request bodies get their own components, with what input must be (non-blank strings,
    # no read-only fields): the contract states the constraints the serializers check.
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security ----------------------------------------------------------------
# Sessions live in the database, so every web node behind the load balancer sees them; with
# Redis as CACHE_URL, SESSION_ENGINE=django.contrib.sessions.backends.cached_db reads them from
# the cache first (docs/deploy.md).
SESSION_ENGINE = os.environ.get("SESSION_ENGINE", "django.contrib.sessions.backends.db")
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000" if PRODUCTION else "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = (os.environ["SECURE_PROXY_SSL_HEADER"], "https")

# No inline script anywhere: scripts are files under static/.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
    }
}

# --- Portal ------------------------------------------------------------------------
PORTAL_NAME = _("Citizen Services Portal")
# Absolute address of the portal, in every SMS, email, letter and QR code
# (`apps.core.links.portal_url`). Required in production; on the development default a page
# being served names its own host instead.
PORTAL_BASE_URL = os.environ.get("PORTAL_BASE_URL", "" if PRODUCTION else "http://127.0.0.1:8000")
if PRODUCTION and not PORTAL_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        "DJANGO_ENV=production needs PORTAL_BASE_URL, the portal's public address "
        "(e.g. https://portal.city.gov.cn)."
    )

# --- Feedback (好差评) -----------------------------------------------------------------------
FEEDBACK_RATING_WINDOW_DAYS = int(os.environ.get("FEEDBACK_RATING_WINDOW_DAYS", "15"))
FEEDBACK_RECTIFICATION_DAYS = int(os.environ.get("FEEDBACK_RECTIFICATION_DAYS", "5"))
# How long a signed rating link sent to a reporter without an account stays valid (days).
FEEDBACK_RATING_LINK_DAYS = int(os.environ.get("FEEDBACK_RATING_LINK_DAYS", "15"))
# Shared secret of the SMS gateway posting rating replies to /api/v1/sms/inbound/ (unset: off).
SMS_INBOUND_TOKEN = os.environ.get("SMS_INBOUND_TOKEN", "")

# --- Service desk (帮办) ---------------------------------------------------------------------
# How long a look-up (full ID number or phone, with a reason) lets that counter staff member open
# the resident found; a valid mandate or an assisted account of their service point needs none.
HELPDESK_LOOKUP_MINUTES = int(os.environ.get("HELPDESK_LOOKUP_MINUTES", "30"))

# --- Open311 GeoReport v2 -----------------------------------------------------------------------
# Keys that may POST requests, besides the Open311Client rows (comma-separated).
OPEN311_API_KEYS = env_list("OPEN311_API_KEYS")
# The one jurisdiction this endpoint serves: a request naming another `jurisdiction_id` is 404.
OPEN311_JURISDICTION_ID = os.environ.get("OPEN311_JURISDICTION_ID", "")

# --- Signing keys (PAdES seals) ---------------------------------------------------------
# Development: `manage.py init_signing_keys` writes a CA and seal certificates here.
SIGNING_KEYS_DIR = Path(os.environ.get("SIGNING_KEYS_DIR", VAR_DIR / "keys"))
# Production: the portal's seal as a PKCS#12 file (departments may have their own in the dir).
SIGNING_PKCS12_PATH = os.environ.get("SIGNING_PKCS12_PATH", "")
SIGNING_PKCS12_PASSWORD = os.environ.get("SIGNING_PKCS12_PASSWORD", "")
# PEM files of the CAs whose seals /verify/ trusts (the development CA is always trusted).
SIGNING_TRUST_ROOTS = env_list("SIGNING_TRUST_ROOTS")
SILENCED_SYSTEM_CHECKS: list[str] = []

# --- PDF fonts ------------------------------------------------------------------------------
# Small CJK faces cut from the system's Noto CJK on first use (apps/core/pdf_fonts.py).
PDF_FONTS_DIR = Path(os.environ.get("PDF_FONTS_DIR", VAR_DIR / "pdf-fonts"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
