"""Temporary files a killed KDX left in its data folder, removed at the next start.

Every file KDX writes in the data folder is written under a temporary name (``.….tmp``, or
``kdx.sqlite3.new`` for the database's first creation) and renamed when whole; a kill or a power
cut between the two leaves the temporary file. Nothing refers to them, so the next start removes
them — only while it holds the data folder's instance lock, so no running KDX is writing one.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..system import files

log = logging.getLogger(__name__)

_SUBFOLDERS = ("backups", "attachments", "received")


def leftovers(data_dir: Path) -> list[Path]:
    """The temporary files of KDX's own naming in ``data_dir`` and its subfolders."""
    found = [*data_dir.glob(".*.tmp"), *data_dir.glob("kdx.sqlite3.new*")]
    for sub in _SUBFOLDERS:
        folder = data_dir / sub
        if folder.is_dir():
            found += folder.rglob(".*.tmp")
    return sorted(p for p in found if p.is_file())


def remove_leftovers(data_dir: Path) -> list[Path]:
    """Remove :func:`leftovers` (call with the instance lock held); returns what was removed. A
    file that cannot be removed stays (logged): it harms nothing."""
    removed = [p for p in leftovers(Path(data_dir)) if files.discard(p)]
    if removed:
        log.info("removed %d leftover temporary files: %s", len(removed), [p.name for p in removed])
    return removed
