"""Frozen one-folder build against the same program from source: start-up ratio and bundle size.

    python benchmarks/frozen_start.py [--bundle dist/KDX] [--rounds 9] [--json]

Rows, each alternating frozen and source runs (A B B A …, after one warm-up round) and comparing
medians:

* ``cli``: the whole process of ``kdx-cli catalog --json`` against ``python main.py catalog --json``
  (interpreter start, imports, catalogue, output): the start every command pays;
* ``window``: spawn → main window shown on a private Xvfb display, frozen ``KDX`` against
  ``python main.py`` on fresh copies of the demo data — measured by ``rows_frozen.py`` of the
  performance benchmark, reused here on the given bundle (reported as an error without Xvfb).

Both sides run with bytecode cached (the source side's in a scratch folder, after an unrecorded
warm-up run), exactly as the ``startup`` row of ``run.py`` measures the source start.

Budget (issue 8): frozen ≤ 1.1× source. Reports; never fails on a figure (exit 2 only on bad usage).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUDGET = 1.1
EXE = ".exe" if sys.platform == "win32" else ""


# Where the source side caches its bytecode (a scratch folder, never the checkout), as the startup
# row does: the frozen build ships its modules compiled, and a user's source start has them cached
# after the first one, so a source side that recompiled every module on each run (an environment
# with PYTHONDONTWRITEBYTECODE) would make the frozen build look better than it is.
PYCACHE: Path | None = None


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("KDX_DATA_DIR", "PYTHONPATH")}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if PYCACHE is not None:
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    return env


def _timed(cmd: list[str]) -> tuple[float, float | None]:
    """(wall seconds, CPU seconds of the child or ``None`` where the OS does not say) of one run.

    CPU time (user + system) is reported beside the wall clock because it hardly moves when other
    work shares the machine, whereas the wall clock of a 0.3 s process does."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=_env(), cwd=ROOT)
    cpu: float | None = None
    if hasattr(os, "wait4"):
        _pid, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        cpu = usage.ru_utime + usage.ru_stime
    else:  # Windows
        proc.wait()
        elapsed = time.perf_counter() - t0
    err = proc.stderr.read() if proc.stderr else b""
    if proc.stderr:
        proc.stderr.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} → {proc.returncode}: {err.decode(errors='replace')[-300:]}")
    return elapsed, cpu


Runs = list[tuple[float, float | None]]


def alternate(frozen: list[str], source: list[str], rounds: int) -> tuple[Runs, Runs]:
    """``rounds`` runs of each, interleaved A B B A … after one unrecorded warm-up of each."""
    _timed(frozen)
    _timed(source)
    xs: Runs = []
    bs: Runs = []
    for i in range(rounds):
        order = ((frozen, xs), (source, bs)) if i % 2 == 0 else ((source, bs), (frozen, xs))
        for cmd, out in order:
            out.append(_timed(cmd))
    return xs, bs


def row(name: str, what: str, xs: Runs, bs: Runs) -> dict[str, Any]:
    fx, fb = statistics.median(x[0] for x in xs), statistics.median(b[0] for b in bs)
    out: dict[str, Any] = {
        "name": name,
        "what": what,
        "frozen_ms": round(fx * 1000, 1),
        "source_ms": round(fb * 1000, 1),
        "ratio": round(fx / fb, 3),
        "budget": BUDGET,
        "passed": fx / fb <= BUDGET,
        "rounds": len(xs),
    }
    if all(x[1] is not None for x in xs + bs):
        cx = statistics.median(x[1] for x in xs if x[1] is not None)
        cb = statistics.median(b[1] for b in bs if b[1] is not None)
        out.update(
            frozen_cpu_ms=round(cx * 1000, 1), source_cpu_ms=round(cb * 1000, 1), cpu_ratio=round(cx / cb, 3)
        )
    return out


def cli_row(bundle: Path, rounds: int) -> dict[str, Any]:
    frozen = [str(bundle / f"kdx-cli{EXE}"), "catalog", "--json"]
    source = [sys.executable, str(ROOT / "main.py"), "catalog", "--json"]
    xs, bs = alternate(frozen, source, rounds)
    return row("cli", "kdx-cli catalog --json vs python main.py catalog --json (whole process)", xs, bs)


def window_row(bundle: Path, rounds: int) -> dict[str, Any]:
    what = "spawn → main window shown (Xvfb), demo data: KDX vs python main.py"
    if not bundle.is_relative_to(ROOT):
        note = "rows_frozen.py measures a bundle inside the checkout: build into dist/KDX"
        return {"name": "window", "what": what, "status": "lỗi", "passed": False, "note": note}
    try:
        sys.path.insert(0, str(HERE))
        import rows_frozen

        rows_frozen.DIST = bundle
        result = rows_frozen.measure(rounds)
    except Exception as exc:
        return {
            "name": "window",
            "what": what,
            "status": "lỗi",
            "passed": False,
            "note": f"{type(exc).__name__}: {exc}",
        }
    data = result.as_json() if hasattr(result, "as_json") else vars(result)
    return {"name": "window", "what": what, **{k: v for k, v in data.items() if k not in ("name", "what")}}


def bundle_size(bundle: Path) -> dict[str, Any]:
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]  # links would count twice
    return {
        "bundle": str(bundle),
        "size_mb": round(sum(p.stat().st_size for p in files) / 1_000_000, 1),
        "files": len(files),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="frozen vs source start-up, and bundle size")
    parser.add_argument(
        "--bundle", type=Path, default=ROOT / "dist" / "KDX", help="the built folder (dist/KDX)"
    )
    parser.add_argument("--rounds", type=int, default=9, help="timed runs of each program per row")
    parser.add_argument("--no-window", action="store_true", help="skip the window row (no Xvfb)")
    parser.add_argument("--json", action="store_true", help="print JSON only")
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve()
    if not (bundle / f"kdx-cli{EXE}").is_file():
        print(f"No kdx-cli in {bundle}: build it first (scripts/build_linux.sh).", file=sys.stderr)
        return 2
    global PYCACHE
    with tempfile.TemporaryDirectory(prefix="kdx-pycache-") as pycache:
        PYCACHE = Path(pycache)
        report: dict[str, Any] = {**bundle_size(bundle), "rows": [cli_row(bundle, args.rounds)]}
        if not args.no_window:
            report["rows"].append(window_row(bundle, args.rounds))
    if args.json:
        print(json.dumps(report, indent=2, ensure_ascii=False))
        return 0
    print(f"Bundle {report['bundle']}: {report['size_mb']} MB, {report['files']} files")
    for r in report["rows"]:
        if "frozen_ms" in r:
            verdict = "ok" if r["passed"] else "OVER BUDGET"
            print(
                f"{r['name']:7} frozen {r['frozen_ms']:.0f} ms / source {r['source_ms']:.0f} ms (medians of "
                f"{r['rounds']}) = {r['ratio']:.2f}× (budget ≤ {BUDGET}×: {verdict})"
            )
            if "cpu_ratio" in r:
                print(
                    f"{'':7} CPU time: frozen {r['frozen_cpu_ms']:.0f} ms / source {r['source_cpu_ms']:.0f} ms "
                    f"= {r['cpu_ratio']:.2f}×"
                )
        elif r.get("ratio") is not None:
            verdict = "ok" if r.get("pass") else "OVER BUDGET"  # rows_frozen's Result names it "pass"
            print(
                f"{r['name']:7} frozen {r['median']:.0f} {r.get('unit', '')} / source {r['baseline_median']:.0f} "
                f"{r.get('unit', '')} (medians) = {r['ratio']:.2f}× (budget ≤ {BUDGET}×: {verdict})"
            )
        else:
            print(
                f"{r['name']:7} {json.dumps({k: v for k, v in r.items() if k != 'name'}, ensure_ascii=False)}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
