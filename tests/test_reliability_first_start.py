"""The first start, a full disk, a read-only folder and a missing database: none of them is
taken for damage, none leaves a data folder that will not open again."""

from __future__ import annotations

import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_helpers import SHOW, cli_command, run_process

from kdx_desktop.paths import db_path
from kdx_desktop.services import startup
from kdx_desktop.services.reporting import open_app, set_values

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL, RLIMIT_FSIZE and chmod")


def _what_a_killed_first_start_left(folder: Path) -> None:
    """The file a kill between SQLite's first write and the schema leaves: a valid SQLite
    header (WAL mode set), not one table."""
    conn = sqlite3.connect(str(db_path(folder)))
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    assert 0 < db_path(folder).stat().st_size <= 4096


def test_a_database_that_never_got_its_tables_is_created_again(tmp_path: Path) -> None:
    """Before: every later start refused it as "not a KDX database" and offered a backup that
    did not exist."""
    folder = tmp_path / "data"
    folder.mkdir()
    _what_a_killed_first_start_left(folder)
    opened = startup.open_data_folder(folder)
    try:
        assert opened.ok, opened.problem
        assert "reports" in opened.app.store.db.table_names()  # type: ignore[union-attr]
    finally:
        opened.close()


def test_kills_during_the_first_start_never_brick_the_folder(tmp_path: Path) -> None:
    """Kill the very first start at staggered moments; the next start always opens."""
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); from pathlib import Path; "
        "from kdx_desktop.services.reporting import open_app; open_app(Path(sys.argv[1])).close(); print('done')"
    )
    rng = random.Random(4)
    outcomes = {"killed": 0, "finished": 0}
    for i in range(12):
        folder = tmp_path / f"d{i}"
        folder.mkdir()
        proc = subprocess.Popen([sys.executable, "-c", code, str(folder)], stdout=subprocess.PIPE)
        # The interpreter and KDX's imports take most of the time: aim after them.
        time.sleep(rng.uniform(0.05, 0.6))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        outcomes["finished" if b"done" in out else "killed"] += 1
        opened = startup.open_data_folder(folder)
        try:
            assert opened.ok, (i, opened.problem)
        finally:
            opened.close()
        assert not list(folder.glob("*.new*")), list(folder.iterdir())
    assert outcomes["killed"] > 0, outcomes


def _limited(cmd: list[str], limit: int) -> subprocess.CompletedProcess[str]:
    import resource

    def limit_writes() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        cmd, capture_output=True, text=True, preexec_fn=limit_writes, timeout=120, check=False
    )


def test_a_full_disk_at_the_first_start_says_so_and_leaves_the_folder_usable(tmp_path: Path) -> None:
    """Before: a traceback, and a database file without tables that no later start accepted."""
    folder = tmp_path / "data"
    failed = _limited(cli_command(folder, *SHOW), 6000)
    assert failed.returncode != 0
    assert "Traceback" not in failed.stderr, failed.stderr
    assert "Ổ đĩa" in failed.stderr or "ổ đĩa" in failed.stderr, failed.stderr
    opened = startup.open_data_folder(folder)
    try:
        assert opened.ok, opened.problem
    finally:
        opened.close()


def _read_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite opens the data file read-only, as it does in a read-only folder or on a read-only
    file (chmod cannot show it here: the tests may run as root, whom permissions do not stop)."""
    from kdx_desktop.store import connection

    def read_only(path: Path | str) -> sqlite3.Connection:
        uri = Path(path).resolve().as_uri() + "?mode=ro"
        return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)

    monkeypatch.setattr(connection, "_sqlite_connect", read_only)


def test_a_read_only_folder_is_not_called_damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Before: "không mở được cơ sở dữ liệu … bị hỏng", and the window offered to restore a backup."""
    folder = tmp_path / "data"
    folder.mkdir()
    _read_only(monkeypatch)
    opened = startup.open_data_folder(folder)
    try:
        assert not opened.ok and opened.problem is not None
        assert opened.problem.kind == startup.UNUSABLE_PLACE, opened.problem
        msg = opened.problem.message
        assert "chỉ đọc" in msg and "không bị hỏng" in msg and "bị hỏng nên" not in msg
        assert opened.problem.offer is None
    finally:
        opened.close()
    assert not list(folder.glob("kdx.sqlite3*"))


def test_a_read_only_database_refuses_a_save_without_calling_it_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kdx_desktop.store.repo import StorageFailure

    folder = tmp_path / "data"
    folder.mkdir()
    open_app(folder).close()
    _read_only(monkeypatch)
    opened = startup.open_data_folder(folder)
    try:
        assert opened.ok, opened.problem
        with pytest.raises(StorageFailure, match="chỉ đọc"):
            set_values(opened.app, "BKT", 2025, {"narrative.results": "x"})  # type: ignore[arg-type]
    finally:
        opened.close()


def test_a_missing_database_with_backups_offers_the_newest_backup(tmp_path: Path) -> None:
    """Before: an empty database was created in its place, silently."""
    from kdx_desktop.safekeeping.backups import make_backup

    folder = tmp_path / "data"
    folder.mkdir()
    app = open_app(folder)
    set_values(app, "BKT", 2025, {"narrative.results": "Số liệu đã nhập."})
    app.close()
    made = make_backup(folder, "manual")
    for p in folder.glob("kdx.sqlite3*"):
        p.unlink()
    opened = startup.open_data_folder(folder)
    try:
        assert not opened.ok and opened.problem is not None
        assert opened.problem.kind == startup.MISSING
        assert opened.problem.backup is not None and opened.problem.backup.path == made.path
        assert "Khôi phục" in (opened.problem.offer or "")
        assert not db_path(folder).exists()  # nothing created in its place
        _done, reopened = startup.restore_and_open(opened, made.path)
    finally:
        opened.close()
    try:
        assert reopened.ok
        rep = reopened.app.store.find_report("BKT", 2025)  # type: ignore[union-attr]
        assert rep is not None
    finally:
        reopened.close()


@pytest.mark.parametrize("backups", [True, False], ids=["with-backups", "without-backups"])
def test_the_command_line_with_a_missing_database(tmp_path: Path, backups: bool) -> None:
    """With backups the command line refuses as the window does, names the way back and creates
    nothing; with none, it makes a new folder, as before."""
    from kdx_desktop.safekeeping.backups import make_backup

    folder = tmp_path / "data"
    folder.mkdir()
    open_app(folder).close()
    make_backup(folder, "manual")
    for p in folder.glob("kdx.sqlite3*"):
        p.unlink()
    if not backups:
        shutil.rmtree(folder / "backups")
    res = run_process(folder, *SHOW)
    if backups:
        assert res.returncode == 1 and "restore" in res.stderr and "Traceback" not in res.stderr, res.stderr
        assert not db_path(folder).exists()
    else:
        assert res.returncode == 0, res.stderr  # no backup: a new folder, as before
        assert db_path(folder).exists()


def test_temporary_files_left_by_a_kill_are_removed_at_the_next_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: the ``.tmp`` files of a killed backup, attachment copy or first start stayed for ever."""
    from cli_helpers import run

    folder = tmp_path / "data"
    folder.mkdir()
    open_app(folder).close()
    left = [
        folder / "kdx.sqlite3.new",
        folder / ".kdx.sqlite3.khoi-phuc.tmp",
        folder / "backups" / ".kdx-20261201-100000-manual.sqlite3.tmp",
        folder / "attachments" / "BKT" / ".dang-chep-123-1-T1.tmp",
        folder / "received" / ".nhan-abc.tmp",
    ]
    mine = [folder / "ghi-chu.tmp", folder / "backups" / "kdx-20261201-100000-manual.sqlite3"]
    for p in left + mine:
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(b"x")
    opened = startup.open_data_folder(folder)
    try:
        assert opened.ok, opened.problem
    finally:
        opened.close()
    assert [p for p in left if p.exists()] == []
    assert all(p.exists() for p in mine)  # not KDX's temporary names: left alone
    # The command line does the same.
    (folder / ".kdx.sqlite3.khoi-phuc.tmp").write_bytes(b"x")
    assert run(capsys, "show", "--data-dir", str(folder), "--org", "BKT", "--year", "2025")[0] == 0
    assert not (folder / ".kdx.sqlite3.khoi-phuc.tmp").exists()
