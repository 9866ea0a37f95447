"""Restore and open compare the database's schema with KDX's own, object by object: a KDX file
whose audit triggers were dropped, or which hides a trigger that rewrites values on save, passes
every integrity check and is still refused."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from kdx_desktop.paths import db_path
from kdx_desktop.safekeeping.backups import make_backup
from kdx_desktop.safekeeping.restoring import RestoreRefused, restore
from kdx_desktop.services import startup
from kdx_desktop.store.schema_check import expected_schemas
from kdx_desktop.store.schema_expected import EXPECTED


def test_the_expected_schema_is_what_the_migrations_make() -> None:
    assert expected_schemas() == EXPECTED, (
        "kdx_desktop/store/schema_expected.py is stale: run "
        "`python -m kdx_desktop.store.schema_check > kdx_desktop/store/schema_expected.py`"
    )


def _tamper(db: Path) -> None:
    conn = sqlite3.connect(str(db))
    conn.execute("DROP TRIGGER audit_no_update")
    conn.execute("DROP TRIGGER audit_no_delete")
    conn.execute(
        "CREATE TRIGGER touch AFTER INSERT ON entries BEGIN "
        "UPDATE entries SET value = '0' WHERE rowid = new.rowid; END"
    )
    conn.commit()
    conn.close()


@pytest.fixture
def folder(demo_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(demo_dir, d)
    return d


def test_restore_refuses_a_tampered_schema_and_touches_nothing(folder: Path, tmp_path: Path) -> None:
    """Before: such a file was restored."""
    tampered = tmp_path / "sao-luu-bi-sua.sqlite3"
    shutil.copyfile(make_backup(folder, "manual").path, tampered)
    _tamper(tampered)
    conn = sqlite3.connect(str(tampered))
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)  # every check but the schema's
    finally:
        conn.close()
    before = db_path(folder).read_bytes()
    with pytest.raises(RestoreRefused) as err:
        restore(folder, tampered)
    msg = str(err.value)
    assert "không có đúng cấu trúc" in msg
    assert "thiếu trigger “audit_no_update”" in msg and "thừa trigger “touch”" in msg
    assert db_path(folder).read_bytes() == before


def test_open_refuses_a_tampered_schema(folder: Path) -> None:
    make_backup(folder, "manual")
    _tamper(db_path(folder))
    opened = startup.open_data_folder(folder)
    try:
        assert not opened.ok and opened.problem is not None
        assert opened.problem.kind == startup.DAMAGED
        assert "thừa trigger “touch”" in opened.problem.message
        assert opened.problem.backup is not None  # the newest good backup is offered
    finally:
        opened.close()


def test_an_altered_table_is_named(folder: Path, tmp_path: Path) -> None:
    copy = tmp_path / "khac.sqlite3"
    shutil.copyfile(make_backup(folder, "manual").path, copy)
    conn = sqlite3.connect(str(copy))
    conn.execute("ALTER TABLE settings ADD COLUMN note TEXT")
    conn.commit()
    conn.close()
    with pytest.raises(RestoreRefused, match="bảng “settings” bị sửa"):
        restore(folder, copy)
