"""Child process of the start-up rows: run a Qt program and say when its main window is interactive.

``python benchmarks/startup_probe.py SCRIPT [ARGS…]`` runs SCRIPT exactly as ``python SCRIPT ARGS…``
would (``__main__``, ``sys.argv``, ``sys.path[0]``), except that ``QApplication.exec`` is wrapped: once
the event loop has turned with a visible ``QMainWindow`` on screen (and one more turn, so that the
window's first paint has been processed), the probe prints one line

    KDX-PROBE-READY <peak resident memory in KiB> <window class> <window title>

and ends the process at once. The parent times the whole process, from just before it spawns this
child to the moment it reads that line, so interpreter start-up, imports, the database and the first
paint are all inside the figure. Both the bare baseline and KDX go through this same wrapper.

If no main window shows within the time limit the probe prints ``KDX-PROBE-FAILED <reason>``.
"""

from __future__ import annotations

import os
import runpy
import sys
import time
from typing import Any

READY, FAILED = "KDX-PROBE-READY", "KDX-PROBE-FAILED"
GIVE_UP_AFTER_S = 30.0


def peak_rss_kib() -> int:
    """Peak resident set size of this process so far (KiB); 0 where the OS does not say."""
    try:
        import resource
    except ImportError:  # Windows: no resource module
        return 0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return int(peak // 1024) if sys.platform == "darwin" else int(peak)  # macOS reports bytes


def _finish(line: str, status: int) -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    # Leave at once: tearing the window down is not part of start-up, and an orderly quit could
    # run close handlers that wait for an answer nobody gives offscreen.
    os._exit(status)


def install_hook() -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMainWindow

    started = time.perf_counter()
    original_exec = QApplication.exec

    def visible_main_window() -> Any:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMainWindow) and widget.isVisible():
                return widget
        return None

    def after_paint_turn() -> None:
        win = visible_main_window()
        title = " ".join(win.windowTitle().split()) if win is not None else ""
        name = type(win).__name__ if win is not None else "?"
        _finish(f"{READY} {peak_rss_kib()} {name} {title}", 0)

    def check() -> None:
        if visible_main_window() is not None:
            QTimer.singleShot(0, after_paint_turn)
        elif time.perf_counter() - started > GIVE_UP_AFTER_S:
            shown = [
                f"{type(w).__name__}({w.windowTitle()!r})"
                for w in QApplication.topLevelWidgets()
                if w.isVisible()
            ]
            _finish(f"{FAILED} no main window shown; visible: {', '.join(shown) or 'none'}", 3)
        else:
            QTimer.singleShot(0, check)

    def hooked_exec(*_args: Any) -> Any:
        # exec is static: called as app.exec() or QApplication.exec(), never with arguments.
        QTimer.singleShot(0, check)
        return original_exec()

    QApplication.exec = staticmethod(hooked_exec)  # type: ignore[method-assign]


def main(argv: list[str]) -> None:
    if not argv:
        _finish(f"{FAILED} usage: startup_probe.py SCRIPT [ARGS…]", 2)
    script = os.path.abspath(argv[0])
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.argv = [script, *argv[1:]]
    sys.path[0] = os.path.dirname(script)
    install_hook()
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        _finish(f"{FAILED} the program ended (status {exc.code}) before showing a main window", 3)
    _finish(f"{FAILED} the program returned before showing a main window", 3)


if __name__ == "__main__":
    main(sys.argv[1:])
