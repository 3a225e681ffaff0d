"""Editing the audit table behind the portal's back, as the tamper tests do."""

import pytest
from django.db import ProgrammingError, connection, transaction

# What the triggers of apps/audit/models.py answer (django-pgtrigger's Protect, our TRUNCATE).
REFUSED = r"Cannot update or delete rows from audit_auditevent|cannot truncate audit_auditevent"


def tamper(sql: str, params: list | None = None) -> None:
    """Run `sql` against the audit table. On PostgreSQL the portal's connection is refused
    first; then it runs as the table's owner could run it, with the table's triggers disabled
    for that one statement (and the test's transaction, which undoes the ALTER, rolled back
    at the end). SQLite has no triggers: the statement just runs."""
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute(sql.replace("TRUNCATE", "DELETE FROM"), params)
            return
        # The test's own inserts leave deferred foreign-key checks pending, which TRUNCATE and
        # ALTER TABLE will not run past; check them now (Django defers its constraints).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(ProgrammingError, match=REFUSED), transaction.atomic():
            cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
