"""Every SQLite connection is closed (used by conftest.py).

On Windows an open connection keeps its database and -wal/-shm files locked, so a leaked one can
fail a restore, a backup rotation or a folder move there; Python 3.13 also warns about it. Every
connection the tests or KDX open is tracked; one collected without close() fails the test that was
running, naming where it was opened, on every interpreter (not only where Python warns).
"""

from __future__ import annotations

import gc
import sqlite3
import traceback
import weakref
from typing import Any

_LEAKS: list[str] = []
_OPEN: weakref.WeakSet[_TrackedConnection] = weakref.WeakSet()


class _TrackedConnection(sqlite3.Connection):
    _closed = True  # until opened: a connect that fails (a read-only folder) has nothing to close

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._opened_at = traceback.extract_stack(limit=14)[:-2]
        self._closed = False
        _OPEN.add(self)

    def close(self) -> None:
        self._closed = True
        super().close()

    def __del__(self) -> None:
        if not self._closed:
            where = "".join(
                traceback.format_list([f for f in self._opened_at if "site-packages" not in f.filename])
            )
            _LEAKS.append(where)
            super().close()  # the test fails; the warning Python 3.13 would add says nothing more


_real_connect = sqlite3.connect


def _tracked_connect(*args: Any, **kwargs: Any) -> sqlite3.Connection:
    kwargs.setdefault("factory", _TrackedConnection)
    return _real_connect(*args, **kwargs)


sqlite3.connect = _tracked_connect  # type: ignore[assignment]


def leaks_after_collection() -> list[str]:
    """Where the connections collected without close() since the last call were opened."""
    if any(not c._closed for c in _OPEN):
        gc.collect()
    leaks = list(_LEAKS)
    _LEAKS.clear()
    return leaks
