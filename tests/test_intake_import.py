"""The Sở imports the demo agencies' exported packages: results per file, revisions, the board."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hostile.packages import AGENCIES, dump, enter_province_facts, export_demo

from kdx_desktop.cli import main
from kdx_desktop.province import ledger
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.intake import (
    CONFLICT,
    DUPLICATE,
    IMPORTED,
    OLDER,
    REJECTED,
    REPLACED,
    import_paths,
    mark_paper_checked,
    revision_diff,
    status_board,
)
from kdx_desktop.services.reporting import App, open_app, reopen, set_values


@pytest.fixture(scope="module")
def packages(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, int], Path]:
    return export_demo(demo_dir, tmp_path_factory.mktemp("export"))


@pytest.fixture
def so(tmp_path: Path) -> App:
    """A fresh data folder at the Sở, with its own province-level facts entered."""
    (tmp_path / "so").mkdir()
    a = open_app(tmp_path / "so")
    enter_province_facts(a)
    yield a
    a.close()


def _files(packages: dict[tuple[str, int], Path], year: int) -> list[Path]:
    return [packages[(org, year)] for org in AGENCIES]


def test_import_each_agency_then_reimport_is_a_no_op(so: App, packages: dict[tuple[str, int], Path]) -> None:
    first = import_paths(so, _files(packages, 2025))
    assert [o.kind for o in first] == [IMPORTED] * 3
    assert first[0].message.startswith("đã nhập: Báo Quảng Ngãi (BQN) năm 2025 lần 1 (mã xác thực ")
    assert {o.org_code for o in first} == set(AGENCIES)
    before = dump(so)
    again = import_paths(so, _files(packages, 2025))
    assert [o.kind for o in again] == [DUPLICATE] * 3
    assert all(o.message.startswith("đã có (bỏ qua)") for o in again)
    assert dump(so) == before


def test_dry_run_shows_the_outcome_and_writes_nothing(so: App, packages: dict[tuple[str, int], Path]) -> None:
    before = dump(so)
    out = import_paths(so, _files(packages, 2025), dry_run=True)
    assert [o.kind for o in out] == [IMPORTED] * 3
    assert out[0].message.startswith("sẽ nhập: Báo Quảng Ngãi (BQN) năm 2025")
    assert dump(so) == before


def test_folder_import_and_status_board(so: App, packages: dict[tuple[str, int], Path]) -> None:
    folder = packages[("BKT", 2025)].parent  # also holds the PDFs and workbooks: only .zip are taken
    out = import_paths(so, [folder])
    assert sorted(o.kind for o in out) == [IMPORTED] * 6  # 2024 and 2025
    board = status_board(so, 2025)
    assert board.deadline.isoformat() == "2025-11-25"
    rows = {r.org_code: r for r in board.rows}
    assert set(rows) == set(AGENCIES)
    bkt = rows["BKT"]
    assert bkt.received and bkt.revision == 1 and bkt.verification_code
    # Exported today (2026), long after 25/11/2025: late.
    assert bkt.on_time is False and bkt.timeliness == "Trễ hạn"
    assert not bkt.paper_checked
    assert board.summary() == {
        "expected": 3,
        "received": 3,
        "on_time": 0,
        "late": 3,
        "missing": 0,
        "paper_checked": 0,
        "conflicts": 0,
        "overdue": 0,
        "under_correction": 0,
        "signed_trusted": 0,
        "awaiting_signature": 0,
    }
    row = mark_paper_checked(so, "BKT", 2025, user="chuyenvien")
    assert row.paper_checked_by == "chuyenvien" and row.paper_checked_at
    rows = {r.org_code: r for r in status_board(so, 2025).rows}
    assert rows["BKT"].paper_checked and not rows["PTTH"].paper_checked
    assert any(a["action"] == "paper_check" for a in so.store.audit_rows())


def test_board_lists_who_has_not_reported(so: App, packages: dict[tuple[str, int], Path]) -> None:
    import_paths(so, [packages[("BKT", 2025)]])
    board = status_board(so, 2025)
    assert [r.org_code for r in board.missing] == ["PTTH", "TCVN"]
    assert board.summary()["received"] == 1


def _revision_2(
    demo_dir: Path, packages: dict[tuple[str, int], Path], org: str, changes: dict[str, str]
) -> Path:
    """Reopen the agency's exported report, change values, export revision 2."""
    agency = packages[(org, 2025)].parent.parent / "agency"
    out = packages[(org, 2025)].parent.parent / f"r2-{org}"
    out.mkdir(exist_ok=True)
    a = open_app(agency)
    try:
        reopen(a, org, 2025, "Sửa số liệu theo góp ý của Sở")
        set_values(a, org, 2025, changes)
        return export_report(a, org, 2025, out).package
    finally:
        a.close()


def test_revision_2_replaces_1_with_the_diff_and_1_is_then_refused(
    so: App,
    packages: dict[tuple[str, int], Path],
    demo_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    r1 = packages[("PTTH", 2025)]
    r2 = _revision_2(demo_dir, packages, "PTTH", {"items_essential": "12100", "ip_rural": "1.060.000"})
    assert r2.name == "BaoCao_PTTH_2025_lan2.zip"
    # Revision 2 arrives first; revision 1 (older) is refused with the revision in force named.
    assert import_paths(so, [r2])[0].kind == IMPORTED
    older = import_paths(so, [r1])[0]
    assert older.kind == OLDER and older.refused
    assert older.message.startswith("cũ hơn lần 2 (từ chối)")

    # In order this time, in another Sở folder: 1 then 2.
    (tmp_path / "so2").mkdir()
    other = open_app(tmp_path / "so2")
    try:
        import_paths(other, [r1])
        rep = import_paths(other, [r2])[0]
        assert rep.kind == REPLACED and rep.replaced_revision == 1
        assert rep.message.startswith(
            "thay thế lần 1: Đài Phát thanh - Truyền hình tỉnh Kon Tum (PTTH) năm 2025 lần 2"
        )
        changed = {c.key: (c.old, c.new) for c in rep.changes}
        assert changed == {"items_essential": ("11.900", "12.100"), "ip_rural": ("1.050.000", "1.060.000")}
        rows = ledger.revisions_of(other.store, "PTTH", 2025)
        assert [(r.revision, r.current) for r in rows] == [(1, False), (2, True)]  # both kept
        # The window's diff between any two received revisions.
        diff = revision_diff(other, rows[0].id, rows[1].id)
        assert (
            [c.key for c in diff] == [c.key for c in rep.changes] == ["ip_rural", "items_essential"]
        )  # form order
        assert ledger.current(other.store, "PTTH", 2025).revision == 2  # type: ignore[union-attr]
    finally:
        other.close()
    # The command line prints the same diff under the file's line.
    cli_dir = tmp_path / "so3"
    assert main(["--data-dir", str(cli_dir), "import", str(r1)]) == 0
    capsys.readouterr()
    assert main(["--data-dir", str(cli_dir), "import", str(r2)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith(
        "thay thế lần 1: Đài Phát thanh - Truyền hình tỉnh Kon Tum (PTTH) năm 2025 lần 2 (mã xác thực "
        + rep.verification_code
        + "); 2 giá trị thay đổi"
    )  # type: ignore[operator]
    assert out[2].strip().endswith(": 11.900 → 12.100")


def test_same_revision_with_other_content_is_a_conflict(
    so: App, packages: dict[tuple[str, int], Path], demo_dir: Path, tmp_path: Path
) -> None:
    import shutil

    # A second copy of the agency's data where revision 1 was exported with a different value.
    alt = tmp_path / "alt"
    shutil.copytree(demo_dir, alt)
    a = open_app(alt)
    try:
        set_values(a, "TCVN", 2025, {"narrative.proposals": "Đề nghị khác."})
        (tmp_path / "alt-out").mkdir()
        other_r1 = export_report(a, "TCVN", 2025, tmp_path / "alt-out").package
    finally:
        a.close()
    import_paths(so, [packages[("TCVN", 2025)]])
    out = import_paths(so, [other_r1])[0]
    assert out.kind == CONFLICT and out.refused
    assert out.message.startswith(
        "xung đột (từ chối, đã đánh dấu): Tạp chí Văn nghệ Kon Tum (TCVN) năm 2025 lần 1"
    )
    row = ledger.current(so.store, "TCVN", 2025)
    assert row is not None and row.conflict and "cùng lần 1" in (row.conflict_note or "")
    assert status_board(so, 2025).summary()["conflicts"] == 1


def test_cli_import_status_consolidate(
    so: App, packages: dict[tuple[str, int], Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data_dir = str(so.data_dir)
    so.close()
    files = [str(p) for p in _files(packages, 2025)]
    assert main(["--data-dir", data_dir, "import", *files, "--dry-run"]) == 0
    assert "sẽ nhập: Báo Quảng Ngãi (BQN) năm 2025 lần 1" in capsys.readouterr().out
    assert main(["--data-dir", data_dir, "import", *files]) == 0
    assert capsys.readouterr().out.count("đã nhập:") == 3
    bogus = tmp_path / "thu.zip"
    bogus.write_bytes(b"not a zip")
    assert main(["--data-dir", data_dir, "import", files[0], str(bogus)]) == 1
    cap = capsys.readouterr()
    assert "đã có (bỏ qua)" in cap.out
    assert "thu.zip: từ chối: Tệp không phải gói nén ZIP của KDX." in cap.err
    assert main(["--data-dir", data_dir, "status", "--year", "2025", "--json"]) == 0
    board = json.loads(capsys.readouterr().out)
    assert board["summary"]["received"] == 3 and board["deadline"] == "2025-11-25"
    assert main(["--data-dir", data_dir, "status", "--year", "2025"]) == 0
    assert "đã nhận 3/3 báo cáo" in capsys.readouterr().out
    out_dir = tmp_path / "tonghop"
    out_dir.mkdir()
    # Not issued without a signer: refused, nothing written, then signed for in Cài đặt cơ quan.
    assert main(["--data-dir", data_dir, "profile", "--org", "STTTT", "--from", "2024", "signer_name="]) == 0
    assert main(["--data-dir", data_dir, "consolidate", "--year", "2025", "--out", str(out_dir)]) == 2
    cap = capsys.readouterr()
    assert "chưa có người ký" in cap.err and "Họ và tên người ký" in cap.err
    assert "Lưu ý: báo cáo năm 2025 của chính Sở còn thiếu" in cap.err  # said before, not after
    assert list(out_dir.iterdir()) == []
    assert (
        main(
            [
                "--data-dir",
                data_dir,
                "profile",
                "--org",
                "STTTT",
                "--from",
                "2025",
                "signer_name=Phạm Minh Đức",
            ]
        )
        == 0
    )
    assert main(["--data-dir", data_dir, "consolidate", "--year", "2025", "--out", str(out_dir)]) == 0
    assert sorted(p.name for p in out_dir.iterdir()) == [
        "BaoCaoTongHop_SVHTTDL_2025.pdf",
        "BaoCaoTongHop_SVHTTDL_2025.xlsx",
    ]
    assert main(["--data-dir", data_dir, "status", "--year", "2031"]) == 2
    # reopen for the fixture's teardown
    so.store = open_app(Path(data_dir)).store


def test_rejected_file_reports_one_vietnamese_line(so: App, tmp_path: Path) -> None:
    p = tmp_path / "BaoCao_BQN_2025_lan1.zip"
    p.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    out = import_paths(so, [p])[0]
    assert out.kind == REJECTED and out.code == "zip.corrupt"
    assert out.line.count("\n") == 0 and "từ chối: Tệp nén bị cắt cụt" in out.line


def test_files_are_named_with_the_abbreviation_and_old_names_still_import(
    so: App, packages: dict[tuple[str, int], Path], tmp_path: Path
) -> None:
    """An export is named for the organisation's document abbreviation of the year (BQN in 2025,
    BKT in 2024), never KDX's code; a package sent under the older ``KDX_…`` name still imports."""
    assert packages[("BKT", 2025)].name == "BaoCao_BQN_2025_lan1.zip"
    assert packages[("BKT", 2024)].name == "BaoCao_BKT_2024_lan1.zip"
    assert {p.name for p in packages[("BKT", 2025)].parent.glob("BaoCao_BQN_2025_lan1.*")} >= {
        "BaoCao_BQN_2025_lan1.zip",
        "BaoCao_BQN_2025_lan1.pdf",
        "BaoCao_BQN_2025_lan1.xlsx",
    }
    old = tmp_path / "cu" / "KDX_BKT_2025_r1.zip"
    old.parent.mkdir()
    old.write_bytes(packages[("BKT", 2025)].read_bytes())
    (outcome,) = import_paths(so, [old.parent])
    assert outcome.kind == IMPORTED, outcome.message
