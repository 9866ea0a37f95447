"""The settings that make a commit durable, and the audit trail's guarantees."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kdx_desktop.services.reporting import App, open_app, set_values
from kdx_desktop.store.connection import DURABLE_PRAGMAS, connect, read_pragmas, storage_problem
from kdx_desktop.store.repo import StorageFailure

EXPECTED = {
    "journal_mode": "wal",
    "synchronous": 2,  # FULL: the WAL is fsynced at every commit
    "foreign_keys": 1,
    "trusted_schema": 0,
    "busy_timeout": 5000,
}


def test_every_durable_setting_is_declared_and_applied(data_dir: Path) -> None:
    assert {name for name, _, _ in DURABLE_PRAGMAS} == set(EXPECTED)
    db = connect(data_dir / "x.sqlite3")
    try:
        assert read_pragmas(db) == EXPECTED
    finally:
        db.close()


def test_the_app_path_uses_the_durable_settings(app: App) -> None:
    assert read_pragmas(app.store.db) == EXPECTED
    # and it says so on disk too: WAL is a property of the file
    assert app.store.path is not None
    with open(app.store.path, "rb") as fh:
        header = fh.read(20)
    assert header[18:20] == b"\x02\x02"  # file format read/write version 2 = WAL


def test_audit_rows_cannot_be_edited_or_deleted(app: App) -> None:
    set_values(app, "BKT", 2025, {"staff_total": "58"})
    for sql in (
        "UPDATE audit SET new_value = '1'",
        "DELETE FROM audit",
        "UPDATE audit SET user = 'x' WHERE id = 1",
    ):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            app.store.db.execute(sql)
    assert [r["new_value"] for r in app.store.audit_rows() if r["key"] == "staff_total"] == ["58"]


def test_value_and_audit_row_commit_together_or_not_at_all(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    set_values(app, "BKT", 2025, {"staff_total": "58"})
    before = (app.store.db.execute("SELECT count(*) FROM audit").fetchone()[0], app.store.entries(1))

    def broken_audit(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("disk I/O error while writing the audit row")

    monkeypatch.setattr(app.store, "_audit", broken_audit)
    with pytest.raises(sqlite3.OperationalError):
        set_values(app, "BKT", 2025, {"staff_total": "60", "staff_trained": "12"})
    monkeypatch.undo()
    assert (app.store.db.execute("SELECT count(*) FROM audit").fetchone()[0], app.store.entries(1)) == before
    assert not app.store.db.conn.in_transaction


def test_disk_failures_become_a_vietnamese_refusal(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = 13  # type: ignore[attr-defined]
    assert "Ổ đĩa đã đầy" in (storage_problem(full) or "")
    ioerr = sqlite3.OperationalError("disk I/O error")
    ioerr.sqlite_errorcode = 778  # type: ignore[attr-defined]  # SQLITE_IOERR_WRITE
    assert "Lỗi ghi ổ đĩa" in (storage_problem(ioerr) or "")
    assert storage_problem(sqlite3.OperationalError("no such table: x")) is None

    def failing_audit(*args: object, **kwargs: object) -> None:
        raise full

    monkeypatch.setattr(app.store, "_audit", failing_audit)
    with pytest.raises(StorageFailure, match="Ổ đĩa đã đầy nên thay đổi chưa được lưu"):
        set_values(app, "BKT", 2025, {"staff_total": "61"})
    monkeypatch.undo()
    # Nothing at all was written: not even the new report the save would have created.
    assert app.store.find_report("BKT", 2025) is None
    assert app.store.db.execute("SELECT count(*) FROM audit").fetchone()[0] == 0


def test_a_second_connection_sees_only_committed_saves(data_dir: Path) -> None:
    a = open_app(data_dir)
    try:
        set_values(a, "BKT", 2025, {"staff_total": "58"})
        other = sqlite3.connect(str(data_dir / "kdx.sqlite3"))
        try:
            assert other.execute("SELECT value FROM entries WHERE key = 'staff_total'").fetchone() == ("58",)
        finally:
            other.close()
    finally:
        a.close()
