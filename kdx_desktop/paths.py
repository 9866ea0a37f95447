"""Every folder KDX uses, resolved in one place.

* bundled resources (catalogue, fonts, icons): from the source tree or, frozen, from the
  PyInstaller bundle (``sys._MEIPASS``) — the only place that knows the difference;
* the data folder: ``--data-dir`` > ``KDX_DATA_DIR`` > portable mode (a ``portable.txt`` file
  next to the program) > the per-user data folder of the platform.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .errors import KdxError

APP_DIR_NAME = "KDX"
DB_FILE = "kdx.sqlite3"
PORTABLE_MARKER = "portable.txt"


def _bundle_root() -> Path:
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:
        return Path(meipass)
    return Path(__file__).resolve().parent.parent


def resource_path(*parts: str) -> Path:
    """Path of a bundled file under ``resources/``, from source or frozen."""
    return _bundle_root().joinpath("resources", *parts)


def program_dir() -> Path:
    """Folder of the running program (the exe when frozen, the source tree otherwise)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return _bundle_root()


def is_portable() -> bool:
    return (program_dir() / PORTABLE_MARKER).exists()


def default_data_dir() -> Path:
    """The data folder when nothing overrides it."""
    env = os.environ.get("KDX_DATA_DIR")
    if env:
        return Path(env)
    if is_portable():
        return program_dir() / "KDX-data"
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_DIR_NAME, appauthor=False, roaming=False))


class DataDirError(KdxError, OSError):
    """The data folder cannot be created or written; the message is Vietnamese and says what to do."""


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder for this run, created if missing and checked to be writable, or
    :class:`DataDirError` naming the folder and saying what to do."""
    path = Path(explicit) if explicit else default_data_dir()
    path = path.expanduser().resolve()
    try:
        path.mkdir(parents=True, exist_ok=True)
        _probe_writable(path)
    except OSError as exc:
        raise DataDirError(_data_dir_problem(path, exc, portable=not explicit and is_portable())) from exc
    return path


def _probe_writable(folder: Path) -> None:
    # An existing folder can still refuse writes (a portable copy under C:\Program Files, where
    # only administrators write): found here, before the database is opened.
    probe = folder / f".kdx-write-test-{os.getpid()}"
    fd = os.open(probe, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    from .system import files

    files.remove(probe)


def _data_dir_problem(path: Path, exc: OSError, *, portable: bool) -> str:
    if path.exists() and not path.is_dir():
        return f"Thư mục dữ liệu “{path}” là một tệp, không phải thư mục. Hãy chọn thư mục khác."
    if portable and isinstance(exc, PermissionError):
        return (
            f"Bản KDX mang theo đang nằm trong thư mục chỉ quản trị viên mới ghi được (“{program_dir()}”, "
            "ví dụ C:\\Program Files), nên không tạo được thư mục dữ liệu KDX-data bên cạnh. Hãy giải nén "
            "KDX vào một thư mục của bạn (ví dụ D:\\KDX hoặc thư mục Tài liệu) rồi chạy lại; hoặc xóa tệp "
            f"{PORTABLE_MARKER} để KDX lưu dữ liệu trong thư mục của người dùng."
        )
    from .system.files import describe_os_error

    return f"Không dùng được thư mục dữ liệu. {describe_os_error(exc, path)}"


def db_path(data_dir: Path) -> Path:
    return data_dir / DB_FILE


def backups_dir(data_dir: Path) -> Path:
    return data_dir / "backups"


def attachments_dir(data_dir: Path) -> Path:
    return data_dir / "attachments"


def logs_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


USER_GUIDE = "huong-dan-su-dung"


def user_guide_path() -> Path:
    """The user guide (Vietnamese) for the Help menu, from source or frozen.

    The HTML edition is preferred: an offline Windows PC opens it in any browser, whereas ``.md``
    files usually have no program associated. Falls back to the Markdown source.
    """
    docs = _bundle_root() / "docs"
    html = docs / f"{USER_GUIDE}.html"
    return html if html.exists() else docs / f"{USER_GUIDE}.md"
