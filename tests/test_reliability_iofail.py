"""I/O failures (disk full, I/O error) injected at each file operation of saves, backups, restores,
exports and imports: the database is before or after, never between; earlier files are untouched;
no partial file is left; the user is told in Vietnamese.

Python-level operations are failed one at a time with tests/crash/faults.py; SQLite's own writes
are failed with ``RLIMIT_FSIZE`` in a child process (tests/crash/diskfull_child.py).
"""

from __future__ import annotations

import errno
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from crash.child import ORG, PER_SAVE, save_of
from crash.dbdump import dump
from crash.faults import count_ops, run_failing_at

from kdx_desktop.fsutil import atomic_write_bytes, describe_os_error
from kdx_desktop.safekeeping.backups import BackupError, make_backup
from kdx_desktop.safekeeping.restoring import restore
from kdx_desktop.services import exporting, intake

CRASH = Path(__file__).resolve().parent / "crash"
ERRNOS = (errno.ENOSPC, errno.EIO)
VIETNAMESE = ("Ổ đĩa", "ổ đĩa", "Không", "Lỗi")


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp") or ".tmp" in p.name)


def check_outputs(folder: Path, old: bytes, new: bytes, name: str = "bao-cao.txt") -> list[str]:
    """The invariant for one output file: exactly the old or the new content, nothing else left."""
    problems = []
    content = (folder / name).read_bytes() if (folder / name).exists() else None
    if content not in (old, new):
        problems.append(f"{name} holds {len(content or b'')} bytes: neither the old nor the new file")
    extra = sorted(p.name for p in folder.iterdir() if p.name != name)
    if extra:
        problems.append(f"left behind: {extra}")
    return problems


# -- the atomic writer ---------------------------------------------------------------------


@pytest.mark.parametrize("code", ERRNOS)
def test_atomic_writer_survives_a_failure_at_each_operation(tmp_path: Path, code: int) -> None:
    target = tmp_path / "bao-cao.txt"
    old, new = b"ban cu " * 1000, "bản mới ".encode() * 3000
    ops = count_ops(lambda: (target.write_bytes(old), atomic_write_bytes(target, new)))
    assert len(ops) >= 5  # write, fsync, replace, folder fsync …
    failures = 0
    for n in range(2, len(ops) + 1):  # op 1 is the fixture's own write of the old file
        target.write_bytes(old)
        exc, faults = run_failing_at(
            lambda: (target.write_bytes(old), atomic_write_bytes(target, new)), n, code
        )
        assert faults.failed is not None
        failures += exc is not None
        assert check_outputs(tmp_path, old, new) == [], (n, faults.failed)
    assert failures == len(ops) - 1
    print(
        f"atomic writer: {len(ops) - 1} operations failed one at a time ({errno.errorcode[code]}), 0 violations"
    )


def naive_write(path: Path, data: bytes) -> None:
    """What the atomic writer protects against: writing the final file in place."""
    with open(path, "wb") as fh:
        fh.write(data[: len(data) // 2])
        fh.write(data[len(data) // 2 :])


def test_the_check_catches_a_non_atomic_writer(tmp_path: Path) -> None:
    """The protection removed: the same injection finds the half-written file."""
    target = tmp_path / "bao-cao.txt"
    old, new = b"ban cu " * 1000, b"ban moi " * 3000
    found = []
    for n in range(1, len(count_ops(lambda: naive_write(target, new))) + 1):
        target.write_bytes(old)
        run_failing_at(lambda: naive_write(target, new), n)
        found += check_outputs(tmp_path, old, new)
    assert any("neither the old nor the new" in p for p in found)


def test_disk_full_message_is_vietnamese(tmp_path: Path) -> None:
    msg = describe_os_error(OSError(errno.ENOSPC, "No space left on device"), tmp_path / "a.pdf")
    assert msg.startswith("Ổ đĩa đã đầy") and "a.pdf" in msg


# -- backups and restore ---------------------------------------------------------------------


@pytest.fixture
def folder(demo_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "demo"
    shutil.copytree(demo_dir, d)
    return d


def test_backup_survives_a_failure_at_each_operation(folder: Path) -> None:
    earlier = make_backup(folder, "manual")
    earlier_bytes = earlier.path.read_bytes()
    data = dump(folder / "kdx.sqlite3")
    ops = count_ops(lambda: make_backup(folder, "periodic", rotate_after=False))
    for p in (folder / "backups").iterdir():
        if p != earlier.path:
            p.unlink()
    for n in range(1, len(ops) + 1):
        exc, faults = run_failing_at(lambda: make_backup(folder, "periodic", rotate_after=False), n)
        files = sorted((folder / "backups").iterdir())
        assert earlier.path.read_bytes() == earlier_bytes  # earlier backups untouched
        assert leftovers(folder) == [], (n, faults.failed)
        assert dump(folder / "kdx.sqlite3") == data  # a backup never changes the data
        if exc is None or files != [earlier.path]:
            # it completed (the failure came after the rename): the new file is whole and verified
            assert len(files) == 2
            new = next(p for p in files if p != earlier.path)
            assert dump(new) == data
            new.unlink()
        if exc is not None:
            assert isinstance(exc, BackupError), (n, faults.failed, exc)
            assert any(w in str(exc) for w in VIETNAMESE)
    print(f"backup: {len(ops)} operations failed one at a time, 0 violations")


def test_restore_survives_a_failure_at_each_operation(folder: Path) -> None:
    backup = make_backup(folder, "manual")
    from kdx_desktop.services.reporting import open_app, set_values

    app = open_app(folder)
    set_values(app, "BKT", 2026, {"staff_total": "99"})
    app.close()
    db = folder / "kdx.sqlite3"
    old, new = dump(db), dump(backup.path)
    pristine = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    ops = count_ops(lambda: restore(folder, backup.path))
    outcomes = {"old": 0, "new": 0}
    for n in range(1, len(ops) + 1):
        for p in folder.iterdir():  # back to the state before the restore
            if p.is_file() and p.name not in pristine:
                p.unlink()
        for name, raw in pristine.items():
            (folder / name).write_bytes(raw)
        for p in (folder / "backups").iterdir():
            if p != backup.path:
                p.unlink()
        exc, faults = run_failing_at(lambda: restore(folder, backup.path), n)
        now = dump(db)
        assert now in (old, new), (n, faults.failed)  # before or after, never between
        outcomes["old" if now == old else "new"] += 1
        assert not list(folder.glob(".*.tmp")), (n, faults.failed)
        assert backup.path.exists()
        if exc is not None:
            assert isinstance(exc, BackupError), (n, faults.failed, exc)
            assert any(w in str(exc) for w in VIETNAMESE)
        assert (exc is None) == (now == new), (n, faults.failed)  # told "failed" exactly when it did
    assert outcomes["old"] > 0 and outcomes["new"] > 0
    print(f"restore: {len(ops)} operations failed one at a time: {outcomes}, 0 violations")


# -- SQLite's own writes: a real disk-full, in a child ------------------------------------------


def _diskfull(folder: Path, what: str, step: int, *extra: str) -> list[dict[str, object]]:
    proc = subprocess.run(
        [sys.executable, str(CRASH / "diskfull_child.py"), str(folder), what, str(step), *extra],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return [json.loads(line) for line in proc.stdout.splitlines()]


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_saves_hit_by_disk_full_at_every_write_are_before_or_after(tmp_path: Path) -> None:
    rows = _diskfull(tmp_path, "save", 512)
    *failed, last = rows
    assert len(failed) >= 10 and not last["failed"]  # every WAL frame of the save was hit, then it fit
    initial = save_of(0, 0)
    for row in failed:
        state = row["state"]
        assert isinstance(state, dict)
        assert row["error_type"] == "StorageFailure" and "chưa được lưu" in str(row["message"]), row
        assert {k: state[k] for k in initial} == initial  # before
        assert row["edits"] == PER_SAVE and row["problems"] == [] and row["in_transaction"] is False
    state = last["state"]
    assert isinstance(state, dict)
    assert {k: state[k] for k in initial} == save_of(int(str(last["trial"])), 0)  # after
    assert last["edits"] == 2 * PER_SAVE and last["problems"] == []
    print(f"saves ({ORG}): {len(failed)} disk-full points, each before; then after; 0 violations")


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_backups_hit_by_disk_full_leave_no_partial_file(tmp_path: Path) -> None:
    rows = _diskfull(tmp_path, "backup", 8192)
    *failed, last = rows
    assert len(failed) >= 3 and not last["failed"]
    for row in failed:
        assert row["error_type"] == "BackupError" and "ổ đĩa đã đầy" in str(row["message"])
        assert row["new_files"] == []
        assert row["problems"] == []
    assert last["new_files_ok"] == [True]
    print(f"backups: {len(failed)} disk-full points, no partial file; 0 violations")


# -- exports and imports ---------------------------------------------------------------------


def _valid_output(path: Path) -> bool:
    import zipfile

    raw = path.read_bytes()
    if path.suffix == ".pdf":
        return raw.startswith(b"%PDF") and raw.rstrip().endswith(b"%%EOF")
    with zipfile.ZipFile(path) as zf:  # .zip package and .xlsx workbook are both zip files
        return zf.testzip() is None


def test_export_survives_a_failure_at_each_file_operation(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The export path (services/exporting.export_report) with its file writing hit at each step."""
    from crash.faults import Faults

    from kdx_desktop.fsutil import OutputError
    from kdx_desktop.services.reporting import open_app

    real_write = exporting.write_files
    current: list[Faults] = []

    def write_with_faults(out_dir: Path, files: dict[str, bytes]) -> list[Path]:
        with current[-1].active():
            return list(real_write(out_dir, files))

    monkeypatch.setattr(exporting, "write_files", write_with_faults)
    app = open_app(folder)
    try:
        out = tmp_path / "xuat"
        out.mkdir()
        earlier = out / "bao-cao-nam-truoc.pdf"
        earlier.write_bytes(b"%PDF-1.4 earlier export %%EOF")
        total, n = 0, 1
        while True:
            current.append(Faults(fail_at=n))
            try:
                exporting.export_report(app, "BKT", 2025, out)
                exc: Exception | None = None
            except Exception as e:
                exc = e
            if current[-1].failed is None:  # ran past the last operation: it succeeded
                assert exc is None
                break
            total += 1
            assert isinstance(exc, OutputError), (n, current[-1].failed, exc)
            assert any(w in str(exc) for w in VIETNAMESE)
            report = app.store.find_report("BKT", 2025)
            assert report is not None and not report.locked  # locked only once every file exists
            assert earlier.read_bytes() == b"%PDF-1.4 earlier export %%EOF"
            assert leftovers(out) == [], (n, current[-1].failed)
            for p in out.iterdir():  # whatever carries a final name is whole
                assert p == earlier or _valid_output(p), (n, current[-1].failed, p.name)
            n += 1
        assert total >= 10
        report = app.store.find_report("BKT", 2025)
        assert report is not None and report.locked
        print(
            f"export: {total} file operations failed one at a time, locked only after success, 0 violations"
        )
    finally:
        app.close()


def test_import_survives_a_failure_at_each_operation(folder: Path, tmp_path: Path) -> None:
    from kdx_desktop.services.reporting import open_app

    agency = open_app(folder)
    try:
        package = exporting.export_report(agency, "BKT", 2025, tmp_path / "goi").package
    finally:
        agency.close()
    so = tmp_path / "so"
    so.mkdir()
    app = open_app(so)
    try:
        before = dump(so / "kdx.sqlite3")
        total, n = 0, 1
        outcomes: list[object] = []
        while True:
            outcomes.clear()
            exc, faults = run_failing_at(lambda: outcomes.extend(intake.import_paths(app, [package])), n)
            if faults.failed is None:
                assert exc is None
                break
            total += 1
            assert dump(so / "kdx.sqlite3") == before, (n, faults.failed)  # nothing imported
            if exc is None:  # keeping the package file failed: that file is refused, said in Vietnamese
                (outcome,) = outcomes
                assert outcome.code == "file.unwritable" and "chưa nhập" in outcome.message, outcome  # type: ignore[attr-defined]
            else:
                assert isinstance(exc, intake.BackupFailed), (n, faults.failed, exc)
                assert "Chưa nhập tệp nào" in str(exc)
            assert leftovers(so) == []
            n += 1
        assert dump(so / "kdx.sqlite3") != before  # and then it imported
        assert total >= 5
        print(f"import: {total} operations failed one at a time, nothing half-imported, 0 violations")
    finally:
        app.close()


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_imports_hit_by_disk_full_are_all_or_nothing(folder: Path, tmp_path: Path) -> None:
    from kdx_desktop.services.reporting import open_app

    agency = open_app(folder)
    try:
        package = exporting.export_report(agency, "BKT", 2025, tmp_path / "goi").package
    finally:
        agency.close()
    so = tmp_path / "so"
    so.mkdir()
    rows = _diskfull(so, "import", 4096, str(package))
    *failed, last = rows
    assert len(failed) >= 5 and not last["failed"] and last["unchanged"] is False
    kinds = set()
    for row in failed:
        assert row["unchanged"] is True, row  # before: nothing of the package stored
        assert row["in_transaction"] is False
        kinds.add(row["error_type"])
        assert any(w in str(row["message"]) for w in VIETNAMESE), row
    assert "StorageFailure" in kinds  # the import transaction itself was hit, not only its backup
    print(f"imports: {len(failed)} disk-full points {sorted(kinds)}, each before; then after; 0 violations")


def test_read_failures_are_not_called_write_failures(tmp_path: Path) -> None:
    path = tmp_path / "a.sqlite3"
    msg = describe_os_error(PermissionError(errno.EACCES, "Permission denied"), path, reading=True)
    assert msg.startswith("Không có quyền đọc") and str(path) in msg
    msg = describe_os_error(FileNotFoundError(errno.ENOENT, "No such file or directory"), path, reading=True)
    assert msg == f"Không đọc được tệp “{path}”: không tồn tại."
    msg = describe_os_error(FileNotFoundError(errno.ENOENT, "No such file or directory"), path)
    assert msg == f"Lỗi ghi tệp “{path}”: không tồn tại."
