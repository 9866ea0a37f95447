"""Frozen row: the one-folder build's window start against the same start from source.

The frozen program cannot load the start-up probe, so both starts are observed from outside on a
private Xvfb display (see x11_map.py): spawn → main window mapped. Both get a fresh copy of the
demo data folder for each run (copied before the clock starts) and alternate.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from common import ROOT, Result, alternate, compare, failed, make_demo, scratch
from rows_startup import MAIN, PC_OF, child_env

WHAT = "frozen one-folder app: spawn → main window shown (Xvfb), demo data"
BASE = "the same start from source (python main.py)"
BUDGET = 1.1


# The bundle folder itself when a caller measures another build (benchmarks/frozen_start.py).
DIST: Path | None = None


def dist_dir() -> Path:
    """The one-folder bundle: ``dist/KDX`` of this checkout, or ``$KDX_DIST_DIR/KDX`` for a build
    made elsewhere (``DIST_DIR=… scripts/build_linux.sh``), or :data:`DIST` when set."""
    if DIST is not None:
        return DIST
    return Path(os.environ.get("KDX_DIST_DIR") or ROOT / "dist") / "KDX"


def frozen_exe() -> Path | None:
    for name in ("KDX", "KDX.exe"):
        path = dist_dir() / name
        if path.is_file():
            return path
    return None


def measure(n: int) -> Result:
    budget = f"≤ {BUDGET:g}× baseline (median)"
    exe = frozen_exe()
    if exe is None:
        # The bundle is part of what KDX ships: without it this row is a miss, not a pass.
        return failed(
            "frozen_start", WHAT, "ms", budget, "no dist/KDX/KDX: build it first (scripts/build_linux.sh)"
        )
    import x11_map

    with scratch("frozen") as tmp:
        demo = tmp / "demo"
        demo.mkdir()
        make_demo(demo, this_org=PC_OF)
        # Bytecode cached on the source side too, as in the startup row: the frozen build ships its
        # modules compiled, so a source start that recompiled every module would flatter it.
        env = child_env(tmp, bytecode=True)
        env.pop("QT_QPA_PLATFORM", None)
        runs = [0]

        def fresh_data() -> str:
            runs[0] += 1
            target = tmp / f"data{runs[0]}"
            shutil.copytree(demo, target)
            return str(target)

        try:
            with x11_map.xvfb() as display:
                env["DISPLAY"] = display
                env["QT_QPA_PLATFORM"] = "xcb"
                watcher = x11_map.MapWatcher(display)
                try:

                    def frozen() -> float:
                        return x11_map.timed_start([str(exe), "--data-dir", fresh_data()], env, watcher)

                    def source() -> float:
                        cmd = [sys.executable, str(MAIN), "--data-dir", fresh_data()]
                        return x11_map.timed_start(cmd, env, watcher)

                    xs, bs = alternate(frozen, source, n, warmup=1)
                finally:
                    watcher.close()
        except x11_map.XError as exc:
            return failed("frozen_start", WHAT, "ms", budget, f"could not observe the window: {exc}")
    where = exe.relative_to(ROOT) if exe.is_relative_to(ROOT) else exe
    note = f"{where}; first main-window-sized top-level window mapped on Xvfb, xcb platform"
    return compare("frozen_start", WHAT, "ms", BUDGET, xs, bs, baseline=BASE, scale=1000.0, note=note)
