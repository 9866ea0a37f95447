"""How each number is computed is said once (the catalogue) and shown in three places: the PDF's
"Phương pháp tính" annex, the guide and the window's indicator help."""

from __future__ import annotations

import shutil
from pathlib import Path

from kdx_desktop.core.catalog import Catalog
from kdx_desktop.core.method import general_notes, indicator_help, indicator_method
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.reporting import open_app
from tests.printed import pdf_text, words
from tests.tools import need

ROOT = Path(__file__).resolve().parent.parent


def test_every_indicator_says_how_it_is_computed_and_whom_it_binds(catalog: Catalog) -> None:
    for ind in catalog.indicators:
        lines = indicator_method(ind)
        assert lines[0].startswith("Cách tính: ") and len(lines[0]) > 30, ind.code
        assert any(r.startswith(("Chỉ tiêu", "Số liệu cấp tỉnh")) for r in lines[1:]), ind.code
    readings = " ".join(r for i in catalog.indicators for r in i.readings)
    # every reading the plan leaves open is stated
    for said in (
        "so với năm trước",
        "năm 2020 coi là 0",
        "nhóm 1 hoặc nhóm 2",
        "không dùng để tính",
        "Tạp chí được tính là cơ quan báo chí điện tử",
        "không thuộc mẫu số",
        "1/3",
        "2/3",
    ):
        assert said.lower() in readings.lower(), said
    assert any("trước ngày 25 tháng 11" in n for n in general_notes(catalog))


def test_the_guide_carries_the_same_text() -> None:
    import sys

    sys.path.insert(0, str(ROOT / "scripts"))
    from make_method_section import main  # type: ignore[import-not-found]

    assert main(["--check"]) == 0, "run scripts/make_method_section.py, then scripts/make_guide_html.py"


def test_the_agency_pdf_ends_with_the_method_annex(demo_dir: Path, tmp_path: Path, catalog: Catalog) -> None:
    need("pdftotext")
    shutil.copytree(demo_dir, tmp_path / "d")
    app = open_app(tmp_path / "d")
    try:
        pdf = export_report(app, "TCVN", 2025, tmp_path / "out").package.with_suffix(".pdf")
    finally:
        app.close()
    text = words(pdf_text(pdf))  # lines re-joined: a sentence may wrap anywhere
    assert "PHƯƠNG PHÁP TÍNH" in text
    for ind in catalog.indicators_for("magazine"):
        assert ind.method[:60] in text, ind.code
    assert catalog.indicator("ii_3").method[:60] not in text  # not an indicator of the magazine


def test_the_window_shows_the_same_text_as_help(catalog: Catalog) -> None:
    from kdx_desktop.core.compute import compute_agency
    from kdx_desktop.gui.models import IndicatorModel

    model = IndicatorModel(catalog)
    results = compute_agency(catalog, "newspaper", 2025, {})
    model.set_rows(results, 2025)
    from PySide6.QtCore import Qt

    for row, r in enumerate(results):
        tip = model.index(row, 0).data(Qt.ItemDataRole.ToolTipRole)
        assert tip == indicator_help(catalog.indicator(r.code))
