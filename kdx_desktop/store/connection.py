"""Opening the database: the one function that applies the durable settings.

Every connection KDX makes goes through :func:`connect`, so the settings that make a commit
survive a power cut cannot drift between the window, the command line and the tests.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import sqlite_utils

# (pragma, value, expected read-back). WAL with synchronous=FULL makes every commit durable on
# return (the WAL is fsynced at each commit); foreign keys are off by default in SQLite;
# trusted_schema=OFF stops a crafted schema from running functions; the busy timeout lets a
# backup or a second reader wait instead of failing.
DURABLE_PRAGMAS: tuple[tuple[str, str, object], ...] = (
    ("journal_mode", "WAL", "wal"),
    ("synchronous", "FULL", 2),
    ("foreign_keys", "ON", 1),
    ("trusted_schema", "OFF", 0),
    ("busy_timeout", "5000", 5000),
)


class DatabaseDamaged(RuntimeError):
    """The database file failed its integrity check; nothing was written to it."""


def connect(path: Path | str, *, check: bool = True, synchronous: str = "FULL") -> sqlite_utils.Database:
    """Open ``path`` with the durable settings and (by default) a ``quick_check`` before any write.

    ``synchronous`` exists only so the crash harness can prove that it detects a weaker setting.
    Raises :class:`DatabaseDamaged` when the file is not a healthy SQLite database.
    """
    try:
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise DatabaseDamaged(f"Không mở được cơ sở dữ liệu {path}: {exc}") from exc
    try:
        if check:
            _quick_check(conn, path)
        for name, value, _ in DURABLE_PRAGMAS:
            if name == "synchronous":
                value = synchronous
            conn.execute(f"PRAGMA {name}={value}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseDamaged(f"Cơ sở dữ liệu {Path(path).name} bị hỏng: {exc}") from exc
    return sqlite_utils.Database(conn)


def _quick_check(conn: sqlite3.Connection, path: Path | str) -> None:
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        detail = "; ".join(str(r[0]) for r in rows[:3])
        conn.close()
        raise DatabaseDamaged(f"Cơ sở dữ liệu {Path(path).name} bị hỏng ({detail})")


def read_pragmas(db: sqlite_utils.Database) -> dict[str, object]:
    """Current values of the durable settings (for tests and the self-test)."""
    return {name: db.execute(f"PRAGMA {name}").fetchone()[0] for name, _, _ in DURABLE_PRAGMAS}
