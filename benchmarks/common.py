"""What every benchmark row shares: the result record, statistics, alternating runs, work folders."""

from __future__ import annotations

import math
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@dataclass
class Result:
    """One row of the table. Times are in the row's ``unit``; ``ratio`` compares like with like
    (median with median, or p95 with p95 where the budget is a 95th percentile)."""

    name: str
    what: str
    unit: str
    budget: str
    median: float | None = None
    p95: float | None = None
    baseline: str | None = None
    baseline_median: float | None = None
    baseline_p95: float | None = None
    ratio: float | None = None
    passed: bool | None = None
    n: int = 0
    status: str = "measured"
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["pass"] = doc.pop("passed")
        return doc


def failed(name: str, what: str, unit: str, budget: str, reason: str) -> Result:
    """The subject exists but the measurement could not be taken: a miss, never a number."""
    return Result(name, what, unit, budget, status="lỗi", passed=False, note=reason)


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def p95(xs: list[float]) -> float:
    """95th percentile, nearest rank (an observed value, never interpolated)."""
    ordered = sorted(xs)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def alternate(
    subject: Callable[[], float], baseline: Callable[[], float], n: int, *, warmup: int = 1
) -> tuple[list[float], list[float]]:
    """Run ``subject`` and ``baseline`` ``n`` times each, interleaved A B B A A B …, after ``warmup``
    unrecorded rounds. Each callable returns its own measured value, so set-up stays outside it.
    Interleaving spreads any drift of the machine (other load, CPU clock, page cache) over both."""
    for _ in range(warmup):
        subject()
        baseline()
    xs: list[float] = []
    bs: list[float] = []
    for i in range(n):
        if i % 2 == 0:
            xs.append(subject())
            bs.append(baseline())
        else:
            bs.append(baseline())
            xs.append(subject())
    return xs, bs


def compare(
    name: str,
    what: str,
    unit: str,
    budget_ratio: float,
    xs: list[float],
    bs: list[float],
    *,
    baseline: str,
    on_p95: bool = False,
    scale: float = 1.0,
    note: str = "",
) -> Result:
    """A row judged as a ratio to its baseline (medians, or p95s when ``on_p95``)."""
    xs = [x * scale for x in xs]
    bs = [b * scale for b in bs]
    res = Result(
        name,
        what,
        unit,
        f"≤ {budget_ratio:g}× baseline" + (" (p95)" if on_p95 else " (median)"),
        median=median(xs),
        p95=p95(xs),
        baseline=baseline,
        baseline_median=median(bs),
        baseline_p95=p95(bs),
        n=len(xs),
        note=note,
    )
    num, den = (res.p95, res.baseline_p95) if on_p95 else (res.median, res.baseline_median)
    assert num is not None and den is not None
    res.ratio = num / den if den > 0 else None
    res.passed = res.ratio is not None and res.ratio <= budget_ratio
    return res


def work_root() -> Path:
    """Where benchmark files go: ``KDX_BENCH_DIR`` or the system's temporary folder. Durability
    rows need a real disk here: on a RAM file system fsync costs nothing and every ratio flatters."""
    return Path(os.environ.get("KDX_BENCH_DIR") or tempfile.gettempdir())


def filesystem_of(path: Path) -> str:
    """The file system type holding ``path`` (Linux: from /proc/mounts), or "?"."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return "?"
    best, kind = "", "?"
    target = str(path.resolve())
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and (target == parts[1] or target.startswith(parts[1].rstrip("/") + "/")):
            if len(parts[1]) >= len(best):
                best, kind = parts[1], parts[2]
    return kind


@contextmanager
def scratch(prefix: str) -> Iterator[Path]:
    """A fresh folder under :func:`work_root`, removed afterwards."""
    root = work_root()
    root.mkdir(parents=True, exist_ok=True)
    path = Path(tempfile.mkdtemp(prefix=f"kdx-bench-{prefix}-", dir=root))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def make_demo(data_dir: Path, *, this_org: str | None = None) -> None:
    """The ``demo`` data in ``data_dir``, built by the same service as ``python main.py demo``.

    With ``this_org`` the folder is also set up as that organisation's PC, as the window's
    first-start dialog leaves it, so that a start goes straight to the main window."""
    from kdx_desktop.services.demo import fill_demo
    from kdx_desktop.services.reporting import open_app

    app = open_app(data_dir)
    try:
        fill_demo(app)
        if this_org is not None:
            from kdx_desktop.gui.dialogs import THIS_ORG

            app.store.set_setting(THIS_ORG, this_org)
    finally:
        app.close()
