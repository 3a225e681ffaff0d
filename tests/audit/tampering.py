"""Editing the audit tables behind the portal's back, as the tamper tests do."""

import contextlib
from collections.abc import Iterator

import pytest
from django.db import ProgrammingError, connection, transaction

# What the triggers of apps/audit/models.py answer (django-pgtrigger's Protect, our TRUNCATE).
REFUSED = r"Cannot update or delete rows from audit_auditevent|cannot truncate audit_auditevent"
AUDIT_TABLES = ("audit_auditevent", "audit_auditchainhead", "audit_auditanchor")


@contextlib.contextmanager
def as_table_owner() -> Iterator[None]:
    """Inside, the audit tables' triggers are disabled, as the tables' owner could disable
    them (ALTER TABLE is transactional: the test's rollback undoes it in any case). SQLite has
    no triggers."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        # The test's own inserts leave deferred foreign-key checks pending, which TRUNCATE and
        # ALTER TABLE will not run past; check them now (Django defers its constraints).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in AUDIT_TABLES:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        yield
        for table in AUDIT_TABLES:
            cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def tamper(sql: str, params: list | None = None) -> None:
    """Run `sql` against the audit table. On PostgreSQL the portal's connection is refused
    first; then it runs as the table's owner could run it, with the triggers disabled."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql.replace("TRUNCATE", "DELETE FROM"), params)
            return
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(ProgrammingError, match=REFUSED), transaction.atomic():
            cursor.execute(sql, params)
        with as_table_owner():
            cursor.execute(sql, params)
