"""A corpus of valid submission packages for many organisations and years, for the intake row.

The bundled catalogue has three press agencies and the years 2023-2030, so 50 organisations × 10
years needs a variant: this module writes a copy of the catalogue with 50 agencies (copies of the
three real ones, cycling newspaper / broadcaster / magazine) and reporting years widened to
2021-2030. Both sides of the benchmark (the packages and the Sở's database) use that variant, so its
own sha256 is the one the packages cite.

Each package is made the way an agency's export makes it: values (the demo's complete 2025 report
of the agency of the same kind, its numbers scaled per organisation and year), computed and
validated by the core (each warning justified, as an officer must before export), turned into
``data.json`` by ``export.data.report_data`` and zipped by ``export.package.build_package``. The
PDF and workbook members are the same real bytes in every package (intake hashes them; it does not
parse them), so building 500 packages takes seconds instead of minutes.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from common import ROOT

TEMPLATES = ("BKT", "PTTH", "TCVN")  # newspaper, broadcaster, magazine
YEAR_FROM, YEAR_TO = 2021, 2030
TEMPLATE_YEAR = 2025
CREATED = "{year}-11-20T09:00:00+07:00"  # before the 25 November deadline
# Elements that are counts or amounts (scaled); years, levels and choices stay as they are.
SCALED_UNITS = {"người", "bản/năm", "IP/năm", "tin, bài", "triệu đồng"}


def synthetic_catalog(path: Path, n_orgs: int) -> Path:
    """Write the catalogue variant with ``n_orgs`` agencies and years 2021-2030 to ``path``."""
    doc = json.loads((ROOT / "resources" / "catalog" / "kdx-catalog.json").read_text(encoding="utf-8"))
    orgs = {o["code"]: o for o in doc["organisations"]}
    agencies = []
    for i in range(n_orgs):
        org = copy.deepcopy(orgs[TEMPLATES[i % len(TEMPLATES)]])
        org["code"] = f"{org['code']}{i + 1:02d}"
        for period in org["periods"]:
            period["name"] = f"{period['name']} (đơn vị thử {i + 1:02d})"
            period["abbreviation"] = org["code"]
        agencies.append(org)
    others = [o for code, o in orgs.items() if code not in TEMPLATES]
    for org in [*agencies, *others]:
        org["periods"][0]["from"] = min(org["periods"][0]["from"], YEAR_FROM)
    doc["organisations"] = agencies + others
    doc["reporting_years"] = {"from": YEAR_FROM, "to": YEAR_TO}
    for deadline in doc.get("deadlines", []):
        deadline["from"] = min(deadline["from"], YEAR_FROM)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def template_entries(demo_dir: Path) -> dict[str, dict[str, Any]]:
    """kind -> the values of the demo's complete report of that kind (justifications dropped)."""
    from kdx_desktop.services.reporting import load_state, open_app

    app = open_app(demo_dir)
    try:
        out = {}
        for code in TEMPLATES:
            state = load_state(app, code, TEMPLATE_YEAR)
            out[state.org.kind] = {
                k: v for k, v in state.entries.items() if not k.startswith("justification.")
            }
        return out
    finally:
        app.close()


def scaled(catalog: Any, entries: Mapping[str, Any], factor: float) -> dict[str, Any]:
    out = dict(entries)
    for key, value in entries.items():
        el = catalog.elements.get(key)
        if el is None or el.unit not in SCALED_UNITS or isinstance(value, bool):
            continue
        if isinstance(value, int):
            out[key] = int(value * factor)
        elif isinstance(value, Decimal):
            out[key] = (value * Decimal(str(factor))).quantize(Decimal("0.1"))
    return out


class CorpusBuilder:
    """Builds valid packages for the variant catalogue ``catalog``."""

    def __init__(self, catalog: Any, templates: dict[str, dict[str, Any]], pdf: bytes, xlsx: bytes) -> None:
        from kdx_desktop.store.repo import open_memory_store

        self.catalog = catalog
        self.templates = templates
        self.files = {"report.pdf": pdf, "report.xlsx": xlsx}
        self.store = open_memory_store()  # profiles: none, so identities come from the catalogue

    def values(self, org: Any, index: int, year: int) -> dict[str, Any]:
        factor = (1 + 0.04 * (year - YEAR_FROM)) * (1 + 0.01 * index)
        from kdx_desktop.services.reporting import report_keys

        allowed = set(report_keys(self.catalog, org.kind, year))  # tasks differ from year to year
        template = {k: v for k, v in self.templates[org.kind].items() if k in allowed}
        out = scaled(self.catalog, template, factor)
        for key, value in out.items():
            el = self.catalog.elements.get(key)
            if el is not None and el.unit == "năm" and isinstance(value, int) and value > year:
                out[key] = year  # e.g. "completed in 2024" cannot be reported for 2021
        return out

    def package(self, org: Any, index: int, year: int) -> bytes:
        from kdx_desktop.core.values import justification_key
        from kdx_desktop.package.data import report_data
        from kdx_desktop.package.writer import build_package
        from kdx_desktop.services.identity import identity
        from kdx_desktop.services.reporting import ReportState
        from kdx_desktop.store.repo import DRAFT, Report

        entries = self.values(org, index, year)
        before = self.values(org, index, year - 1)
        prev = None
        if year > YEAR_FROM:
            prev = {k: v for k, v in before.items() if k in self.catalog.elements}
        else:
            # The first year has no report before it: the agency types last year's figures itself.
            for el in self.catalog.elements.values():
                if el.prev_of and el.code not in entries and el.prev_of in before:
                    entries[el.code] = before[el.prev_of]
        state = ReportState(self.catalog, org, year, Report(0, org.code, year, DRAFT, 1), entries, prev, None)
        state.recompute()
        for issue in state.issues:
            if issue.severity == "warning" and not issue.justification.strip():
                key = justification_key(issue.rule, issue.field)
                state.entries[key] = (
                    "Đơn vị đã giải trình: số liệu phản ánh đúng tình hình thực tế trong năm."
                )
        state.recompute()
        if not state.can_export:
            first = next(i for i in state.issues if i.blocks_export)
            raise RuntimeError(f"synthetic report {org.code} {year} is not exportable: {first.message}")
        ident = identity(self.catalog, self.store, org.code, year)
        data = report_data(state, ident, created_at=CREATED.format(year=year))
        raw, _ = build_package(
            data,
            self.files,
            org_code=org.code,
            org_name=ident.name,
            year=year,
            revision=1,
            supersedes=None,
            catalog=self.catalog,
        )
        return bytes(raw)

    def write(self, out: Path, n_orgs: int, years: range) -> list[Path]:
        """Packages of the first ``n_orgs`` agencies for ``years``, one .zip file each."""
        out.mkdir(parents=True, exist_ok=True)
        agencies = [o for o in self.catalog.organisations if self.catalog.is_press(o.kind)][:n_orgs]
        paths = []
        for index, org in enumerate(agencies):
            for year in years:
                path = out / f"KDX_{org.code}_{year}_r1.zip"
                path.write_bytes(self.package(org, index, year))
                paths.append(path)
        return paths
