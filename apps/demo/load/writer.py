"""Rows into tables in bulk: PostgreSQL `COPY` (psycopg 3), or batched INSERTs on other engines.

A `Table` takes tuples of the columns it was given; every other column of the model gets the
field's default, computed once, so a field another change adds with a default needs nothing
here. Ids are given by the writer (the rows of one case point at each other before any is
written); `sequences_reset` moves the id sequences past them at the end.

`fast_load` (PostgreSQL only) drops the secondary indexes and the unique and foreign-key
constraints of the tables while they are filled and builds them again at the end: one index
build is much cheaper than millions of random index inserts. The constraints come back from
their own definitions (`pg_get_constraintdef`), so a row that breaks one fails the whole load."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connection, connections, models

Row = tuple[Any, ...]


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


class Table:
    """One model's table: buffered rows of `columns`, flushed with COPY or executemany."""

    def __init__(self, model: type[models.Model], columns: Sequence[str]) -> None:
        self.model = model
        self.name = model._meta.db_table
        fields = {field.column: field for field in model._meta.concrete_fields}
        unknown = [column for column in columns if column not in fields]
        if unknown:
            raise ValueError(f"{self.name} has no columns {unknown}")
        self.columns = list(columns)
        missing = [field for column, field in fields.items() if column not in columns]
        self.extra_columns = [field.column for field in missing]
        self.extra_values: Row = tuple(
            field.get_db_prep_save(field.get_default(), connection) for field in missing
        )
        # Other engines get Python values adapted per column; JSON columns arrive as text.
        self.adapters: list[Callable[[Any], Any] | None] = [
            None
            if is_postgresql() or isinstance(fields[column], models.JSONField)
            else _adapter(fields[column])
            for column in self.columns
        ]
        self.rows: list[Row] = []
        self.written = 0
        self._next_id = 0

    def start_ids(self) -> None:
        with connection.cursor() as cursor:
            # The name is one of our own models' tables, never input.
            cursor.execute(f'SELECT MAX(id) FROM "{self.name}"')  # noqa: S608  # nosec B608
            self._next_id = (cursor.fetchone()[0] or 0) + 1

    def new_id(self) -> int:
        value = self._next_id
        self._next_id += 1
        return value

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def take(self) -> list[Row]:
        """The buffered rows, handed over for writing (the buffer starts again empty)."""
        rows, self.rows = self.rows, []
        self.written += len(rows)
        return rows

    def flush(self) -> None:
        self.write(self.take(), wrapper=connection)

    def write(self, rows: list[Row], *, wrapper: Any) -> None:
        """Write rows through `wrapper` (a Django connection; PostgreSQL writes go through its
        psycopg connection directly, so another thread may write for the loading one)."""
        if not rows:
            return
        columns = ", ".join(f'"{c}"' for c in self.columns + self.extra_columns)
        extra = self.extra_values
        if wrapper.vendor == "postgresql":
            with wrapper.connection.cursor() as raw:
                with raw.copy(f'COPY "{self.name}" ({columns}) FROM STDIN') as copy:
                    write = copy.write_row
                    for row in rows:
                        write(row + extra)
            return
        adapters = self.adapters
        marks = ", ".join(["%s"] * (len(self.columns) + len(self.extra_columns)))
        with wrapper.cursor() as cursor:
            cursor.executemany(
                # Table and column names are our own models', never input; values are bound.
                f'INSERT INTO "{self.name}" ({columns}) VALUES ({marks})',  # noqa: S608  # nosec B608
                [
                    tuple(
                        a(v) if a is not None and v is not None else v
                        for a, v in zip(adapters, row, strict=True)
                    )
                    + extra
                    for row in rows
                ],
            )


class BackgroundWriter:
    """Writes the tables' rows on another thread while the next chunk is made (PostgreSQL:
    the server's work and the seeder's overlap); elsewhere it writes at once."""

    def __init__(self) -> None:
        self.wrapper = connections[DEFAULT_DB_ALIAS]  # this thread's, for the other one
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def submit(self, tables: Sequence[Table]) -> None:
        batches = [(table, table.take()) for table in tables]
        self.wait()
        if not is_postgresql():
            for table, rows in batches:
                table.write(rows, wrapper=self.wrapper)
            return

        def run() -> None:
            try:
                for table, rows in batches:
                    table.write(rows, wrapper=self.wrapper)
            except BaseException as exc:  # noqa: BLE001 - re-raised on the loading thread
                self._error = exc

        self._thread = threading.Thread(target=run, name="seed-load-writer")
        self._thread.start()

    def wait(self) -> None:
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error


def _adapter(field: models.Field) -> Callable[[Any], Any] | None:
    if isinstance(field, models.DateTimeField | models.DateField | models.DecimalField):
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def sequences_reset(models_: Sequence[type[models.Model]]) -> None:
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models_)):
            cursor.execute(sql)


# --- PostgreSQL: indexes off while loading ----------------------------------------------------


@contextmanager
def fast_load(tables: Sequence[str], *, log: Callable[[str], None]) -> Iterator[None]:
    """Drop the tables' secondary indexes and unique and foreign-key constraints, yield, then
    build them again (inside the caller's transaction); re-adding a foreign key checks every
    row against it, as the triggers would have."""
    with connection.cursor() as cursor:
        # Check what the transaction wrote so far now: a table with pending checks can't change.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Sorts for the big indexes (8 million audit rows) in memory, not in temporary files.
        cursor.execute("SET LOCAL maintenance_work_mem = '1GB'")
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid), contype "
            "FROM pg_constraint WHERE conrelid = ANY(%s::regclass[]) AND contype IN ('u', 'f') "
            "ORDER BY contype DESC, conname",
            [list(tables)],
        )
        constraints = cursor.fetchall()
        cursor.execute(
            "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = ANY(%s::regclass[]) AND NOT i.indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [list(tables)],
        )
        indexes = cursor.fetchall()
        for table, name, _definition, _kind in constraints:  # foreign keys first ('f' > 'u')
            cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    log(f"indexes off: {len(indexes)} indexes, {len(constraints)} constraints dropped")
    yield
    with connection.cursor() as cursor:
        for position, (_name, definition) in enumerate(indexes, 1):
            cursor.execute(definition)
            log(f"index {position}/{len(indexes)} rebuilt")
        for table, name, definition, _kind in reversed(constraints):  # unique first
            cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            cursor.execute(f"ANALYZE {table}")
    log(f"indexes on: {len(indexes)} indexes, {len(constraints)} constraints rebuilt")
