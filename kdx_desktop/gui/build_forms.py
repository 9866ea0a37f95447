"""Compile the Designer forms in ``ui/*.ui`` into ``kdx_desktop/gui/forms/ui_*.py`` (ahead of time,
never at run time): ``python -m kdx_desktop.gui.build_forms``; ``--check`` exits 1 when a generated
form is stale.

The uic version line is dropped from the output so that the same ``.ui`` gives the same file
with any PySide6 release, and the staleness test compares content, not tool versions.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UI_DIR = ROOT / "ui"
FORMS_DIR = Path(__file__).resolve().parent / "forms"
_HEADER = '"""Generated from ui/{name} by kdx_desktop/gui/build_forms.py: do not edit."""\n'


def uic_executable() -> Path:
    """The ``uic`` program shipped inside PySide6 (what ``pyside6-uic`` runs)."""
    import PySide6

    base = Path(PySide6.__file__).resolve().parent
    if sys.platform == "win32":
        return base / "uic.exe"
    return base / "Qt" / "libexec" / "uic"


def compile_form(ui_file: Path) -> str:
    """The Python source generated for ``ui_file``."""
    out = subprocess.run(
        [os.fspath(uic_executable()), "-g", "python", os.fspath(ui_file)],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8",
    ).stdout
    lines = [ln for ln in out.splitlines() if "Created by: Qt User Interface Compiler" not in ln]
    # Type the two entry points so that callers type-check (uic emits untyped Python).
    text = re.sub(
        r"def (setupUi|retranslateUi)\(self, (\w+)\):", r"def \1(self, \2: Any) -> None:", "\n".join(lines)
    )
    text = _used_imports_only(text)
    return _HEADER.format(name=ui_file.name) + "from typing import Any\n" + text.rstrip() + "\n"


_IMPORT = re.compile(r"^from (PySide6\.\w+) import \(([^)]*)\)\n", re.MULTILINE)


def _used_imports_only(text: str) -> str:
    """uic imports some fifty Qt classes whatever the form uses; PySide6 builds each Python class
    when it is first imported, which cost ~8 ms of every start for gradients, painters and dates
    no form draws. Keep the names the form's code uses (and drop an import left empty)."""
    body = _IMPORT.sub("", text)
    used = set(re.findall(r"\b(Q\w+|Qt)\b", body))

    def keep(match: re.Match[str]) -> str:
        names = [n.strip() for n in match.group(2).split(",") if n.strip() in used]
        return f"from {match.group(1)} import {', '.join(names)}\n" if names else ""

    return _IMPORT.sub(keep, text)


def target_for(ui_file: Path) -> Path:
    return FORMS_DIR / f"ui_{ui_file.stem}.py"


def build(check: bool = False) -> list[Path]:
    """Write every form (or, with ``check``, only list those whose file differs). Returns the stale ones."""
    stale = []
    FORMS_DIR.mkdir(exist_ok=True)
    init = FORMS_DIR / "__init__.py"
    init_text = '"""Forms generated from ui/*.ui by kdx_desktop/gui/build_forms.py."""\n'
    if not init.exists() or init.read_text(encoding="utf-8") != init_text:
        stale.append(init)
        if not check:
            init.write_text(init_text, encoding="utf-8")
    for ui_file in sorted(UI_DIR.glob("*.ui")):
        target = target_for(ui_file)
        source = compile_form(ui_file)
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != source:
            stale.append(target)
            if not check:
                target.write_text(source, encoding="utf-8", newline="\n")
    return stale


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    stale = build(check=check)
    for path in stale:
        sys.stdout.write(f"{'cũ' if check else 'đã tạo'}: {path.relative_to(ROOT)}\n")
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
