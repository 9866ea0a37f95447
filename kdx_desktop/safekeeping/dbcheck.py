"""Checking a database file without writing to it.

Opening a damaged database is itself dangerous: SQLite applies whatever ``-wal`` file lies next
to the database and, when the last connection closes, copies it into the main file — so a
foreign WAL left beside the database would be written into it by the very open that finds the
problem. Every check here reads the header bytes directly; the user's files are never opened by
SQLite for writing until they have passed.

At start-up (:func:`inspect_database`) the usual case is a database closed cleanly, with no
``-wal``: SQLite then sees exactly the main file, so it is checked in place through a read-only,
``immutable`` open (no lock, no ``-shm``, nothing written), at the cost of one ``quick_check``.
Only when a ``-wal`` holds frames (after a crash or a power cut) is the database checked, with its
``-wal``, on a private copy in a temporary folder — the only way to see what SQLite would make of
the pair without letting it write. Backups and restores (:func:`check_file`) always use the copy
and the full ``integrity_check``.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
import struct
import tempfile
import urllib.parse
from collections.abc import Collection
from pathlib import Path
from typing import NamedTuple

from ..errors import KdxError
from ..fsutil import describe_os_error
from ..store.database import known_migrations
from ..system import files

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
WAL_MAGICS = (0x377F0682, 0x377F0683)
WAL_HEADER_SIZE = 32

GARBAGE, TRUNCATED, BAD_WAL, CORRUPT, NOT_KDX, UNREADABLE, UNCHECKED, NEVER_USED = (
    "garbage",
    "truncated",
    "bad_wal",
    "corrupt",
    "not_kdx",
    "unreadable",
    "unchecked",  # the private copy could not be made (e.g. the disk is full): says nothing about the file
    "never_used",  # a SQLite file without a single table: a first start killed before its schema
)
SCHEMA = "schema"  # KDX's tables, but objects missing, added or altered (store/schema_check.py)


class UnusableDatabase(KdxError, RuntimeError):
    """A database file that must not be used; the message is Vietnamese and names the file."""

    def __init__(self, message: str, kind: str = CORRUPT) -> None:
        super().__init__(message)
        self.kind = kind


class Damage(NamedTuple):
    """What is wrong with the data folder's database (``kind`` is one of the constants above)."""

    kind: str
    message: str


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
    _check_kdx(conn, shown, counts.keys())
    return counts


def _check_kdx(conn: sqlite3.Connection, shown: str, tables: Collection[str]) -> None:
    """A KDX database (its tables and migrations) of a version this KDX knows."""
    if not tables and not conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
        raise UnusableDatabase(
            f"Tệp “{shown}” không phải là cơ sở dữ liệu KDX (chưa có bảng nào).", NEVER_USED
        )
    if "_sqlite_migrations" not in tables or not {"reports", "entries", "audit"} <= set(tables):
        raise UnusableDatabase(f"Tệp “{shown}” không phải là cơ sở dữ liệu KDX.", NOT_KDX)
    applied = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM _sqlite_migrations WHERE migration_set = 'kdx' ORDER BY rowid"
        )
    ]
    if not applied:
        raise UnusableDatabase(f"Tệp “{shown}” không phải là cơ sở dữ liệu KDX.", NOT_KDX)
    known = known_migrations()
    unknown = [n for n in applied if n not in known]
    if unknown:
        raise UnusableDatabase(
            f"Tệp “{shown}” được tạo bởi phiên bản KDX mới hơn (có thay đổi “{unknown[-1]}”). "
            "Hãy cập nhật KDX trước khi dùng tệp này.",
            "newer",
        )
    from ..store.schema_check import schema_differences

    differences = schema_differences(conn, applied)
    if differences:
        more = f" và {len(differences) - 4} chỗ khác" if len(differences) > 4 else ""
        raise UnusableDatabase(
            f"Tệp “{shown}” không có đúng cấu trúc của cơ sở dữ liệu KDX ({'; '.join(differences[:4])}{more}): "
            "có thể đã bị sửa bằng công cụ khác. KDX không dùng tệp này.",
            SCHEMA,
        )


def _check_copy(path: Path, *, with_wal: bool) -> dict[str, int]:
    # Removed by discard_tree, which never raises: on Windows a scanner may still hold the copy
    # for a moment, and a leftover temporary folder must not stop the start.
    tmp = tempfile.mkdtemp(prefix="kdx-check-")
    try:
        return _check_in(path, Path(tmp) / "check.sqlite3", with_wal=with_wal)
    finally:
        files.discard_tree(tmp)


def _check_in(path: Path, copy: Path, *, with_wal: bool) -> dict[str, int]:
    try:
        shutil.copyfile(path, copy)
        wal = path.with_name(path.name + "-wal")
        if with_wal and wal.is_file():
            shutil.copyfile(wal, copy.with_name(copy.name + "-wal"))
    except OSError as exc:
        raise UnusableDatabase(describe_os_error(exc, path, reading=True), UNCHECKED) from exc
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
    if path.is_dir():
        raise UnusableDatabase(f"“{path}” là một thư mục, không phải tệp.", UNREADABLE)
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
        raise UnusableDatabase(describe_os_error(exc, path, reading=True), UNREADABLE) from exc


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


def _check_wal(path: Path) -> bool:
    """A ``-wal`` next to the database must be a WAL of the same page size (SQLite would apply it).
    True when it may hold frames SQLite would read, False when there is none SQLite would use."""
    wal = path.with_name(path.name + "-wal")
    if not wal.is_file():
        return False
    size = wal.stat().st_size
    if size == 0:
        return False
    head = _read(wal, WAL_HEADER_SIZE)
    if head.count(0) == len(head):
        return False  # never written: SQLite ignores it
    if len(head) < WAL_HEADER_SIZE:
        return False  # a header torn before its first commit: SQLite ignores it, nothing committed is in it
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
    return size > WAL_HEADER_SIZE  # a header alone (a WAL reset, no frame since) holds nothing


def _check_in_place(path: Path) -> None:
    """Integrity and KDX schema of a database that has no ``-wal`` in use, read where it lies.

    ``immutable=1`` makes SQLite read the file as it is: no lock, no ``-shm``, no journal, nothing
    written. That is exact only because no ``-wal`` frames exist (SQLite would ignore none) and
    because the data folder's instance lock is held, so no other KDX writes meanwhile. Raises
    :class:`UnusableDatabase` of kind ``UNCHECKED`` when SQLite cannot read the file this way."""
    try:
        conn = sqlite3.connect(_readonly_uri(path), uri=True)
    except sqlite3.Error as exc:
        raise UnusableDatabase(f"Không kiểm tra được tệp “{path}” ({exc}).", UNCHECKED) from exc
    try:
        # quick_check: every page and record, without cross-checking index contents against their
        # tables (O(N) instead of O(N log N)); the same check the durable open runs.
        rows = conn.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            detail = str(rows[0][0]).replace("*** in database main ***", "").strip().splitlines()[0]
            raise UnusableDatabase(f"Tệp “{path}” bị hỏng (kiểm tra toàn vẹn: {detail}).", CORRUPT)
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        _check_kdx(conn, str(path), tables)
    except sqlite3.DatabaseError as exc:
        code = getattr(exc, "sqlite_errorcode", None)
        if isinstance(code, int) and code & 0xFF in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
            raise UnusableDatabase(f"Không kiểm tra được tệp “{path}” ({exc}).", UNCHECKED) from exc
        raise UnusableDatabase(f"Tệp “{path}” bị hỏng ({exc}).", CORRUPT) from exc
    finally:
        conn.close()


_SQLITE_IOERR, _SQLITE_CANTOPEN = 10, 14


def _readonly_uri(path: Path) -> str:
    """``file:`` URI of ``path`` opened read-only and immutable. Built by hand because
    ``Path.as_uri()`` makes the server of a Windows share a URI authority, which SQLite refuses;
    ``file:////server/share/…`` keeps it in the path."""
    posix = path.resolve().as_posix()
    if not posix.startswith("/"):
        posix = "/" + posix  # C:/… → /C:/…
    return "file://" + urllib.parse.quote(posix) + "?mode=ro&immutable=1"


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
        if _check_wal(db_file):
            log.debug("database %s checked with its -wal: %s", db_file, _check_copy(db_file, with_wal=True))
        else:
            try:
                _check_in_place(db_file)
            except UnusableDatabase as exc:
                if exc.kind != UNCHECKED:
                    raise
                log.info("checking %s on a copy: %s", db_file, exc)
                _check_copy(db_file, with_wal=True)
    except UnusableDatabase as exc:
        if exc.kind == "newer":
            return None  # healthy; opening it is refused with its own message
        if exc.kind == NEVER_USED:
            return None  # holds nothing: the open creates the database again (store.repo._create)
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
    return None
