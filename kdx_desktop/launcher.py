"""Entry point shared by ``main.py``, ``python -m kdx_desktop`` and the frozen programs.

With a command it runs the command line and never imports Qt; without one it opens the window.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple


class GuiRequest(NamedTuple):
    data_dir: str | None
    files: list[Path]


def gui_request(args: Sequence[str]) -> GuiRequest | None:
    """What the window is asked to open, or None when ``args`` are a command.

    Besides ``--data-dir DIR``, the arguments may be files or folders that exist: Windows passes
    the paths of packages dragged onto ``KDX.exe`` (or opened with it) this way, and the window
    opens to import them. The first argument naming a command keeps its meaning as a command."""
    rest = list(args)
    data_dir: str | None = None
    if len(rest) >= 2 and rest[0] == "--data-dir":
        data_dir, rest = rest[1], rest[2:]
    elif rest and rest[0].startswith("--data-dir="):
        data_dir, rest = rest[0].split("=", 1)[1], rest[1:]
    if not rest:
        return GuiRequest(data_dir, [])
    from .cli import COMMANDS  # no Qt, no heavy import: a tuple of names

    if rest[0] in COMMANDS or rest[0].startswith("-"):
        return None
    paths = [Path(a) for a in rest]
    if all(p.exists() for p in paths):
        return GuiRequest(data_dir, paths)
    return None


def _windowed_streams() -> None:
    """The windowed program has no console: ``sys.stdout``/``sys.stderr`` are None there, and a
    library writing a warning would raise. They are pointed at the null device instead."""
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))


def _import_qt_free_start() -> None:
    """Import the Qt-free part of the window's start before PySide6. Once PySide6 is loaded it
    reads the source file of every module imported after it, to see whether the module asks for
    ``from __feature__ import …``: ~0.1-0.2 ms a module from a source checkout, and the data
    folder's checks and the report's computation bring about 90 modules (stdlib included)."""
    from .services import startup  # noqa: F401


def launch(argv: Sequence[str]) -> int:
    windowed = sys.stdout is None  # the windowed build (KDX.exe): no console to print to
    _windowed_streams()
    request = gui_request(argv)
    if request is not None:
        _import_qt_free_start()
        from .gui.app import run_gui

        return run_gui(request.data_dir, open_files=request.files)
    if windowed:
        # A command given to the windowed program would print into nothing: say where to run it.
        from .gui.app import explain_console_only

        return explain_console_only(list(argv))
    from .cli import main

    return main(list(argv))
