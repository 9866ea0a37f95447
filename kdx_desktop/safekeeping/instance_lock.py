"""One KDX at a time on a data folder.

Two windows on the same database would each believe their screen is the truth and overwrite the
other's work. The lock is an OS lock on ``kdx.lock`` inside the data folder, held on an open file
for the whole life of the process: ``msvcrt.locking`` on Windows, ``fcntl.flock`` elsewhere. The
operating system drops it when the process ends, however it ends, so a lock left by a killed or
crashed KDX never blocks the next start; the file itself stays and only says who held it last.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path
from types import TracebackType

from ..core.vntime import vn_datetime
from ..errors import KdxError
from ..fsutil import describe_os_error

log = logging.getLogger(__name__)

LOCK_FILE = "kdx.lock"
_INFO_SIZE = 512  # holder description at the start of the file (padded, never truncated)
_LOCK_OFFSET = 1 << 20  # Windows locks a byte range: lock one far past the description so it stays readable

_held: dict[str, InstanceLock] = {}


class AlreadyRunning(KdxError, RuntimeError):
    """Another KDX process holds the data folder; the message is Vietnamese."""

    def __init__(self, data_dir: Path, holder: dict[str, object] | None) -> None:
        who = ""
        if holder:
            parts = []
            if holder.get("host"):
                parts.append(f"máy {holder['host']}")
            if holder.get("pid"):
                parts.append(f"tiến trình {holder['pid']}")
            if holder.get("since"):
                parts.append(f"mở lúc {vn_datetime(str(holder['since']))}")
            who = f" ({', '.join(parts)})" if parts else ""
        super().__init__(
            f"KDX đang mở thư mục dữ liệu “{data_dir}” ở một cửa sổ khác{who}. "
            "Hãy dùng cửa sổ đang mở, hoặc đóng nó rồi mở lại KDX."
        )
        self.data_dir = data_dir
        self.holder = holder


class LockFailed(KdxError, RuntimeError):
    """The lock file could not be created (read-only folder, full disk …); Vietnamese message."""


def _host_name() -> str:
    """This PC's name, for the "who holds the folder" message. Not ``socket.gethostname()``: the
    socket module (and selectors) would be imported on every start for this one string."""
    if sys.platform == "win32":
        return os.environ.get("COMPUTERNAME", "")
    return os.uname().nodename


def _key(data_dir: Path) -> str:
    return os.path.normcase(str(Path(data_dir).resolve()))


def _try_lock(fd: int) -> bool:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    if sys.platform == "win32":
        import msvcrt

        os.lseek(fd, _LOCK_OFFSET, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    else:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_UN)


def _read_holder(path: Path) -> dict[str, object] | None:
    try:
        with open(path, "rb") as fh:
            raw = fh.read(_INFO_SIZE).rstrip(b"\0 \n")
        info = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError):
        return None
    return info if isinstance(info, dict) else None


class InstanceLock:
    """The held lock on one data folder. Keep it for the life of the process; :meth:`release`
    (or leaving a ``with`` block) gives it up."""

    def __init__(self, data_dir: Path, path: Path, fd: int) -> None:
        self.data_dir = data_dir
        self.path = path
        self._fd: int | None = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        _held.pop(_key(self.data_dir), None)
        try:
            _unlock(fd)
        except OSError:  # closing the file releases it anyway
            pass
        os.close(fd)

    def __enter__(self) -> InstanceLock:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def held_here(data_dir: Path) -> InstanceLock | None:
    """The lock this process already holds on ``data_dir``, if any."""
    return _held.get(_key(data_dir))


def acquire(data_dir: Path) -> InstanceLock:
    """Lock ``data_dir`` for this process, or raise :class:`AlreadyRunning` (another process has
    it) or :class:`LockFailed` (the lock file cannot be created).

    Calling it again in the process that holds the lock returns the same lock.
    """
    data_dir = Path(data_dir)
    existing = held_here(data_dir)
    if existing is not None:
        return existing
    path = data_dir / LOCK_FILE
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOINHERIT", 0)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, flags, 0o644)
    except OSError as exc:
        raise LockFailed(f"Không dùng được thư mục dữ liệu. {describe_os_error(exc, path)}") from exc
    if not _try_lock(fd):
        os.close(fd)
        holder = _read_holder(path)
        log.info("data folder %s is held by %s", data_dir, holder)
        raise AlreadyRunning(data_dir, holder)
    info = {
        "pid": os.getpid(),
        "host": _host_name(),
        "since": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
    }
    blob = json.dumps(info, ensure_ascii=False).encode("utf-8")[: _INFO_SIZE - 1]
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, blob.ljust(_INFO_SIZE, b" "))
    except OSError as exc:  # a full disk must not stop the app from opening read-mostly
        log.warning("could not record the lock holder in %s: %s", path, exc)
    lock = InstanceLock(data_dir, path, fd)
    _held[_key(data_dir)] = lock
    return lock
