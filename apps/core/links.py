"""Absolute links to the portal, for SMS, email, letters and QR codes.

`PORTAL_BASE_URL` names the portal's public address; production refuses to start without it
(`portal/settings.py`). On the development default a page being served names its own host, and
work without a request (Celery, management commands) falls back to that default."""

from django.conf import settings
from django.http import HttpRequest

DEVELOPMENT_BASE_URL = "http://127.0.0.1:8000"


def portal_base_url(*, request: HttpRequest | None = None) -> str:
    """The portal's address without a trailing slash."""
    configured = (getattr(settings, "PORTAL_BASE_URL", "") or "").rstrip("/")
    if configured and configured != DEVELOPMENT_BASE_URL:
        return configured
    if request is not None:
        # get_host() checks ALLOWED_HOSTS: a forged Host header never reaches a link.
        return request.build_absolute_uri("/").rstrip("/")
    return configured or DEVELOPMENT_BASE_URL


def portal_url(*, path: str, request: HttpRequest | None = None) -> str:
    """`path` (e.g. from reverse()) as an absolute link; an absolute `path` is kept."""
    if not path or not path.startswith("/") or path.startswith("//"):
        return path
    return portal_base_url(request=request) + path
