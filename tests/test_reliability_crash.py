"""Crash safety, measured: kill the real save path at random moments and look (tests/crash/).

``KDX_KILLS=5000 python -m pytest tests/test_reliability_crash.py -s`` runs a longer campaign.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from crash.harness import run_kill_harness

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="the harness forks and uses SIGKILL")


@pytest.mark.slow
def test_kills_never_lose_an_acknowledged_save_nor_half_write_one(tmp_path: Path) -> None:
    kills = int(os.environ.get("KDX_KILLS", "300"))
    result = run_kill_harness(tmp_path, kills, seed=int(os.environ.get("KDX_KILL_SEED", "6")))
    print(result.summary())
    assert result.violations == []
    assert result.kills == kills
    # The kills really landed in the middle of work: many saves, some killed while opening, and
    # some between a commit and its acknowledgement.
    assert result.acknowledged >= kills
    assert result.kills_before_open > 0
    assert result.in_flight_committed > 0


def test_harness_catches_a_value_saved_without_its_audit_row(tmp_path: Path) -> None:
    """The protection removed: value and audit row in separate commits. The harness must see it."""
    result = run_kill_harness(tmp_path, 40, mode="split", seed=3)
    print(result.summary())
    assert any("audit" in v or "half-written" in v for v in result.violations), result.violations


def test_harness_catches_an_acknowledgement_before_commit(tmp_path: Path) -> None:
    """The protection removed: the save is reported done before it is committed."""
    result = run_kill_harness(tmp_path, 80, mode="ack-early", seed=4)
    print(result.summary())
    assert any("acknowledged save lost" in v for v in result.violations), result.violations
