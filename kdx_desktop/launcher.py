"""Entry point shared by ``main.py``, ``python -m kdx_desktop`` and the frozen programs.

With a command it runs the command line and never imports Qt; without one it opens the window.
"""

from __future__ import annotations

from collections.abc import Sequence


def gui_data_dir(args: Sequence[str]) -> tuple[bool, str | None]:
    """(open the window?, data folder) — the window opens when no command is given."""
    if not args:
        return True, None
    if len(args) == 2 and args[0] == "--data-dir":
        return True, args[1]
    if len(args) == 1 and args[0].startswith("--data-dir="):
        return True, args[0].split("=", 1)[1]
    return False, None


def _import_qt_free_start() -> None:
    """Import the Qt-free part of the window's start before PySide6. Once PySide6 is loaded it
    reads the source file of every module imported after it, to see whether the module asks for
    ``from __feature__ import …``: ~0.1-0.2 ms a module from a source checkout, and the data
    folder's checks and the report's computation bring about 90 modules (stdlib included)."""
    from .services import startup  # noqa: F401


def launch(argv: Sequence[str]) -> int:
    is_gui, data_dir = gui_data_dir(argv)
    if is_gui:
        _import_qt_free_start()
        from .gui.app import run_gui

        return run_gui(data_dir)
    from .cli import main

    return main(list(argv))
