"""Restore drills: a restore gives back exactly the data, refuses unusable files, keeps the old aside."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from crash.dbdump import dump

from kdx_desktop.safekeeping.backups import make_backup
from kdx_desktop.safekeeping.instance_lock import AlreadyRunning, acquire
from kdx_desktop.safekeeping.restoring import RestoreRefused, restore
from kdx_desktop.services import startup
from kdx_desktop.services.reporting import open_app, reopen, set_values


@pytest.fixture
def folder(demo_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "demo"
    shutil.copytree(demo_dir, d)
    return d


def _files(folder: Path) -> dict[str, bytes]:
    return {
        p.name: p.read_bytes() for p in folder.iterdir() if p.is_file() and p.name.startswith("kdx.sqlite3")
    }


def test_restore_drill_gives_back_exactly_the_data(folder: Path) -> None:
    db = folder / "kdx.sqlite3"
    snapshot = dump(db)
    backup = make_backup(folder, "manual")
    app = open_app(folder)
    draft = app.store.find_report("BKT", 2026)
    assert draft is not None
    typed_before = app.store.entries(draft.id)["staff_total"]
    set_values(app, "BKT", 2026, {"staff_total": "99", "narrative.results": "sẽ bị thay bằng bản sao lưu"})
    locked = [r for r in app.store.reports() if r.locked]
    if locked:  # a reopen touches reports, revisions and the audit trail too
        reopen(app, locked[0].org_code, locked[0].year, "sửa số liệu")
    changed = dump(db)
    app.close()
    assert changed != snapshot

    done = restore(folder, backup.path)

    assert dump(db) == snapshot  # every table, every row
    assert done.aside is not None and dump(done.aside) == changed  # the replaced data is kept
    assert done.aside.name.startswith("kdx-truoc-khoi-phuc-")
    assert done.safety_backup is not None and dump(done.safety_backup.path) == changed
    assert not list(folder.glob(".*tmp"))  # no staging file left
    again = open_app(folder)  # and the app opens it normally, with the value as it was
    try:
        assert again.store.entries(draft.id)["staff_total"] == typed_before
    finally:
        again.close()


def _damaged_copy(src: Path, dst: Path) -> Path:
    data = bytearray(src.read_bytes())
    data[4096 * 2 : 4096 * 5] = b"\x00\x13" * (4096 * 3 // 2)
    dst.write_bytes(bytes(data))
    return dst


def _newer_copy(src: Path, dst: Path) -> Path:
    shutil.copyfile(src, dst)
    conn = sqlite3.connect(str(dst))
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('kdx', '9999_tuong_lai', 'x')"
    )
    conn.commit()
    conn.close()
    return dst


def _foreign_sqlite(dst: Path) -> Path:
    conn = sqlite3.connect(str(dst))
    conn.execute("CREATE TABLE ghi_chu (x TEXT)")
    conn.commit()
    conn.close()
    return dst


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda b, t: t.joinpath("khong-co.sqlite3"), "Không tìm thấy tệp"),
        (
            lambda b, t: (t / "rac.sqlite3", (t / "rac.sqlite3").write_bytes(b"PK\x03\x04 not a db" * 300))[
                0
            ],
            "không phải",
        ),
        (lambda b, t: _damaged_copy(b, t / "hong.sqlite3"), "bị hỏng"),
        (lambda b, t: _newer_copy(b, t / "moi.sqlite3"), "phiên bản KDX mới hơn"),
        (lambda b, t: _foreign_sqlite(t / "khac.sqlite3"), "không phải là cơ sở dữ liệu KDX"),
    ],
    ids=["missing", "garbage", "damaged", "newer", "not-kdx"],
)
def test_restore_refuses_unusable_files_and_touches_nothing(
    folder: Path, tmp_path: Path, make, reason: str
) -> None:  # type: ignore[no-untyped-def]
    backup = make_backup(folder, "manual")
    candidate = make(backup.path, tmp_path)
    before = _files(folder)
    with pytest.raises(RestoreRefused, match=reason):
        restore(folder, candidate)
    assert _files(folder) == before
    assert not list(folder.glob("kdx-truoc-khoi-phuc-*"))


def test_restore_is_refused_while_another_kdx_has_the_folder(folder: Path) -> None:
    backup = make_backup(folder, "manual")
    code = (
        "import sys,time; sys.path.insert(0, sys.argv[2]); from pathlib import Path;"
        "from kdx_desktop.safekeeping.instance_lock import acquire; l = acquire(Path(sys.argv[1]));"
        "print('held', flush=True); time.sleep(60)"
    )
    root = str(Path(__file__).resolve().parent.parent)
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(folder), root], stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "held"
        before = _files(folder)
        with pytest.raises(AlreadyRunning):
            restore(folder, backup.path)
        assert _files(folder) == before
    finally:
        proc.kill()
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()


def test_restore_while_holding_the_lock_ourselves(folder: Path) -> None:
    backup = make_backup(folder, "manual")
    with acquire(folder):
        done = restore(folder, backup.path)
    assert dump(folder / "kdx.sqlite3") == dump(backup.path)
    assert done.aside is not None


def test_restore_over_a_damaged_database_keeps_the_damaged_files(folder: Path) -> None:
    backup = make_backup(folder, "manual")
    db = folder / "kdx.sqlite3"
    garbage = b"\x00garbage" * 5000
    db.write_bytes(garbage)
    done = restore(folder, backup.path)
    assert done.safety_backup is None  # a damaged database cannot be backed up, only kept
    assert done.aside is not None and done.aside.read_bytes() == garbage
    assert dump(db) == dump(backup.path)


def test_restore_into_an_empty_folder(tmp_path: Path, folder: Path) -> None:
    backup = make_backup(folder, "manual")
    empty = tmp_path / "moi"
    empty.mkdir()
    done = restore(empty, backup.path)
    assert done.aside is None and done.safety_backup is None
    assert dump(empty / "kdx.sqlite3") == dump(backup.path)


def test_refuses_to_restore_the_live_database_onto_itself(folder: Path) -> None:
    with pytest.raises(RestoreRefused, match="chính cơ sở dữ liệu đang dùng"):
        restore(folder, folder / "kdx.sqlite3")


def test_damaged_start_offer_then_restore_and_open(folder: Path) -> None:
    good = make_backup(folder, "manual")
    (folder / "kdx.sqlite3").write_bytes(b"hong" * 10000)
    first = startup.open_data_folder(folder)
    try:
        assert first.problem is not None and first.problem.kind == startup.DAMAGED
        assert first.problem.backup is not None and first.problem.backup.path == good.path
        assert "Khôi phục bản sao lưu gần nhất" in (first.problem.offer or "")
        done, second = startup.restore_and_open(first, good.path)
        try:
            assert second.ok and second.app is not None
            assert dump(folder / "kdx.sqlite3") == dump(good.path)
            assert done.aside is not None
        finally:
            second.close()
    finally:
        first.close()
