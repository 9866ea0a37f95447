"""The consolidated report's two files, ``BaoCaoTongHop_SVHTTDL_<year>.xlsx`` and ``.pdf``, written
together (an older KDX named them ``KDX_TONGHOP_<year>``).

Apart from :mod:`.consolidate` so the model does not import the renderers built on it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from ..core.file_names import consolidated_stem
from ..fsutil import write_together
from .consolidate import Consolidation


def file_stem(c: Consolidation) -> str:
    """``BaoCaoTongHop_SVHTTDL_2025``: the Sở's document abbreviation of the report's year."""
    return consolidated_stem(c.catalog.consolidator().abbreviation(c.year), c.year)


def write_consolidation(
    c: Consolidation, ident: Any, out_dir: Path, *, issued: dt.date | None = None
) -> list[Path]:
    """Write ``BaoCaoTongHop_<SỞ>_<year>.xlsx`` and ``.pdf`` into ``out_dir``, both old or both new, also
    when one is open in Excel or a PDF reader (:func:`~kdx_desktop.fsutil.write_together`)."""
    from .consolidated_pdf import render_consolidation_pdf  # reportlab: only when a report is made
    from .consolidated_xlsx import render_consolidation_xlsx  # openpyxl: likewise

    xlsx = render_consolidation_xlsx(c, ident)
    pdf = render_consolidation_pdf(c, ident, issued=issued)
    stem = file_stem(c)
    return write_together(out_dir, {f"{stem}.xlsx": xlsx, f"{stem}.pdf": pdf})
