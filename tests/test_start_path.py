"""What the window's start loads: the officer waits for every module imported before the first
paint, so what the first window does not use stays off that path (see
benchmarks/notes/2026-11-startup-investigation.md)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from kdx_desktop.gui.session import THIS_ORG
from kdx_desktop.services.reporting import open_app

ROOT = Path(__file__).resolve().parents[1]

# Start as main.py does, let the event loop turn once with the main window shown, then report
# which modules were loaded and what the window is.
_PROBE = """
import json, os, sys
sys.path.insert(0, sys.argv[1])
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

def report():
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()]
    print(json.dumps({"window": [w.windowTitle() for w in shown], "modules": sorted(sys.modules)}))
    sys.stdout.flush()
    os._exit(0)

original = QApplication.exec
def exec_once(*_args):
    QTimer.singleShot(0, report)
    return original()
QApplication.exec = staticmethod(exec_once)

from kdx_desktop.launcher import launch
launch(["--data-dir", sys.argv[2]])
"""

# Loaded when their feature is first used, never for the first window.
NOT_AT_START = (
    "reportlab",  # the export engine
    "openpyxl",
    "sqlite_utils",  # only when a migration is pending
    "numpy",
    "socket",
    "hashlib",  # OpenSSL: the catalogue's fingerprint is computed for an export or an import
    "logging.handlers",
    "kdx_desktop.safekeeping.backups",  # the first periodic check comes minutes later
    "kdx_desktop.services.exporting",
    "kdx_desktop.gui.export_flow",
    "kdx_desktop.gui.restore_dialog",
    "kdx_desktop.gui.dialogs",
    "kdx_desktop.gui.tasks_page",
    "kdx_desktop.gui.background",
    "kdx_desktop.services.attachments",
    "kdx_desktop.province",  # an agency's PC has no intake page
    "kdx_desktop.services.intake",
    "kdx_desktop.package",  # read or written only by an import or an export
)


def test_the_first_window_loads_only_what_it_shows(demo_dir: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    app = open_app(data)
    app.store.set_setting(THIS_ORG, "BKT")  # an agency officer's PC, set up
    app.close()
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    out = subprocess.run(
        [sys.executable, "-c", _PROBE, str(ROOT), str(data)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    seen = json.loads(out.stdout.strip().splitlines()[-1])
    assert seen["window"] and "Báo Quảng Ngãi" in seen["window"][0]
    modules = set(seen["modules"])
    loaded = sorted(m for m in NOT_AT_START if m in modules or any(x.startswith(m + ".") for x in modules))
    assert loaded == [], f"loaded at start: {loaded}"
    # and what the window needs is really there (the probe saw the real start)
    assert {"kdx_desktop.gui.main_window", "kdx_desktop.services.startup", "sqlite3"} <= modules
