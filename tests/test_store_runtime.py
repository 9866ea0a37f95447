"""The run-time store on plain sqlite3: transactions, and sqlite-utils kept off the usual start."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from kdx_desktop.safekeeping.dbcheck import inspect_database
from kdx_desktop.services.reporting import open_app, set_values
from kdx_desktop.store.database import RELEASED_MIGRATIONS, Database, applied_migrations

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db() -> Iterator[Database]:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("CREATE TABLE t (x INTEGER)")
    yield Database(conn)
    conn.close()


def rows(db: Database) -> list[int]:
    return [r[0] for r in db.execute("SELECT x FROM t ORDER BY x")]


def test_a_failed_block_leaves_nothing(db: Database) -> None:
    with pytest.raises(RuntimeError), db.atomic():
        db.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("boom")
    assert rows(db) == [] and not db.conn.in_transaction


def test_a_nested_block_rolls_back_alone(db: Database) -> None:
    with db.atomic():
        db.execute("INSERT INTO t VALUES (1)")
        with pytest.raises(RuntimeError), db.atomic():
            db.execute("INSERT INTO t VALUES (2)")
            raise RuntimeError("inner")
        with db.atomic():
            db.execute("INSERT INTO t VALUES (3)")
    assert rows(db) == [1, 3] and not db.conn.in_transaction


def test_an_outer_failure_undoes_the_inner_blocks_too(db: Database) -> None:
    with pytest.raises(RuntimeError), db.atomic():
        with db.atomic():
            db.execute("INSERT INTO t VALUES (1)")
        raise RuntimeError("outer")
    assert rows(db) == []


def test_applied_migrations_of_a_new_and_of_a_migrated_database(tmp_path: Path) -> None:
    with closing(sqlite3.connect(":memory:", isolation_level=None)) as conn:
        assert applied_migrations(Database(conn)) == []
    app = open_app(tmp_path)
    assert applied_migrations(app.store.db) == list(RELEASED_MIGRATIONS)
    app.close()


def test_the_usual_start_does_not_load_sqlite_utils(tmp_path: Path) -> None:
    app = open_app(tmp_path)  # creates and migrates: sqlite-utils is used here
    set_values(app, "BKT", 2025, {"staff_total": "58"})
    app.close()
    code = (
        "import sys; from pathlib import Path; sys.path.insert(0, sys.argv[2]);"
        "from kdx_desktop.services.reporting import open_app, set_values;"
        "app = open_app(Path(sys.argv[1])); set_values(app, 'BKT', 2025, {'staff_total': '59'});"
        "print(app.store.entries(app.store.report('BKT', 2025).id)['staff_total'][0],"
        " 'sqlite_utils' in sys.modules, 'numpy' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path), str(ROOT)], capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["59", "False", "False"]


def test_checking_a_healthy_database_in_place_writes_nothing(tmp_path: Path) -> None:
    app = open_app(tmp_path)
    set_values(app, "BKT", 2025, {"staff_total": "58"})
    app.close()
    before = sorted(p.name for p in tmp_path.iterdir())
    db_bytes = (tmp_path / "kdx.sqlite3").read_bytes()
    assert inspect_database(tmp_path / "kdx.sqlite3") is None
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no -shm, no -wal, no journal
    assert (tmp_path / "kdx.sqlite3").read_bytes() == db_bytes


def test_the_in_place_check_reads_folders_with_any_name(tmp_path: Path) -> None:
    folder = tmp_path / "Dữ liệu #1 50% (bản sao)"
    folder.mkdir()
    open_app(folder).close()
    assert inspect_database(folder / "kdx.sqlite3") is None
    conn = sqlite3.connect(str(folder / "kdx.sqlite3"))
    conn.execute("DROP TABLE audit")  # the file stays a healthy SQLite database, just not KDX's
    conn.commit()
    conn.close()
    found = inspect_database(folder / "kdx.sqlite3")
    assert found is not None and found.kind == "not_kdx"
