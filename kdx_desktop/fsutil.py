"""Safe file output: nothing is ever left half-written at a final name.

Write to a temporary name in the same folder, flush and fsync it, then rename over the final
name (atomic on NTFS and POSIX) and fsync the folder. A crash, a full disk or a read-only
folder leaves the earlier file (if any) untouched and no partial file. Files written together
(an export's package, PDF and workbook; the province's workbook and PDF) are all old or all new,
also when one of them is held open by another program on Windows (:func:`write_together`).
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path

from .errors import KdxError
from .system import files

# The Vietnamese description of an OS error lives with the Windows error codes it reads.
from .system.files import describe_os_error as describe_os_error
from .system.files import is_in_use
from .system.files import os_reason as os_reason


class OutputError(KdxError, OSError):
    """Writing an output file failed; the message is Vietnamese and names the file."""

    usage = True  # the folder asked for cannot take the files


class FileInUse(OutputError):
    """A final name is held open by another program (Windows); nothing was replaced."""


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (see module docstring)."""
    path = Path(path)
    write_together(path.parent, {path.name: data})


def _write_temporary(folder: Path, name: str, raw: bytes) -> Path:
    fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=str(folder))
    try:
        # mkstemp makes the file private (0600); what KDX writes is meant to be read by others
        # (the consolidated report, a review file), like the export's files (0644).
        os.chmod(tmp_name, 0o644)
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
    except BaseException:
        files.discard(tmp_name)
        raise
    return Path(tmp_name)


def write_together(out_dir: Path, contents: dict[str, bytes]) -> list[Path]:
    """Write every file of ``contents`` into ``out_dir`` so that they are all old or all new.

    Each is written and flushed under a temporary name first. Then every existing final file is
    renamed aside: on Windows that fails exactly when another program holds the file open (as the
    replacement itself would), so a file open in Excel or a PDF reader is found before anything
    is replaced, the files set aside go back, and :class:`FileInUse` names it. Only then do the
    new files take their names and the old ones are removed. Any failure leaves the folder as it
    was and raises :class:`OutputError` saying what and where."""
    out_dir = Path(out_dir)
    for name in contents:  # leftovers of a write killed half-way
        for stale in (*out_dir.glob(f".{name}.*.tmp"), *out_dir.glob(f".{name}.*.old")):
            files.discard(stale)
    tag = os.urandom(4).hex()  # not secrets: it brings hashlib onto the window's start path
    temps: dict[Path, Path] = {}
    aside: dict[Path, Path] = {}
    installed: list[Path] = []
    current = out_dir
    try:
        for name, raw in contents.items():
            current = out_dir / name
            temps[current] = _write_temporary(out_dir, name, raw)
        for final in temps:
            current = final
            if final.exists():
                old = final.with_name(f".{final.name}.{tag}.old")
                files.replace(final, old)
                aside[final] = old
        for final, tmp in temps.items():
            current = final
            files.replace(tmp, final)
            installed.append(final)
        fsync_dir(out_dir)
    except BaseException as exc:
        for final in installed:
            files.discard(final)
        for final, old in aside.items():
            try:
                files.replace(old, final)
            except OSError:  # pragma: no cover - the folder was writable a moment ago
                pass
        for tmp in temps.values():
            files.discard(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            error = FileInUse if is_in_use(exc) else OutputError
            raise error(describe_os_error(exc, current)) from None
        raise
    for old in aside.values():
        files.discard(old)
    return list(temps)


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
