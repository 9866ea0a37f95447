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


def resolve_data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The data folder for this run, created if missing."""
    path = Path(explicit) if explicit else default_data_dir()
    path = path.expanduser().resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


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
