"""Every row of every table of a database file, for before/after comparisons."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def dump(db_file: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order (read-only; never writes to the file)."""
    conn = sqlite3.connect(Path(db_file).resolve().as_uri() + "?mode=ro", uri=True)
    try:
        tables = [
            r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    finally:
        conn.close()
