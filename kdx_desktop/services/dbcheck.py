"""Checking a database file without writing to it.

Opening a damaged database is itself dangerous: SQLite applies whatever ``-wal`` file lies next
to the database and, when the last connection closes, copies it into the main file — so a
foreign WAL left beside the database would be written into it by the very open that finds the
problem. Every check here reads the header bytes directly, then works on a private copy (main file
plus ``-wal``) in a temporary folder; the user's files are never opened by SQLite until they have
passed.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import describe_os_error

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_MAGICS = (0x377F0682, 0x377F0683)
WAL_HEADER_SIZE = 32

GARBAGE, TRUNCATED, BAD_WAL, CORRUPT, NOT_KDX, UNREADABLE, UNCHECKED = (
    "garbage",
    "truncated",
    "bad_wal",
    "corrupt",
    "not_kdx",
    "unreadable",
    "unchecked",  # the private copy could not be made (e.g. the disk is full): says nothing about the file
)


class UnusableDatabase(RuntimeError):
    """A database file that must not be used; the message is Vietnamese and names the file."""

    def __init__(self, message: str, kind: str = CORRUPT) -> None:
        super().__init__(message)
        self.kind = kind


@dataclass(frozen=True)
class Damage:
    """What is wrong with the data folder's database (``kind`` is one of the constants above)."""

    kind: str
    message: str


def _known_migrations() -> set[str]:
    from ..store.migrations import migrations

    return {m.name for m in migrations._migrations}


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows in every table, including the migrations bookkeeping."""
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_stat%' ORDER BY name"
        )
    ]
    return {n: int(conn.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0]) for n in names}


def check_connection(conn: sqlite3.Connection, shown: str) -> dict[str, int]:
    """Integrity, KDX schema and version of an open database; its row counts when all is well."""
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        raise UnusableDatabase(f"Tệp “{shown}” bị hỏng ({exc}).", CORRUPT) from exc
    if rows != [("ok",)]:
        detail = str(rows[0][0]).replace("*** in database main ***", "").strip().splitlines()[0]
        raise UnusableDatabase(f"Tệp “{shown}” bị hỏng (kiểm tra toàn vẹn: {detail}).", CORRUPT)
    counts = table_counts(conn)
    if "_sqlite_migrations" not in counts or not {"reports", "entries", "audit"} <= counts.keys():
        raise UnusableDatabase(f"Tệp “{shown}” không phải là cơ sở dữ liệu KDX.", NOT_KDX)
    applied = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations WHERE migration_set = 'kdx'")]
    if not applied:
        raise UnusableDatabase(f"Tệp “{shown}” không phải là cơ sở dữ liệu KDX.", NOT_KDX)
    unknown = [n for n in applied if n not in _known_migrations()]
    if unknown:
        raise UnusableDatabase(
            f"Tệp “{shown}” được tạo bởi phiên bản KDX mới hơn (có thay đổi “{unknown[-1]}”). "
            "Hãy cập nhật KDX trước khi dùng tệp này.",
            "newer",
        )
    return counts


def _check_copy(path: Path, *, with_wal: bool) -> dict[str, int]:
    with tempfile.TemporaryDirectory(prefix="kdx-check-") as tmp:
        copy = Path(tmp) / "check.sqlite3"
        try:
            shutil.copyfile(path, copy)
            wal = path.with_name(path.name + "-wal")
            if with_wal and wal.is_file():
                shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
        except OSError as exc:
            raise UnusableDatabase(describe_os_error(exc, path), UNCHECKED) from exc
        try:
            conn = sqlite3.connect(str(copy))
        except sqlite3.Error as exc:
            raise UnusableDatabase(f"Không kiểm tra được tệp “{path}” ({exc}).", UNCHECKED) from exc
        try:
            return check_connection(conn, str(path))
        except sqlite3.DatabaseError as exc:
            raise UnusableDatabase(f"Tệp “{path}” bị hỏng ({exc}).", CORRUPT) from exc
        finally:
            conn.close()


def check_file(path: Path) -> dict[str, int]:
    """Check a database or backup file (with its ``-wal``, if any) on a private copy. Returns its
    row counts, or raises :class:`UnusableDatabase` saying why it cannot be used."""
    path = Path(path)
    if not path.is_file():
        raise UnusableDatabase(f"Không tìm thấy tệp “{path}”.", UNREADABLE)
    _check_header(path)
    _check_wal(path)
    return _check_copy(path, with_wal=True)


def _read(path: Path, n: int) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(n)
    except OSError as exc:
        raise UnusableDatabase(describe_os_error(exc, path), UNREADABLE) from exc


def _page_size(raw: int) -> int:
    return 65536 if raw == 1 else raw


def _check_header(path: Path) -> int:
    """Header sanity (magic, page size, size in pages vs file size); returns the page size."""
    head = _read(path, 100)
    if len(head) < 100 or head[:16] != SQLITE_MAGIC:
        raise UnusableDatabase(
            f"Tệp “{path}” không phải là cơ sở dữ liệu SQLite hợp lệ (nội dung bị ghi đè hoặc hỏng).", GARBAGE
        )
    page_size = _page_size(struct.unpack(">H", head[16:18])[0])
    if page_size < 512 or page_size > 65536 or page_size & (page_size - 1):
        raise UnusableDatabase(f"Tệp “{path}” có phần đầu bị hỏng (kích thước trang {page_size}).", GARBAGE)
    change_counter, pages = struct.unpack(">II", head[24:32])
    valid_for = struct.unpack(">I", head[92:96])[0]
    size = path.stat().st_size
    # The in-header size is trustworthy only when "version-valid-for" matches the change counter.
    if pages and valid_for == change_counter and size < pages * page_size:
        raise UnusableDatabase(
            f"Tệp “{path}” bị cắt cụt: chỉ còn {size} trên {pages * page_size} byte.", TRUNCATED
        )
    if size % page_size:
        raise UnusableDatabase(
            f"Tệp “{path}” bị cắt cụt hoặc bị ghi thêm dữ liệu lạ ({size} byte).", TRUNCATED
        )
    return page_size


def _check_wal(path: Path) -> None:
    """A ``-wal`` next to the database must be a WAL of the same page size (SQLite would apply it)."""
    wal = path.with_name(path.name + "-wal")
    if not wal.is_file() or wal.stat().st_size == 0:
        return
    head = _read(wal, WAL_HEADER_SIZE)
    if head.count(0) == len(head):
        return  # never written: SQLite ignores it
    if len(head) < WAL_HEADER_SIZE:
        return  # a header torn before its first commit: SQLite ignores it, nothing committed is in it
    magic, _version, wal_page = struct.unpack(">III", head[:12])
    if magic not in WAL_MAGICS:
        raise UnusableDatabase(
            f"Tệp nhật ký “{wal.name}” cạnh cơ sở dữ liệu không phải của SQLite (bị hỏng hoặc bị chép nhầm vào).",
            BAD_WAL,
        )
    db_page = _page_size(struct.unpack(">H", _read(path, 18)[16:18])[0])
    if wal_page != db_page:
        raise UnusableDatabase(
            f"Tệp nhật ký “{wal.name}” không thuộc cơ sở dữ liệu này (kích thước trang {wal_page} "
            f"khác {db_page}); có thể nó được chép từ nơi khác.",
            BAD_WAL,
        )


def inspect_database(db_file: Path) -> Damage | None:
    """``None`` when the data folder's database is healthy (or does not exist yet: a new folder),
    else what is wrong — found before anything is written to it."""
    db_file = Path(db_file)
    wal = db_file.with_name(db_file.name + "-wal")
    if not db_file.exists() or db_file.stat().st_size == 0:
        if wal.exists() and wal.stat().st_size > 0:
            return Damage(
                BAD_WAL,
                f"Tệp cơ sở dữ liệu “{db_file}” bị mất hoặc rỗng nhưng tệp nhật ký “{wal.name}” còn dữ liệu.",
            )
        return None
    try:
        _check_header(db_file)
        _check_wal(db_file)
        counts_with_wal = _check_copy(db_file, with_wal=True)
    except UnusableDatabase as exc:
        if exc.kind == "newer":
            return None  # healthy; opening it is refused with its own message
        if exc.kind == UNCHECKED:
            # No room for the private copy is no evidence of damage; the open's own quick_check
            # still runs before any write.
            log.warning("could not check %s on a copy: %s", db_file, exc)
            return None
        if exc.kind == CORRUPT and wal.exists() and wal.stat().st_size > 0:
            try:
                _check_copy(db_file, with_wal=False)
            except UnusableDatabase:
                pass
            else:  # the main file alone is fine: it is the WAL that breaks it
                return Damage(
                    BAD_WAL,
                    f"Tệp nhật ký “{wal.name}” không khớp với cơ sở dữ liệu “{db_file.name}” "
                    f"(có thể được chép từ nơi khác): {exc}",
                )
        log.warning("database %s is damaged: %s", db_file, exc)
        return Damage(exc.kind, str(exc))
    log.debug("database %s checked: %s", db_file, counts_with_wal)
    return None
