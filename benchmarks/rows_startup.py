"""Start-up rows: KDX's window against a bare PySide6 window, each in a fresh process.

Each run spawns ``python benchmarks/startup_probe.py SCRIPT …`` and times it from just before the
spawn to the probe's "ready" line (the window shown and the event loop turned); the probe also
reports the child's peak resident memory at that moment. KDX and the bare window alternate.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from common import ROOT, Result, alternate, compare, failed, make_demo, scratch
from startup_probe import FAILED, READY

PROBE = Path(__file__).resolve().parent / "startup_probe.py"
BARE = Path(__file__).resolve().parent / "bare_window.py"
MAIN = ROOT / "main.py"
TIMEOUT_S = 60.0

START_WHAT = "start to an interactive main window, demo data, whole process, offscreen"
MEM_WHAT = "peak memory of that start (ru_maxrss of the child)"
BARE_WHAT = "bare PySide6 QMainWindow + 50-row table"
PC_OF = "BKT"  # the start measured is an agency officer's PC (the common case)


class ProbeError(RuntimeError):
    pass


def child_env(home: Path, *, bytecode: bool = False) -> dict[str, str]:
    """The environment both programs start in: offscreen, and every per-user folder (settings,
    caches) inside the benchmark's scratch folder so runs neither read nor leave the user's files.

    ``bytecode``: Python may cache compiled modules (in the scratch folder, never in the checkout),
    as it does on every user's PC: an installed or frozen KDX ships them and a source checkout
    writes ``__pycache__`` at its first start. Without it, an environment that sets
    ``PYTHONDONTWRITEBYTECODE`` (as CI and sandboxes often do) makes every measured start compile
    all of KDX's modules again (~90 ms here), a cost no user pays after the first start."""
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    for var, sub in (("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache"), ("XDG_STATE_HOME", "state")):
        env[var] = str(home / sub)
    env.pop("KDX_DATA_DIR", None)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = str(home / "pycache")
    return env


def run_probe(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """(seconds from spawn to ready, peak RSS in KiB) of one probed start."""
    cmd = [sys.executable, str(PROBE), *args]
    err_path = Path(env["XDG_CACHE_HOME"]).parent / "probe-stderr.txt"
    with open(err_path, "w+b") as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=err, env=env, text=True, cwd=ROOT)
        timer = threading.Timer(TIMEOUT_S, proc.kill)
        timer.start()
        try:
            assert proc.stdout is not None
            line = ""
            for line in proc.stdout:
                if line.startswith((READY, FAILED)):
                    break
            elapsed = time.perf_counter() - t0
            proc.wait()
        finally:
            timer.cancel()
        if not line.startswith(READY):
            err.seek(0)
            tail = err.read().decode("utf-8", "replace").strip().splitlines()[-3:]
            reason = line.strip() or f"exit status {proc.returncode}"
            raise ProbeError(f"{reason} {' | '.join(tail)}".strip())
    return elapsed, int(line.split()[1])


def measure(n: int) -> list[Result]:
    with scratch("start") as tmp:
        data = tmp / "data"
        data.mkdir()
        make_demo(data, this_org=PC_OF)
        env = child_env(tmp, bytecode=True)
        kdx_rss: list[int] = []
        bare_rss: list[int] = []
        try:
            # The first start compiles and caches the bytecode (as a user's first start from a
            # source checkout would); shown in the note, not counted.
            first_s, _ = run_probe([str(MAIN), "--data-dir", str(data)], env)
            run_probe([str(BARE)], env)
        except ProbeError as exc:
            return [
                failed("startup", START_WHAT, "ms", "≤ 1.3× baseline (median)", str(exc)),
                failed("startup_memory", MEM_WHAT, "MiB", "≤ 1.5× baseline (median)", str(exc)),
            ]

        def kdx() -> float:
            t, rss = run_probe([str(MAIN), "--data-dir", str(data)], env)
            kdx_rss.append(rss)
            return t

        def bare() -> float:
            t, rss = run_probe([str(BARE)], env)
            bare_rss.append(rss)
            return t

        try:
            xs, bs = alternate(kdx, bare, n, warmup=1)
        except ProbeError as exc:
            return [
                failed("startup", START_WHAT, "ms", "≤ 1.3× baseline (median)", str(exc)),
                failed("startup_memory", MEM_WHAT, "MiB", "≤ 1.5× baseline (median)", str(exc)),
            ]
    # The first sample of each list belongs to the unrecorded warm-up round.
    kdx_mem = [k / 1024 for k in kdx_rss[1:]]
    bare_mem = [b / 1024 for b in bare_rss[1:]]
    compiled = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "not set"
    start = compare(
        "startup",
        START_WHAT,
        "ms",
        1.3,
        xs,
        bs,
        baseline=BARE_WHAT,
        scale=1000.0,
        note=(
            f"both with Python's bytecode cached (PYTHONPYCACHEPREFIX in the scratch folder; "
            f"PYTHONDONTWRITEBYTECODE is {compiled} in this shell); "
            f"KDX's first start with an empty bytecode cache: {first_s * 1000:.0f} ms (not counted)"
        ),
    )
    mem = compare("startup_memory", MEM_WHAT, "MiB", 1.5, kdx_mem, bare_mem, baseline=BARE_WHAT)
    return [start, mem]
