"""Restoring a backup into the data folder (:func:`restore`).

The chosen file is checked on a private copy first (refused: not SQLite, damaged, not KDX, newer
KDX); the current database gets a verified backup when healthy and is kept aside under a dated
name either way; then one atomic rename puts the new file in place, so the folder never lacks a
database and a crash at any step leaves either the old or the new one.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from ..fsutil import describe_os_error, fsync_dir
from ..paths import db_path
from ..system import files
from .backups import (
    FREE_SPACE_MARGIN,
    BackupError,
    BackupInfo,
    copy_database,
    file_stamp,
    make_backup,
)
from .dbcheck import GARBAGE, UnusableDatabase, check_file, inspect_database
from .locations import NotEnoughSpace, ensure_free_space

log = logging.getLogger(__name__)


class RestoreRefused(BackupError):
    """The chosen file cannot be restored; the current database was not touched."""


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    aside: Path | None  # the previous database, kept under a dated name (None if there was none)
    safety_backup: BackupInfo | None  # verified backup of the previous database, if it was healthy
    counts: dict[str, int]


def restore(data_dir: Path, file: Path, *, now: dt.datetime | None = None) -> RestoreResult:
    """Replace the data folder's database with the backup ``file``.

    The caller must have closed its own connection (the window closes its ``App`` first). The
    file is checked on a private copy (refused: not SQLite, damaged, not KDX, newer KDX); the
    current database gets a verified backup when healthy and is kept aside as
    ``kdx-truoc-khoi-phuc-<date>-<time>.sqlite3`` (with its ``-wal``) either way; then one atomic
    rename puts the new file in place. Raises :class:`RestoreRefused`, :class:`BackupError` or
    ``instance_lock.AlreadyRunning`` (another KDX has the folder open).
    """
    from . import instance_lock

    data_dir, file = Path(data_dir), Path(file)
    db = db_path(data_dir)
    if file.resolve() == db.resolve():
        raise RestoreRefused(
            "Không thể khôi phục từ chính cơ sở dữ liệu đang dùng; hãy chọn một bản sao lưu."
        )
    own = instance_lock.held_here(data_dir)
    try:
        lock = own or instance_lock.acquire(data_dir)
    except instance_lock.LockFailed as exc:
        raise BackupError(f"Không khôi phục được. {exc}") from exc
    try:
        return _restore_locked(data_dir, db, file, now or dt.datetime.now())
    finally:
        if own is None:
            lock.release()


def _restore_locked(data_dir: Path, db: Path, file: Path, now: dt.datetime) -> RestoreResult:
    try:
        check_file(file)  # a clear refusal before any work
    except UnusableDatabase as exc:
        if exc.kind == GARBAGE:
            raise RestoreRefused(
                f"Tệp “{file}” không phải là bản sao lưu KDX (không phải cơ sở dữ liệu SQLite). Hãy chọn tệp khác."
            ) from exc
        raise RestoreRefused(f"{exc} Hãy chọn bản sao lưu khác.") from exc
    current = db.exists() and db.stat().st_size > 0
    needed = file.stat().st_size * 2 + (db.stat().st_size if current else 0) + FREE_SPACE_MARGIN
    try:
        ensure_free_space(data_dir, needed, "khôi phục dữ liệu")
    except NotEnoughSpace as exc:
        raise BackupError(str(exc)) from exc
    staging = data_dir / f".{db.name}.khoi-phuc.tmp"
    try:
        # A consistent copy of the chosen file next to the database (same disk, so the final
        # rename is atomic), checked again as it will be used.
        with _PrivateCopy(file) as readable:
            counts = copy_database(readable, staging)
        safety = None
        if current and inspect_database(db) is None:
            safety = make_backup(data_dir, "restore", now=now)
            _checkpoint(db)
        aside = _keep_aside(data_dir, db, now) if current else None
        files.replace(staging, db)
    except OSError as exc:
        files.discard(staging)
        raise BackupError(f"Không khôi phục được. {describe_os_error(exc, db)}") from exc
    except sqlite3.Error as exc:
        files.discard(staging)
        raise BackupError(f"Không khôi phục được ({exc}); cơ sở dữ liệu hiện tại vẫn giữ nguyên.") from exc
    except BaseException:
        files.discard(staging)
        raise
    try:
        fsync_dir(data_dir)
    except OSError as exc:  # the rename is done; only its flush to disk could not be forced
        log.warning("could not flush the data folder after the restore: %s", exc)
    log.info("database restored from %s; previous kept as %s", file, aside)
    return RestoreResult(file, aside, safety, counts)


class _PrivateCopy:
    """The chosen file (and its ``-wal``) copied to a temporary folder, so reading it can never
    write next to the user's file. The folder is removed by ``discard_tree``, which never raises:
    a copy briefly held by a scanner on Windows must not fail the restore it served."""

    def __init__(self, file: Path) -> None:
        import tempfile

        self._tmp = tempfile.mkdtemp(prefix="kdx-restore-")
        self.path = Path(self._tmp) / "chosen.sqlite3"
        try:
            shutil.copyfile(file, self.path)
            wal = file.with_name(file.name + "-wal")
            if wal.is_file():
                shutil.copyfile(wal, self.path.with_name(self.path.name + "-wal"))
        except BaseException:
            files.discard_tree(self._tmp)
            raise

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        files.discard_tree(self._tmp)


def _checkpoint(db: Path) -> None:
    """Fold a healthy database's WAL into the main file so the aside copy is one file."""
    conn = sqlite3.connect(str(db), isolation_level=None, timeout=5.0)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def _keep_aside(data_dir: Path, db: Path, now: dt.datetime) -> Path:
    """Keep the current database under a dated name. The main file is hard-linked (or copied on
    file systems without links) so the folder never lacks a database; its ``-wal``/``-shm``/
    ``-journal`` move along under the matching name so they can never be applied to the new one."""
    aside = data_dir / f"kdx-truoc-khoi-phuc-{file_stamp(now)}.sqlite3"
    n = 1
    while aside.exists():
        n += 1
        aside = data_dir / f"kdx-truoc-khoi-phuc-{file_stamp(now)}-{n}.sqlite3"
    try:
        os.link(db, aside)
    except OSError:
        shutil.copyfile(db, aside)
        with open(aside, "rb+") as fh:
            os.fsync(fh.fileno())
    for suffix in ("-wal", "-shm", "-journal"):
        side = db.with_name(db.name + suffix)
        if side.exists():
            files.replace(side, aside.with_name(aside.name + suffix))
    fsync_dir(data_dir)
    return aside
