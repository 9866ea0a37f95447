"""Automatic, verified backups of the database (putting one back is :mod:`.restoring`).

A backup is a consistent copy taken with the SQLite backup API inside one read snapshot, written
under a temporary name, checked (``integrity_check`` and the row count of every table compared
with the source at the same snapshot), fsynced and only then renamed to its final name — so a file
in ``backups/`` with a final name is always a complete, checked copy. Backups are taken before
every import batch, migration and restore, periodically while data changes, at exit and on demand,
and kept on a rotation of about a year (see :func:`rotate`).

Restore refuses a file that is not SQLite, is damaged, is not a KDX database or was written by a
newer KDX; it backs up the current database, keeps it aside under a dated name, and swaps the new
file in with one atomic rename, so the folder never lacks a database.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..core.vntime import VIETNAM
from ..errors import KdxError
from ..fsutil import describe_os_error, fsync_dir
from ..paths import backups_dir, db_path
from ..store.connection import is_busy, storage_problem
from ..store.repo import Store
from ..system import files
from .dbcheck import UnusableDatabase, check_file, table_counts
from .locations import NotEnoughSpace, ensure_free_space

log = logging.getLogger(__name__)

PERIODIC_INTERVAL = dt.timedelta(minutes=30)
FREE_SPACE_MARGIN = 1 << 20  # free space kept beyond the copy itself

# reason -> how it reads in the window's backup list ("Bản sao lưu …").
REASONS = {
    "import": "trước khi nhập báo cáo",
    "migration": "trước khi nâng cấp dữ liệu",
    "restore": "trước khi khôi phục",
    "periodic": "định kỳ",
    "exit": "khi thoát",
    "manual": "theo yêu cầu",
}
_NAME = re.compile(r"^kdx-(\d{8}-\d{6})(?:-(\d+))?-([a-z]+)\.sqlite3$")
_LEGACY = re.compile(r"^truoc-nang-cap-(\d{8}-\d{6})\.sqlite3$")  # written by store.repo.open_store


class BackupError(KdxError, RuntimeError):
    """A backup could not be made; nothing was left half-written. Message in Vietnamese."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file. ``counts`` (rows per table) is known when it was just made or checked."""

    path: Path
    created: dt.datetime
    reason: str
    size: int
    counts: dict[str, int] | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        """Vietnamese one-liner for lists, e.g. ``26/11/2026 10:15 — trước khi nhập báo cáo``.
        The name's stamp is the PC's clock; it is shown in Vietnam time."""
        return f"{self.created.astimezone(VIETNAM):%d/%m/%Y %H:%M} — {REASONS.get(self.reason, self.reason)}"


# -- making a backup --------------------------------------------------------------------


def _open_source(db_file: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(str(db_file), isolation_level=None, timeout=5.0)
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


def copy_database(db_file: Path, target: Path) -> dict[str, int]:
    """A verified, consistent copy of the database ``db_file`` at ``target``; its row counts.

    Checks free space first; on any failure removes its temporary file, leaves an earlier
    ``target`` untouched and raises :class:`BackupError` with a Vietnamese message."""
    db_file, target = Path(db_file), Path(target)
    wal = db_file.with_name(db_file.name + "-wal")
    size = db_file.stat().st_size + (wal.stat().st_size if wal.exists() else 0)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        ensure_free_space(target.parent, size + FREE_SPACE_MARGIN, "tạo bản sao lưu")
    except NotEnoughSpace as exc:
        raise BackupError(str(exc)) from exc
    except OSError as exc:
        raise BackupError(describe_os_error(exc, target.parent)) from exc
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        src = _open_source(db_file)
        try:
            # One read snapshot for both the counts and the copy, so they describe the same data
            # even if another connection commits meanwhile.
            src.execute("BEGIN")
            counts = table_counts(src)
            files.discard(tmp)
            dest = sqlite3.connect(str(tmp))
            try:
                src.backup(dest)
                dest.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
            finally:
                dest.close()
            src.execute("COMMIT")
        finally:
            src.close()
        _verify_copy(tmp, counts, target)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        files.replace(tmp, target)
        fsync_dir(target.parent)
    except BackupError:
        files.discard(tmp)
        raise
    except OSError as exc:
        files.discard(tmp)
        raise BackupError(f"Không tạo được bản sao lưu. {describe_os_error(exc, target)}") from exc
    except sqlite3.Error as exc:
        files.discard(tmp)
        if storage_problem(exc) is not None and not is_busy(exc):
            raise BackupError(
                f"Không tạo được bản sao lưu “{target.name}”: ổ đĩa đã đầy hoặc bị lỗi ghi. Dữ liệu không bị "
                "ảnh hưởng và các bản sao lưu trước vẫn còn nguyên. Hãy giải phóng dung lượng rồi thử lại."
            ) from exc
        raise BackupError(f"Không tạo được bản sao lưu “{target.name}”: {exc}.") from exc
    except BaseException:
        files.discard(tmp)
        raise
    return counts


def _verify_copy(copy: Path, counts: dict[str, int], shown: Path) -> None:
    conn = sqlite3.connect(str(copy))
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        got = table_counts(conn)
    finally:
        conn.close()
    if rows != [("ok",)]:
        raise BackupError(
            f"Bản sao lưu “{shown.name}” không đạt kiểm tra toàn vẹn nên đã bị bỏ; hãy thử lại."
        )
    if got != counts:
        diff = ", ".join(
            f"{t}: {counts.get(t)}→{got.get(t)}"
            for t in sorted(set(counts) | set(got))
            if counts.get(t) != got.get(t)
        )
        raise BackupError(f"Bản sao lưu “{shown.name}” thiếu dữ liệu ({diff}) nên đã bị bỏ; hãy thử lại.")


def file_stamp(now: dt.datetime) -> str:
    return now.strftime("%Y%m%d-%H%M%S")


def make_backup(
    data_dir: Path, reason: str, *, now: dt.datetime | None = None, rotate_after: bool = True
) -> BackupInfo:
    """Back up the data folder's database into ``backups/`` as ``kdx-<date>-<time>-<reason>.sqlite3``,
    then apply the rotation. Raises :class:`BackupError`."""
    if not re.fullmatch(r"[a-z]+", reason):
        raise ValueError(f"backup reason must be a lowercase ASCII word, got {reason!r}")
    now = now or dt.datetime.now()
    folder = backups_dir(data_dir)
    target = folder / f"kdx-{file_stamp(now)}-{reason}.sqlite3"
    n = 1
    while target.exists():  # two backups in the same second (an import right after a restore)
        n += 1
        target = folder / f"kdx-{file_stamp(now)}-{n}-{reason}.sqlite3"
    counts = copy_database(db_path(data_dir), target)
    info = BackupInfo(target, now.replace(microsecond=0), reason, target.stat().st_size, counts)
    log.info("backup %s made (%s)", target.name, reason)
    if rotate_after:
        try:
            rotate(data_dir, now=now)
        except OSError as exc:  # an undeletable old backup must not fail a fresh one
            log.warning("backup rotation failed: %s", exc)
    return info


def backup_before(store: Store, reason: str) -> BackupInfo | None:
    """Verified backup before a risky operation (``reason``: ``"import"``, ``"migration"``,
    ``"restore"`` …). ``None`` for an in-memory store. Raises :class:`BackupError` — callers should
    not go ahead with the operation when it does."""
    if store.path is None:
        return None
    if store.db.conn.in_transaction:
        raise BackupError("Không sao lưu được giữa một thao tác đang ghi dữ liệu; hãy thử lại sau.")
    return make_backup(store.path.parent, reason)


# -- listing and rotation -------------------------------------------------------------


def _parse(path: Path) -> BackupInfo | None:
    m = _NAME.match(path.name)
    legacy = _LEGACY.match(path.name)
    if m:
        stamp, reason = m.group(1), m.group(3)
    elif legacy:
        stamp, reason = legacy.group(1), "migration"
    else:
        return None
    try:
        created = dt.datetime.strptime(stamp, "%Y%m%d-%H%M%S")
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path, created, reason, size)


def list_backups(data_dir: Path) -> list[BackupInfo]:
    """Backups in the data folder's ``backups/``, newest first (names KDX did not write are ignored)."""
    folder = backups_dir(data_dir)
    if not folder.is_dir():
        return []
    found = [b for p in folder.iterdir() if p.is_file() and (b := _parse(p)) is not None]
    return sorted(found, key=lambda b: (b.created, b.path.name), reverse=True)


def rotation_keep(backups: list[BackupInfo], now: dt.datetime) -> set[Path]:
    """Which backups the rotation keeps: every one of the last 7 days, the newest of each week
    for 8 weeks, the newest of each month for 12 months, and always the newest overall."""
    keep: set[Path] = set()
    seen: set[tuple[object, ...]] = set()
    for b in sorted(backups, key=lambda b: b.created, reverse=True):
        age = now - b.created
        bucket: tuple[object, ...]
        if age <= dt.timedelta(days=7):
            keep.add(b.path)
            continue
        if age <= dt.timedelta(weeks=8):
            iso = b.created.isocalendar()
            bucket = ("week", iso[0], iso[1])
        elif age <= dt.timedelta(days=366):
            bucket = ("month", b.created.year, b.created.month)
        else:
            continue
        if bucket not in seen:
            seen.add(bucket)
            keep.add(b.path)
    if backups:
        keep.add(max(backups, key=lambda b: b.created).path)
    return keep


def rotate(data_dir: Path, *, now: dt.datetime | None = None) -> list[Path]:
    """Delete the backups the rotation does not keep; returns the deleted paths."""
    now = now or dt.datetime.now()
    backups = list_backups(data_dir)
    keep = rotation_keep(backups, now)
    removed = []
    for b in backups:
        if b.path not in keep:
            files.remove(b.path)
            removed.append(b.path)
    return removed


# -- periodic and exit backups ----------------------------------------------------------


def _fingerprint(conn: sqlite3.Connection) -> tuple[object, ...]:
    """Changes whenever data changes: every change writes an audit row (append-only)."""
    counts = table_counts(conn)
    last_audit = conn.execute("SELECT max(id) FROM audit").fetchone()[0] if "audit" in counts else None
    return (tuple(sorted(counts.items())), last_audit)


def _fingerprint_of_file(path: Path) -> tuple[object, ...] | None:
    try:
        conn = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return _fingerprint(conn)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def changed_since_last_backup(store: Store) -> bool:
    newest = list_backups(store.path.parent) if store.path is not None else []
    if not newest:
        return True
    current = _fingerprint(store.db.conn)
    return current != _fingerprint_of_file(newest[0].path)


def maybe_periodic_backup(
    store: Store, *, interval: dt.timedelta = PERIODIC_INTERVAL, now: dt.datetime | None = None
) -> BackupInfo | None:
    """For a timer in the window: a backup when the newest one is older than ``interval`` and the
    data changed since. Returns it, or ``None`` when none was due (or the store is in memory).
    Raises :class:`BackupError`."""
    if store.path is None:
        return None
    data_dir = store.path.parent  # the database lies in the data folder (paths.db_path)
    now = now or dt.datetime.now()
    backups = list_backups(data_dir)
    if backups and now - backups[0].created < interval:
        return None
    if not changed_since_last_backup(store):
        return None
    return make_backup(data_dir, "periodic", now=now)


def backup_at_exit(store: Store, *, now: dt.datetime | None = None) -> BackupInfo | None:
    """At exit: a backup if the data changed since the newest one. Raises :class:`BackupError`."""
    if store.path is None or not changed_since_last_backup(store):
        return None
    return make_backup(store.path.parent, "exit", now=now)


def newest_valid_backup(data_dir: Path) -> BackupInfo | None:
    """The newest backup that passes :func:`check_file` (damaged or newer ones are skipped)."""
    for b in list_backups(data_dir):
        try:
            counts = check_file(b.path)
        except UnusableDatabase as exc:
            log.warning("backup %s skipped: %s", b.path.name, exc)
            continue
        return BackupInfo(b.path, b.created, b.reason, b.size, counts)
    return None


__all__ = [
    "BackupError",
    "BackupInfo",
    "backup_at_exit",
    "backup_before",
    "check_file",
    "copy_database",
    "list_backups",
    "make_backup",
    "maybe_periodic_backup",
    "newest_valid_backup",
    "rotate",
]
