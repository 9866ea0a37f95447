"""Where the window keeps its settings: an INI file in the data folder, never the Windows registry,
so a folder copied to another PC (or a removable drive) takes its window layout along."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings


def use_ini_settings(data_dir: Path) -> None:
    """Window geometry in an INI file in the data folder (never the Windows registry)."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(data_dir / "settings"))
