"""The kill harness: kill the real save path at random moments and look at what is left.

After every SIGKILL the parent opens the database and checks, as SQLite's own crash tests do:

* ``PRAGMA integrity_check`` is ``ok``;
* every save acknowledged before the kill is present — the stored values are exactly the state
  after the acknowledged saves, or after one more (a save may commit and die before its ``ack``);
  fewer is a lost save, anything else is a half-written save;
* no value without its audit row nor the reverse: for every key the newest audit row holds the
  stored value, and the number of edit audit rows matches the number of committed saves.

``KDX_KILLS`` sets the number of kills for a longer run (see docs/DATA-SAFETY.md).
"""

from __future__ import annotations

import os
import random
import select
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from .child import KEYS, ORG, PER_SAVE, YEAR, save_of

CHILD = Path(__file__).with_name("child.py")
State = dict[str, str | None]


@dataclass
class HarnessResult:
    kills: int = 0
    acknowledged: int = 0  # saves acknowledged before a kill, summed over all runs
    committed: int = 0  # saves found committed after the kills
    in_flight_committed: int = 0  # kills that landed after a commit but before its ack
    kills_before_open: int = 0
    seconds: float = 0.0
    violations: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.kills} kills in {self.seconds:.1f} s: {self.acknowledged} acknowledged saves, "
            f"{self.committed} committed, {self.in_flight_committed} committed-but-unacknowledged, "
            f"{self.kills_before_open} kills while opening, {len(self.violations)} violations"
        )


class _Lines:
    """Line reader over a pipe with a timeout (the zygote's stdout)."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buf = b""

    def next(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.fd], [], [], left)[0]:
                raise TimeoutError("child did not answer")
            chunk = os.read(self.fd, 65536)
            if not chunk:
                raise EOFError("child exited")
            self.buf += chunk
        line, _, self.buf = self.buf.partition(b"\n")
        return line.decode()


def read_state(db: Path) -> tuple[State, int, list[str]]:
    """(values of the harness keys, number of edit audit rows, problems found) — read-only checks."""
    problems: list[str] = []
    conn = sqlite3.connect(str(db))
    try:
        integrity = conn.execute("PRAGMA integrity_check").fetchall()
        if integrity != [("ok",)]:
            problems.append(f"integrity_check: {integrity[:3]}")
            return {}, 0, problems
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "reports" not in tables:  # killed while creating a new database: nothing saved yet
            return dict.fromkeys(KEYS), 0, problems
        row = conn.execute("SELECT id FROM reports WHERE org_code = ? AND year = ?", [ORG, YEAR]).fetchone()
        if row is None:
            return dict.fromkeys(KEYS), 0, problems
        rid = row[0]
        values: State = dict.fromkeys(KEYS)
        for key, value in conn.execute("SELECT key, value FROM entries WHERE report_id = ?", [rid]):
            if key in values:
                values[key] = value
        edits = 0
        last_audit: State = dict.fromkeys(KEYS)
        for key, new in conn.execute(
            "SELECT key, new_value FROM audit WHERE report_id = ? AND action = 'edit' ORDER BY id", [rid]
        ):
            if key in last_audit:
                last_audit[key] = new
                edits += 1
        for key in KEYS:
            if values[key] != last_audit[key]:
                problems.append(
                    f"{key}: stored {values[key]!r} but its newest audit row says {last_audit[key]!r}"
                )
        return values, edits, problems
    finally:
        conn.close()


def replay(state: State, run_id: int, saves: int) -> State:
    out = dict(state)
    for i in range(saves):
        out.update(save_of(run_id, i))
    return out


def run_kill_harness(
    data_dir: Path,
    kills: int,
    *,
    mode: str = "real",
    seed: int = 1,
    max_delay: float = 0.02,
    stop_at_first_violation: bool = False,
) -> HarnessResult:
    """Kill ``kills`` workers of ``mode`` (see child.py) on ``data_dir``; return the counts."""
    rng = random.Random(seed)
    db = data_dir / "kdx.sqlite3"
    result = HarnessResult()
    started = time.monotonic()
    zygote = subprocess.Popen(
        [sys.executable, str(CHILD), str(data_dir), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=False,
        bufsize=0,
    )
    assert zygote.stdin is not None and zygote.stdout is not None
    lines = _Lines(zygote.stdout.fileno())
    try:
        if lines.next(60) != "ready":
            raise RuntimeError("crash child did not start")
        state: State
        if db.exists():
            state, edits, problems = read_state(db)
            result.violations += problems
        else:
            state, edits = dict.fromkeys(KEYS), 0
        run_id = 0
        while result.kills < kills:
            run_id += 1
            zygote.stdin.write(f"run {run_id}\n".encode())
            zygote.stdin.flush()
            first = lines.next(30)
            if not first.startswith("started "):
                raise RuntimeError(f"unexpected from crash child: {first}")
            pid = int(first.split()[1])
            early = rng.random() < 0.15  # some kills while the worker is still opening the database
            acked, opened = 0, not early
            if early:
                time.sleep(rng.uniform(0, 0.004))
            else:
                msg = lines.next(30)
                if msg != "open":
                    raise RuntimeError(f"worker failed to open: {msg}")
                # Let a drawn number of saves finish first, then kill at a random moment of the
                # next ones. Counting saves rather than waiting a fixed time keeps the campaign
                # the same on a loaded machine: the kills still land after real saves.
                for _ in range(rng.randint(0, 3)):
                    msg = lines.next(30)
                    if not msg.startswith("ack "):
                        raise RuntimeError(f"unexpected from crash worker: {msg}")
                    acked = int(msg.split()[1]) + 1
                time.sleep(rng.uniform(0, max_delay))
            os.kill(pid, signal.SIGKILL)
            while True:
                msg = lines.next(30)
                if msg.startswith("ack "):
                    acked = int(msg.split()[1]) + 1
                elif msg == "open":
                    opened = True
                elif msg.startswith("exited "):
                    break
                elif msg.startswith("error ") or msg == "done":
                    raise RuntimeError(f"worker stopped by itself: {msg}")
            result.kills += 1
            result.acknowledged += acked
            result.kills_before_open += not opened
            found, found_edits, problems = read_state(db)
            verdict = _compare(state, edits, found, found_edits, run_id, acked)
            problems += [f"kill {result.kills} (run {run_id}, {acked} acked): {p}" for p in verdict[1]]
            result.violations += problems
            committed = verdict[0]
            result.committed += committed if committed is not None else 0
            result.in_flight_committed += committed is not None and committed == acked + 1
            state, edits = found, found_edits
            if problems and stop_at_first_violation:
                break
    finally:
        zygote.stdin.close()
        try:
            zygote.wait(timeout=10)
        except subprocess.TimeoutExpired:
            zygote.kill()
            zygote.wait()
        zygote.stdout.close()
    result.seconds = time.monotonic() - started
    return result


def _compare(
    before: State, edits_before: int, found: State, found_edits: int, run_id: int, acked: int
) -> tuple[int | None, list[str]]:
    """(committed saves of this run, problems) for what was found after a kill."""
    for n in (acked, acked + 1):
        if found == replay(before, run_id, n):
            if found_edits != edits_before + PER_SAVE * n:
                return n, [f"{found_edits - edits_before} edit audit rows for {n} saves of {PER_SAVE} values"]
            return n, []
    for n in range(acked):
        if found == replay(before, run_id, n):
            return n, [f"acknowledged save lost: only {n} of {acked} acknowledged saves are stored"]
    return None, [f"half-written save: stored values match no sequence of whole saves ({found})"]
