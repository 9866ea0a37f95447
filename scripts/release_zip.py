"""Zip the built folder for the release: ``python scripts/release_zip.py dist/KDX dist/KDX-<v>.zip``.

Not PowerShell's Compress-Archive: in Windows PowerShell 5.1 it writes ``\\`` into the entry
names, which other unzip tools take as part of a file name. Entries here use ``/`` and start
with ``KDX/``. A folder that still holds data from a test run (``KDX-data``, ``portable.txt``, a
database or a log) is refused: a release carries no one's data.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

LEFTOVERS = ("KDX-data", "portable.txt", "logs", "settings", "backups")
LEFTOVER_SUFFIXES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".log")


def leftovers(folder: Path) -> list[str]:
    found = [p.name for p in folder.iterdir() if p.name in LEFTOVERS]
    found += [
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.name.endswith(LEFTOVER_SUFFIXES)
    ]
    return sorted(set(found))


def make_zip(folder: Path, target: Path) -> int:
    """Write ``target``; returns the number of files. Raises ValueError on leftover data."""
    left = leftovers(folder)
    if left:
        raise ValueError(f"{folder} still holds data from a run, not part of a release: {', '.join(left)}")
    count = 0
    tmp = target.with_name(target.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                z.write(path, (Path(folder.name) / path.relative_to(folder)).as_posix())
                count += 1
    tmp.replace(target)
    return count


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        count = make_zip(Path(argv[0]), Path(argv[1]))
    except ValueError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        return 1
    print(f"{argv[1]}: {count} files")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
