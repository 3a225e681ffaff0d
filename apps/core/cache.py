"""The embedded default's cache: Django's DatabaseCache with an increment that counts every try.

Django's own `DatabaseCache.incr` is `get` then `set` (BaseCache): two processes incrementing
at once both write the same new value (one try is lost), and `set` gives the row the default
timeout, so a count meant to last an hour vanished five minutes after the last try. Here the
row is locked (SELECT ... FOR UPDATE on PostgreSQL; SQLite admits one writer at a time and
refuses the other, which then raises ValueError, so a rate limit refuses rather than lets
through) and its expiry is kept, as Redis' INCRBY does. `add` needs no change: it inserts under
the primary key, and of two processes adding the same key one wins and the other returns False.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends import db
from django.db import DatabaseError, connections, models, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(db.DatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        cache_key = self.make_and_validate_key(key, version=version)
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)  # type: ignore[attr-defined]
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        value_col, expires_col, key_col = (quote_name(c) for c in ("value", "expires", "cache_key"))
        # Names only the configured table and its columns, quoted; the key is a parameter.
        select = f"SELECT {value_col}, {expires_col} FROM {table} WHERE {key_col} = %s{lock}"  # noqa: S608  # nosec B608
        # The same names; the value and the key are parameters (as in Django's DatabaseCache).
        update = f"UPDATE {table} SET {value_col} = %s WHERE {key_col} = %s"  # noqa: S608  # nosec B608
        try:
            with transaction.atomic(using=alias), connection.cursor() as cursor:
                cursor.execute(select, [cache_key])
                row = cursor.fetchone()
                if row is None or self._expired(connection, row[1]):
                    raise ValueError(f"Key '{key}' not found.")
                stored = base64.b64decode(connection.ops.process_clob(row[0]).encode())
                # Written by this cache itself, never by a user (Django's DatabaseCache reads so).
                value = pickle.loads(stored)  # noqa: S301  # nosec B301
                value += delta
                pickled = base64.b64encode(pickle.dumps(value, self.pickle_protocol))
                cursor.execute(update, [pickled.decode("latin1"), cache_key])
        except DatabaseError as exc:
            raise ValueError(f"Key '{key}' could not be incremented: {exc}") from exc
        return value

    @staticmethod
    def _expired(connection: Any, expires: Any) -> bool:
        expression = models.Expression(output_field=models.DateTimeField())
        for converter in connection.ops.get_db_converters(
            expression
        ) + expression.get_db_converters(connection):
            expires = converter(expires, expression, connection)
        return bool(expires < tz_now())
