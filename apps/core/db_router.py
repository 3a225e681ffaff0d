"""Reads that may come from the PostgreSQL read replica, and only those.

Nothing goes to the replica by itself. A page that may show data a second or two old (the
metrics dashboard, the open-data exports, the Open311 searches, the public catalogue) says so
explicitly with `read_from_replica()`, as a decorator of the view or a `with` block; inside
it, `ReplicaRouter` sends reads to the `replica` alias, except:

- reads inside a transaction on the primary (`transaction.atomic`, `select_for_update`), and
  every read after the first write in the same block: what a request wrote, it reads back;
- who the user is and what they may do (users, staff roles, sessions, tokens, 2FA devices,
  permissions, lock-outs) and the cache table (the attempt limits): a lagging copy must never
  let a revoked role, a new sign-in or an exhausted limit through.

Writes always go to the primary (`default`). Without REPLICA_DATABASE_URL the router is not
installed and `read_from_replica()` changes nothing (`portal/settings.py`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Model

REPLICA_DB_ALIAS = "replica"

# Read from the primary even inside `read_from_replica()`: who is signed in, their roles and
# grants, tokens and codes, lock-outs, and the DatabaseCache's table (the attempt limits).
PRIMARY_ONLY_APPS = frozenset(
    {"auth", "guardian", "sessions", "otp_totp", "otp_static", "axes", "django_cache"}
)
PRIMARY_ONLY_MODELS = frozenset(
    {"accounts.user", "accounts.staffmembership", "accounts.apitoken", "accounts.verificationcode"}
)


def _primary_only(model: type[Model]) -> bool:
    meta = model._meta
    return meta.app_label in PRIMARY_ONLY_APPS or meta.label_lower in PRIMARY_ONLY_MODELS


@dataclass
class _ReplicaReads:
    wrote: bool = False


_replica_reads: ContextVar[_ReplicaReads | None] = ContextVar("replica_reads", default=None)


@contextmanager
def read_from_replica() -> Iterator[None]:
    """Let the reads of this block (or decorated view) come from the replica, tolerating its
    lag. Nested blocks share the outer one's state (a write anywhere ends replica reads)."""
    if _replica_reads.get() is not None:
        yield
        return
    token = _replica_reads.set(_ReplicaReads())
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replica_reads_active() -> bool:
    """True where a read would go to the replica now (for tests and logging)."""
    reads = _replica_reads.get()
    return (
        reads is not None
        and not reads.wrote
        and REPLICA_DB_ALIAS in connections.settings
        and not connections[DEFAULT_DB_ALIAS].in_atomic_block
    )


class ReplicaRouter:
    """settings.DATABASE_ROUTERS when REPLICA_DATABASE_URL is set."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        # An explicit answer also for the primary: Django would otherwise read an object's
        # relations from the database it came from, and keep reading a replica's object's
        # relations from the replica outside the block.
        if _primary_only(model) or not replica_reads_active():
            return DEFAULT_DB_ALIAS
        return REPLICA_DB_ALIAS

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        reads = _replica_reads.get()
        if reads is not None:
            reads.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        # The replica is a copy of the primary: the same rows.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == DEFAULT_DB_ALIAS
