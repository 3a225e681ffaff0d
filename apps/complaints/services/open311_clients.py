"""Open311 clients: the systems that may POST service requests, each with its API key."""

from __future__ import annotations

import hashlib
import secrets

from ..models import Open311Client


def open311_key_digest(*, key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def open311_client_create(*, name: str) -> tuple[Open311Client, str]:
    """A new client and its API key (shown once; only the digest is kept)."""
    key = secrets.token_urlsafe(24)
    client = Open311Client.objects.create(name=name, key_hash=open311_key_digest(key=key))
    return client, key
