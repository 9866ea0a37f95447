"""The command line as a script would use it: exit codes, messages, --data-dir, JSON."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from tests.cli_helpers import run

ROOT = Path(__file__).resolve().parent.parent


def dump(data_dir: Path) -> list[tuple]:  # type: ignore[type-arg]
    conn = sqlite3.connect(data_dir / "kdx.sqlite3")
    rows = [
        ("entries", *r) for r in conn.execute("SELECT report_id, key, value, na FROM entries ORDER BY 1, 2")
    ]
    rows += [("audit", r[0]) for r in conn.execute("SELECT count(*) FROM audit")]
    rows += [
        ("reports", *r)
        for r in conn.execute("SELECT org_code, year, status, revision FROM reports ORDER BY 1, 2")
    ]
    conn.close()
    return rows


@pytest.fixture
def demo(demo_dir: Path, tmp_path: Path) -> Path:
    d = tmp_path / "demo"
    shutil.copytree(demo_dir, d)
    return d


def test_catalog_json_lists_the_plan(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog", "--json")
    assert code == 0
    doc = json.loads(out)
    pl1 = [i for i in doc["indicators"] if i["source"].startswith("PL1")]
    assert len(pl1) == 9
    assert {i["source"]: i["targets"] for i in pl1}["PL1-3"] == {"2023": 10.0, "2024": 15.0, "2025": 20.0}
    goals = {i["source"]: i["targets"] for i in doc["indicators"] if i["source"].startswith("II")}
    assert goals["II.1"] == {"2025": 70.0, "2030": 100.0}
    assert len(doc["tasks"]) == 9 and doc["id"] and doc["version"]
    el = {e["code"]: e for e in doc["data_elements"]}
    assert el["security_level"]["min"] == 1 and el["security_level"]["max"] == 5
    assert el["converged_status"]["type"] == "choice" and el["converged_status"]["choices"]
    assert {o["code"] for o in doc["organisations"]} >= {"BKT", "PTTH", "TCVN", "STTTT"}
    assert all(r["severity"] in ("error", "warning") for r in doc["rules"])


def test_catalog_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catalog")
    assert code == 0 and "Phụ lục 2" in out and "65%/35%" in out


@pytest.mark.parametrize(
    ("assignment", "field"),
    [
        ("staff_total=mười", "staff_total"),
        ("staff_total=-5", "staff_total"),
        ("security_level=7", "security_level"),
        ("unknown_code=1", "unknown_code"),
        ("digital_platforms=hmm", "digital_platforms"),
        ("revenue=1.234", "revenue"),
    ],
)
def test_set_with_a_bad_value_exits_2_names_the_field_and_changes_nothing(
    capsys: pytest.CaptureFixture[str], demo: Path, assignment: str, field: str
) -> None:
    before = dump(demo)
    code, _, err = run(
        capsys,
        "set",
        "--data-dir",
        str(demo),
        "--org",
        "BKT",
        "--year",
        "2026",
        "staff_trained=3",
        assignment,
    )
    assert code == 2
    assert field in err and err.startswith("Lỗi:") and len(err.strip().splitlines()) == 1
    assert dump(demo) == before


def test_trained_above_total_is_stored_but_validate_fails(
    capsys: pytest.CaptureFixture[str], demo: Path
) -> None:
    code, _, _ = run(
        capsys,
        "--data-dir",
        str(demo),
        "set",
        "--org",
        "BKT",
        "--year",
        "2026",
        "staff_total=10",
        "staff_trained=12",
    )
    assert code == 0
    code, out, _ = run(capsys, "validate", "--data-dir", str(demo), "--org", "BKT", "--year", "2026")
    assert code == 1 and "Số người được đào tạo (12) không được lớn hơn" in out and "R01" not in out


def test_unknown_org_or_year_exits_2(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    before = dump(demo)
    assert (
        run(capsys, "set", "--data-dir", str(demo), "--org", "XYZ", "--year", "2025", "staff_total=1")[0] == 2
    )
    code, _, err = run(
        capsys, "set", "--data-dir", str(demo), "--org", "BKT", "--year", "2040", "staff_total=1"
    )
    assert code == 2 and "2040" in err
    assert dump(demo) == before


def test_nfd_text_is_stored_as_nfc(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    nfd = unicodedata.normalize("NFD", "Thiếu kinh phí đầu tư")
    assert (
        run(
            capsys,
            "set",
            "--data-dir",
            str(demo),
            "--org",
            "BKT",
            "--year",
            "2026",
            f"narrative.difficulties={nfd}",
        )[0]
        == 0
    )
    conn = sqlite3.connect(demo / "kdx.sqlite3")
    (stored,) = conn.execute(
        "SELECT value FROM entries WHERE key = 'narrative.difficulties' AND report_id = (SELECT id FROM reports WHERE org_code='BKT' AND year=2026)"
    ).fetchone()
    conn.close()
    assert stored == "Thiếu kinh phí đầu tư" and unicodedata.is_normalized("NFC", stored)


def test_na_and_clear(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    assert (
        run(
            capsys,
            "set",
            "--data-dir",
            str(demo),
            "--org",
            "TCVN",
            "--year",
            "2026",
            "print_copies_city=NA",
            "staff_total=",
        )[0]
        == 0
    )
    _code, out, _ = run(capsys, "show", "--data-dir", str(demo), "--org", "TCVN", "--year", "2026", "--json")
    doc = json.loads(out)
    assert doc["values"]["print_copies_city"] == {"na": True}
    assert "staff_total" not in doc["values"]


def test_validate_exit_codes_and_unjustified_warnings(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    code, out, _ = run(capsys, "validate", "--data-dir", str(demo), "--org", "TCVN", "--year", "2025")
    assert code == 0 and "0 lỗi" in out
    # remove a justification: still exit 0 (warnings do not fail validation) but reported as such
    run(
        capsys, "reopen", "--data-dir", str(demo), "--org", "TCVN", "--year", "2025", "--reason", "x"
    )  # not exported: refused
    code, out, _ = run(
        capsys, "set", "--data-dir", str(demo), "--org", "TCVN", "--year", "2025", "justification.W02.pl1_3="
    )
    assert code == 0
    code, out, _ = run(capsys, "validate", "--data-dir", str(demo), "--org", "TCVN", "--year", "2025")
    assert code == 0 and "CHƯA GIẢI TRÌNH" in out and "1 chưa giải trình" in out
    code, out, _ = run(
        capsys, "validate", "--data-dir", str(demo), "--org", "BKT", "--year", "2026", "--json"
    )
    assert code == 1
    doc = json.loads(out)
    assert doc["summary"]["errors"] > 0 and {"rule", "severity", "field", "message"} <= set(doc["issues"][0])


def test_show_reports_indicators_status_and_revision(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    _, out, _ = run(capsys, "show", "--data-dir", str(demo), "--org", "BKT", "--year", "2025", "--json")
    doc = json.loads(out)
    assert (doc["status"], doc["revision"]) == ("draft", 1)
    ind = {i["code"]: i for i in doc["indicators"]}
    assert ind["pl1_3"]["target"] == 20.0 and ind["pl1_3"]["status"] == "met"
    assert ind["pl1_3"]["value"] == pytest.approx((6500 / 5380 - 1) * 100, abs=1e-6)
    _code, out, _ = run(capsys, "show", "--data-dir", str(demo), "--org", "BKT", "--year", "2025")
    assert "Tăng tin, bài phục vụ nhiệm vụ chính trị: 20,8% (chỉ tiêu 20%) - Đạt" in out
    assert "15.600,5 triệu đồng" in out


def test_reopen_of_a_draft_is_refused(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    code, _, err = run(
        capsys, "reopen", "--data-dir", str(demo), "--org", "BKT", "--year", "2025", "--reason", "sửa"
    )
    assert code == 2 and "chưa xuất" in err


def test_set_on_a_locked_report_exits_2(capsys: pytest.CaptureFixture[str], demo: Path) -> None:
    from kdx_desktop.services.reporting import open_app

    a = open_app(demo)
    a.store.mark_exported(
        a.store.report("BKT", 2025), data_sha256="0" * 64, verification_code="X", package_name="p.zip"
    )
    a.close()
    before = dump(demo)
    code, _, err = run(
        capsys, "set", "--data-dir", str(demo), "--org", "BKT", "--year", "2025", "staff_total=1"
    )
    assert code == 2 and "khóa" in err
    assert dump(demo) == before
    code, out, _ = run(
        capsys, "reopen", "--data-dir", str(demo), "--org", "BKT", "--year", "2025", "--reason", "Sở yêu cầu"
    )
    assert code == 0 and "lần 2" in out


def test_every_command_module_is_a_listed_command() -> None:
    """A command module left out of COMMANDS, or a listed command without its module, is a fault:
    neither is ever dropped silently."""
    from kdx_desktop import cli

    on_disk = {p.stem for p in (ROOT / "kdx_desktop" / "commands").glob("*.py") if p.stem != "__init__"}
    listed = {cli.COMMAND_MODULES.get(name, name) for name in cli.COMMANDS}
    assert listed == on_disk
    assert [name for name, _mod in cli.command_modules()] == list(cli.COMMANDS)


def test_every_command_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    from kdx_desktop.cli import COMMANDS

    for name in COMMANDS:
        code, out, _ = run(capsys, name, "--help")
        assert code == 0 and "--data-dir" in out, name


def test_data_dir_from_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KDX_DATA_DIR", str(tmp_path / "env"))
    assert run(capsys, "set", "--org", "BKT", "--year", "2025", "staff_total=5")[0] == 0
    assert (tmp_path / "env" / "kdx.sqlite3").exists()


def test_command_line_never_imports_qt(tmp_path: Path) -> None:
    code = (
        "import sys, runpy; sys.argv = ['main.py', '--data-dir', sys.argv[1], 'demo'];"
        "import kdx_desktop.launcher as l; rc = l.launch(sys.argv[1:]);"
        "from kdx_desktop.cli import main; main(['--data-dir', sys.argv[2], 'validate', '--org', 'BKT', '--year', '2025']);"
        "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported';"
        "assert 'reportlab' not in sys.modules and 'openpyxl' not in sys.modules, 'heavy import'"
    )
    d = str(tmp_path / "d")
    res = subprocess.run(
        [sys.executable, "-c", code, d, d], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 0, res.stderr


def test_main_py_and_module_entry(tmp_path: Path) -> None:
    d = str(tmp_path / "d")
    for cmd in ([sys.executable, "main.py"], [sys.executable, "-m", "kdx_desktop"]):
        res = subprocess.run(
            [*cmd, "--data-dir", d, "catalog"], cwd=ROOT, capture_output=True, text=True, timeout=120
        )
        assert res.returncode == 0 and "Phụ lục 2" in res.stdout
    res = subprocess.run(
        [sys.executable, "main.py", "bogus"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert res.returncode == 2 and "Lỗi cách dùng" in res.stderr


def test_demo_reports_print_a_signer_and_the_names_of_the_day_of_issue(demo: Path) -> None:
    import datetime as dt

    from kdx_desktop.services.identity import identity
    from kdx_desktop.services.reporting import open_app

    a = open_app(demo)
    try:
        then = identity(a.catalog, a.store, "BKT", 2024, on=dt.date(2024, 11, 20))
        today = identity(a.catalog, a.store, "BKT", 2024)
        merged = identity(a.catalog, a.store, "BKT", 2025, on=dt.date(2025, 7, 1))
    finally:
        a.close()
    assert then.signer_name == today.signer_name == "Nguyễn Văn Hùng"
    # A 2024 report issued in 2024 comes from Báo Kon Tum; issued after the province merged,
    # from the body in force that day.
    assert (then.name, then.recipient) == ("Báo Kon Tum", "Sở Thông tin và Truyền thông tỉnh Kon Tum")
    assert (today.name, today.place) == ("Báo Quảng Ngãi", "Quảng Ngãi")
    assert merged.recipient == "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi"


def test_data_dir_that_is_a_file_is_one_vietnamese_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    not_a_folder = tmp_path / "du-lieu.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    for where in (not_a_folder, not_a_folder / "con"):
        code, _out, err = run(capsys, "--data-dir", str(where), "show", "--org", "BKT", "--year", "2025")
        assert code == 2
        assert err.count("\n") == 1 and err.startswith("Lỗi: ") and str(where) in err
        assert "Traceback" not in err and "Errno" not in err
    assert not_a_folder.read_text(encoding="utf-8") == "x"


def test_verify_missing_or_folder_says_why_in_vietnamese(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _out, err = run(capsys, "--data-dir", str(tmp_path / "d"), "verify", str(tmp_path / "khong-co.zip"))
    assert code == 2 and "khong-co.zip" in err and "không tồn tại" in err
    code, _out, err = run(capsys, "--data-dir", str(tmp_path / "d"), "verify", str(tmp_path))
    assert code == 2 and "là một thư mục" in err and "Is a directory" not in err


def test_output_cut_short_by_the_reader_is_not_a_traceback(demo_dir: Path, tmp_path: Path) -> None:
    d = tmp_path / "demo"
    shutil.copytree(demo_dir, d)
    proc = subprocess.Popen(
        [sys.executable, "main.py", "--data-dir", str(d), "show", "--org", "BKT", "--year", "2025"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like ``| head -0``: the reader is gone before anything is printed
    err = proc.stderr.read().decode("utf-8")
    proc.stderr.close()
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_import_of_an_empty_folder_names_it(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    empty = tmp_path / "hop-thu"
    empty.mkdir()
    code, _out, err = run(capsys, "--data-dir", str(tmp_path / "d"), "import", str(empty))
    assert code == 2 and err == f"Lỗi: Không có tệp gói (.zip) nào để nhập trong “{empty}”.\n"


@pytest.mark.skipif(sys.platform == "win32", reason="named pipes are a POSIX thing here")
def test_verify_and_import_refuse_a_pipe_instead_of_hanging(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import os

    pipe = tmp_path / "BaoCao_BQN_2025_lan1.zip"
    os.mkfifo(pipe)  # opening it for reading would wait for a writer forever
    d = str(tmp_path / "d")
    code, _out, err = run(capsys, "--data-dir", d, "verify", str(pipe))
    assert code == 2 and "không phải tệp thông thường" in err and str(pipe) in err
    code, _out, err = run(capsys, "--data-dir", d, "import", str(pipe))
    assert code == 1 and "từ chối: không đọc được tệp (không phải tệp thông thường" in err


def test_verify_refuses_a_huge_file_without_reading_it_all(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from kdx_desktop.package.limits import DEFAULT_LIMITS

    big = tmp_path / "BaoCao_BQN_2025_lan1.zip"
    with open(big, "wb") as fh:  # sparse: no disk used
        fh.truncate(DEFAULT_LIMITS.max_package_bytes + 1)
    code, _out, err = run(capsys, "--data-dir", str(tmp_path / "d"), "verify", str(big))
    assert code == 1 and err == (
        "Lỗi: Gói “BaoCao_BQN_2025_lan1.zip” không nguyên vẹn: tệp lớn hơn 64,0 MB, không thể là gói báo cáo KDX.\n"
    )


def test_usage_errors_and_help_are_in_vietnamese(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run(capsys, "status")
    assert code == 2 and "Lỗi cách dùng: thiếu tham số bắt buộc: --year" in err
    assert "Cách dùng: kdx status" in err
    code, _out, err = run(capsys, "status", "--year", "năm ngoái")
    assert code == 2 and "tham số --year: giá trị không hợp lệ" in err
    code, out, _err = run(capsys, "paper", "--help")
    assert code == 0 and out.startswith("Cách dùng: kdx paper") and "tùy chọn:" in out
    assert "hiện trợ giúp này rồi thoát" in out and "show this help" not in out
