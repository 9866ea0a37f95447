"""Automatic verified backups: made, checked, rotated, taken when due, refused when unsafe."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest
from crash.dbdump import dump

from kdx_desktop.safekeeping import backups, locations
from kdx_desktop.safekeeping.backups import (
    BackupError,
    BackupInfo,
    backup_at_exit,
    backup_before,
    list_backups,
    make_backup,
    maybe_periodic_backup,
    newest_valid_backup,
    rotate,
    rotation_keep,
)
from kdx_desktop.services.reporting import App, open_app, set_values


@pytest.fixture
def demo_app(demo_dir: Path, tmp_path: Path) -> App:
    d = tmp_path / "demo"
    shutil.copytree(demo_dir, d)
    a = open_app(d)
    yield a
    a.close()


def test_backup_is_a_verified_copy_of_every_table(demo_app: App) -> None:
    assert demo_app.data_dir is not None and demo_app.store.path is not None
    info = make_backup(demo_app.data_dir, "manual")
    assert info.path.parent == demo_app.data_dir / "backups"
    assert info.path.name.startswith("kdx-") and info.path.name.endswith("-manual.sqlite3")
    assert dump(info.path) == dump(demo_app.store.path)
    assert info.counts is not None and info.counts["entries"] > 400 and info.counts["audit"] > 400
    assert [p.name for p in info.path.parent.iterdir()] == [info.path.name]  # no temporary file left
    with open(info.path, "rb") as fh:
        assert fh.read(20)[18:20] == b"\x01\x01"  # a self-contained rollback-journal file, no -wal needed
    assert "theo yêu cầu" in info.label


def test_backup_before_names_its_reason_and_skips_memory(demo_app: App, mem_app: App) -> None:
    a = backup_before(demo_app.store, "import")
    b = backup_before(demo_app.store, "migration")
    assert a is not None and a.path.name.endswith("-import.sqlite3") and a.reason == "import"
    assert b is not None and b.path.name.endswith("-migration.sqlite3")
    assert a.path != b.path  # same second: still two files
    assert backup_before(mem_app.store, "import") is None


def test_verification_rejects_a_copy_whose_counts_differ(
    demo_app: App, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The protection: counts compared. A copy that lost rows is discarded, never kept."""
    assert demo_app.data_dir is not None
    real = backups.table_counts
    calls = []

    def source_claims_one_more_row(conn: sqlite3.Connection) -> dict[str, int]:
        counts = real(conn)
        calls.append(1)
        if len(calls) == 1:  # the source side
            counts["entries"] += 1
        return counts

    monkeypatch.setattr(backups, "table_counts", source_claims_one_more_row)
    with pytest.raises(BackupError, match="thiếu dữ liệu"):
        make_backup(demo_app.data_dir, "manual")
    assert (
        not (demo_app.data_dir / "backups").exists() or list((demo_app.data_dir / "backups").iterdir()) == []
    )


def test_free_space_is_checked_first(demo_app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    assert demo_app.data_dir is not None
    monkeypatch.setattr(locations, "free_bytes", lambda folder: 10_000)
    with pytest.raises(BackupError, match="Không đủ chỗ trống để tạo bản sao lưu"):
        make_backup(demo_app.data_dir, "manual")
    assert list_backups(demo_app.data_dir) == []


def _fake(folder: Path, when: dt.datetime, reason: str = "periodic") -> BackupInfo:
    p = folder / f"kdx-{when:%Y%m%d-%H%M%S}-{reason}.sqlite3"
    return BackupInfo(p, when, reason, 0)


def test_rotation_keeps_about_a_year(tmp_path: Path) -> None:
    now = dt.datetime(2026, 11, 26, 12, 0)
    items = [_fake(tmp_path, now - dt.timedelta(hours=6 * i)) for i in range(4 * 500)]  # 4 a day, 500 days
    keep = rotation_keep(items, now)
    kept = sorted((b for b in items if b.path in keep), key=lambda b: b.created)
    recent = [b for b in kept if now - b.created <= dt.timedelta(days=7)]
    assert len(recent) == 29  # every one of the last 7 days (4 a day, both ends)
    weekly = [b for b in kept if dt.timedelta(days=7) < now - b.created <= dt.timedelta(weeks=8)]
    assert 7 <= len(weekly) <= 9 and len({b.created.isocalendar()[:2] for b in weekly}) == len(weekly)
    monthly = [b for b in kept if now - b.created > dt.timedelta(weeks=8)]
    assert 10 <= len(monthly) <= 12 and len({(b.created.year, b.created.month) for b in monthly}) == len(
        monthly
    )
    assert max(now - b.created for b in kept) <= dt.timedelta(days=366)
    assert len(kept) < 60


def test_rotation_always_keeps_the_newest_even_if_old(tmp_path: Path) -> None:
    now = dt.datetime(2026, 11, 26)
    old = _fake(tmp_path, now - dt.timedelta(days=800))
    assert rotation_keep([old], now) == {old.path}


def test_rotate_deletes_only_backups_it_wrote(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    now = dt.datetime(2026, 11, 26, 12, 0)
    for days in (0, 1, 400, 401):
        (folder / f"kdx-{now - dt.timedelta(days=days):%Y%m%d-%H%M%S}-periodic.sqlite3").write_bytes(b"x")
    (folder / "ghi-chu.txt").write_text("của người dùng")
    (folder / f"truoc-nang-cap-{now - dt.timedelta(days=500):%Y%m%d-%H%M%S}.sqlite3").write_bytes(b"x")
    removed = rotate(tmp_path, now=now)
    assert len(removed) == 3  # 400, 401 and 500 days old
    assert (folder / "ghi-chu.txt").exists()
    assert len(list_backups(tmp_path)) == 2


def test_periodic_backup_only_when_due_and_data_changed(demo_app: App) -> None:
    assert demo_app.data_dir is not None
    t0 = dt.datetime.now()
    first = maybe_periodic_backup(demo_app.store, now=t0)
    assert first is not None and first.reason == "periodic"
    assert maybe_periodic_backup(demo_app.store, now=t0 + dt.timedelta(minutes=5)) is None  # not due
    assert (
        maybe_periodic_backup(demo_app.store, now=t0 + dt.timedelta(minutes=31)) is None
    )  # due, nothing changed
    set_values(demo_app, "BKT", 2026, {"staff_total": "77"})
    second = maybe_periodic_backup(demo_app.store, now=t0 + dt.timedelta(minutes=32))
    assert second is not None and second.path != first.path
    assert len(list_backups(demo_app.data_dir)) == 2


def test_exit_backup_when_data_changed(demo_app: App) -> None:
    assert demo_app.data_dir is not None
    make_backup(demo_app.data_dir, "manual")
    assert backup_at_exit(demo_app.store) is None
    set_values(demo_app, "BKT", 2026, {"staff_total": "78"})
    info = backup_at_exit(demo_app.store, now=dt.datetime.now() + dt.timedelta(seconds=2))
    assert info is not None and info.reason == "exit" and "khi thoát" in info.label


def test_newest_valid_backup_skips_damaged_ones(demo_app: App) -> None:
    assert demo_app.data_dir is not None
    good = make_backup(demo_app.data_dir, "manual", now=dt.datetime.now() - dt.timedelta(hours=1))
    bad = demo_app.data_dir / "backups" / f"kdx-{dt.datetime.now():%Y%m%d-%H%M%S}-periodic.sqlite3"
    data = bytearray(good.path.read_bytes())
    data[4096 * 3 : 4096 * 6] = b"\xff" * (4096 * 3)  # scribble over some b-tree pages
    bad.write_bytes(bytes(data))
    assert list_backups(demo_app.data_dir)[0].path == bad
    found = newest_valid_backup(demo_app.data_dir)
    assert found is not None and found.path == good.path and found.counts
    assert newest_valid_backup(demo_app.data_dir.parent / "nowhere") is None


def test_migration_copies_before_migrating_are_listed(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    (folder / "truoc-nang-cap-20261120-091500.sqlite3").write_bytes(b"x")
    [info] = list_backups(tmp_path)
    assert info.reason == "migration" and info.created == dt.datetime(2026, 11, 20, 9, 15)


def test_a_migration_is_preceded_by_a_verified_backup(tmp_path: Path) -> None:
    import sqlite_utils

    from kdx_desktop.store.migrations import migrations
    from kdx_desktop.store.repo import open_store

    names = [m.name for m in migrations._migrations]
    assert len(names) >= 2  # a previous version's database exists to migrate from
    db_file = tmp_path / "kdx.sqlite3"
    old = sqlite_utils.Database(db_file)
    migrations.apply(old, stop_before=names[-1])  # a database from the previous version
    old.close()
    before = dump(db_file)
    store = open_store(db_file, backup_dir=tmp_path / "backups")
    store.close()
    [info] = list_backups(tmp_path)
    assert info.reason == "migration" and "trước khi nâng cấp" in info.label
    assert dump(info.path) == before  # the pre-migration data, whole
    assert newest_valid_backup(tmp_path) is not None
