"""Packages made by an earlier KDX (catalogue 2026.1) still import, and their year consolidates.

Their verdicts were taken by the rules of that edition (rounded comparisons, every target judged
per agency); the Sở re-judges with its own catalogue and checks that the figures are the same.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

from hostile.make_corpus import Base

from kdx_desktop.core.goals import towards
from kdx_desktop.province.consolidate import consolidation
from kdx_desktop.services.intake import IMPORTED, consolidate, import_bytes, status_board
from kdx_desktop.services.reporting import open_app

LEGACY = Path(__file__).parent / "legacy"


def test_packages_of_the_previous_catalogue_edition_import_and_consolidate(
    demo_dir: Path, tmp_path: Path
) -> None:
    shutil.copytree(demo_dir, tmp_path / "so")
    app = open_app(tmp_path / "so")
    for name in ("KDX_BKT_2025_r1.zip", "KDX_TCVN_2025_r1.zip"):
        raw = (LEGACY / name).read_bytes()
        data = json.loads(zipfile.ZipFile(LEGACY / name).read("data.json"))
        assert data["catalog"]["version"] == "2026.1" != app.catalog.version
        outcome = import_bytes(app, raw, name)
        assert outcome.kind == IMPORTED, outcome.message
    # The magazine's revenue is "Không áp dụng" without a reason: imported, and the Sở sees the
    # warning that this edition of the catalogue raises for it.
    board = status_board(app, 2025)
    tcvn = next(r for r in board.rows if r.org_code == "TCVN")
    assert tcvn.received and tcvn.warnings >= 1
    c = consolidation(app.catalog, app.store, 2025)
    assert c.province["ii_5"].of == 2  # both agencies that reported count, the NA one too
    paths = consolidate(app, 2025, tmp_path / "tonghop")
    app.close()
    assert all(p.stat().st_size > 0 for p in paths)


def test_a_changed_figure_in_an_old_package_is_still_refused(demo_dir: Path, tmp_path: Path) -> None:
    shutil.copytree(demo_dir, tmp_path / "so")
    app = open_app(tmp_path / "so")
    raw = (LEGACY / "KDX_BKT_2025_r1.zip").read_bytes()
    changed = Base(raw).with_data(lambda d: d["values"].__setitem__("ip_rural", 10))
    outcome = import_bytes(app, changed, "x.zip")
    app.close()
    assert outcome.kind != IMPORTED and outcome.code == "verdict.indicator"


def test_a_package_of_the_first_edition_before_its_2030_goals_imports(demo_dir: Path, tmp_path: Path) -> None:
    """A 2026 report made under catalogue 2026.3 (edition 1 as first shipped, naming its hash) is
    still received after edition 1 gained the plan's 2030 goal for PL1-6 (2026.4): the figures are
    the same, and the 2026 verdicts ("no target this year") did not change."""
    shutil.copytree(demo_dir, tmp_path / "so")
    app = open_app(tmp_path / "so")
    name = "BaoCao_BQN_2026_lan1.zip"
    raw = (LEGACY / name).read_bytes()
    ref = json.loads(zipfile.ZipFile(LEGACY / name).read("data.json"))["catalog"]
    assert ref["version"] == "2026.3" != app.catalog.version
    assert ref["edition"] == 1 == app.catalog.edition.number and ref["sha256"] != app.catalog.sha256
    outcome = import_bytes(app, raw, name)
    c = consolidation(app.catalog, app.store, 2026)
    app.close()
    assert outcome.kind == IMPORTED, outcome.message
    # Its figure counts towards the 2030 goal the new version knows (provisional: 1 of 3 agencies).
    goal = towards(app.catalog.indicator("pl1_6"), c.province["pl1_6"], 2026, agency=False)
    assert goal is not None and goal.aim == "Mục tiêu 2030: 100%"
    assert goal.verdict == "Tạm tính (1/3 cơ quan): đã đạt mục tiêu 2030"
