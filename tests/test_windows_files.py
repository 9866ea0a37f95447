"""Files as Windows treats them (tests/windows_semantics.py): a file held open by another program
cannot be replaced, a scanner's brief lock clears after a moment, a temporary folder that cannot
be removed must not fail the action it served. Exports and consolidations onto files held open
leave every output all old or all new and say which file is open and what to do."""

from __future__ import annotations

import ast
import errno
import shutil
from pathlib import Path

import pytest
from hostile.packages import AGENCIES, enter_province_facts, export_demo

from kdx_desktop.fsutil import FileInUse, OutputError, describe_os_error, write_together
from kdx_desktop.safekeeping.dbcheck import check_file
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.intake import consolidate, import_paths
from kdx_desktop.services.reporting import open_app
from kdx_desktop.system import files
from tests.windows_semantics import WindowsFiles, sharing_violation

ROOT = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# -- the seam --------------------------------------------------------------------------------


def test_a_brief_lock_is_waited_out(tmp_path: Path, windows: WindowsFiles) -> None:
    src, dst = tmp_path / "new", tmp_path / "final"
    src.write_bytes(b"new")
    dst.write_bytes(b"old")
    windows.scanner = False  # counted exactly, also in the CI's Windows-semantics pass
    windows.lock_briefly(dst, times=3)
    files.replace(src, dst)
    assert dst.read_bytes() == b"new"
    assert len(windows.refused) == 3 and len(windows.sleeps) == 3


def test_a_file_held_open_is_refused_after_the_retries(tmp_path: Path, windows: WindowsFiles) -> None:
    src, dst = tmp_path / "new", tmp_path / "final"
    src.write_bytes(b"new")
    dst.write_bytes(b"old")
    windows.hold(dst)
    with pytest.raises(PermissionError) as caught:
        files.replace(src, dst)
    assert files.is_in_use(caught.value)
    assert dst.read_bytes() == b"old"
    assert sum(windows.sleeps) < 2  # a brief wait, not a hang


def test_a_read_only_refusal_is_not_retried_forever_nor_called_in_use(tmp_path: Path) -> None:
    denied = PermissionError(errno.EACCES, "Access is denied", "x")
    denied.winerror = files.ERROR_ACCESS_DENIED  # type: ignore[attr-defined]
    assert not files.is_in_use(denied)
    assert "đang được mở" not in describe_os_error(denied, tmp_path / "x")


def test_cleanup_of_a_temporary_folder_never_fails(tmp_path: Path, windows: WindowsFiles) -> None:
    folder = tmp_path / "kdx-check-1"
    folder.mkdir()
    (folder / "check.sqlite3").write_bytes(b"x")
    windows.hold(folder / "check.sqlite3")
    assert files.discard_tree(folder) is False  # left behind, no exception
    windows.release(folder / "check.sqlite3")
    assert files.discard_tree(folder) is True and not folder.exists()


@pytest.mark.parametrize(
    ("code", "words"),
    [
        (files.ERROR_SHARING_VIOLATION, "đang được mở trong chương trình khác"),
        (files.ERROR_NOT_READY, "ổ USB đã bị rút"),
        (files.ERROR_DEVICE_NOT_CONNECTED, "ổ USB đã bị rút"),
        (files.ERROR_FILENAME_EXCED_RANGE, "quá dài"),
        (files.ERROR_WRITE_PROTECT, "chống ghi"),
    ],
)
def test_windows_error_codes_get_their_own_advice(tmp_path: Path, code: int, words: str) -> None:
    # CPython maps these to EACCES or ENOENT, whose generic advice would be wrong.
    exc = OSError(errno.EACCES if code != files.ERROR_FILENAME_EXCED_RANGE else errno.ENOENT, "x")
    exc.winerror = code  # type: ignore[attr-defined]
    assert words in describe_os_error(exc, tmp_path / "a.pdf")


# -- several files written together ------------------------------------------------------------


def test_files_written_together_stay_all_old_when_one_is_open(tmp_path: Path, windows: WindowsFiles) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in ("a.zip", "a.pdf", "a.xlsx"):
        (out / name).write_bytes(b"old " + name.encode())
    before = snapshot(out)
    windows.hold(out / "a.xlsx")  # the last one: the first two would already be replaced otherwise
    with pytest.raises(FileInUse) as caught:
        write_together(out, {n: b"new " + n.encode() for n in ("a.zip", "a.pdf", "a.xlsx")})
    assert "a.xlsx" in str(caught.value) and "Hãy đóng tệp đó rồi thử lại" in str(caught.value)
    assert snapshot(out) == before  # all old, nothing left beside them
    windows.release(out / "a.xlsx")
    write_together(out, {n: b"new " + n.encode() for n in ("a.zip", "a.pdf", "a.xlsx")})
    assert snapshot(out) == {n: b"new " + n.encode() for n in ("a.pdf", "a.xlsx", "a.zip")}


def test_files_written_together_are_shared_readable(tmp_path: Path) -> None:
    write_together(tmp_path, {"a.pdf": b"x"})
    assert (tmp_path / "a.pdf").stat().st_mode & 0o777 == 0o644


def test_leftovers_of_a_killed_write_are_swept(tmp_path: Path) -> None:
    (tmp_path / ".a.pdf.1234.tmp").write_bytes(b"half")
    (tmp_path / ".a.pdf.abcd.old").write_bytes(b"old")
    write_together(tmp_path, {"a.pdf": b"new"})
    assert snapshot(tmp_path) == {"a.pdf": b"new"}


# -- the user's actions ------------------------------------------------------------------------


def test_export_onto_an_open_pdf_changes_nothing_and_says_which_file(
    demo_dir: Path, tmp_path: Path, windows: WindowsFiles
) -> None:
    data, out = tmp_path / "data", tmp_path / "out"
    shutil.copytree(demo_dir, data)
    with open_app(data) as app:
        first = export_report(app, "BKT", 2025, out)
        before = snapshot(out)
        windows.hold(first.pdf)  # the officer is reading it
        with pytest.raises(OutputError) as caught:
            export_report(app, "BKT", 2025, out)
        assert first.pdf.name in str(caught.value) and "đang được mở" in str(caught.value)
        assert snapshot(out) == before
        windows.release(first.pdf)
        assert export_report(app, "BKT", 2025, out).pdf == first.pdf


def test_consolidation_onto_an_open_workbook_changes_nothing_and_says_which_file(
    demo_dir: Path, tmp_path: Path, windows: WindowsFiles
) -> None:
    (tmp_path / "agency").mkdir()
    packages = export_demo(demo_dir, tmp_path / "agency", years=(2025,))
    (tmp_path / "so").mkdir()
    with open_app(tmp_path / "so") as so:
        import_paths(so, [packages[(org, 2025)] for org in AGENCIES])
        enter_province_facts(so, years=(2025,))
        out = tmp_path / "tonghop"
        consolidate(so, 2025, out)
        before = snapshot(out)
        workbook = out / "BaoCaoTongHop_SVHTTDL_2025.xlsx"
        windows.hold(workbook)  # open in Excel
        with pytest.raises(OutputError) as caught:
            consolidate(so, 2025, out)
        assert workbook.name in str(caught.value) and "Excel" in str(caught.value)
        assert snapshot(out) == before


def test_a_database_check_survives_a_scanner_on_its_copy(
    demo_dir: Path, tmp_path: Path, windows: WindowsFiles
) -> None:
    db = tmp_path / "kdx.sqlite3"
    shutil.copyfile(demo_dir / "kdx.sqlite3", db)

    def held_rmtree(path: str) -> None:
        raise sharing_violation(path + "/check.sqlite3")

    windows.rmtree = held_rmtree  # type: ignore[method-assign]
    files.ops.rmtree = held_rmtree
    assert check_file(db)  # row counts: the check is not failed by its own cleanup


def test_every_replace_and_removal_goes_through_the_seam() -> None:
    """The class guard: a direct ``os.replace`` or ``unlink`` would bypass the Windows retries."""
    banned = {"replace", "remove", "unlink", "rmtree", "rename", "rmdir", "TemporaryDirectory"}
    offenders = []
    for path in (ROOT / "kdx_desktop").rglob("*.py"):
        if "system" in path.relative_to(ROOT / "kdx_desktop").parts:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            owner = node.func.value
            name = node.func.attr
            if name not in banned:
                continue
            # str.replace / datetime.replace take other arguments: only calls on os, shutil,
            # tempfile or a path-like name count.
            owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", "")
            if owner_name in {"os", "shutil", "tempfile"} or (
                name in {"unlink", "rmdir", "rename"} and not isinstance(owner, ast.Constant)
            ):
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} {owner_name}.{name}")
    assert offenders == []
