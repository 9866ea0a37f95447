"""Honest packages for the intake tests: the demo agencies' reports, exported by the real
export path (``export_report``) from a copy of the demo data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from kdx_desktop.services.demo import DEPARTMENT_DATA, YEARS
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.reporting import App, open_app, set_values

AGENCIES = ("BKT", "PTTH", "TCVN")


def export_demo(
    demo_dir: Path, work: Path, years: tuple[int, ...] = (2024, 2025)
) -> dict[tuple[str, int], Path]:
    """Export every demo agency's report for ``years`` into ``work/out``; returns the packages."""
    agency_dir = work / "agency"
    shutil.copytree(demo_dir, agency_dir)
    out = work / "out"
    out.mkdir()
    app = open_app(agency_dir)
    try:
        return {(org, y): export_report(app, org, y, out).package for y in years for org in AGENCIES}
    finally:
        app.close()


def enter_province_facts(app: App, years: tuple[int, ...] = (2024, 2025)) -> None:
    """The Sở's own province-level facts (as its officer types them in its own form), and its
    signer (as set in Cài đặt cơ quan: the consolidated report is not issued without one)."""
    dept = app.catalog.consolidator().code
    app.store.save_profile(dept, min(years), {"signer_name": "Phạm Minh Đức"})
    for y in years:
        idx = YEARS.index(y)
        set_values(app, dept, y, {k: str(v[idx]) for k, v in DEPARTMENT_DATA.items()})


def dump(app: App) -> str:
    """Every row of the database, in order: equal dumps mean nothing changed."""
    return "\n".join(app.store.db.conn.iterdump())
