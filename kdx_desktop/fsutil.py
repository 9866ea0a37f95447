"""Safe file output: nothing is ever left half-written at a final name.

Write to a temporary name in the same folder, flush and fsync it, then rename over the final
name (atomic on NTFS and POSIX) and fsync the folder. A crash, a full disk or a read-only
folder leaves the earlier file (if any) untouched and no partial file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class OutputError(OSError):
    """Writing an output file failed; the message is Vietnamese and names the file."""


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see module docstring)."""
    path = Path(path)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=str(path.parent))
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    """Make a rename in ``folder`` durable (no-op on Windows, where NTFS journals it)."""
    if os.name == "nt":
        return
    fd = os.open(str(folder), os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free


def describe_os_error(exc: OSError, path: Path) -> str:
    """A Vietnamese one-liner for an I/O failure on ``path``."""
    import errno

    if exc.errno == errno.ENOSPC:
        return f"Ổ đĩa đã đầy, không ghi được “{path}”. Hãy giải phóng dung lượng rồi thử lại."
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return f"Không có quyền ghi vào “{path}” (thư mục chỉ đọc hoặc bị khóa). Hãy chọn thư mục khác."
    return f"Lỗi ghi tệp “{path}”: {exc.strerror or exc}."
