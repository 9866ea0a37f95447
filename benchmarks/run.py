"""KDX performance budgets, each measured against the physical limit of the stack in the same run.

    python benchmarks/run.py [--json] [--quick] [--only NAME[,NAME…]]

Every row prints its median (and p95 where the budget is a percentile), its baseline measured in the
same run (alternating with KDX), the ratio and whether the budget holds. A row that could not be measured says "lỗi" and fails (a
missing part of KDX, or of its build, is a failure like any other).
No figure is ever estimated. See benchmarks/README.md for what each row means.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import Result, failed, filesystem_of, work_root

# Repetitions: (full run, --quick).
REPS = {
    "startup": (12, 3),
    "recompute_core": (1000, 100),
    "recompute_gui": (300, 30),
    "save_field": (300, 30),
    "export": (8, 2),
    "intake": (2, 1),
    "frozen_start": (8, 3),
}


def _startup(n: int) -> list[Result]:
    import rows_startup

    return rows_startup.measure(n)


def _recompute_core(n: int) -> list[Result]:
    import rows_inproc

    return [rows_inproc.measure_recompute(n)]


def _recompute_gui(n: int) -> list[Result]:
    import rows_gui

    return [rows_gui.measure(n)]


def _save_field(n: int) -> list[Result]:
    import rows_inproc

    return [rows_inproc.measure_save(n)]


def _export(n: int) -> list[Result]:
    import rows_export

    return [rows_export.measure(n)]


def _intake(n: int) -> list[Result]:
    import rows_intake

    return rows_intake.measure(n, with_all_years=n > 1)


def _frozen(n: int) -> list[Result]:
    import rows_frozen

    return [rows_frozen.measure(n)]


# Row group -> (function, names of the rows it yields).
GROUPS: dict[str, tuple[Callable[[int], list[Result]], tuple[str, ...]]] = {
    "startup": (_startup, ("startup", "startup_memory")),
    "recompute_core": (_recompute_core, ("recompute_core",)),
    "recompute_gui": (_recompute_gui, ("recompute_gui",)),
    "save_field": (_save_field, ("save_field",)),
    "export": (_export, ("export",)),
    "intake": (_intake, ("intake_total", "intake_scaling")),
    "frozen_start": (_frozen, ("frozen_start",)),
}


def run_group(group: str, quick: bool) -> list[Result]:
    fn, names = GROUPS[group]
    n = REPS[group][1 if quick else 0]
    try:
        return fn(n)
    except Exception as exc:  # one broken row must not hide the others
        reason = f"{type(exc).__name__}: {exc}"
        return [failed(name, name, "", "", reason) for name in names]


def fmt(x: float | None, unit: str) -> str:
    if x is None:
        return "—"
    if unit == "ms" and x < 10:
        return f"{x:.2f}"
    return f"{x:.1f}" if x < 1000 else f"{x:.0f}"


def table(results: list[Result]) -> str:
    head = ["row", "unit", "median", "p95", "baseline median", "ratio", "budget", "pass"]
    rows = [head]
    for r in results:
        verdict = {True: "yes", False: "NO", None: "—"}[r.passed]
        if r.status != "measured":
            verdict = f"NO ({r.status})"
        rows.append(
            [
                r.name,
                r.unit,
                fmt(r.median, r.unit),
                fmt(r.p95, r.unit),
                fmt(r.baseline_median, r.unit),
                "—" if r.ratio is None else f"{r.ratio:.2f}",
                r.budget,
                verdict,
            ]
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(head))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    notes = [f"- {r.name}: {r.note}" for r in results if r.note]
    return "\n".join(lines + (["", *notes] if notes else []))


def load_average() -> float | None:
    """The 1-minute load average: other work on the machine shows up in every figure."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):  # Windows
        return None


def machine() -> dict[str, Any]:
    return {
        "load_average_1min": load_average(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "work_dir_filesystem": filesystem_of(work_root()),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="KDX performance budgets against the stack's own limits.")
    p.add_argument(
        "--json", action="store_true", help="print machine-readable results (the table goes to stderr)"
    )
    p.add_argument("--quick", action="store_true", help="fewer repetitions (a smoke run, not a verdict)")
    p.add_argument("--only", help=f"comma-separated row groups: {', '.join(GROUPS)}")
    args = p.parse_args(argv)
    groups = list(GROUPS)
    if args.only:
        groups = [g.strip() for g in args.only.split(",") if g.strip()]
        unknown = [g for g in groups if g not in GROUPS]
        if unknown:
            p.error(f"unknown row group(s): {', '.join(unknown)}")
    started = time.perf_counter()
    load_before = load_average()
    results: list[Result] = []
    for group in groups:
        t0 = time.perf_counter()
        got = run_group(group, args.quick)
        results.extend(got)
        if not args.json:
            print(f"[{group}: {time.perf_counter() - t0:.1f} s]", file=sys.stderr, flush=True)
    total = time.perf_counter() - started
    if args.json:
        doc = {
            "quick": args.quick,
            "seconds": round(total, 1),
            "machine": {**machine(), "load_average_1min_at_start": load_before},
            "rows": [r.as_json() for r in results],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
        print(table(results), file=sys.stderr)  # for the person watching; stdout stays pure JSON
    else:
        print(table(results))
        print(f"\nwhole run: {total:.1f} s; load average at start {load_before}; {machine()}")
    return 0 if all(r.passed for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
