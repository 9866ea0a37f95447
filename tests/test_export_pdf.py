"""The printed report, checked with the tools an office would trust: pdftotext, pdffonts,
pdfinfo, zbarimg (the QR code), on the demo data."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from kdx_desktop.agency.report_pdf import indicator_rows, task_rows
from kdx_desktop.core.compute import format_target
from kdx_desktop.core.vntime import vietnam_date
from kdx_desktop.documents.pdf_layout import vn_date
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.identity import identity
from kdx_desktop.services.reporting import load_state, open_app, set_values
from tests.printed import long_task_report, pdf_pages, pdf_text
from tests.tools import need


def flat(text: str) -> str:
    """Whitespace collapsed, and a split value broken after its slash joined again."""
    return re.sub(r"\s+", " ", text).replace("%/ ", "%/")


@pytest.fixture(scope="module")
def exported(demo_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    data = tmp_path_factory.mktemp("pdfdata") / "data"
    shutil.copytree(demo_dir, data)
    out = tmp_path_factory.mktemp("pdfout")
    app = open_app(data)
    # Markup-looking text must print literally, never be parsed.
    set_values(
        app, "BKT", 2025, {"narrative.proposals": "Đề nghị <b>hỗ trợ</b> & <img src='/etc/passwd'/> a <b"}
    )
    result = export_report(app, "BKT", 2025, out)
    state = load_state(app, "BKT", 2025)
    ident = identity(app.catalog, app.store, "BKT", 2025)
    yield {"app": app, "result": result, "state": state, "ident": ident, "data": data}
    app.close()


def test_page_size_is_a4_and_fonts_are_embedded(exported: dict) -> None:  # type: ignore[type-arg]
    pdf = exported["result"].pdf
    info = subprocess.run([need("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "(A4)" in info
    fonts = subprocess.run([need("pdffonts"), str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    for row in rows:
        cols = row.split()
        assert cols[-5] == "yes", f"font not embedded: {row}"  # the "emb" column
    assert not re.search(r"Helvetica|Times-Roman|Courier", fonts)


def test_text_has_the_administrative_frame(exported: dict) -> None:  # type: ignore[type-arg]
    res, ident = exported["result"], exported["ident"]
    text = flat(pdf_text(res.pdf))
    for piece in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "TỈNH ỦY QUẢNG NGÃI",
        "BÁO QUẢNG NGÃI",
        "/BC-BQN",
        "BÁO CÁO",
        "Kết quả thực hiện Kế hoạch chuyển đổi số và phát triển báo chí năm 2025",
        "Kính gửi: " + ident.recipient,
        "I. KẾT QUẢ THỰC HIỆN",
        "II. KHÓ KHĂN, VƯỚNG MẮC",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
        "Nơi nhận:",
        "- Lưu: VT, BQN.",
        "TỔNG BIÊN TẬP",
    ):
        assert piece in text, piece
    # The day of issue is the day in Vietnam, not the stored time's UTC day (17:00-24:00 UTC differ).
    assert vn_date(vietnam_date(res.manifest["created_at"]), "Quảng Ngãi") in text
    assert re.search(r"năm 2025 của Báo Quảng Ngãi\./\.", text)
    # user text printed literally
    assert "Đề nghị <b>hỗ trợ</b> & <img src='/etc/passwd'/> a <b" in text


def test_every_indicator_label_and_value_is_printed(exported: dict) -> None:  # type: ignore[type-arg]
    state = exported["state"]
    text = flat(pdf_text(exported["result"].pdf, "-raw"))
    rows = indicator_rows(state, state.indicators)
    assert len(rows) == len(state.indicators) >= 10
    for _n, label, _unit, prev, value, target, status, _why in rows:
        assert flat(label) in text, label
        for shown in (prev, value, target, status):
            assert shown in text, (label, shown)
    # a known value of the demo: the split indicator as printed
    assert "61,2%/38,8%" in text
    for row in task_rows(state):
        assert flat(row[1]) in text


def test_verification_code_and_page_numbers_on_every_page(exported: dict) -> None:  # type: ignore[type-arg]
    res = exported["result"]
    pages = [p for p in pdf_pages(res.pdf) if p.strip()]
    assert len(pages) >= 2
    for n, page in enumerate(pages, 1):
        assert f"Mã xác thực: {res.verification_code}" in page, n
        assert "Báo Quảng Ngãi · Báo cáo năm 2025 · Lần gửi 1" in page
        first_line = page.strip().splitlines()[0].strip()
        if n == 1:
            assert first_line != "1"
        else:
            assert first_line == str(n)


def test_qr_code_decodes_to_the_manifest_hash(exported: dict, tmp_path: Path) -> None:  # type: ignore[type-arg]
    res = exported["result"]
    need("pdftoppm")
    zbar = need("zbarimg")
    subprocess.run(["pdftoppm", "-png", "-r", "200", str(res.pdf), str(tmp_path / "p")], check=True)
    pages = sorted(tmp_path.glob("p-*.png"))
    decoded = subprocess.run([zbar, "--raw", "-q", str(pages[-1])], capture_output=True, text=True).stdout
    manifest = json.loads(zipfile.ZipFile(res.package).read("manifest.json"))
    assert manifest["data_sha256"] in decoded
    assert f"BKT;2025;r1;{manifest['verification_code']}" in decoded
    # only on the last page
    if len(pages) > 1:
        assert (
            subprocess.run([zbar, "--raw", "-q", str(pages[0])], capture_output=True, text=True).stdout == ""
        )


def test_targets_are_printed_as_the_plan_writes_them(exported: dict) -> None:  # type: ignore[type-arg]
    state = exported["state"]
    text = flat(pdf_text(exported["result"].pdf, "-raw"))
    ii7 = state.catalog.indicator("ii_7")
    assert format_target(ii7, 2025) == "5-10%"
    assert "5-10%" in text


def test_rendering_at_a_moment_is_byte_reproducible(exported: dict) -> None:  # type: ignore[type-arg]
    from kdx_desktop.agency.report_pdf import render_report
    from kdx_desktop.package.data import Seal

    state, ident = exported["state"], exported["ident"]
    seal = Seal(1, "ABCD-EFGH-JKMN", "0" * 64)
    at = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.UTC)
    one = render_report(state, ident, issued=dt.date(2026, 1, 5), seal=seal, moment=at)
    two = render_report(state, ident, issued=dt.date(2026, 1, 5), seal=seal, moment=at)
    assert one == two and b"/CreationDate (D:20260105150000+07'00')" in one


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (dt.date(2026, 1, 5), "Quảng Ngãi, ngày 05 tháng 01 năm 2026"),
        (dt.date(2026, 2, 28), "Quảng Ngãi, ngày 28 tháng 02 năm 2026"),
        (dt.date(2026, 3, 9), "Quảng Ngãi, ngày 09 tháng 3 năm 2026"),
        (dt.date(2025, 11, 25), "Quảng Ngãi, ngày 25 tháng 11 năm 2025"),
    ],
)
def test_dates_follow_decree_30(day: dt.date, text: str) -> None:
    assert vn_date(day, "Quảng Ngãi") == text


def test_a_task_result_at_its_length_limit_runs_over_pages(demo_dir: Path, tmp_path: Path) -> None:
    """A task's result and notes at their limits (4.000 + 2.000 characters) make a table row taller
    than a page: the row continues on the next page instead of the export failing."""
    _, pdf = long_task_report(demo_dir, tmp_path, task=0, text="Số hóa tòa soạn & <b>kho lưu trữ</b> ")
    assert pdf_text(pdf).count("<b>kho lưu trữ</b>") > 100  # all of it printed, literally
    pages = pdf_pages(pdf)
    on = [i for i, p in enumerate(pages) if "kho lưu trữ" in p]
    assert len(on) >= 3 and on == list(range(on[0], on[-1] + 1))
