"""The local SQLite store (sqlite-utils). No Qt."""

import sys


def _load_sqlite_utils() -> None:
    """Import sqlite-utils without letting it pull in numpy and pandas.

    sqlite-utils imports both at load time whenever they are installed, only to map their scalar
    types when inserting rows; KDX never inserts them. On a PC that happens to have them, those two
    imports cost more than everything else the window needs to start (numpy alone ~120 ms of a
    ~480 ms start measured by benchmarks/run.py). They are hidden only while sqlite-utils loads and
    stay importable for any other code."""
    if "sqlite_utils" in sys.modules:
        return
    hidden = [name for name in ("numpy", "pandas") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes "import name" raise ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        for name in hidden:
            if sys.modules.get(name) is None:
                del sys.modules[name]


_load_sqlite_utils()
