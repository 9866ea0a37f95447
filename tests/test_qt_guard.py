"""Guard against the PySide6 6.12.0 + Python 3.11 reference leak on ``None``.

On that pair every Qt call returning None drops a reference to None and the interpreter
aborts after a few thousand calls (``Fatal Python error: none_dealloc``). pyproject pins
around it; this test fails if the installed pair leaks anyway.
"""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import os, sys
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for i in range(2000):
    label.setText(str(i))
print(sys.getrefcount(None) - before)
"""


def test_installed_pyside6_does_not_leak_none() -> None:
    res = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    drift = int(res.stdout.strip().splitlines()[-1])
    assert abs(drift) < 100, f"PySide6 leaks references to None ({drift} per 2000 calls): pin another version"


def test_pin_excludes_the_broken_pair() -> None:
    import tomllib
    from pathlib import Path

    deps = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text())["project"][
        "dependencies"
    ]
    pins = [d for d in deps if d.startswith("PySide6")]
    assert any("<6.12" in d and "python_version < '3.12'" in d for d in pins)
