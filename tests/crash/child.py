"""The process the kill harness kills: the real save path in a loop.

Run as ``python child.py DATA_DIR MODE``. It imports KDX and loads the catalogue once, prints
``ready``, then serves ``run RUN_ID`` lines on stdin by forking a worker per run (so each kill
costs a fork, not an interpreter start). A worker opens the data folder like the app does and
saves forever with ``services.reporting.set_values``; after each save returns (committed) it
writes ``ack I`` to stdout — a pipe write, which survives the worker's death. The zygote reports
``exited PID`` once the killed worker is reaped (a worker first says ``started PID``).

MODE ``real`` is the product. The others break one protection on purpose so the tests can prove
the harness notices: ``split`` writes each value and its audit row in separate commits;
``ack-early`` acknowledges a save before it is committed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

ORG, YEAR = "BKT", 2026
INT_KEYS = ("print_copies_city", "print_copies_rural", "ip_city", "ip_rural")
TEXT_KEYS = ("narrative.results", "narrative.difficulties")
KEYS = INT_KEYS + TEXT_KEYS
PER_SAVE = 3  # keys written together by one save (one transaction)
RUN_SPAN = 10_000  # values of run R are R*RUN_SPAN + i


def save_of(run_id: int, i: int) -> dict[str, str]:
    """Save number ``i`` of run ``run_id``: the same rule in the worker and in the checker."""
    value = run_id * RUN_SPAN + i
    keys = [KEYS[(i + j) % len(KEYS)] for j in range(PER_SAVE)]
    return {k: (str(value) if k in INT_KEYS else f"lần lưu {value}") for k in keys}


def _say(text: str) -> None:
    os.write(1, (text + "\n").encode())


def _split_save(app: object, org: str, year: int, raw: dict[str, str]) -> None:
    """The bug ``split`` mode plants: value and audit row in separate transactions."""
    from kdx_desktop.services.reporting import parse_assignments
    from kdx_desktop.store.repo import now_iso

    store = app.store  # type: ignore[attr-defined]
    report = store.report(org, year)
    for key, (text, na) in parse_assignments(app, org, year, raw).items():  # type: ignore[arg-type]
        old = store.entries(report.id).get(key)
        with store.db.atomic():
            store.db.execute(
                "INSERT INTO entries(report_id, key, value, na, updated_at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(report_id, key) DO UPDATE SET value = excluded.value, na = excluded.na",
                [report.id, key, text, int(na), now_iso()],
            )
        with store.db.atomic():
            store._audit("edit", report.id, key, old[0] if old else None, text, None, None)


def worker(data_dir: Path, mode: str, run_id: int, catalog: object) -> None:
    from kdx_desktop.services.reporting import open_app, set_values

    app = open_app(data_dir, catalog)  # type: ignore[arg-type]
    _say("open")
    for i in range(RUN_SPAN - 1):
        raw = save_of(run_id, i)
        if mode == "ack-early":
            _say(f"ack {i}")
            set_values(app, ORG, YEAR, raw)
        elif mode == "split":
            _split_save(app, ORG, YEAR, raw)
            _say(f"ack {i}")
        else:
            set_values(app, ORG, YEAR, raw)
            _say(f"ack {i}")
    _say("done")


def main() -> None:
    data_dir, mode = Path(sys.argv[1]), sys.argv[2]
    from kdx_desktop.core.catalog_loader import load_catalog

    catalog = load_catalog()
    import kdx_desktop.services.reporting  # noqa: F401 - import once, before forking

    _say("ready")
    for line in sys.stdin:
        cmd, _, arg = line.strip().partition(" ")
        if cmd != "run":
            break
        pid = os.fork()
        if pid == 0:
            _say(f"started {os.getpid()}")  # the worker says it first, so it comes before its output
            code = 0
            try:
                worker(data_dir, mode, int(arg), catalog)
            except BaseException as exc:
                _say(f"error {type(exc).__name__}: {exc}")
                code = 1
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        _say(f"exited {pid} {status}")


if __name__ == "__main__":
    main()
