"""Writers meet: every transaction takes the write lock first (BEGIN IMMEDIATE) and waits up to
the busy timeout; an export holds it from reading the values to locking the report; each command
holds the data folder's instance lock as the window does."""

from __future__ import annotations

import json
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from cli_helpers import run
from test_reliability_lock import _holder

from kdx_desktop.services import exporting
from kdx_desktop.services.reporting import open_app, set_values
from kdx_desktop.store.repo import ReportLocked, StorageFailure

KEY = "narrative.results"


@pytest.fixture
def folder(demo_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "data"
    shutil.copytree(demo_dir, d)
    return d


def test_a_transaction_takes_the_write_lock_first(folder: Path) -> None:
    """Before: transactions began with a plain BEGIN; a second writer committed while the first
    was still reading, and the first then failed with "database is locked" at its write."""
    a, b = open_app(folder), open_app(folder)
    try:
        b.store.db.execute("PRAGMA busy_timeout = 200")
        with a.store.transaction():
            a.store.setting("this_org")
            with pytest.raises(StorageFailure, match="đang được một thao tác khác ghi"):
                b.store.set_setting("k", "b")  # waits 200 ms, then refused: nothing saved
            a.store.set_setting("k", "a")  # the first writer's own write goes through
        assert b.store.setting("k") == "a"
        b.store.set_setting("k", "b")  # free again
        assert a.store.setting("k") == "b"
    finally:
        a.close()
        b.close()


def test_a_save_during_an_export_is_in_the_package_or_refused(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before: a value set while the export built its files was acknowledged as saved, and the
    locked revision 1 (the package sent) did not contain it."""
    building, release = threading.Event(), threading.Event()
    real_build = exporting.build_outputs

    def slow_build(*args: object, **kwargs: object) -> object:
        building.set()
        assert release.wait(10)
        return real_build(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(exporting, "build_outputs", slow_build)
    exporter, writer = open_app(folder), open_app(folder)
    result: dict[str, object] = {}

    def export() -> None:
        result["export"] = exporting.export_report(exporter, "BKT", 2025, tmp_path / "out")

    thread = threading.Thread(target=export)
    thread.start()
    try:
        assert building.wait(10)
        threading.Timer(0.3, release.set).start()  # the export finishes while the save waits
        with pytest.raises(ReportLocked):
            set_values(writer, "BKT", 2025, {KEY: "Viết trong lúc đang xuất báo cáo."})
        thread.join(20)
        package = result["export"].package  # type: ignore[attr-defined]
        with zipfile.ZipFile(package) as zf:
            sent = json.loads(zf.read("data.json"))["narrative"]["results"]
        stored = writer.store.entries(writer.store.find_report("BKT", 2025).id)[KEY][0]  # type: ignore[union-attr]
        assert sent == stored and "đang xuất" not in sent
    finally:
        release.set()
        thread.join(20)
        exporter.close()
        writer.close()


def test_a_command_is_refused_while_another_process_has_the_folder(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: the command line took no instance lock and wrote beside the window."""
    app = open_app(folder)
    before = app.store.db.execute("SELECT count(*) FROM audit").fetchone()
    app.close()
    proc = _holder(folder)
    try:
        code, _out, err = run(
            capsys, "set", "--data-dir", str(folder), "--org", "BKT", "--year", "2025", f"{KEY}=x"
        )
        assert code == 1
        assert "đang được KDX dùng" in err and f"tiến trình {proc.pid}" in err and "Lệnh chưa làm gì" in err
    finally:
        proc.kill()
        proc.wait()
        assert proc.stdout is not None
        proc.stdout.close()
    app = open_app(folder)
    try:
        assert app.store.db.execute("SELECT count(*) FROM audit").fetchone() == before
    finally:
        app.close()
    code, _out, err = run(
        capsys, "set", "--data-dir", str(folder), "--org", "BKT", "--year", "2025", f"{KEY}=x"
    )
    assert code in (0, 2), err  # the holder gone, the command runs (2: the report is locked)
    assert "đang được KDX dùng" not in err
