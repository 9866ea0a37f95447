"""Intake rows: the Sở imports and consolidates 50 organisations × 10 years of packages.

The corpus (see package_corpus.py) is built once, untimed. Each timed run starts from a fresh Sở
database on the variant catalogue, imports every package with ``services.intake.import_paths``
(exactly what ``import FOLDER`` does) and writes the consolidated report of the latest year, which
reads every package received (its charts run over all the years). The same is done with the first
5 organisations (50 packages) to see whether the cost per package grows with the database. Once,
for information, every year is consolidated in turn.

Baseline (the floor for this work on this disk): per package, read the file, inflate and sha256
every member, parse manifest.json and data.json, and store data.json in SQLite with one durable
commit (WAL + synchronous=FULL). The budgets here are absolute; the ratio to the floor is shown
for reading only.
"""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from common import Result, failed, make_demo, median, scratch

TOTAL_WHAT = "import 500 packages (50 organisations × 10 years) + consolidate, fresh Sở database"
SCALE_WHAT = "time per package at 500 / time per package at 50 (import + consolidate)"
BASE = "floor: read, inflate + sha256 members, parse JSON, one durable SQLite commit per package"
TOTAL_BUDGET_S, SCALE_BUDGET = 10.0, 1.3
N_ORGS_BIG, N_ORGS_SMALL = 50, 5


class ConsolidationFailed(RuntimeError):
    def __init__(self, message: str, import_s: float, packages: int) -> None:
        super().__init__(message)
        self.import_s = import_s
        self.packages = packages


def floor_import(files: list[Path], db_file: Path) -> None:
    conn = sqlite3.connect(str(db_file), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS received(id INTEGER PRIMARY KEY, sha TEXT, org TEXT, data TEXT)")
    try:
        for path in files:
            raw = path.read_bytes()
            with zipfile.ZipFile(io.BytesIO(raw)) as zf:
                members = {i.filename: zf.read(i) for i in zf.infolist()}
            for body in members.values():
                hashlib.sha256(body).hexdigest()
            manifest = json.loads(members["manifest.json"])
            data = json.loads(members["data.json"])
            conn.execute("BEGIN")
            conn.execute(
                "INSERT INTO received(sha, org, data) VALUES (?, ?, ?)",
                [manifest["data_sha256"], data["organisation"]["code"], members["data.json"].decode("utf-8")],
            )
            conn.execute("COMMIT")
    finally:
        conn.close()


def sample_files(tmp: Path) -> tuple[bytes, bytes, str]:
    """PDF and workbook bytes for the packages: a real export of the demo report."""
    from kdx_desktop.services import exporting
    from kdx_desktop.services.reporting import open_app

    data = tmp / "export-data"
    data.mkdir()
    make_demo(data)
    app = open_app(data)
    try:
        out = tmp / "export-out"
        out.mkdir()
        exporting.export_report(app, "BKT", 2025, out)
    finally:
        app.close()
    pdf = next(out.glob("*.pdf")).read_bytes()
    xlsx = next(out.glob("*.xlsx")).read_bytes()
    return pdf, xlsx, "members report.pdf/report.xlsx: a real export of the demo BKT 2025 report"


def measure(n: int, *, with_all_years: bool = True) -> list[Result]:
    import package_corpus as corpus

    from kdx_desktop.core.catalog_loader import load_catalog
    from kdx_desktop.services.intake import consolidate, import_paths
    from kdx_desktop.services.reporting import open_app

    with scratch("intake") as tmp:
        demo = tmp / "demo"
        demo.mkdir()
        make_demo(demo)
        catalog = load_catalog(corpus.synthetic_catalog(tmp / "catalog.json", N_ORGS_BIG))
        pdf, xlsx, members_note = sample_files(tmp)
        builder = corpus.CorpusBuilder(catalog, corpus.template_entries(demo), pdf, xlsx)
        t0 = time.perf_counter()
        big = builder.write(tmp / "p500", N_ORGS_BIG, catalog.years())
        small = [p for p in big if any(f"_{o.code}_" in p.name for o in builder_orgs(catalog, N_ORGS_SMALL))]
        build_s = time.perf_counter() - t0
        years = list(catalog.years())
        runs = [0]

        every_year: list[float] = []

        def kdx(files: list[Path], *, all_years: bool = False) -> tuple[float, float, float]:
            runs[0] += 1
            sodir = tmp / f"so{runs[0]}"
            sodir.mkdir()
            app = open_app(sodir, catalog=catalog)
            try:
                t_start = time.perf_counter()
                outcomes = import_paths(app, files)
                t_imported = time.perf_counter()
                refused = [o.line for o in outcomes if o.refused]
                if refused:
                    raise RuntimeError(f"{len(refused)} packages refused, e.g. {refused[0]}")
                # The latest year's consolidated report draws on every package received
                # (its charts run over all the years), so this one call reads all of them.
                out = tmp / f"cons{runs[0]}"
                out.mkdir()
                try:
                    consolidate(app, years[-1], out)
                except Exception as exc:
                    # Keep the import figures: the row reports the failure with them.
                    first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
                    detail = " ".join(str(exc).split())[:300]
                    raise ConsolidationFailed(
                        f"consolidate({years[-1]}) with {len(files) // len(years)} organisations failed: "
                        f"{type(exc).__name__}: {detail or first_line}",
                        t_imported - t_start,
                        len(files),
                    ) from exc
                t_end = time.perf_counter()
                if all_years:
                    t_all = time.perf_counter()
                    for year in years[:-1]:
                        out = tmp / f"cons{runs[0]}-{year}"
                        out.mkdir()
                        consolidate(app, year, out)
                    every_year.append(time.perf_counter() - t_all + (t_end - t_imported))
            finally:
                app.close()
            return t_end - t_start, t_imported - t_start, t_end - t_imported

        def floor(files: list[Path]) -> float:
            runs[0] += 1
            t_start = time.perf_counter()
            floor_import(files, tmp / f"floor{runs[0]}.sqlite3")
            return time.perf_counter() - t_start

        small_k: list[tuple[float, float, float]] = []
        big_k: list[tuple[float, float, float]] = []
        big_f: list[float] = []
        try:
            loop(n, small, big, small_k, big_k, big_f, kdx, floor, with_all_years)
        except ConsolidationFailed as exc:
            res = [
                failed("intake_total", TOTAL_WHAT, "s", f"≤ {TOTAL_BUDGET_S:g} s", str(exc)),
                failed(
                    "intake_scaling", SCALE_WHAT, "ms/package", f"≤ {SCALE_BUDGET:g}× (500 vs 50)", str(exc)
                ),
            ]
            res[0].extra = {"import_s": exc.import_s, "packages": exc.packages}
            res[0].note += f"; the import alone of {exc.packages} packages took {exc.import_s:.2f} s"
            return res
    total_big = median([t for t, _, _ in big_k])
    per_small = median([t for t, _, _ in small_k]) / len(small)
    per_big = total_big / len(big)
    parts = f"import {median([i for _, i, _ in big_k]):.2f} s + consolidate {median([c for _, _, c in big_k]):.2f} s"
    note = (
        f"{N_ORGS_BIG} synthetic agencies × {len(years)} years ({years[0]}-{years[-1]}) on a catalogue variant; "
        f"{parts}; corpus built in {build_s:.1f} s (untimed); {members_note}; consolidation: "
        + f"services.intake.consolidate({years[-1]}), which reads all {len(big)} packages"
    )
    if every_year:
        note += (
            f"; for information, consolidating each of the {len(years)} years in turn: {every_year[0]:.1f} s"
        )
    total = Result(
        "intake_total",
        TOTAL_WHAT,
        "s",
        f"≤ {TOTAL_BUDGET_S:g} s",
        median=total_big,
        baseline=BASE,
        baseline_median=median(big_f),
        ratio=total_big / median(big_f),
        n=len(big_k),
        note=note,
        extra={"per_package_ms_50": per_small * 1000, "per_package_ms_500": per_big * 1000},
    )
    scale = Result(
        "intake_scaling",
        SCALE_WHAT,
        "ms/package",
        f"≤ {SCALE_BUDGET:g}× (500 vs 50)",
        median=per_big * 1000,
        baseline="time per package at 50 (5 organisations × 10 years)",
        baseline_median=per_small * 1000,
        ratio=per_big / per_small,
        n=len(big_k),
        note=f"{len(small_k)} runs at 50, {len(big_k)} at 500",
    )
    total.passed = total_big <= TOTAL_BUDGET_S
    scale.passed = scale.ratio is not None and scale.ratio <= SCALE_BUDGET
    return [total, scale]


def loop(
    n: int,
    small: list[Path],
    big: list[Path],
    small_k: list[tuple[float, float, float]],
    big_k: list[tuple[float, float, float]],
    big_f: list[float],
    kdx: Callable[..., tuple[float, float, float]],
    floor: Callable[[list[Path]], float],
    with_all_years: bool,
) -> None:
    """The timed runs: KDX at 500 and at 50, and the floor at 500, alternating their order."""
    for i in range(max(1, n)):
        if i % 2 == 0:
            small_k.append(kdx(small))
            big_k.append(kdx(big, all_years=i == 0 and with_all_years))
            big_f.append(floor(big))
        else:
            big_f.append(floor(big))
            big_k.append(kdx(big))
            small_k.append(kdx(small))
    for _ in range(2):  # the small corpus is cheap: more samples steady its median
        small_k.append(kdx(small))


def builder_orgs(catalog: Any, n: int) -> list[Any]:
    return [o for o in catalog.organisations if catalog.is_press(o.kind)][:n]
