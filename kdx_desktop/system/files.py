"""Replacing and removing files the way Windows lets a program do it.

Every rename over a final name and every removal in KDX goes through this module, because
Windows differs from POSIX exactly there:

* a file that another program holds open (a PDF reader showing the exported report, Excel showing
  the consolidated workbook) cannot be replaced or removed: ``MoveFileEx``/``DeleteFile`` fail
  with ``ERROR_SHARING_VIOLATION`` (32) or ``ERROR_ACCESS_DENIED`` (5), and CPython raises
  ``PermissionError`` with ``winerror`` set;
* an antivirus scanner or the search indexer opens a file that was just written for a moment,
  so the same errors also come for a few hundred milliseconds and then go. pip and SQLite's own
  Windows layer retry such calls briefly; so does :func:`replace` here.

The primitives are held in :data:`ops` so the tests' Windows-semantics mode
(``tests/windows_semantics.py``) can swap them for ones that behave like Windows on any machine.
Windows assumptions checked only by simulation are listed in docs/WINDOWS.md.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

# winerror values (WinError.h) that KDX tells apart.
ERROR_ACCESS_DENIED = 5
ERROR_SHARING_VIOLATION = 32
ERROR_LOCK_VIOLATION = 33
ERROR_PATH_NOT_FOUND = 3
ERROR_NOT_READY = 21  # the device is not ready (a USB stick pulled out)
ERROR_WRITE_PROTECT = 19
ERROR_HANDLE_DISK_FULL = 39
ERROR_DEV_NOT_EXIST = 55
ERROR_DISK_FULL = 112
ERROR_FILENAME_EXCED_RANGE = 206
ERROR_DEVICE_NOT_CONNECTED = 1167

# Held open by another program (or, for a moment, by a scanner): worth retrying, then worth
# telling the user to close the file.
IN_USE = frozenset({ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION})
TRANSIENT = IN_USE | {ERROR_ACCESS_DENIED}
DEVICE_GONE = frozenset({ERROR_NOT_READY, ERROR_DEV_NOT_EXIST, ERROR_DEVICE_NOT_CONNECTED})

# How long a brief lock is waited out: about 1.5 s in all, as pip's retry of a rename does.
RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.75)


def winerror(exc: BaseException) -> int | None:
    """The Windows error code of ``exc`` (None off Windows and for other errors)."""
    code = getattr(exc, "winerror", None)
    return code if isinstance(code, int) else None


def is_in_use(exc: BaseException) -> bool:
    """True when ``exc`` says another program holds the file open."""
    return winerror(exc) in IN_USE


def _transient(exc: OSError) -> bool:
    # Only PermissionError can be a brief lock; ERROR_ACCESS_DENIED is also what a read-only
    # file gives, which is why the retries stop after about a second and a half.
    return isinstance(exc, PermissionError) and winerror(exc) in TRANSIENT


# Looked up at each call (not bound at import), so the tests' I/O fault injection, which patches
# ``os.replace`` and friends, reaches them too.
def _os_replace(src: str, dst: str) -> None:
    os.replace(src, dst)


def _os_unlink(path: str) -> None:
    os.unlink(path)


def _rmtree(path: str) -> None:
    shutil.rmtree(path)


def _sleep(seconds: float) -> None:
    time.sleep(seconds)


@dataclass
class Ops:
    """The operating system's calls used here; tests replace them (see module docstring)."""

    replace: Callable[[str, str], None] = _os_replace
    unlink: Callable[[str], None] = _os_unlink
    rmtree: Callable[[str], None] = _rmtree
    sleep: Callable[[float], None] = _sleep


ops = Ops()


def _retrying(call: Callable[[], None]) -> None:
    for delay in RETRY_DELAYS:
        try:
            call()
            return
        except OSError as exc:
            if not _transient(exc):
                raise
            log.info("file briefly locked (winerror %s), retrying in %.2f s", winerror(exc), delay)
            ops.sleep(delay)
    call()  # the last attempt's error is the one the caller sees


def replace(src: Path | str, dst: Path | str) -> None:
    """``os.replace(src, dst)``, retried while a brief lock lasts. A file still held open
    afterwards raises ``PermissionError`` (:func:`is_in_use` tells it apart)."""
    _retrying(lambda: ops.replace(os.fspath(src), os.fspath(dst)))


def remove(path: Path | str) -> None:
    """Remove a file if it exists, retried while a brief lock lasts."""

    def unlink() -> None:
        try:
            ops.unlink(os.fspath(path))
        except FileNotFoundError:
            pass

    _retrying(unlink)


def discard(path: Path | str) -> bool:
    """Remove a temporary file if possible; never raises: a leftover keeps its temporary name
    and is harmless. True when it is gone."""
    try:
        remove(path)
        return True
    except OSError as exc:
        log.warning("could not remove temporary file %s: %s", path, exc)
        return False


def discard_tree(path: Path | str) -> bool:
    """Remove a temporary folder if possible; never raises, so the cleanup of a check folder
    cannot fail the action it served. True when it is gone."""

    def rmtree() -> None:
        try:
            ops.rmtree(os.fspath(path))
        except FileNotFoundError:
            pass

    try:
        _retrying(rmtree)
        return True
    except OSError as exc:
        log.warning("could not remove temporary folder %s: %s", path, exc)
        return False


# Vietnamese reasons for the failures a user can act on; anything else keeps the system's text.
_REASONS = {
    errno.ENOENT: "không tồn tại",
    errno.EEXIST: "đã có một tệp hoặc thư mục trùng tên",
    errno.EISDIR: "là một thư mục, không phải tệp",
    errno.ENOTDIR: "một phần của đường dẫn không phải thư mục",
    errno.ENAMETOOLONG: "đường dẫn quá dài",
    errno.EFBIG: "tệp vượt quá kích thước ổ đĩa cho phép",
}


def describe_os_error(exc: OSError, path: Path, *, reading: bool = False) -> str:
    """A Vietnamese one-liner for an I/O failure on ``path`` (a write unless ``reading``).

    On Windows CPython maps "file in use" and "device removed" both to EACCES and "path too long"
    to ENOENT, so the Windows error code is read first where there is one."""
    code = winerror(exc)
    if is_in_use(exc):
        return (
            f"Tệp “{path}” đang được mở trong chương trình khác (ví dụ Excel hoặc trình đọc PDF). "
            "Hãy đóng tệp đó rồi thử lại; các tệp cũ vẫn giữ nguyên."
        )
    if code in DEVICE_GONE:
        return (
            f"Không còn truy cập được ổ đĩa chứa “{path}” (ổ USB đã bị rút?). Hãy cắm lại ổ đĩa rồi thử lại."
        )
    if code == ERROR_FILENAME_EXCED_RANGE:
        return (
            f"Đường dẫn “{path}” quá dài. Hãy chọn thư mục có đường dẫn ngắn hơn (ví dụ ngay trong ổ D:\\)."
        )
    if code == ERROR_WRITE_PROTECT:
        return f"Ổ đĩa chứa “{path}” đang bị khóa chống ghi. Hãy mở khóa hoặc chọn thư mục khác."
    if exc.errno == errno.ENOSPC and not reading:
        return f"Ổ đĩa đã đầy, không ghi được “{path}”. Hãy giải phóng dung lượng rồi thử lại."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        if reading:
            return f"Không có quyền đọc “{path}”. Hãy kiểm tra quyền truy cập hoặc chọn tệp khác."
        return f"Không có quyền ghi vào “{path}” (thư mục chỉ đọc hoặc bị khóa). Hãy chọn thư mục khác."
    return f"{'Không đọc được' if reading else 'Lỗi ghi'} tệp “{path}”: {os_reason(exc)}."


def os_reason(exc: OSError) -> str:
    """Why an I/O call failed, in Vietnamese where the user can act on it."""
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)
