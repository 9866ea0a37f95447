"""The console the command line prints to, on Windows as on other systems.

* Windows consoles start in a legacy code page (850 or 1258 for a Vietnamese setting), which
  cannot show Vietnamese: the streams are switched to UTF-8 and, where the program has a console,
  so is the console's output code page. Windows PowerShell 5.1 decodes what it captures with the
  console's output encoding, so that is what makes ``$x = kdx-cli show …`` readable there (an
  assumption to check on the first Windows PC: docs/WINDOWS.md).
* A reader that goes away (``kdx-cli catalog | more``, then ``q``) makes the next write fail:
  ``BrokenPipeError`` on POSIX, but ``OSError`` EINVAL on Windows. Neither is a failure of KDX.
"""

from __future__ import annotations

import errno
import os
import sys

CP_UTF8 = 65001


def setup_streams() -> None:
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(encoding="utf-8", errors="replace")
            except (ValueError, OSError):
                pass
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        kernel32 = getattr(ctypes, "windll").kernel32  # noqa: B009 - absent from non-Windows stubs
        if kernel32.GetConsoleWindow():
            kernel32.SetConsoleOutputCP(CP_UTF8)


def reader_gone(exc: BaseException, platform: str = sys.platform) -> bool:
    """True when ``exc`` is the failure of a write to a pipe whose reader has gone."""
    if isinstance(exc, BrokenPipeError):
        return True
    return platform == "win32" and isinstance(exc, OSError) and exc.errno == errno.EINVAL


def stop_writing() -> None:
    """Point stdout at the null device so the interpreter's final flush does not fail again."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
