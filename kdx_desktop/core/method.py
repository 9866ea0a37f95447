"""How each number is computed, in words: the one text source for the PDF annex, the guide and
the window's indicator help.

The sentences are catalogue data (each indicator's ``method``, ``readings`` and ``binds``; the
catalogue's ``method_notes``), so a reading the Sở changes in the catalogue changes all three.
"""

from __future__ import annotations

from .catalog import Catalog, Indicator
from .goals import GAP_NOTE

TITLE = "Phương pháp tính"

BINDS_TEXT = {
    "agency": "Chỉ tiêu ràng buộc từng cơ quan.",
    "province": "Chỉ tiêu chung của cả tỉnh.",
}


def indicator_method(ind: Indicator) -> list[str]:
    """The formula first, then whom the target binds, then every reading chosen, one sentence each."""
    lines = [f"Cách tính: {ind.method}" if ind.method else f"Cách tính: {ind.measure}"]
    readings = list(ind.readings)
    if not any(r.startswith("Chỉ tiêu") for r in readings):
        readings.insert(0, BINDS_TEXT[ind.binds])
    return lines + readings


def indicator_help(ind: Indicator) -> str:
    """The indicator's help in the window: its full name, then :func:`indicator_method`."""
    return "\n".join([f"{ind.source}. {ind.label}", *indicator_method(ind)])


def general_notes(catalog: Catalog) -> list[str]:
    """The readings that hold for every indicator (exact comparison, provisional figures, NA…),
    then how a year without a target of its own is read against the plan's next goal (the rule
    is the program's, core/goals.py, so its words live beside it)."""
    return [*catalog.method_notes, GAP_NOTE]


def guide_markdown(catalog: Catalog) -> str:
    """The guide's "Phương pháp tính" section body (generated; a test keeps the guide in step)."""
    out = ["Các quy ước chung:", ""]
    out += [f"- {n}" for n in general_notes(catalog)]
    out.append("")
    for ind in catalog.indicators:
        out.append(f"**{ind.source}. {ind.short_label}**")
        out.append("")
        out += [f"- {line}" for line in indicator_method(ind)]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


__all__ = ["TITLE", "general_notes", "guide_markdown", "indicator_help", "indicator_method"]
