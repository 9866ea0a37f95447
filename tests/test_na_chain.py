""" "Không áp dụng" is a statement with a reason, and it flows through the whole chain.

Each input of each agency is marked "Không áp dụng" in turn (with its reason when the input is
required); the report is validated, exported, imported at the Sở, put on the status board and
consolidated, with nothing crashing and every share still counting the agencies it applies to.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kdx_desktop.core.compute import CONTRIBUTES, NOT_APPLICABLE
from kdx_desktop.core.values import NA, justification_key
from kdx_desktop.province.consolidate import consolidation
from kdx_desktop.services.exporting import ExportRefused, export_report
from kdx_desktop.services.intake import IMPORTED, REPLACED, consolidate, import_bytes, status_board
from kdx_desktop.services.reporting import App, load_state, open_app, reopen, set_values

AGENCIES = ("BKT", "PTTH", "TCVN")
YEAR = 2025
REASON = "Cơ quan không có hoạt động này trong năm."


def _na_rule(app: App) -> str:
    return next(r.code for r in app.catalog.rules if r.type == "na_reason")


def _inputs(app: App, org: str) -> list[str]:
    kind = app.catalog.org(org).kind
    return [e.code for e in app.catalog.elements_for(kind)]


@pytest.fixture
def agency(demo_dir: Path, tmp_path: Path) -> Iterator[App]:
    shutil.copytree(demo_dir, tmp_path / "agency")
    app = open_app(tmp_path / "agency")
    yield app
    app.close()


@pytest.fixture
def province(demo_dir: Path, tmp_path: Path) -> Iterator[App]:
    """The Sở's data folder: its own facts (from the demo), no agency package yet for 2025."""
    shutil.copytree(demo_dir, tmp_path / "so")
    app = open_app(tmp_path / "so")
    yield app
    app.close()


def test_a_required_input_marked_not_applicable_needs_a_reason(agency: App, tmp_path: Path) -> None:
    rule = _na_rule(agency)
    set_values(agency, "TCVN", YEAR, {"revenue": "NA"})
    state = load_state(agency, "TCVN", YEAR)
    asks = [i for i in state.issues if i.rule == rule]
    assert [i.field for i in asks] == ["revenue"] and asks[0].blocks_export
    assert "Không áp dụng" in asks[0].message and "doanh thu" in asks[0].message
    with pytest.raises(ExportRefused):
        export_report(agency, "TCVN", YEAR, tmp_path / "out")
    set_values(agency, "TCVN", YEAR, {justification_key(rule, "revenue"): REASON})
    state = load_state(agency, "TCVN", YEAR)
    assert not [i for i in state.issues if i.rule == rule and i.blocks_export]
    # II.5 (revenue growth) is not judged, with the reason, in what is printed.
    from kdx_desktop.package.data import indicator_justification

    ii5 = next(r for r in state.indicators if r.code == "ii_5")
    assert ii5.na and ii5.status in (NOT_APPLICABLE, CONTRIBUTES)
    assert REASON in indicator_justification(state, "ii_5")


def test_all_inputs_not_applicable_without_reasons_cannot_be_exported(agency: App, tmp_path: Path) -> None:
    rule = _na_rule(agency)
    codes = _inputs(agency, "PTTH")
    set_values(agency, "PTTH", YEAR, {c: "NA" for c in codes})
    state = load_state(agency, "PTTH", YEAR)
    required = [c for c in codes if agency.catalog.elements[c].required]
    assert sorted(i.field for i in state.issues if i.rule == rule) == sorted(required)
    with pytest.raises(ExportRefused) as refused:
        export_report(agency, "PTTH", YEAR, tmp_path / "out")
    listed = "\n".join(refused.value.problems)
    assert listed.count("được ghi “Không áp dụng”") == len(required) and rule not in listed
    # With every reason written it goes out, and each indicator is "Không đánh giá".
    set_values(agency, "PTTH", YEAR, {justification_key(rule, c): REASON for c in required})
    state = load_state(agency, "PTTH", YEAR)
    assert all(r.na and r.status == NOT_APPLICABLE for r in state.indicators), state.indicators
    assert export_report(agency, "PTTH", YEAR, tmp_path / "out").package.exists()


def test_each_input_not_applicable_in_turn_flows_from_agency_to_province(
    agency: App, province: App, tmp_path: Path
) -> None:
    rule = _na_rule(agency)
    lists = {org: _inputs(agency, org) for org in AGENCIES}
    rounds = max(len(v) for v in lists.values())
    out = tmp_path / "out"
    for n in range(rounds):
        for org in AGENCIES:
            codes = lists[org]
            code = codes[n % len(codes)]
            state = load_state(agency, org, YEAR)
            if state.report.status == "exported":
                reopen(agency, org, YEAR, "Sửa số liệu")
            before = state.entries.get(code)
            change = {code: "NA"}
            if agency.catalog.elements[code].required:
                change[justification_key(rule, code)] = REASON
            set_values(agency, org, YEAR, change)
            state = load_state(agency, org, YEAR)
            assert state.entries[code] is NA
            result = export_report(agency, org, YEAR, out)
            outcome = import_bytes(province, result.package.read_bytes(), result.package.name)
            assert outcome.kind in (IMPORTED, REPLACED), (org, code, outcome.message)
            # put the value back for the next round (after the export locked the report)
            reopen(agency, org, YEAR, "Trả lại số liệu")
            restore = {code: "" if before is None else _typed_back(agency, code, before)}
            set_values(agency, org, YEAR, restore)
        board = status_board(province, YEAR)
        assert board.summary()["received"] == 3
        c = consolidation(province.catalog, province.store, YEAR)
        for ind in province.catalog.indicators:
            r = c.province[ind.code]
            if ind.compute.type in ("share", "count") and r.of is not None:
                applicable = [o for o in AGENCIES if province.catalog.org(o).kind in ind.applies_to]
                assert r.of == len(applicable), (ind.code, n)  # a "không áp dụng" still counts
        paths = consolidate(province, YEAR, tmp_path / f"tonghop{n}")
        assert all(p.stat().st_size > 0 for p in paths)


def _typed_back(app: App, code: str, value: object) -> str:
    """The stored value as text the form accepts back (canonical: 30100.5, true, 2025-01-31)."""
    from kdx_desktop.core.values import encode

    text, _ = encode(value)  # type: ignore[arg-type]
    assert text is not None
    return text
