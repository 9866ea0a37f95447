"""Safe file output: nothing is ever left half-written at a final name.

Write to a temporary name in the same folder, flush and fsync it, then rename over the final
name (atomic on NTFS and POSIX) and fsync the folder. A crash, a full disk or a read-only
folder leaves the earlier file (if any) untouched and no partial file.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
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


def output_folder(out_dir: Path, what: str) -> Path:
    """``out_dir``, created if missing, to write ``what`` into; or :class:`OutputError` (a file
    has that name, or the folder cannot be created)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"“{out_dir}” là một tệp, không phải thư mục. Hãy chọn thư mục để ghi {what}.")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(describe_os_error(exc, out_dir)) from None
    return out_dir


def read_file_at_most(path: Path, max_bytes: int) -> bytes:
    """The bytes of the ordinary file ``path``, no more than ``max_bytes`` + 1 of them (so the
    caller can tell it is too large without reading a huge file into memory).

    A device or a pipe (``/dev/zero``, a FIFO) would never end or never open: ``OSError`` with a
    Vietnamese reason instead; a folder gives ``IsADirectoryError``."""
    mode = os.stat(path).st_mode
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(mode):
        raise OSError(errno.EINVAL, "không phải tệp thông thường mà là thiết bị hoặc ống dẫn", str(path))
    with open(path, "rb") as fh:
        return fh.read(max_bytes + 1)


def free_bytes(folder: Path) -> int:
    return shutil.disk_usage(folder).free


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
    """A Vietnamese one-liner for an I/O failure on ``path`` (a write unless ``reading``)."""
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
