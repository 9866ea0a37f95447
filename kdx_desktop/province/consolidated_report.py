"""The consolidated report's two files, ``KDX_TONGHOP_<year>.xlsx`` and ``.pdf``, written together.

Apart from :mod:`.consolidate` so the model does not import the renderers built on it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..fsutil import atomic_write_bytes
from .consolidate import Consolidation


def file_stem(year: int) -> str:
    return f"KDX_TONGHOP_{year}"


def write_consolidation(
    c: Consolidation, ident: Any, out_dir: Path, *, issued: dt.date | None = None
) -> list[Path]:
    """Write ``KDX_TONGHOP_<year>.xlsx`` and ``.pdf`` into ``out_dir`` atomically; both are built
    in memory first, so a failure leaves no new file at all."""
    from .consolidated_pdf import render_consolidation_pdf  # reportlab: only when a report is made
    from .consolidated_xlsx import render_consolidation_xlsx  # openpyxl: likewise

    xlsx = render_consolidation_xlsx(c, ident)
    pdf = render_consolidation_pdf(c, ident, issued=issued)
    paths = [out_dir / f"{file_stem(c.year)}.xlsx", out_dir / f"{file_stem(c.year)}.pdf"]
    for path, body in zip(paths, (xlsx, pdf), strict=True):
        atomic_write_bytes(path, body)
    return paths
