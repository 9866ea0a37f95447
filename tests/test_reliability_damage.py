"""Damaged databases are detected at start, before anything is written, and a backup is offered."""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from cli_helpers import SHOW, run_process
from crash.dbdump import dump

from kdx_desktop.safekeeping.backups import BackupError, make_backup
from kdx_desktop.safekeeping.dbcheck import BAD_WAL, CORRUPT, GARBAGE, NOT_KDX, TRUNCATED, inspect_database
from kdx_desktop.safekeeping.locations import LOCAL, Location
from kdx_desktop.services import startup
from kdx_desktop.services.reporting import open_app, set_values
from kdx_desktop.store.connection import DatabaseDamaged

ROOT = Path(__file__).resolve().parent.parent


def db_files(folder: Path) -> dict[str, str]:
    """Hash of every database file (main, -wal, -shm, -journal) in ``folder``."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.glob("kdx.sqlite3*"))
        if p.is_file()
    }


def _wal_of(db: Path, write: Callable[[sqlite3.Connection], None], *, page_size: int | None = None) -> bytes:
    """The -wal another connection leaves mid-life (it is copied while that connection is open)."""
    conn = sqlite3.connect(str(db), isolation_level=None)
    if page_size:
        conn.execute(f"PRAGMA page_size={page_size}")
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA wal_autocheckpoint=0")
    write(conn)
    data = db.with_name(db.name + "-wal").read_bytes()
    conn.close()
    return data


@pytest.fixture
def healthy(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    app = open_app(folder)
    set_values(app, "BKT", 2025, {"staff_total": "58", "staff_trained": "12"})
    app.close()
    make_backup(folder, "manual")
    assert not (folder / "kdx.sqlite3-wal").exists()
    return folder


def _garbage(folder: Path, tmp: Path) -> None:
    (folder / "kdx.sqlite3").write_bytes(bytes(range(256)) * 400)


def _scribbled(folder: Path, tmp: Path) -> None:
    db = folder / "kdx.sqlite3"
    data = bytearray(db.read_bytes())
    data[4096 * 2 : 4096 * 4] = b"\xa5" * 8192  # header fine, b-tree pages destroyed
    db.write_bytes(bytes(data))


def _truncated(folder: Path, tmp: Path) -> None:
    db = folder / "kdx.sqlite3"
    db.write_bytes(db.read_bytes()[: db.stat().st_size // 2])


def _foreign_wal(folder: Path, tmp: Path) -> None:
    """The -wal of another KDX database (say, copied from another PC) left next to this one."""
    other = tmp / "other"
    other.mkdir()
    app = open_app(other)
    for year in (2023, 2024, 2025):
        set_values(app, "PTTH", year, {"staff_total": "120", "narrative.results": "khác " * 200})
    app.close()

    def write(conn: sqlite3.Connection) -> None:
        for i in range(30):
            conn.execute("INSERT INTO settings(key, value) VALUES (?, ?)", [f"k{i}", "x" * 900])

    (folder / "kdx.sqlite3-wal").write_bytes(_wal_of(other / "kdx.sqlite3", write))


def _page_size_wal(folder: Path, tmp: Path) -> None:
    def write(conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("INSERT INTO t VALUES (1)")

    (folder / "kdx.sqlite3-wal").write_bytes(_wal_of(tmp / "small.sqlite3", write, page_size=1024))


def _garbage_wal(folder: Path, tmp: Path) -> None:
    (folder / "kdx.sqlite3-wal").write_bytes(b"\x13\x37 not a wal " * 500)


def _not_kdx(folder: Path, tmp: Path) -> None:
    db = folder / "kdx.sqlite3"
    db.unlink()
    conn = sqlite3.connect(str(db))
    conn.execute("CREATE TABLE danh_ba (ten TEXT)")
    conn.commit()
    conn.close()


DAMAGE = [
    (_garbage, GARBAGE),
    (_scribbled, CORRUPT),
    (_truncated, TRUNCATED),
    (_foreign_wal, BAD_WAL),
    (_page_size_wal, BAD_WAL),
    (_garbage_wal, BAD_WAL),
    (_not_kdx, NOT_KDX),
]
IDS = ["garbage", "scribbled-pages", "truncated", "foreign-wal", "page-size-wal", "garbage-wal", "not-kdx"]


@pytest.mark.parametrize(("damage", "kind"), DAMAGE, ids=IDS)
def test_damage_is_detected_at_start_before_any_write(
    healthy: Path, tmp_path: Path, damage: Callable[[Path, Path], None], kind: str
) -> None:
    damage(healthy, tmp_path)
    before = db_files(healthy)
    found = inspect_database(healthy / "kdx.sqlite3")
    assert found is not None and found.kind == kind, found
    assert db_files(healthy) == before

    result = startup.open_data_folder(healthy, location=Location(healthy, LOCAL))
    try:
        assert not result.ok and result.problem is not None
        assert result.problem.kind == startup.DAMAGED
        assert "không có gì bị ghi vào" in result.problem.message
        assert result.problem.backup is not None  # the newest valid backup is offered
        assert result.lock is not None  # held, so the offered restore is safe
    finally:
        result.close()
    assert db_files(healthy) == before  # nothing written, not even a -shm


@pytest.mark.parametrize(("damage", "kind"), DAMAGE[:4], ids=IDS[:4])
def test_the_command_line_refuses_a_damaged_database_without_writing(
    healthy: Path, tmp_path: Path, damage: Callable[[Path, Path], None], kind: str
) -> None:
    damage(healthy, tmp_path)
    before = db_files(healthy)
    proc = run_process(healthy, *SHOW)
    assert proc.returncode == 1
    assert "Lỗi:" in proc.stderr and "restore" in proc.stderr
    assert db_files(healthy) == before


def test_without_the_inspection_sqlite_writes_a_foreign_wal_into_the_database(
    healthy: Path, tmp_path: Path
) -> None:
    """Why the inspection exists (the protection removed): a plain open finds the damage too,
    but by then SQLite has folded the foreign WAL into the main file."""
    _foreign_wal(healthy, tmp_path)
    main_before = (healthy / "kdx.sqlite3").read_bytes()
    with pytest.raises(DatabaseDamaged):
        open_app(healthy, inspect=False).close()
    assert (healthy / "kdx.sqlite3").read_bytes() != main_before


def test_a_wal_left_by_a_crash_is_healthy_and_recovered(healthy: Path, tmp_path: Path) -> None:
    """No false alarm: a -wal holding committed saves of a killed KDX is normal and must be kept."""
    app = open_app(healthy)
    app.store.db.execute("PRAGMA wal_autocheckpoint=0")
    set_values(app, "BKT", 2025, {"staff_total": "61"})
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for p in healthy.glob("kdx.sqlite3*"):  # the files as a power cut would leave them
        shutil.copyfile(p, crashed / p.name)
    app.close()
    assert (crashed / "kdx.sqlite3-wal").stat().st_size > 0
    assert inspect_database(crashed / "kdx.sqlite3") is None
    result = startup.open_data_folder(crashed, location=Location(crashed, LOCAL))
    try:
        assert result.ok and result.app is not None
        report = result.app.store.find_report("BKT", 2025)
        assert report is not None and result.app.store.entries(report.id)["staff_total"] == ("61", False)
    finally:
        result.close()


def test_a_new_folder_is_not_damage(tmp_path: Path) -> None:
    assert inspect_database(tmp_path / "kdx.sqlite3") is None
    (tmp_path / "kdx.sqlite3").write_bytes(b"")
    assert inspect_database(tmp_path / "kdx.sqlite3") is None


def test_a_wal_without_its_database_is_reported(tmp_path: Path) -> None:
    (tmp_path / "kdx.sqlite3-wal").write_bytes(b"\x37\x7f\x06\x82" + b"\0" * 60)
    found = inspect_database(tmp_path / "kdx.sqlite3")
    assert found is not None and found.kind == BAD_WAL


def test_damage_without_any_backup_says_so(healthy: Path, tmp_path: Path) -> None:
    shutil.rmtree(healthy / "backups")
    _garbage(healthy, tmp_path)
    result = startup.open_data_folder(healthy, location=Location(healthy, LOCAL))
    try:
        assert result.problem is not None and result.problem.backup is None
        assert "Không có bản sao lưu hợp lệ" in (result.problem.offer or "")
    finally:
        result.close()


def test_startup_refuses_network_and_reports_removable_places(healthy: Path) -> None:
    net = startup.open_data_folder(healthy, location=Location(healthy, "network", r"\\may-chu\chung"))
    assert net.problem is not None and net.problem.kind == startup.NETWORK_PATH and net.lock is None
    usb = startup.open_data_folder(healthy, location=Location(healthy, "removable", "ổ E:"))
    assert usb.problem is not None and usb.problem.kind == startup.REMOVABLE_DRIVE and usb.app is None
    kept = startup.open_data_folder(
        healthy, accept_removable=True, location=Location(healthy, "removable", "ổ E:")
    )
    try:
        assert kept.ok
    finally:
        kept.close()


def test_startup_refuses_a_second_instance(healthy: Path) -> None:
    code = (
        "import sys,time; sys.path.insert(0, sys.argv[2]); from pathlib import Path;"
        "from kdx_desktop.safekeeping.instance_lock import acquire; l = acquire(Path(sys.argv[1]));"
        "print('held', flush=True); time.sleep(60)"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(healthy), str(ROOT)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        result = startup.open_data_folder(healthy, location=Location(healthy, LOCAL))
        assert result.problem is not None and result.problem.kind == startup.ALREADY_RUNNING
        assert "KDX đang mở thư mục dữ liệu" in result.problem.message and result.app is None
    finally:
        proc.kill()
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()


def test_startup_refuses_a_newer_database(healthy: Path) -> None:
    conn = sqlite3.connect(str(healthy / "kdx.sqlite3"))
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('kdx', '9999_moi', 'x')"
    )
    conn.commit()
    conn.close()
    result = startup.open_data_folder(healthy, location=Location(healthy, LOCAL))
    try:
        assert result.problem is not None and result.problem.kind == startup.NEWER
        assert "phiên bản KDX mới hơn" in result.problem.message
    finally:
        result.close()


def test_move_from_a_removable_drive_to_the_pc(healthy: Path, tmp_path: Path) -> None:
    (healthy / "attachments").mkdir()
    (healthy / "attachments" / "quyet-dinh.pdf").write_bytes(b"%PDF-1.4 minh chung")
    pc = tmp_path / "may-tinh" / "KDX"
    assert startup.move_data_folder(healthy, pc) == pc
    assert dump(pc / "kdx.sqlite3") == dump(healthy / "kdx.sqlite3")
    assert (pc / "attachments" / "quyet-dinh.pdf").read_bytes() == b"%PDF-1.4 minh chung"
    assert list((pc / "backups").glob("kdx-*.sqlite3"))
    moved = startup.open_data_folder(pc, location=Location(pc, LOCAL))
    try:
        assert moved.ok
    finally:
        moved.close()
    with pytest.raises(BackupError, match="đã có dữ liệu KDX"):  # never over existing data
        startup.move_data_folder(healthy, pc)
    assert isinstance(startup.suggested_pc_folder(), Path)
