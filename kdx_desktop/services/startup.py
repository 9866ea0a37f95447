"""Opening the data folder at start, safely, in the order that keeps data safe:

1. where it is (a network path is refused; a removable drive is reported so the window can offer
   to move the data to the PC);
2. the single-instance lock (a second KDX on the same folder is refused with a clear message);
3. damage (garbage bytes, a truncated file, a foreign or mismatched ``-wal``) — detected on the
   bytes and on a private copy, before anything is written;
4. only then the normal open (migrations back up first; a newer database is refused).

Nothing here raises for those conditions: :func:`open_data_folder` returns a :class:`Startup`
whose ``problem`` says what happened in Vietnamese and, for damage, which backup to offer. The
window and the command line decide what to show; no Qt here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from ..core.catalog import Catalog
from ..paths import db_path
from ..safekeeping import instance_lock
from ..safekeeping.dbcheck import inspect_database
from ..safekeeping.leftovers import remove_leftovers
from ..safekeeping.locations import REMOVABLE, Location, classify
from ..store.connection import DatabaseDamaged, DatabaseUnavailable
from ..store.repo import NewerDatabase
from .reporting import App, backup_for_missing_database, missing_database_message, open_app

if TYPE_CHECKING:  # backups are needed only when something went wrong: off the start path
    from ..safekeeping.backups import BackupInfo
    from ..safekeeping.restoring import RestoreResult

log = logging.getLogger(__name__)

# Problem kinds.
NETWORK_PATH, UNUSABLE_PLACE, REMOVABLE_DRIVE, ALREADY_RUNNING, DAMAGED, NEWER, MISSING = (
    "network",
    "unusable_place",
    "removable",
    "already_running",
    "damaged",
    "newer",
    "missing",  # no database, but backups: the newest valid one is offered, nothing is created
)


class Problem(NamedTuple):
    """Why the data folder was not opened. ``message`` is Vietnamese, ready to show; for
    ``DAMAGED``, ``backup`` is the newest backup that passed its checks (None if there is none)."""

    kind: str
    message: str
    backup: BackupInfo | None = None

    @property
    def offer(self) -> str | None:
        """For damage: the Vietnamese question offering the backup (None when there is nothing to offer)."""
        if self.kind == MISSING and self.backup is not None:
            return f"Khôi phục bản sao lưu gần nhất còn tốt ({self.backup.label})?"
        if self.kind != DAMAGED:
            return None
        if self.backup is None:
            return "Không có bản sao lưu hợp lệ nào để khôi phục. Hãy liên hệ bộ phận kỹ thuật; tệp hỏng được giữ nguyên."
        return f"Khôi phục bản sao lưu gần nhất còn tốt ({self.backup.label})? Tệp hỏng sẽ được giữ lại bên cạnh."


@dataclass
class Startup:
    """The outcome of :func:`open_data_folder`: ``app`` when opened, else ``problem``.

    ``lock`` is held whenever it could be taken (also on damage, so the backup can be restored
    safely); keep it for the life of the process, or :meth:`close` to give everything up."""

    data_dir: Path
    location: Location
    app: App | None = None
    lock: instance_lock.InstanceLock | None = None
    problem: Problem | None = None

    @property
    def ok(self) -> bool:
        return self.app is not None

    def close(self) -> None:
        if self.app is not None:
            self.app.close()
            self.app = None
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def open_data_folder(
    data_dir: Path,
    *,
    accept_removable: bool = False,
    catalog: Catalog | None = None,
    location: Location | None = None,
) -> Startup:
    """Open ``data_dir`` for this process (see the module docstring for the order of checks).

    ``accept_removable`` is True once the user chose to keep the data on a removable drive.
    ``location`` replaces the detection (tests)."""
    data_dir = Path(data_dir)
    where = location or classify(data_dir)
    result = Startup(data_dir, where)
    if where.refused:
        result.problem = Problem(
            NETWORK_PATH if where.kind == "network" else UNUSABLE_PLACE, where.message or ""
        )
        return result
    if where.kind == REMOVABLE and not accept_removable:
        result.problem = Problem(REMOVABLE_DRIVE, where.message or "")
        return result
    try:
        result.lock = instance_lock.acquire(data_dir)
    except instance_lock.AlreadyRunning as exc:
        result.problem = Problem(ALREADY_RUNNING, str(exc))
        return result
    except instance_lock.LockFailed as exc:
        result.problem = Problem(UNUSABLE_PLACE, str(exc))
        return result
    remove_leftovers(data_dir)  # a killed KDX's temporary files; the lock says none is running
    damage = inspect_database(db_path(data_dir))
    if damage is not None:
        result.problem = _damaged(data_dir, damage.message)
        return result
    missing = missing_with_backups(data_dir)
    if missing is not None:
        result.problem = missing
        return result
    try:
        result.app = open_app(data_dir, catalog, inspect=False)  # just inspected
    except NewerDatabase as exc:
        result.problem = Problem(NEWER, str(exc))
    except DatabaseUnavailable as exc:  # a full disk, a read-only folder: not damage
        result.problem = Problem(UNUSABLE_PLACE, str(exc))
    except DatabaseDamaged as exc:  # damage that appeared between the check and the open
        result.problem = _damaged(data_dir, str(exc))
    return result


def missing_with_backups(data_dir: Path) -> Problem | None:
    """The database is gone but backups exist: the newest valid one is offered (see
    :func:`~.reporting.backup_for_missing_database`); None otherwise."""
    backup = backup_for_missing_database(data_dir)
    if backup is None:
        return None
    return Problem(MISSING, missing_database_message(data_dir), backup)


def _damaged(data_dir: Path, detail: str) -> Problem:
    from ..safekeeping.backups import newest_valid_backup

    return Problem(
        DAMAGED,
        f"Cơ sở dữ liệu bị hỏng nên KDX chưa mở nó (không có gì bị ghi vào). {detail}",
        newest_valid_backup(data_dir),
    )


def restore_and_open(
    startup: Startup, backup: Path, *, catalog: Catalog | None = None
) -> tuple[RestoreResult, Startup]:
    """The damaged-start offer accepted: restore ``backup`` (the damaged files are kept aside)
    and open again. Raises ``restoring.RestoreRefused``/``BackupError`` with a Vietnamese message."""
    from ..safekeeping.restoring import restore

    if startup.app is not None:
        startup.app.close()
        startup.app = None
    done = restore(startup.data_dir, backup)
    return done, open_data_folder(
        startup.data_dir, accept_removable=True, catalog=catalog, location=startup.location
    )


def suggested_pc_folder() -> Path:
    """Where to move data found on a removable drive: the per-user data folder of this PC."""
    from platformdirs import user_data_dir

    from ..paths import APP_DIR_NAME

    return Path(user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))


def move_data_folder(src: Path, dst: Path) -> Path:
    """Copy the data folder ``src`` (say, on a USB stick) to ``dst`` on this PC and return ``dst``.

    Attachments and backups are copied first and the database last, as a verified copy, so ``dst``
    holds a database only once everything is there. ``src`` is left as it was (the user removes it
    when satisfied). Refused (``backups.BackupError``, Vietnamese) when ``dst`` already has a
    database, when ``src``'s database is damaged, or when there is not enough room; raises
    ``instance_lock.AlreadyRunning`` when another KDX uses either folder."""
    import shutil

    from ..safekeeping.backups import FREE_SPACE_MARGIN, BackupError, copy_database
    from ..safekeeping.locations import NotEnoughSpace, ensure_free_space

    src, dst = Path(src), Path(dst)
    src_db, dst_db = db_path(src), db_path(dst)
    if dst_db.exists() and dst_db.stat().st_size > 0:
        raise BackupError(f"Thư mục “{dst}” đã có dữ liệu KDX; hãy chọn một thư mục trống.")
    own = instance_lock.held_here(src)
    lock = own or instance_lock.acquire(src)
    try:
        damage = inspect_database(src_db)
        if damage is not None:
            raise BackupError(f"{damage.message} Hãy khôi phục một bản sao lưu trước khi chuyển.")
        size = sum(p.stat().st_size for p in src.rglob("*") if p.is_file())
        try:
            dst.mkdir(parents=True, exist_ok=True)
            ensure_free_space(dst, size + FREE_SPACE_MARGIN, "chuyển dữ liệu về máy tính")
            with instance_lock.acquire(dst):
                for sub in ("attachments", "backups"):
                    if (src / sub).is_dir():
                        shutil.copytree(src / sub, dst / sub, dirs_exist_ok=True)
                copy_database(src_db, dst_db)
        except NotEnoughSpace as exc:
            raise BackupError(str(exc)) from exc
        except OSError as exc:
            from ..fsutil import describe_os_error

            raise BackupError(f"Chưa chuyển được dữ liệu. {describe_os_error(exc, dst)}") from exc
    finally:
        if own is None:
            lock.release()
    log.info("data folder copied from %s to %s", src, dst)
    return dst
