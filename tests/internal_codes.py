"""KDX's own codes, derived from the catalogue, and a finder for them in text people read.

A person reads organisations by name and document abbreviation (Báo Quảng Ngãi, BQN), tasks by the
plan's numbering (Nhiệm vụ 6), indicators by the plan's labels (PL1-3): never KDX's ids (BKT,
STTTT, T6, W04, pl1_3, staff_total). JSON output and data files keep the ids; they are for tools.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from kdx_desktop.core.catalog import Catalog
from kdx_desktop.core.file_names import ascii_name
from kdx_desktop.core.rules import RANGE_RULE, REQUIRED_RULE


def internal_codes(catalog: Catalog, year: int) -> set[str]:
    """Every id of KDX's own that a text about ``year`` must not show: an organisation's code where
    it is not the abbreviation its documents carry that year, task ids, rule ids, indicator ids,
    data element and narrative ids."""
    # (SKHDT is both the code and the file-name form of SKHĐT: not counted.)
    codes = {o.code for o in catalog.organisations if o.code != ascii_name(o.abbreviation(year))}
    codes |= {t.code for t in catalog.tasks}
    codes |= {r.code for r in catalog.rules} | {REQUIRED_RULE, RANGE_RULE}
    codes |= {i.code for i in catalog.indicators}
    codes |= set(catalog.elements)
    codes |= {n.code for n in catalog.narrative}
    return codes


def finder(codes: Iterable[str]) -> re.Pattern[str]:
    """A whole-word match of any code. Not after "-" or "/": a document number typed by an officer
    (``Quyết định số 86/QĐ-STTTT``) names the office that issued it, in its own words."""
    alternatives = "|".join(sorted((re.escape(c) for c in codes), key=len, reverse=True))
    return re.compile(rf"(?<![\w/-])(?:{alternatives})(?![\w-])")


def leaks(texts: Iterable[tuple[str, str]], pattern: re.Pattern[str]) -> list[str]:
    """``where: code in “text”`` for each text (with where it was read) that shows a code."""
    out = []
    for where, text in texts:
        for m in pattern.finditer(text):
            start = max(m.start() - 40, 0)
            out.append(f"{where}: {m.group(0)} trong “{text[start : m.end() + 40]}”")
    return out


def file_name_leaks(names: Iterable[str], catalog: Catalog, year: int) -> list[str]:
    """File names must be Vietnamese words, the abbreviation, year and revision: no ``KDX_``
    prefix and no id (the parts between ``_``, ``-`` and ``.``)."""
    codes = internal_codes(catalog, year)
    out = []
    for name in names:
        parts = set(re.split(r"[_.\-\s]+", name))
        if name.upper().startswith("KDX_") or parts & codes or parts & {"GOPY", "TONGHOP"}:
            out.append(name)
    return out


__all__ = ["file_name_leaks", "finder", "internal_codes", "leaks"]
