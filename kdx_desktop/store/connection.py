"""Opening the database: the one function that applies the durable settings.

Every connection KDX makes goes through :func:`connect`, so the settings that make a commit
survive a power cut cannot drift between the window, the command line and the tests.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from ..errors import KdxError
from .database import Database

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


class DatabaseDamaged(KdxError, RuntimeError):
    """The database file failed its integrity check; nothing was written to it."""


class DatabaseUnavailable(KdxError, RuntimeError):
    """The disk or the folder refused (full, read-only, a file that cannot be created): the data
    is not damaged, and no backup should be offered. The message is Vietnamese and says what to do."""


def unavailable(exc: sqlite3.Error, path: Path | str) -> DatabaseUnavailable | None:
    """:class:`DatabaseUnavailable` for a disk or folder refusal at open, else None (damage)."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == _SQLITE_FULL:
        why = "ổ đĩa đã đầy"
        todo = "Hãy giải phóng dung lượng ổ đĩa rồi mở lại KDX."
    elif primary in (_SQLITE_READONLY, _SQLITE_CANTOPEN):
        why = "thư mục hoặc tệp chỉ đọc, hoặc không tạo được tệp ở đó"
        todo = "Hãy bỏ thuộc tính chỉ đọc, hoặc chọn một thư mục dữ liệu ghi được, rồi mở lại KDX."
    elif primary == _SQLITE_IOERR:
        why = "lỗi đọc/ghi ổ đĩa (ổ đĩa có thể đã đầy hoặc bị rút ra)"
        todo = "Hãy kiểm tra ổ đĩa rồi mở lại KDX."
    else:
        return None
    return DatabaseUnavailable(
        f"Không mở được cơ sở dữ liệu “{path}”: {why}. Dữ liệu không bị hỏng và chưa có gì bị ghi. {todo}"
    )


def _sqlite_connect(path: Path | str) -> sqlite3.Connection:
    """The one place SQLite opens the data file (a seam for the read-only tests)."""
    return sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)


def connect(path: Path | str, *, check: bool = True, synchronous: str = "FULL") -> Database:
    """Open ``path`` with the durable settings and (by default) a ``quick_check`` before any write.

    ``synchronous`` exists only so the crash harness can prove that it detects a weaker setting.
    Raises :class:`DatabaseDamaged` when the file is not a healthy SQLite database, and
    :class:`DatabaseUnavailable` when the disk or the folder refuses (full, read-only).
    """
    try:
        conn = _sqlite_connect(path)
    except sqlite3.Error as exc:
        refused = unavailable(exc, path)
        if refused is not None:
            raise refused from exc
        raise DatabaseDamaged(f"Không mở được cơ sở dữ liệu {path}: {exc}") from exc
    try:
        if check:
            _quick_check(conn, path)
        for name, value, _ in DURABLE_PRAGMAS:
            if name == "synchronous":
                value = synchronous
            conn.execute(f"PRAGMA {name}={value}")
        # As sqlite-utils set it on every connection before the store ran on plain sqlite3: with
        # it, REPLACE's implicit deletes fire delete triggers too (the audit's append-only guard).
        conn.execute("PRAGMA recursive_triggers=ON")
    except sqlite3.DatabaseError as exc:
        conn.close()
        refused = unavailable(exc, path)
        if refused is not None:
            raise refused from exc
        raise DatabaseDamaged(f"Cơ sở dữ liệu {Path(path).name} bị hỏng: {exc}") from exc
    return Database(conn)


def _quick_check(conn: sqlite3.Connection, path: Path | str) -> None:
    rows = conn.execute("PRAGMA quick_check").fetchall()
    if rows != [("ok",)]:
        detail = "; ".join(str(r[0]) for r in rows[:3])
        conn.close()
        raise DatabaseDamaged(f"Cơ sở dữ liệu {Path(path).name} bị hỏng ({detail})")


def read_pragmas(db: Database) -> dict[str, object]:
    """Current values of the durable settings (for tests and the self-test)."""
    return {name: db.execute(f"PRAGMA {name}").fetchone()[0] for name, _, _ in DURABLE_PRAGMAS}


# Primary SQLite result codes that mean "the disk refused", not "the data is wrong".
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
_SQLITE_READONLY, _SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 8, 10, 13, 14


def is_busy(exc: sqlite3.Error) -> bool:
    """Another connection held the database past the busy timeout (not a disk failure)."""
    code = getattr(exc, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)


def storage_problem(exc: sqlite3.Error) -> str | None:
    """Vietnamese message when ``exc`` is a disk failure (full, I/O error, read-only) or another
    writer held the database past the busy timeout, else None.

    SQLite has rolled the transaction back by then, so the message can say nothing was changed."""
    code = getattr(exc, "sqlite_errorcode", None)
    primary = code & 0xFF if isinstance(code, int) else None
    if primary in (_SQLITE_BUSY, _SQLITE_LOCKED):
        return (
            "Dữ liệu đang được một thao tác khác ghi (ví dụ đang xuất báo cáo hoặc nhập gói) nên thay đổi "
            "chưa được lưu (dữ liệu vẫn như trước). Hãy chờ thao tác đó xong rồi thử lại."
        )
    if primary == _SQLITE_FULL:
        return "Ổ đĩa đã đầy nên thay đổi chưa được lưu (dữ liệu vẫn như trước). Hãy giải phóng dung lượng rồi thử lại."
    if primary in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        return (
            "Lỗi ghi ổ đĩa nên thay đổi chưa được lưu (dữ liệu vẫn như trước). "
            "Hãy kiểm tra ổ đĩa (có thể đã đầy hoặc bị rút ra) rồi thử lại."
        )
    if primary == _SQLITE_READONLY:
        return "Không ghi được vào cơ sở dữ liệu (tệp hoặc thư mục chỉ đọc) nên thay đổi chưa được lưu."
    return None
