"""The layering is checkable: only kdx_desktop/gui imports PySide6; start-up stays light."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import kdx_desktop

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "kdx_desktop"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.add(node.module.split(".")[0])
    return out


def test_only_gui_imports_pyside6() -> None:
    offenders = [
        str(p.relative_to(ROOT))
        for p in PKG.rglob("*.py")
        if "gui" not in p.relative_to(PKG).parts and "PySide6" in _imports(p)
    ]
    assert offenders == []


def test_core_uses_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"kdx_desktop"}
    for p in (PKG / "core").rglob("*.py"):
        assert _imports(p) <= allowed, p


def test_importing_everything_but_gui_loads_no_qt() -> None:
    names = [
        m.name
        for m in pkgutil.walk_packages(kdx_desktop.__path__, "kdx_desktop.")
        if ".gui" not in m.name and m.name != "kdx_desktop.__main__"
    ]
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "bad = sorted(m for m in sys.modules if m.startswith('PySide6'))\n"
        "assert not bad, bad\n"
    )
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
