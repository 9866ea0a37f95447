"""Benchmark of the Sở's intake: import N packages, then consolidate, and report time per package.

    python benchmarks/bench_intake.py            # 50 and 500 packages
    python benchmarks/bench_intake.py 2000

The packages are the demo agencies' real 2025 exports (PDF and workbook included), re-issued as
successive revisions (each with a changed narrative, built by the export's own package writer),
so every import is a full check plus a replacement with its diff against the revision before.
"""

from __future__ import annotations

import copy
import io
import json
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kdx_desktop.package.canonical import sha256_hex  # noqa: E402
from kdx_desktop.package.writer import build_package  # noqa: E402
from kdx_desktop.services.demo import fill_demo  # noqa: E402
from kdx_desktop.services.exporting import export_report  # noqa: E402
from kdx_desktop.services.intake import consolidate, import_bytes  # noqa: E402
from kdx_desktop.services.reporting import open_app  # noqa: E402

ORGS = ("BKT", "PTTH", "TCVN")


def base_packages(work: Path) -> dict[str, bytes]:
    agency = work / "agency"
    agency.mkdir()
    out = work / "out"
    out.mkdir()
    app = open_app(agency)
    try:
        fill_demo(app, current_year=2026)
        return {org: export_report(app, org, 2025, out).package.read_bytes() for org in ORGS}
    finally:
        app.close()


def revisions(base: dict[str, bytes], n: int) -> list[bytes]:
    """``n`` packages: revisions 1, 2, … of the three agencies, in turn."""
    parts = {}
    for org, raw in base.items():
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            members = {i.filename: zf.read(i) for i in zf.infolist()}
        parts[org] = (
            json.loads(members["data.json"]),
            {k: v for k, v in members.items() if k not in ("manifest.json", "data.json")},
        )
    out: list[bytes] = []
    prev: dict[str, str | None] = dict.fromkeys(ORGS)
    for i in range(n):
        org = ORGS[i % 3]
        data, files = parts[org]
        d = copy.deepcopy(data)
        d["revision"] = i // 3 + 1
        d["supersedes"] = prev[org]
        d["narrative"]["results"] += f" (Bản sửa {d['revision']}.)"
        raw, manifest = build_package(
            d,
            files,
            org_code=org,
            org_name=d["organisation"]["name"],
            year=2025,
            revision=d["revision"],
            supersedes=d["supersedes"],
            catalog=d["catalog"],
        )
        prev[org] = manifest["data_sha256"]
        out.append(raw)
    return out


def run(n: int, base: dict[str, bytes], work: Path) -> tuple[float, float]:
    pkgs = revisions(base, n)
    so = work / f"so-{n}"
    so.mkdir()
    app = open_app(so)
    try:
        t0 = time.perf_counter()
        for i, raw in enumerate(pkgs):
            outcome = import_bytes(app, raw, f"goi-{i}.zip")
            assert not outcome.refused, outcome.line
        t1 = time.perf_counter()
        dest = work / f"tonghop-{n}"
        dest.mkdir()
        consolidate(app, 2025, dest)
        t2 = time.perf_counter()
    finally:
        app.close()
    return (t1 - t0) / n, t2 - t1


def main(argv: list[str]) -> int:
    sizes = [int(a) for a in argv] or [50, 500]
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base = base_packages(work)
        size = sum(len(b) for b in base.values()) / 3
        print(
            f"Gói mẫu: {size / 1024:.0f} KB mỗi gói (kèm PDF và bảng tính); sha256 {sha256_hex(base['BKT'])[:12]}…"
        )
        for n in sizes:
            per, cons = run(n, base, work)
            print(
                f"{n:5d} gói: nhập {per * 1000:6.1f} ms/gói (tổng {per * n:6.2f} s); tổng hợp {cons:5.2f} s"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
