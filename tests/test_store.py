"""The store: one action = one transaction with its audit rows; lifecycle; migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kdx_desktop.paths import db_path
from kdx_desktop.services.reporting import App, UsageError, load_state, open_app, reopen, set_values
from kdx_desktop.store.connection import DatabaseDamaged, connect, read_pragmas
from kdx_desktop.store.migrations import migrations
from kdx_desktop.store.repo import EXPORTED, NewerDatabase, ReportLocked, StoreError, open_store

ROOT = Path(__file__).resolve().parent.parent


def test_durable_settings(app: App) -> None:
    assert read_pragmas(app.store.db) == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "trusted_schema": 0,
        "busy_timeout": 5000,
    }


def test_a_set_writes_values_and_audit_in_one_transaction(app: App) -> None:
    set_values(
        app, "BKT", 2025, {"staff_total": "58", "staff_trained": "40"}, reason="nhập lần đầu", user="cb1"
    )
    rep = app.store.find_report("BKT", 2025)
    assert rep is not None
    rows = [r for r in app.store.audit_rows(rep.id) if r["action"] == "edit"]
    assert [(r["key"], r["old_value"], r["new_value"], r["user"], r["reason"]) for r in rows] == [
        ("staff_total", None, "58", "cb1", "nhập lần đầu"),
        ("staff_trained", None, "40", "cb1", "nhập lần đầu"),
    ]
    set_values(app, "BKT", 2025, {"staff_total": "60"}, user="cb2")
    last = app.store.audit_rows(rep.id)[-1]
    assert (last["key"], last["old_value"], last["new_value"], last["user"]) == (
        "staff_total",
        "58",
        "60",
        "cb2",
    )
    assert last["at"][-6] in "+-"  # local time with its offset


def test_unchanged_values_write_no_audit(app: App) -> None:
    set_values(app, "BKT", 2025, {"staff_total": "58"})
    n = len(app.store.audit_rows())
    assert set_values(app, "BKT", 2025, {"staff_total": "58"}) == 0
    assert len(app.store.audit_rows()) == n


def test_a_failure_inside_the_transaction_leaves_nothing(app: App, monkeypatch: pytest.MonkeyPatch) -> None:
    set_values(app, "BKT", 2025, {"staff_total": "58"})
    before = app.store.db.execute("SELECT count(*) FROM audit").fetchone()[0]
    calls = {"n": 0}
    real = app.store._audit

    def failing(*a, **k):  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] == 2:
            raise sqlite3.OperationalError("disk I/O error")
        return real(*a, **k)

    monkeypatch.setattr(app.store, "_audit", failing)
    with pytest.raises(sqlite3.OperationalError):
        set_values(app, "BKT", 2025, {"staff_total": "70", "staff_trained": "10"})
    monkeypatch.undo()
    assert load_state(app, "BKT", 2025).entries["staff_total"] == 58
    assert "staff_trained" not in load_state(app, "BKT", 2025).entries
    assert app.store.db.execute("SELECT count(*) FROM audit").fetchone()[0] == before


def test_audit_is_append_only(app: App) -> None:
    set_values(app, "BKT", 2025, {"staff_total": "58"})
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        app.store.db.execute("UPDATE audit SET user = 'x'")
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        app.store.db.execute("DELETE FROM audit")


def test_lifecycle_draft_exported_reopened(app: App) -> None:
    set_values(app, "BKT", 2025, {"staff_total": "58"})
    rep = app.store.report("BKT", 2025)
    assert (rep.status, rep.revision) == ("draft", 1)
    locked = app.store.mark_exported(
        rep,
        data_sha256="ab" * 32,
        verification_code="ABCD-EFGH-JKMN",
        package_name="BaoCao_BQN_2025_lan1.zip",
    )
    assert locked.status == EXPORTED
    with pytest.raises(ReportLocked, match="Mở lại để sửa"):
        set_values(app, "BKT", 2025, {"staff_total": "60"})
    with pytest.raises(StoreError, match="lý do"):
        reopen(app, "BKT", 2025, "   ")
    r2 = reopen(app, "BKT", 2025, "Sở yêu cầu sửa số liệu", user="cb1")
    assert (r2.status, r2.revision) == ("draft", 2)
    set_values(app, "BKT", 2025, {"staff_total": "60"})
    revs = app.store.revisions(r2.id)
    assert [(r["revision"], r["verification_code"], r["reopen_reason"]) for r in revs] == [
        (1, "ABCD-EFGH-JKMN", "Sở yêu cầu sửa số liệu"),
        (2, None, None),
    ]
    assert [r["action"] for r in app.store.audit_rows(r2.id)][-3:] == ["export", "reopen", "edit"]
    with pytest.raises(StoreError, match="chưa xuất"):
        reopen(app, "BKT", 2025, "lần nữa")


def test_set_is_all_or_nothing(app: App) -> None:
    with pytest.raises(UsageError, match="staff_trained"):
        set_values(app, "BKT", 2025, {"staff_total": "58", "staff_trained": "-1"})
    assert app.store.find_report("BKT", 2025) is None or not load_state(app, "BKT", 2025).entries


def test_unknown_org_year_and_key(app: App) -> None:
    with pytest.raises(UsageError, match="XYZ"):
        set_values(app, "XYZ", 2025, {"staff_total": "1"})
    with pytest.raises(UsageError, match="2031"):
        set_values(app, "BKT", 2031, {"staff_total": "1"})
    with pytest.raises(UsageError, match="nope"):
        set_values(app, "BKT", 2025, {"nope": "1"})
    with pytest.raises(UsageError, match="không áp dụng cho Báo Quảng Ngãi"):
        set_values(app, "BKT", 2025, {"relicensed": "có"})


# -- migrations ---------------------------------------------------------------------


def test_migrations_from_an_empty_database(tmp_path: Path) -> None:
    store = open_store(tmp_path / "new.sqlite3")
    names = {m.name for m in migrations.applied(store.db)}
    assert names == {m.name for m in migrations._migrations}
    assert {"reports", "entries", "audit", "revisions", "profiles", "settings", "attachments"} <= set(
        store.db.table_names()
    )
    store.close()


def test_schema_snapshot_matches_the_migrated_schema(tmp_path: Path) -> None:
    from kdx_desktop.store.schema_dump import schema_sql

    store = open_store(tmp_path / "s.sqlite3")
    assert schema_sql(store.db) == (ROOT / "db" / "schema.sql").read_text("utf-8"), (
        "db/schema.sql is stale: run `python -m kdx_desktop.store.schema_dump > db/schema.sql`"
    )
    store.close()


def test_a_newer_database_is_refused_and_left_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "kdx.sqlite3"
    store = open_store(path)
    store.db.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES ('kdx', '9999_future', '2030-01-01')"
    )
    store.close()
    before = path.read_bytes()
    with pytest.raises(NewerDatabase, match="phiên bản KDX mới hơn"):
        open_store(path)
    assert path.read_bytes() == before


def test_database_copied_before_a_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "kdx.sqlite3"
    store = open_store(path)
    store.db.execute("INSERT INTO settings VALUES ('this_org', 'BKT')")
    store.close()

    @migrations(name="9000_test_only")
    def _extra(db) -> None:  # type: ignore[no-untyped-def]
        db.execute("CREATE TABLE extra (x INTEGER) STRICT")

    try:
        store = open_store(path, backup_dir=tmp_path / "bk")
        copies = list((tmp_path / "bk").glob("*.sqlite3"))
        assert len(copies) == 1
        old = sqlite3.connect(copies[0])
        assert old.execute("SELECT value FROM settings").fetchone() == ("BKT",)
        assert "extra" not in {r[0] for r in old.execute("SELECT name FROM sqlite_master")}
        old.close()
        store.close()
    finally:
        migrations._migrations.pop()


def test_a_damaged_file_is_detected_before_any_write(tmp_path: Path) -> None:
    path = tmp_path / "kdx.sqlite3"
    path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    before = path.read_bytes()
    with pytest.raises(DatabaseDamaged):
        connect(path)
    assert path.read_bytes() == before


def test_open_app_creates_the_database_in_the_data_folder(data_dir: Path) -> None:
    a = open_app(data_dir)
    a.close()
    assert db_path(data_dir).exists()


def test_reading_a_report_that_does_not_exist_writes_nothing(app: App) -> None:
    from kdx_desktop.services.reporting import set_value

    state = load_state(app, "TCVN", 2026)
    assert state.report.status == "draft" and state.entries == {}
    assert app.store.find_report("TCVN", 2026) is None
    set_value(app, state, "staff_total", 12)
    assert app.store.find_report("TCVN", 2026) is not None
    assert load_state(app, "TCVN", 2026).entries == {"staff_total": 12}
