"""Watch an X display for a program's main window to be mapped (shown), with libX11 via ctypes.

The frozen program cannot load the start-up probe, so its start is observed from outside: a
private Xvfb server, and this watcher subscribed to the root window's SubstructureNotify events.
The first top-level window mapped at main-window size (not a tooltip, menu or message box) ends
the measurement. Source and frozen starts are watched the same way, so their ratio is fair.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import select
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SUBSTRUCTURE_NOTIFY_MASK = 1 << 19
MAP_NOTIFY = 19
MIN_W, MIN_H = 500, 350  # smaller windows are dialogs or message boxes, not the main window


class XError(RuntimeError):
    pass


def _xlib() -> ctypes.CDLL:
    name = ctypes.util.find_library("X11")
    if not name:
        raise XError("libX11 not found")
    lib = ctypes.CDLL(name)
    lib.XOpenDisplay.restype = ctypes.c_void_p
    lib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    lib.XDefaultRootWindow.restype = ctypes.c_ulong
    lib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    lib.XSelectInput.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_long]
    lib.XFlush.argtypes = [ctypes.c_void_p]
    lib.XPending.argtypes = [ctypes.c_void_p]
    lib.XNextEvent.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    lib.XConnectionNumber.argtypes = [ctypes.c_void_p]
    lib.XGetWindowAttributes.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_void_p]
    lib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    return lib


# An X error (e.g. asking the size of a window that is already gone) must not end this process,
# which is libX11's default; keep a reference so the callback is never collected.
_ERROR_HANDLER_TYPE = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)
_ignore_errors = _ERROR_HANDLER_TYPE(lambda _d, _e: 0)


class MapWatcher:
    """A connection to ``display`` that reports top-level windows being mapped."""

    def __init__(self, display: str) -> None:
        self.lib = _xlib()
        self.lib.XSetErrorHandler(_ignore_errors)
        self.dpy = self.lib.XOpenDisplay(display.encode())
        if not self.dpy:
            raise XError(f"cannot open display {display}")
        root = self.lib.XDefaultRootWindow(self.dpy)
        self.lib.XSelectInput(self.dpy, root, SUBSTRUCTURE_NOTIFY_MASK)
        self.lib.XFlush(self.dpy)
        self.fd = self.lib.XConnectionNumber(self.dpy)
        self.event = ctypes.create_string_buffer(192)  # sizeof(XEvent) on 64-bit
        self.attrs = ctypes.create_string_buffer(256)  # XWindowAttributes, first 4 ints x y w h

    def drain(self) -> None:
        """Forget events already queued (windows of a previous run)."""
        while self.lib.XPending(self.dpy):
            self.lib.XNextEvent(self.dpy, self.event)

    def _size(self, window: int) -> tuple[int, int]:
        if not self.lib.XGetWindowAttributes(self.dpy, window, self.attrs):
            return 0, 0
        w, h = (int.from_bytes(self.attrs.raw[i : i + 4], "little", signed=True) for i in (8, 12))
        return w, h

    def wait_main_window(self, deadline: float) -> float:
        """``time.perf_counter()`` when a main-window-sized top-level window was mapped."""
        while True:
            while self.lib.XPending(self.dpy):
                self.lib.XNextEvent(self.dpy, self.event)
                at = time.perf_counter()
                raw = self.event.raw
                if int.from_bytes(raw[0:4], "little") != MAP_NOTIFY:
                    continue
                window = int.from_bytes(raw[40:48], "little")
                override_redirect = int.from_bytes(raw[48:52], "little")
                if override_redirect:
                    continue
                w, h = self._size(window)
                if w >= MIN_W and h >= MIN_H:
                    return at
            left = deadline - time.perf_counter()
            if left <= 0:
                raise XError("no main window was mapped in time")
            select.select([self.fd], [], [], left)

    def close(self) -> None:
        self.lib.XCloseDisplay(self.dpy)


@contextmanager
def xvfb() -> Iterator[str]:
    """A private Xvfb server; yields its display name (e.g. ``:57``)."""
    exe = shutil.which("Xvfb")
    if exe is None:
        raise XError("Xvfb is not installed")
    for number in range(57, 120):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    else:
        raise XError("no free X display number")
    display = f":{number}"
    proc = subprocess.Popen(
        [exe, display, "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        socket = Path(f"/tmp/.X11-unix/X{number}")
        deadline = time.perf_counter() + 10
        while not socket.exists():
            if proc.poll() is not None or time.perf_counter() > deadline:
                raise XError("Xvfb did not start")
            time.sleep(0.02)
        yield display
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def timed_start(cmd: list[str], env: dict[str, str], watcher: MapWatcher, timeout: float = 60.0) -> float:
    """Seconds from spawning ``cmd`` to its main window being mapped; the program is then killed."""
    watcher.drain()
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=os.getcwd()
    )
    try:
        shown = watcher.wait_main_window(t0 + timeout)
    finally:
        proc.kill()
        proc.wait()
    return shown - t0
