"""Windows' file behaviour, reproduced on any machine for the tests.

KDX's users are all on Windows; the tests run on Linux. Where the two differ for KDX, the code
goes through ``kdx_desktop.system.files`` and this module swaps its primitives for ones that act
as Windows does (documented behaviour of ``MoveFileEx``/``DeleteFile`` and CPython's mapping):

* a file another program holds open (:meth:`WindowsFiles.hold`) cannot be replaced, renamed or
  removed: ``PermissionError`` with ``winerror`` 32 (ERROR_SHARING_VIOLATION);
* a brief lock (:meth:`WindowsFiles.lock_briefly`, an antivirus scan or the indexer) fails the
  same way a few times, then clears;
* in the CI's Windows-semantics run (``KDX_WINDOWS_SEMANTICS=1``, see conftest.py) every path meets
  such a brief lock at its first replace or removal, as a scanner touches each new file: code
  that does not go through the retrying seam fails there.

Sleeping is recorded, not done, so the retries cost no time.
"""

from __future__ import annotations

import errno
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from kdx_desktop.system.files import ERROR_SHARING_VIOLATION


def sharing_violation(path: str) -> PermissionError:
    exc = PermissionError(
        errno.EACCES,
        "The process cannot access the file because it is being used by another process",
        path,
    )
    exc.winerror = ERROR_SHARING_VIOLATION  # type: ignore[attr-defined]  # set by CPython on Windows
    return exc


def _key(path: str | os.PathLike[str]) -> str:
    return os.path.normcase(os.path.abspath(os.fspath(path)))


@dataclass
class WindowsFiles:
    held: set[str] = field(default_factory=set)
    brief: dict[str, int] = field(default_factory=dict)
    scanner: bool = False  # every path briefly locked at its first replace or removal
    scanned: set[str] = field(default_factory=set)
    sleeps: list[float] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def hold(self, path: Path) -> None:
        """Another program opens ``path`` (without FILE_SHARE_DELETE, as Excel and most PDF
        readers do)."""
        self.held.add(_key(path))

    def release(self, path: Path) -> None:
        self.held.discard(_key(path))

    def lock_briefly(self, path: Path, times: int = 2) -> None:
        self.brief[_key(path)] = times

    def _check(self, *paths: str) -> None:
        for p in paths:
            k = _key(p)
            held = k in self.held or any(k.startswith(h + os.sep) for h in self.held)
            if not held and self.brief.get(k, 0) > 0:
                self.brief[k] -= 1
                held = True
            if not held and self.scanner and k not in self.scanned and os.path.exists(k):
                self.scanned.add(k)
                held = True
            if held:
                self.refused.append(p)
                raise sharing_violation(p)

    def replace(self, src: str, dst: str) -> None:
        self._check(src, dst)
        os.replace(src, dst)

    def unlink(self, path: str) -> None:
        self._check(path)
        os.unlink(path)

    def rmtree(self, path: str) -> None:
        self._check(path)
        if os.path.isdir(path):
            for root, dirs, names in os.walk(path):
                self._check(*(os.path.join(root, n) for n in (*dirs, *names)))
        shutil.rmtree(path)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
