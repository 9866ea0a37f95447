"""docs/catalogue.md describes every field and type the catalogue reader knows."""

from __future__ import annotations

import re
from pathlib import Path

from kdx_desktop.core.catalog import VALUE_TYPES, Edition, Organisation, OrgPeriod
from kdx_desktop.core.catalog_specs import COMPUTE_READERS, RULE_READERS

DOC = Path(__file__).resolve().parents[1] / "docs" / "catalogue.md"

# Record attributes that the file spells differently (the loader maps them).
_FILE_NAMES = {"start": "from", "end": "to", "year_from": "years", "year_to": "years", "number": "number"}


def _documented(text: str | None = None) -> set[str]:
    """Every `name` written in a table's first column of the document."""
    names: set[str] = set()
    for line in (DOC.read_text("utf-8") if text is None else text).splitlines():
        if line.startswith("| ") and not line.startswith("| ---"):
            first = line.split("|")[1]
            names.update(re.findall(r"`([^`]+)`", first))
    return names


def test_every_compute_rule_and_value_type_is_documented() -> None:
    documented = _documented()
    missing = [t for t in (*COMPUTE_READERS, *RULE_READERS, *VALUE_TYPES) if t not in documented]
    assert not missing, f"docs/catalogue.md does not describe: {missing}"


def test_every_organisation_and_edition_field_is_documented() -> None:
    documented = _documented()
    fields = [*Organisation._fields, *OrgPeriod._fields, *Edition._fields]
    missing = [f for f in fields if _FILE_NAMES.get(f, f) not in documented]
    # Organisation.periods and .consolidates etc. are file keys of the same name.
    assert not missing, f"docs/catalogue.md does not describe: {missing}"


def test_a_type_whose_row_is_removed_counts_as_undocumented() -> None:
    text = DOC.read_text("utf-8")
    without = "\n".join(line for line in text.splitlines() if not line.startswith("| `ratio`"))
    assert "ratio" in _documented(text) and "ratio" not in _documented(without)
