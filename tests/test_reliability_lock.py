"""One KDX per data folder; a lock left by a killed KDX does not block the next start."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kdx_desktop.safekeeping import instance_lock
from kdx_desktop.safekeeping.instance_lock import AlreadyRunning, acquire

ROOT = Path(__file__).resolve().parent.parent

HOLDER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {root!r})
    from pathlib import Path
    from kdx_desktop.safekeeping.instance_lock import acquire
    lock = acquire(Path(sys.argv[1]))
    print("held", flush=True)
    time.sleep(60)
    """
)


def _holder(data_dir: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER.format(root=str(ROOT)), str(data_dir)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_a_second_process_is_refused_with_a_clear_message(data_dir: Path) -> None:
    proc = _holder(data_dir)
    try:
        with pytest.raises(AlreadyRunning) as err:
            acquire(data_dir)
        msg = str(err.value)
        assert "KDX đang mở thư mục dữ liệu" in msg and str(data_dir) in msg
        assert f"tiến trình {proc.pid}" in msg  # says who holds it
        # since when, in Vietnam time as an officer writes it (not an ISO time in the PC's zone)
        assert re.search(r"mở lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}", msg), msg
        assert "đóng nó rồi mở lại KDX" in msg
    finally:
        proc.kill()
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")
def test_a_lock_left_by_a_killed_process_does_not_block(data_dir: Path) -> None:
    proc = _holder(data_dir)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.stdout is not None
    proc.stdout.close()
    assert (data_dir / instance_lock.LOCK_FILE).exists()  # the file stays; the OS lock is gone
    lock = acquire(data_dir)
    try:
        assert lock.held
    finally:
        lock.release()


def test_release_lets_another_process_in_and_reacquire_is_idempotent(data_dir: Path) -> None:
    lock = acquire(data_dir)
    assert acquire(data_dir) is lock  # the same process asking again
    assert instance_lock.held_here(data_dir) is lock
    lock.release()
    assert instance_lock.held_here(data_dir) is None
    proc = _holder(data_dir)  # would block/fail if the lock were still held
    proc.kill()
    proc.wait()
    assert proc.stdout is not None
    proc.stdout.close()


def test_lock_as_context_manager(data_dir: Path) -> None:
    with acquire(data_dir) as lock:
        assert lock.held
    assert not lock.held
    lock.release()  # harmless twice
