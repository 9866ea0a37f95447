"""The smaller faults an outside attack found, each as a class: bounded digits in a scanned code,
dates no report can carry, the attachments list against the members, the conflict flag in the
consolidated report, and the mode of the files KDX writes to share."""

from __future__ import annotations

import copy
import hashlib
import sys
import zipfile
from pathlib import Path

import pytest
from cli_helpers import run
from hostile.make_corpus import Base
from hostile.packages import enter_province_facts, export_demo
from printed import pdf_text, words

from kdx_desktop.core.values import InvalidValue, field_for_key, parse_input
from kdx_desktop.services.intake import consolidate, import_bytes
from kdx_desktop.services.reporting import App, open_app


@pytest.fixture(scope="module")
def base(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Base:
    pkgs = export_demo(demo_dir, tmp_path_factory.mktemp("smalls-export"), years=(2025,))
    return Base(pkgs[("BKT", 2025)].read_bytes())


@pytest.fixture
def so(tmp_path: Path) -> App:
    (tmp_path / "so").mkdir()
    a = open_app(tmp_path / "so")
    yield a
    a.close()


def test_a_scanned_code_with_a_5000_digit_year_is_refused_not_a_crash(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: ValueError (Python's limit on int() of long digit strings)."""
    data = str(tmp_path / "so")
    for qr in (
        f"KDX;BKT;{'2' * 5000};r1;AAAA-BBBB-CCCC;{'a' * 64}",
        f"KDX;BKT;2025;r{'1' * 5000};A;{'a' * 64}",
    ):
        code, _out, err = run(
            capsys, "paper", "--data-dir", data, "--org", "BKT", "--year", "2025", "--code", qr
        )
        assert code == 1 and "mã QR không đúng dạng" in err, err
        assert len(err) < 400  # the message quotes nothing of that length


@pytest.mark.parametrize("typed", ["01/01/0001", "31/12/9999", "0001-01-01", "1999-12-31"])
def test_dates_no_report_can_carry_are_refused_at_input(catalog: object, typed: str) -> None:
    fld = field_for_key(catalog, "task.T1.product_date")  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match="ngoài khoảng hợp lý"):
        parse_input(fld, typed)
    assert parse_input(fld, "15/11/2025").year == 2025  # type: ignore[union-attr]


def test_dates_no_report_can_carry_are_refused_at_the_sso(base: Base, so: App) -> None:
    """Before: a product dated 0001-01-01 and a package "created" in 0001 or 9999 were accepted."""
    cases = []
    for day in ("0001-01-01", "9999-12-31"):
        d = copy.deepcopy(base.data)
        task = next(iter(d["tasks"]))
        d["tasks"][task]["product_date"] = day
        cases.append((f"product {day}", d, "value.invalid"))
    for created in ("0001-01-01T00:00:00+07:00", "9999-12-31T23:59:59+07:00", "2020-06-01T08:00:00+07:00"):
        d = copy.deepcopy(base.data)
        d["created_at"] = created
        cases.append((f"created {created}", d, "data.created_at"))
    for name, d, code in cases:
        out = import_bytes(so, base.pack(d), f"{name}.zip")
        assert out.refused and out.code == code, (name, out.line)


def test_the_attachments_list_must_match_the_members(base: Base, so: App) -> None:
    """Before: data.json could list files the package did not hold, or omit ones it did."""
    d = copy.deepcopy(base.data)
    d["attachments"] = [
        {
            "path": "attachments/T1/quyet-dinh.pdf",
            "file_name": "quyet-dinh.pdf",
            "task_code": "T1",
            "sha256": "0" * 64,
            "size": 3,
        }
    ]
    listed_not_held = import_bytes(so, base.pack(d), "listed.zip")
    assert listed_not_held.refused and listed_not_held.code == "data.attachments", listed_not_held.line
    files = {**base.others(), "attachments/T1/an.pdf": b"%PDF-1.4 hidden"}
    held_not_listed = import_bytes(so, base.pack(files=files), "held.zip")
    assert held_not_listed.refused and held_not_listed.code == "data.attachments", held_not_listed.line
    assert import_bytes(so, base.raw, "honest.zip").kind == "imported"


@pytest.mark.parametrize(
    ("file_name", "task_code", "path", "says"),
    [
        ("hop-dong\u202efdp.exe", "T1", "attachments/T1/hop-dong.pdf", "ngụy trang"),
        ("bien-ban\n.pdf", "T1", "attachments/T1/bien-ban.pdf", "ký tự điều khiển"),
        ("", "T1", "attachments/T1/bien-ban.pdf", "tên gốc của tệp trống"),
        (7, "T1", "attachments/T1/bien-ban.pdf", "sai kiểu"),
        ("bien-ban.pdf", "T999", "attachments/T999/bien-ban.pdf", "không có trong danh mục"),
        ("bien-ban.pdf", "T2", "attachments/T1/bien-ban.pdf", "ngoài thư mục"),
    ],
)
def test_an_attachment_described_to_disguise_it_is_refused(
    base: Base, so: App, file_name: object, task_code: str, path: str, says: str
) -> None:
    """Before: the bytes and path of an attachment were checked, but not the name and task the Sở
    reads beside them: a right-to-left mark could show "fdp.exe" as "exe.pdf"."""
    body = b"%PDF-1.4 bien ban"
    d = copy.deepcopy(base.data)
    listed = {"path": path, "file_name": file_name, "task_code": task_code, "size": len(body)}
    d["attachments"] = [{**listed, "sha256": hashlib.sha256(body).hexdigest()}]
    out = import_bytes(so, base.pack(d, files={**base.others(), path: body}), "gia.zip")
    assert out.refused and out.code == "data.attachments", out.line
    assert says in out.line and path in out.line, out.line
    honest = {
        **d["attachments"][0],
        "file_name": "Biên bản.pdf",
        "task_code": "T1",
        "path": "attachments/T1/b.pdf",
    }
    d["attachments"] = [honest]
    ok = import_bytes(so, base.pack(d, files={**base.others(), "attachments/T1/b.pdf": body}), "that.zip")
    assert ok.kind == "imported", ok.line


def test_the_consolidated_report_shows_the_conflict_flag_and_is_shared_like_exports(
    base: Base, so: App, tmp_path: Path
) -> None:
    """Before: the conflict the status board showed was missing from the consolidated report, and
    its files were private (0600) while exports are 0644."""
    enter_province_facts(so, (2025,))
    assert import_bytes(so, base.raw, "r1.zip").kind == "imported"
    other = copy.deepcopy(base.data)
    other["narrative"]["results"] += " Bản khác cùng lần gửi."
    assert import_bytes(so, base.pack(other), "r1-khac.zip").kind == "conflict"
    out = tmp_path / "tong-hop"
    paths = consolidate(so, 2025, out)
    xlsx = next(p for p in paths if p.suffix == ".xlsx")
    pdf = next(p for p in paths if p.suffix == ".pdf")
    from openpyxl import load_workbook

    wb = load_workbook(xlsx, read_only=True)
    headers = [
        str(c) for ws in wb.worksheets for row in ws.iter_rows(max_row=12, values_only=True) for c in row if c
    ]
    wb.close()
    assert any("xung đột" in h for h in headers), headers[:20]
    assert "xung đột" in words(pdf_text(pdf))
    if sys.platform != "win32":
        assert {p.stat().st_mode & 0o777 for p in paths} == {0o644}
    with zipfile.ZipFile(xlsx) as zf:  # and it is a valid workbook
        assert "xl/workbook.xml" in zf.namelist()
