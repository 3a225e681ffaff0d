"""Open311 clients: the systems that may POST service requests, each with its API key."""

from __future__ import annotations

import hashlib
import secrets

from django.utils.translation import gettext as _

from apps.core.limits import limit_hit

from ..models import Open311Client


def open311_key_digest(*, key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open311_client_create(*, name: str) -> tuple[Open311Client, str]:
    """A new client and its API key (shown once; only the digest is kept)."""
    key = secrets.token_urlsafe(24)
    client = Open311Client.objects.create(name=name, key_hash=open311_key_digest(key=key))
    return client, key


def open311_post_count(*, client_ip: str, api_key: str = "") -> None:
    """Count one POST of a service request: every one from `client_ip` (so guessing keys is
    limited too), and with `api_key` (already checked) every one of that client, from any
    address. Past RATE_LIMITS["open311-post-ip"] or ["open311-post-client"], counted for every
    web worker together, a TooManyAttemptsError (429) says how long to wait."""
    if api_key:
        limit_hit(
            name="open311-post-client",
            key=[open311_key_digest(key=api_key)],
            message=_("Too many service requests with this API key."),
        )
    else:
        limit_hit(
            name="open311-post-ip",
            key=[client_ip],
            message=_("Too many service requests from this address."),
        )
