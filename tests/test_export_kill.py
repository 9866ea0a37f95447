"""An export killed at random moments never leaves a partial file at a final name, and the
report is locked only when its package really exists."""

from __future__ import annotations

import random
import shutil
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from kdx_desktop.package.writer import PackageError, verify_package

ROOT = Path(__file__).resolve().parent.parent
FINAL = ("BaoCao_BQN_2025_lan1.zip", "BaoCao_BQN_2025_lan1.pdf", "BaoCao_BQN_2025_lan1.xlsx")


def command(data: Path, out: Path) -> list[str]:
    return [sys.executable, str(ROOT / "main.py"), "--data-dir", str(data), "export", "--org", "BKT", "--year", "2025",
            "--out", str(out)]  # fmt: skip


def check_outputs(data: Path, out: Path) -> str:
    present = [n for n in FINAL if (out / n).exists()]
    for name in present:
        raw = (out / name).read_bytes()
        if name.endswith(".zip"):
            verify_package(raw)  # complete and intact, or it raises
        elif name.endswith(".pdf"):
            assert raw.startswith(b"%PDF-") and raw.rstrip().endswith(b"%%EOF"), name
        else:
            with zipfile.ZipFile(out / name) as zf:
                assert zf.testzip() is None
    conn = sqlite3.connect(data / "kdx.sqlite3")
    status, sha = conn.execute(
        "SELECT r.status, v.data_sha256 FROM reports r JOIN revisions v ON v.report_id = r.id AND v.revision = r.revision "
        "WHERE r.org_code = 'BKT' AND r.year = 2025"
    ).fetchone()
    conn.close()
    if status == "exported":
        assert len(present) == 3, present
        assert verify_package((out / FINAL[0]).read_bytes()).data_sha256 == sha
    return f"{status}:{len(present)}"


@pytest.mark.slow
def test_killed_exports_leave_no_partial_file(demo_dir: Path, tmp_path: Path) -> None:
    # How long a whole export takes here, so the kills spread over all of it.
    data0, out0 = tmp_path / "d0", tmp_path / "o0"
    shutil.copytree(demo_dir, data0)
    t0 = time.monotonic()
    subprocess.run(command(data0, out0), check=True, capture_output=True, timeout=120)
    full = time.monotonic() - t0
    check_outputs(data0, out0)

    rng = random.Random(20251126)
    outcomes = []
    for i in range(12):
        data, out = tmp_path / f"d{i + 1}", tmp_path / f"o{i + 1}"
        shutil.copytree(demo_dir, data)
        proc = subprocess.Popen(command(data, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.0) * full)
        proc.kill()
        proc.wait(timeout=30)
        if out.exists():
            try:
                outcomes.append(check_outputs(data, out))
            except PackageError as exc:  # pragma: no cover - the failure this test exists for
                pytest.fail(f"partial package after kill #{i + 1}: {exc.message}")
        else:
            outcomes.append("nothing")
        # whatever happened, exporting again succeeds and gives a complete set
        subprocess.run(command(data, out), check=True, capture_output=True, timeout=120)
        assert check_outputs(data, out) == "exported:3"
        assert not list(out.glob(".*.tmp"))
    # The kills spread over the export: some before it locked the report, some after.
    assert any(o != "exported:3" for o in outcomes), outcomes


def _kill_when(proc: subprocess.Popen[bytes], ready: Callable[[], bool], timeout: float = 120) -> bool:
    """Kill ``proc`` the moment ``ready()`` holds (polled as fast as possible); False if it
    ended first."""
    end = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < end:
        if ready():
            proc.kill()
            proc.wait(timeout=30)
            return True
    proc.wait(timeout=30)
    return False


@pytest.mark.slow
def test_an_export_killed_while_its_files_are_written(demo_dir: Path, tmp_path: Path) -> None:
    """The kill lands mid-write, proved by the temporary file seen at that moment: no final name
    holds a partial file, the report is not locked, and the next export is whole."""
    landed = 0
    for i in range(8):
        data, out = tmp_path / f"m{i}", tmp_path / f"mo{i}"
        shutil.copytree(demo_dir, data)
        proc = subprocess.Popen(command(data, out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not _kill_when(proc, lambda out=out: out.is_dir() and any(out.glob(".*.tmp"))):
            continue  # the write phase slipped between two looks: try again
        landed += 1
        assert check_outputs(data, out).startswith("draft:"), "locked without its files"
        subprocess.run(command(data, out), check=True, capture_output=True, timeout=120)
        assert check_outputs(data, out) == "exported:3"
        assert not list(out.glob(".*.tmp"))  # the next export removed what the kill left
        if landed >= 3:
            break
    assert landed >= 1, "no kill landed while the files were being written"


WRITER = """
import sys
from pathlib import Path
from kdx_desktop.services.exporting import write_files
size = 24 * 1024 * 1024
files = {f"BaoCao_X_2025_lan1.{ext}": bytes([i]) * size for i, ext in enumerate(("zip", "pdf", "xlsx"), 1)}
write_files(Path(sys.argv[1]), files)
"""


@pytest.mark.slow
def test_killed_while_writing_large_files(tmp_path: Path) -> None:
    """The write phase itself, made long with big files: each final name holds all or nothing."""
    rng = random.Random(7)
    t0 = time.monotonic()
    subprocess.run([sys.executable, "-c", WRITER, str(tmp_path / "first")], check=True, cwd=ROOT, timeout=120)
    full = time.monotonic() - t0
    seen = set()
    for i in range(12):
        out = tmp_path / f"w{i}"
        out.mkdir()
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(out)], cwd=ROOT)
        time.sleep(rng.uniform(0.1, 1.0) * full)
        proc.kill()
        proc.wait(timeout=30)
        finals = sorted(p for p in out.iterdir() if not p.name.startswith("."))
        for n, ext in enumerate(("zip", "pdf", "xlsx"), 1):
            path = out / f"BaoCao_X_2025_lan1.{ext}"
            if path.exists():
                raw = path.read_bytes()
                assert len(raw) == 24 * 1024 * 1024 and raw.count(bytes([n])) == len(raw), path
        seen.add(len(finals))
    # Aimed at the write itself: killed once the first temporary file holds some but not all of
    # its bytes, which proves the kill landed mid-write.
    mid = 0
    for i in range(6):
        out = tmp_path / f"mid{i}"
        out.mkdir()
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(out)], cwd=ROOT)

        def partial(out: Path = out) -> bool:
            for p in out.glob(".*.tmp"):
                try:
                    if 0 < p.stat().st_size < 24 * 1024 * 1024:
                        return True
                except FileNotFoundError:  # renamed meanwhile
                    continue
            return False

        if not _kill_when(proc, partial):
            continue
        mid += 1
        assert not [p for p in out.iterdir() if not p.name.startswith(".")], (
            "a final name after a mid-write kill"
        )
    assert mid >= 1, "no kill landed mid-write"
