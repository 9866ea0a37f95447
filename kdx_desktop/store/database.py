"""The run-time database handle: the stdlib ``sqlite3`` connection with the few helpers KDX uses.

sqlite-utils declares the schema (``migrations.py``), but importing it costs more at start-up
than everything else the store does (its module body, click, pluggy, dateutil: ~40-55 ms and
~6 MiB of the start measured by ``benchmarks/run.py``). The queries at run time are plain SQL, so
the store runs on this small wrapper, and sqlite-utils is imported only when a migration has to
be applied.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' bookkeeping table
MIGRATION_SET = "kdx"
# The migrations ``migrations.py`` registers, in order; it refuses to load if they differ, so
# the start-up path can tell "nothing to do" without importing sqlite-utils.
RELEASED_MIGRATIONS: tuple[str, ...] = (
    "0001_initial",
    "0002_intake",
    "0003_reviews",
    "0004_void",
    "0005_signatures",
    "0006_catalog_editions",
    "0007_arrival",
    "0008_edition_signatures",
)

Parameters = Sequence[Any] | Mapping[str, Any]
_savepoints = itertools.count(1)  # names need only differ from the enclosing savepoints'


class Database:
    """A connection opened with ``isolation_level=None`` (SQLite's own autocommit), so every
    transaction is an explicit :meth:`atomic` block."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Parameters | None = None) -> sqlite3.Cursor:
        if parameters is None:
            return self.conn.execute(sql)
        return self.conn.execute(sql, parameters)

    @contextmanager
    def atomic(self) -> Iterator[Database]:
        """One transaction; a nested block is a savepoint that rolls back alone
        (the same semantics as sqlite-utils' ``Database.atomic``, which migrations use)."""
        conn = self.conn
        if conn.in_transaction:
            savepoint = f"kdx_{next(_savepoints)}"
            conn.execute(f"SAVEPOINT {savepoint}")
            try:
                yield self
            except BaseException:
                # A RAISE(ROLLBACK) trigger or a disk error can end the whole transaction,
                # savepoints included: cleaning up then would hide the original error.
                if conn.in_transaction:
                    conn.execute(f"ROLLBACK TO SAVEPOINT {savepoint}")
                    conn.execute(f"RELEASE SAVEPOINT {savepoint}")
                raise
            else:
                conn.execute(f"RELEASE SAVEPOINT {savepoint}")
            return
        # IMMEDIATE: the write lock is taken at the start, waiting up to the busy timeout for
        # another writer (an export in progress holds it). A plain BEGIN reads first and fails at
        # once with "database is locked" when another connection committed in between.
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        else:
            try:
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise

    def table_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    def close(self) -> None:
        self.conn.close()


def applied_migrations(db: Database) -> list[str]:
    """Names of KDX's migrations recorded in the database, in the order applied ([] when new)."""
    exists = db.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", [MIGRATIONS_TABLE]
    ).fetchone()
    if exists is None:
        return []
    rows = db.execute(
        f"SELECT name FROM {MIGRATIONS_TABLE} WHERE migration_set = ? ORDER BY rowid", [MIGRATION_SET]
    )
    return [r[0] for r in rows]


def known_migrations() -> tuple[str, ...]:
    """The migrations this KDX knows. Once ``migrations.py`` is loaded its registry is the
    authority (it equals :data:`RELEASED_MIGRATIONS` when it loads; tests may register more)."""
    import sys

    loaded = sys.modules.get(__name__.rpartition(".")[0] + ".migrations")
    if loaded is None:
        return RELEASED_MIGRATIONS
    return tuple(m.name for m in loaded.migrations._migrations)
