"""I/O failure injection for Python-level file operations.

:class:`Faults` wraps the file operations KDX's writers use (``os.open``, ``open``/``os.fdopen``
writes, ``os.fsync``, ``os.replace``, ``os.link``, ``shutil.copyfile``, ``sqlite3.connect``) and
makes the N-th of them fail with ``ENOSPC`` (disk full) or ``EIO``. Running an operation once to
count its file operations, then once per operation with that one failing, hits every step the
way SQLite's own I/O-error tests do. SQLite's internal writes are below Python; the disk-full
tests for them use ``RLIMIT_FSIZE`` in a child process instead (see diskfull_child.py).
"""

from __future__ import annotations

import builtins
import errno
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any


class InjectedFault(OSError):
    pass


class _File:
    """A file object whose ``write`` counts as an operation."""

    def __init__(self, inner: Any, faults: Faults) -> None:
        self._inner = inner
        self._faults = faults

    def write(self, data: Any) -> Any:
        self._faults.step("write")
        return self._inner.write(data)

    def __enter__(self) -> _File:
        self._inner.__enter__()
        return self

    def __exit__(self, *exc: Any) -> Any:
        return self._inner.__exit__(*exc)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


class Faults:
    """Count file operations inside :meth:`active`; fail number ``fail_at`` (1-based)."""

    def __init__(self, fail_at: int | None = None, code: int = errno.ENOSPC) -> None:
        self.fail_at = fail_at
        self.code = code
        self.ops: list[str] = []
        self.failed: str | None = None

    def step(self, name: str) -> None:
        self.ops.append(name)
        if self.fail_at is not None and len(self.ops) == self.fail_at:
            self.failed = name
            if name == "sqlite3.connect":  # what sqlite3 raises when it cannot create or open its file
                exc = sqlite3.OperationalError("unable to open database file (injected)")
                exc.sqlite_errorcode = 14  # type: ignore[attr-defined]  # SQLITE_CANTOPEN
                raise exc
            raise InjectedFault(self.code, os.strerror(self.code) + f" (injected at {name})")

    @contextmanager
    def active(self) -> Iterator[Faults]:
        real = {
            "open": builtins.open,
            "os.open": os.open,
            "fdopen": os.fdopen,
            "fsync": os.fsync,
            "replace": os.replace,
            "link": os.link,
            "copyfile": shutil.copyfile,
            "connect": sqlite3.connect,
        }

        def counted(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
            def wrapper(*args: Any, **kwargs: Any) -> Any:
                self.step(name)
                return fn(*args, **kwargs)

            return wrapper

        def opener(*args: Any, **kwargs: Any) -> Any:
            mode = args[1] if len(args) > 1 else kwargs.get("mode", "r")
            if any(c in mode for c in "wax+"):
                self.step("open")
                return _File(real["open"](*args, **kwargs), self)
            return real["open"](*args, **kwargs)

        def os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if flags & (
                os.O_WRONLY | os.O_RDWR | os.O_CREAT
            ):  # reads (and folder fsyncs' opens) are not writes
                self.step("os.open")
            return int(real["os.open"](path, flags, *args, **kwargs))

        def fdopen(*args: Any, **kwargs: Any) -> Any:
            return _File(real["fdopen"](*args, **kwargs), self)

        builtins.open = opener
        os.open = os_open
        os.fdopen = fdopen
        os.fsync = counted("fsync", real["fsync"])
        os.replace = counted("replace", real["replace"])
        os.link = counted("link", real["link"])
        shutil.copyfile = counted("copyfile", real["copyfile"])
        sqlite3.connect = counted("sqlite3.connect", real["connect"])
        try:
            yield self
        finally:
            builtins.open = real["open"]
            os.open = real["os.open"]
            os.fdopen = real["fdopen"]
            os.fsync = real["fsync"]
            os.replace = real["replace"]
            os.link = real["link"]
            shutil.copyfile = real["copyfile"]
            sqlite3.connect = real["connect"]


def count_ops(fn: Callable[[], object]) -> list[str]:
    """The file operations ``fn`` performs when nothing fails."""
    faults = Faults()
    with faults.active():
        fn()
    return faults.ops


def run_failing_at(
    fn: Callable[[], object], n: int, code: int = errno.ENOSPC
) -> tuple[BaseException | None, Faults]:
    """Run ``fn`` with operation ``n`` failing; the exception it raised (None if it coped)."""
    faults = Faults(fail_at=n, code=code)
    try:
        with faults.active():
            fn()
    except Exception as exc:
        return exc, faults
    return None, faults
