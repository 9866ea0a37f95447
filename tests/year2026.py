"""A complete year past the plan's yearly targets (2026): every agency's report and the Sở's own
facts filled in, ready to export, receive and consolidate.

The figures carry on from the demo's 2025 with small changes, so that the distance to each 2030
goal is known by hand: two of the three agencies put content on digital platforms (II.1: 2/3
against 100 %), all three use a data or AI platform (II.2: 3/3, the 90 % goal met), two run a
converged newsroom (II.4 and PL1-6: 2/3 against 100 %) and one grew its revenue by 20 % or more
(II.5, the newspaper: 15.600,5 to 19.000, +21,8 %; 1/3 against 50 %).
"""

from __future__ import annotations

from kdx_desktop.services.demo import AGENCY_DATA, DEPARTMENT_DATA, _justify, _tasks_and_narrative
from kdx_desktop.services.reporting import App, set_values

YEAR = 2026

# What changes from the demo's 2025 figures (the rest is 2025's last value).
CHANGES: dict[str, dict[str, str]] = {
    "BKT": {"items_essential": "7100", "items_positive": "4900", "revenue": "19000"},
    "PTTH": {
        "items_essential": "12500",
        "items_positive": "8600",
        "revenue": "31000",
        "digital_platforms": "không",
        "digital_platforms_list": "",
        "digital_platforms_domestic": "",
    },
    "TCVN": {
        "items_essential": "450",
        "items_positive": "600",
        "revenue": "1150",
        "ai_platform": "có",
        "ai_platform_name": "Công cụ phân tích bạn đọc",
    },
}


def fill_agency(app: App, org_code: str) -> None:
    """Write the agency's whole 2026 report and justify its warnings."""
    kinds = {e.code for e in app.catalog.elements_for(app.catalog.org(org_code).kind)}
    raw = {k: "" if v[-1] is None else str(v[-1]) for k, v in AGENCY_DATA[org_code].items() if k in kinds}
    raw.update(CHANGES[org_code])
    raw.update(_tasks_and_narrative(app, org_code, YEAR))
    set_values(app, org_code, YEAR, raw, action="test", reason="Năm 2026 đầy đủ")
    _justify(app, org_code, YEAR)


def fill_department(app: App) -> None:
    """The Sở's own 2026 facts (province figures, its tasks and narrative)."""
    dept = app.catalog.consolidator().code
    raw = {k: str(v[-1]) for k, v in DEPARTMENT_DATA.items()}
    raw.update(_tasks_and_narrative(app, dept, YEAR))
    set_values(app, dept, YEAR, raw, action="test", reason="Năm 2026 đầy đủ")
    _justify(app, dept, YEAR)


def fill_year(app: App) -> None:
    for org_code in AGENCY_DATA:
        fill_agency(app, org_code)
    fill_department(app)
