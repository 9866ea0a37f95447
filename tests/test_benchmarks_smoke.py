"""The benchmark script runs and its JSON has the shape a reviewer reads (no timing is judged here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROW_KEYS = {
    "name",
    "what",
    "unit",
    "median",
    "p95",
    "baseline",
    "baseline_median",
    "ratio",
    "budget",
    "pass",
    "n",
    "status",
}


def run_bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_quick_json_run_of_a_cheap_row_has_every_field() -> None:
    proc = run_bench("--quick", "--json", "--only", "recompute_core")
    assert proc.returncode in (0, 1), proc.stderr  # 1 only means a budget was missed
    doc = json.loads(proc.stdout)
    assert doc["quick"] is True
    assert doc["machine"]["cpus"] >= 1
    [row] = doc["rows"]
    assert ROW_KEYS <= set(row)
    assert row["name"] == "recompute_core"
    assert row["status"] == "measured"
    assert row["n"] == 100
    assert 0 < row["median"] <= row["p95"]
    assert row["ratio"] == row["p95"] / 5.0  # an absolute budget: the ratio is p95 over 5 ms
    assert isinstance(row["pass"], bool)
    assert "indicators" in row["note"] and "problems" in row["note"]


def test_unknown_row_is_a_usage_error() -> None:
    proc = run_bench("--only", "no_such_row")
    assert proc.returncode == 2
    assert "no_such_row" in proc.stderr
