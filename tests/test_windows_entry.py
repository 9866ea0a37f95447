"""How Windows starts KDX and talks to it: packages dragged onto KDX.exe, the windowed program
without a console, a portable copy in a folder only administrators write, the data folder's place
for every command, and a console reader that goes away."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hostile.packages import AGENCIES, export_demo

from kdx_desktop import commands, launcher, paths
from kdx_desktop.safekeeping.locations import NETWORK, REMOVABLE, Location
from kdx_desktop.services.reporting import open_app
from kdx_desktop.system import console
from tests.cli_helpers import run
from tests.gui_helpers import OFFSCREEN_NOISE

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def packages(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    exported = export_demo(demo_dir, tmp_path_factory.mktemp("export"), years=(2025,))
    return [exported[(org, 2025)] for org in AGENCIES]


# -- what the arguments ask for ----------------------------------------------------------------


def test_files_given_to_the_program_open_the_window(tmp_path: Path) -> None:
    pkg = tmp_path / "BaoCao.zip"
    pkg.write_bytes(b"x")
    assert launcher.gui_request([]) == launcher.GuiRequest(None, [])
    assert launcher.gui_request([str(pkg)]) == launcher.GuiRequest(None, [pkg])
    assert launcher.gui_request(["--data-dir", "D", str(pkg), str(tmp_path)]) == launcher.GuiRequest(
        "D", [pkg, tmp_path]
    )
    # a command keeps its meaning, even when a file of that name is here
    assert launcher.gui_request(["import", str(pkg)]) is None
    assert launcher.gui_request(["--help"]) is None
    assert launcher.gui_request([str(tmp_path / "missing.zip")]) is None  # the command line says why


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_packages_dropped_on_the_sos_window_are_imported(
    qtbot: Any, tmp_path: Path, packages: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kdx_desktop.gui import main_window
    from kdx_desktop.gui.session import THIS_ORG

    errors: list[str] = []
    monkeypatch.setattr(
        main_window, "show_error", lambda parent, title, text, details="": errors.append(text)
    )
    (tmp_path / "so").mkdir()
    with open_app(tmp_path / "so") as app:
        app.store.set_setting(THIS_ORG, app.catalog.consolidator().code)
        window = main_window.MainWindow(app, year=2025)
        qtbot.addWidget(window)
        note = tmp_path / "ghi-chu.txt"
        note.write_text("x")
        assert window.open_files([*packages, note])
        assert errors and "ghi-chu.txt" in errors[0]  # what it cannot open is named
        assert window.pages.stack.currentWidget().widget() is window.intake  # type: ignore[attr-defined]
        rows = window.intake.board.rows  # type: ignore[attr-defined]
        assert {r.org_code for r in rows if r.received} == set(AGENCIES)
        window.close()


@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
def test_an_agency_pc_says_why_it_does_not_import(
    qtbot: Any, tmp_path: Path, packages: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kdx_desktop.gui import main_window
    from kdx_desktop.gui.session import THIS_ORG

    errors: list[str] = []
    monkeypatch.setattr(
        main_window, "show_error", lambda parent, title, text, details="": errors.append(text)
    )
    (tmp_path / "bkt").mkdir()
    with open_app(tmp_path / "bkt") as app:
        app.store.set_setting(THIS_ORG, "BKT")
        window = main_window.MainWindow(app, year=2025)
        qtbot.addWidget(window)
        assert not window.open_files(packages[:1])
        assert "chỉ máy của Sở nhập gói báo cáo" in errors[0]
        window.close()


def test_the_windowed_program_without_streams_opens_the_window(tmp_path: Path) -> None:
    """KDX.exe (windowed) has sys.stdout and sys.stderr None: a package given to it opens the
    window, and nothing is written to the missing streams (it would raise)."""
    pkg = tmp_path / "goi.zip"
    pkg.write_bytes(b"x")
    code = (
        "import sys\n"
        "sys.stdout = sys.stderr = None\n"
        "from kdx_desktop import launcher\n"
        "from kdx_desktop.gui import app\n"
        "seen = []\n"
        "app.run_gui = lambda data_dir, open_files=(): seen.append((data_dir, [p.name for p in open_files])) or 0\n"
        f"rc = launcher.launch([{str(pkg)!r}])\n"
        "import warnings; warnings.warn('a library warning')\n"  # would raise on a None stderr
        "print('nothing', file=sys.stderr)\n"
        f"open({str(tmp_path / 'seen.txt')!r}, 'w').write(repr((rc, seen)))\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    res = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "seen.txt").read_text() == repr((0, [(None, ["goi.zip"])]))


# -- the data folder ---------------------------------------------------------------------------


def test_a_portable_copy_in_program_files_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = tmp_path / "Program Files" / "KDX"
    program.mkdir(parents=True)
    (program / paths.PORTABLE_MARKER).write_text("")
    monkeypatch.delenv("KDX_DATA_DIR", raising=False)
    monkeypatch.setattr(paths, "program_dir", lambda: program)

    def refuse(self: Path, *args: Any, **kwargs: Any) -> None:
        raise PermissionError(errno.EACCES, "Access is denied", str(self))

    monkeypatch.setattr(Path, "mkdir", refuse)
    with pytest.raises(paths.DataDirError) as caught:
        paths.resolve_data_dir()
    message = str(caught.value)
    assert "None" not in message and str(program) in message
    assert "giải nén KDX vào một thư mục của bạn" in message and paths.PORTABLE_MARKER in message


def test_every_command_refuses_a_data_folder_on_a_network_share(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(commands, "classify", lambda p: Location(p, NETWORK, "cifs //maychu/chung"))
    code, _out, err = run(capsys, "show", "--org", "BKT", "--year", "2025", "--data-dir", str(tmp_path))
    assert code == 2 and "ổ mạng" in err
    assert not (tmp_path / "kdx.sqlite3").exists()  # nothing was created there


def test_a_command_on_a_usb_stick_warns_and_goes_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(commands, "classify", lambda p: Location(p, REMOVABLE, "ổ E:, USB"))
    _code, out, err = run(capsys, "validate", "--org", "BKT", "--year", "2025", "--data-dir", str(tmp_path))
    assert "Cảnh báo" in err and "ổ đĩa rời" in err
    assert out  # the command ran


# -- the console -------------------------------------------------------------------------------


def test_a_reader_that_went_away_is_not_a_failure() -> None:
    assert console.reader_gone(BrokenPipeError())
    # Windows reports the same event as EINVAL (``kdx-cli catalog | more``, then q)
    assert console.reader_gone(OSError(errno.EINVAL, "Invalid argument"), platform="win32")
    assert not console.reader_gone(OSError(errno.EINVAL, "Invalid argument"), platform="linux")
    assert not console.reader_gone(OSError(errno.ENOSPC, "No space"), platform="win32")


def test_a_closed_pipe_ends_the_command_quietly() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with subprocess.Popen(
        [sys.executable, "-m", "kdx_desktop", "catalog"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=ROOT,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.read(10)
        proc.stdout.close()  # the reader goes away after the first screen
        err = proc.stderr.read().decode("utf-8", "replace")
        assert proc.wait(timeout=120) == 0, err
    assert "Traceback" not in err
