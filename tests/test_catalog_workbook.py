"""The Sở edits the catalogue in a workbook: export, change, build, install; refusals name the cell."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from cli_helpers import run
from openpyxl import load_workbook

from kdx_desktop.core.catalog_loader import load_catalog
from kdx_desktop.services.catalog_workbook import (
    INDICATOR_SHEET,
    ORG_SHEET,
    WorkbookProblem,
    build_from_workbook,
    export_workbook,
)
from kdx_desktop.services.editions import install
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.intake import consolidate, import_bytes, status_board
from kdx_desktop.services.reporting import App, load_state, open_app, reopen


def _find(ws: Any, heading: str) -> int:
    return [c.value for c in ws[1]].index(heading) + 1


def _row_of(ws: Any, code: str, *, last: bool = False) -> int:
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == code]
    return rows[-1] if last else rows[0]


def edited_workbook(base: bytes) -> bytes:
    """Edition 2 made in the workbook: a 2026 target, a signer, a new indicator of an existing
    type, and the radio-TV station closed with the newspaper as its successor."""
    wb = load_workbook(io.BytesIO(base))
    ed = wb["Lần ban hành"]
    ed["B2"], ed["B3"], ed["B4"] = 2, "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi", "02/02/2026"
    ind = wb[INDICATOR_SHEET]
    ind.cell(_row_of(ind, "pl1_3"), _find(ind, "2026"), 25)
    src = _row_of(ind, "ii_2")
    new = ind.max_row + 1
    for col in range(1, ind.max_column + 1):
        ind.cell(new, col, ind.cell(src, col).value)
    ind.cell(new, 1, "x_ai")
    ind.cell(new, 2, "BS-1")
    ind.cell(new, 3, "Tỷ lệ cơ quan báo chí dùng nền tảng trí tuệ nhân tạo (bổ sung)")
    ind.cell(new, 4, "Dùng AI (bổ sung)")
    for y in range(2023, 2031):
        ind.cell(new, _find(ind, str(y)), None)
    ind.cell(new, _find(ind, "2026"), 100)
    org = wb[ORG_SHEET]
    bkt = _row_of(org, "BKT", last=True)
    org.cell(bkt, _find(org, "Chức vụ người ký"), "Tổng Biên tập (kiêm Giám đốc)")
    for r in range(2, org.max_row + 1):
        if org.cell(r, 1).value == "PTTH":
            org.cell(r, _find(org, "Tổ chức kế tục"), "BKT")
    org.cell(_row_of(org, "PTTH", last=True), _find(org, "Đến"), "31/12/2025")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_edit_build_install_and_consolidate_across_the_merge(
    agency: App, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # At the Sở: export, edit, build (the differences are printed before the file is written).
    so = tmp_path / "so"
    so.mkdir()
    xlsx, out = tmp_path / "danh-muc.xlsx", tmp_path / "lan2.kdxdm"
    code, text, err = run(capsys, "--data-dir", str(so), "catalog", "export", "--xlsx", str(xlsx))
    assert code == 0, err
    edited = tmp_path / "danh-muc-sua.xlsx"
    edited.write_bytes(edited_workbook(xlsx.read_bytes()))
    code, text, err = run(capsys, "--data-dir", str(so), "catalog", "build", str(edited), "--out", str(out))
    assert code == 0, err
    assert "Chỉ tiêu PL1-3 năm 2026: — → 25%." in text
    assert "Thêm chỉ tiêu BS-1" in text
    assert (
        "Tổ chức Đài Phát thanh - Truyền hình tỉnh Kon Tum (PTTH) được kế tục bởi Báo Quảng Ngãi (BQN)."
        in text
    )
    assert "chức vụ người ký “Tổng Biên tập” → “Tổng Biên tập (kiêm Giám đốc)”" in text
    assert text.index("Thay đổi") if "Thay đổi" in text else True
    assert out.exists() and "Mã xác thực:" in text

    # At the agency: exported 2024-2025 reports and a 2026 draft.
    old: dict[int, tuple[str, list[Any]]] = {}
    pkgs: dict[str, bytes] = {}
    for year in (2024, 2025):
        res = export_report(agency, "BKT", year, tmp_path / "e1")
        old[year] = (
            res.data_sha256,
            [(r.code, r.status, r.value) for r in load_state(agency, "BKT", year).indicators],
        )
        pkgs[f"BKT{year}"] = res.package.read_bytes()
    code, text, err = run(capsys, "--data-dir", str(agency.data_dir), "catalog", "install", str(out))
    assert code == 0, err
    assert "PTTH" not in text  # what changes for this agency only
    fresh = open_app(agency.data_dir)  # type: ignore[arg-type]
    try:
        for year in (2024, 2025):
            st = load_state(fresh, "BKT", year)
            assert (
                export_report(fresh, "BKT", year, tmp_path / "e2").data_sha256,
                [(r.code, r.status, r.value) for r in st.indicators],
            ) == old[year]
        draft = load_state(fresh, "BKT", 2026)
        by = {r.code: r for r in draft.indicators}
        assert by["pl1_3"].target == 25 and by["x_ai"].target == 100
        assert "x_ai" in {i.code for i in draft.catalog.indicators_for("newspaper")}
        reopen(fresh, "BKT", 2025, "Gửi lại theo danh mục mới")
        pkgs["BKT2025r2"] = export_report(fresh, "BKT", 2025, tmp_path / "e3").package.read_bytes()
    finally:
        fresh.close()

    # Back at the Sở: it installs its own edition, imports packages of both editions and
    # consolidates; from 2026 the station is no longer expected.
    sở = open_app(so)
    try:
        sở.store.set_setting("this_org", "STTTT", user="test")
        install(sở, out.read_bytes())
        for name, raw in pkgs.items():
            assert import_bytes(sở, raw, f"{name}.zip").kind in ("imported", "replaced"), name
        sở.store.save_profile("STTTT", 2025, {"signer_name": "Phạm Minh Đức"})  # its signer
        paths = consolidate(sở, 2025, tmp_path / "tonghop")
        assert all(p.exists() for p in paths)
        assert "PTTH" in {r.org_code for r in status_board(sở, 2025).rows}
        assert "PTTH" not in {r.org_code for r in status_board(sở, 2026).rows}
    finally:
        sở.close()


def _problem(mutate: Any) -> str:
    cat = load_catalog()
    wb = load_workbook(io.BytesIO(edited_workbook(export_workbook(cat))))
    mutate(wb)
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(WorkbookProblem) as exc:
        build_from_workbook(buf.getvalue(), cat)
    return str(exc.value)


def _set(sheet: str, code: str, heading: str, value: Any) -> Any:
    def mutate(wb: Any) -> None:
        ws = wb[sheet]
        ws.cell(_row_of(ws, code), _find(ws, heading), value)

    return mutate


def _set_all(sheet: str, code: str, heading: str, value: Any) -> Any:
    def mutate(wb: Any) -> None:
        ws = wb[sheet]
        for r in range(2, ws.max_row + 1):
            if ws.cell(r, 1).value == code:
                ws.cell(r, _find(ws, heading), value)

    return mutate


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            _set(INDICATOR_SHEET, "pl1_3", "2026", "hai mươi"),
            "Trang “Chỉ tiêu”, dòng 4, cột M (2026): phải là số",
        ),
        (
            _set(INDICATOR_SHEET, "pl1_3", "Tên", '=HYPERLINK("x")'),
            "Trang “Chỉ tiêu”, dòng 4, cột C (Tên): ô chứa công thức",
        ),
        (
            _set(INDICATOR_SHEET, "pl1_3", "Tên", unicodedata.normalize("NFD", "Tăng trưởng")),
            "Trang “Chỉ tiêu”, dòng 4, cột C (Tên): văn bản không ở dạng Unicode dựng sẵn",
        ),
        (
            _set(ORG_SHEET, "BKT", "Phải báo cáo", "Yes"),
            "Trang “Tổ chức”, dòng 2, cột C (Phải báo cáo): ghi “Có” hoặc “Không”",
        ),
        (
            _set(ORG_SHEET, "BKT", "Từ", "31/02/2023"),
            "Trang “Tổ chức”, dòng 2, cột F (Từ): phải là một năm hoặc một ngày",
        ),
        (
            _set(INDICATOR_SHEET, "pl1_3", "Khác (JSON)", json.dumps({"compute": {"type": "median"}})),
            "Trang “Chỉ tiêu”, dòng 4: Chỉ tiêu “pl1_3”: cách tính “median” không hợp lệ",
        ),
        (_set(INDICATOR_SHEET, "pl1_3", "Khác (JSON)", "{compute"), "Trang “Chỉ tiêu”, dòng 4, cột"),
        (
            _set(ORG_SHEET, "PTTH", "Tổ chức kế tục", "NOPE"),
            "Trang “Tổ chức”, dòng 6: cột “Tổ chức kế tục” của PTTH phải giống các dòng khác",
        ),
        (
            _set_all(ORG_SHEET, "PTTH", "Tổ chức kế tục", "NOPE"),
            "Tổ chức “PTTH”: tổ chức kế tục “NOPE” không có",
        ),
        (lambda wb: wb["Lần ban hành"].__setitem__("B2", 1), "phải lớn hơn lần hiện tại (1)"),
        (lambda wb: wb.remove(wb["Quy tắc"]), "Bảng tính thiếu trang “Quy tắc”"),
    ],
)
def test_a_wrong_cell_is_refused_with_sheet_row_and_column(mutate: Any, message: str) -> None:
    assert message in _problem(mutate)


def test_a_refused_build_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cat = load_catalog()
    wb = load_workbook(io.BytesIO(edited_workbook(export_workbook(cat))))
    _set(INDICATOR_SHEET, "pl1_3", "2026", "x")(wb)
    bad = tmp_path / "sai.xlsx"
    wb.save(bad)
    out = tmp_path / "lan2.kdxdm"
    code, _, err = run(
        capsys, "--data-dir", str(tmp_path / "d"), "catalog", "build", str(bad), "--out", str(out)
    )
    assert code == 2 and "cột M (2026): phải là số" in err and not out.exists()


def test_the_same_workbook_builds_the_same_file_under_any_hash_seed(tmp_path: Path) -> None:
    """The edition file's hash names it in every package: building one workbook twice must give the
    same bytes, whatever order the interpreter gives a set (it once followed PYTHONHASHSEED)."""
    book = tmp_path / "lan2.xlsx"
    book.write_bytes(edited_workbook(export_workbook(load_catalog())))
    code = (
        "import sys; from pathlib import Path\n"
        "from kdx_desktop.core.catalog_loader import load_catalog\n"
        "from kdx_desktop.services.catalog_workbook import build_from_workbook\n"
        "sys.stdout.buffer.write(build_from_workbook(Path(sys.argv[1]).read_bytes(), load_catalog()).catalog.source)\n"
    )
    built = set()
    for seed in ("1", "2", "3", "4"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        res = subprocess.run(
            [sys.executable, "-c", code, str(book)], env=env, capture_output=True, timeout=120
        )
        assert res.returncode == 0, res.stderr.decode()
        built.add(res.stdout)
    assert len(built) == 1
    assert b'"successor": "BKT"' in next(iter(built))  # the edit is in it
