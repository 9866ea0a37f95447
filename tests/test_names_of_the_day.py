"""A report is issued by the bodies in force on the day it is issued (issue #13 item 6): a 2024
report exported today names today's issuer, governing body, place and recipients, and keeps its
subject year in the title and tables. Read from the rendered PDF, as a reader sees it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from printed import pdf_text, words

from kdx_desktop.core.vntime import today_in_vietnam as vietnam_today
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.intake import consolidate, import_bytes
from kdx_desktop.services.reporting import open_app


def test_a_2024_report_exported_today_prints_todays_issuer_and_recipients(
    demo_dir: Path, tmp_path: Path
) -> None:
    assert vietnam_today() >= dt.date(2025, 7, 1)  # the province merged before today
    d = tmp_path / "d"
    shutil.copytree(demo_dir, d)
    app = open_app(d)
    try:
        res = export_report(app, "BKT", 2024, tmp_path / "out")
        text = words(pdf_text(res.pdf, "-layout"))
        head = text[: text.index("BÁO CÁO")]
        assert "TỈNH ỦY QUẢNG NGÃI" in head and "BÁO QUẢNG NGÃI" in head
        assert (
            f"Quảng Ngãi, ngày {vietnam_today().day:02d}" in head
            or f"Quảng Ngãi, ngày {vietnam_today().day}" in head
        )
        assert "KON TUM" not in head and "Kon Tum" not in head
        assert "Sở Văn hóa, Thể thao và Du lịch tỉnh Quảng Ngãi" in text
        assert "Sở Thông tin và Truyền thông" not in text
        assert "năm 2024" in text  # the subject year stays in the title and tables

        # The Sở's consolidated report of 2024, made today, is issued by today's Sở.
        so = tmp_path / "so"
        so.mkdir()
        sở = open_app(so)
        try:
            assert import_bytes(sở, res.package.read_bytes(), res.package.name).kind == "imported"
            sở.store.save_profile("STTTT", 2024, {"signer_name": "Phạm Minh Đức"})  # its signer
            pdf = next(p for p in consolidate(sở, 2024, tmp_path / "th") if p.suffix == ".pdf")
            text = words(pdf_text(pdf, "-layout"))
            head = text[: text.index("BÁO CÁO")]
            # (the header's two columns interleave in the extracted text)
            assert "ỦY BAN NHÂN DÂN" in head and "TỈNH QUẢNG NGÃI" in head
            assert "SỞ VĂN HÓA, THỂ THAO VÀ DU LỊCH" in head and "/BC-SVHTTDL" in head
            assert "KON TUM" not in head and "năm 2024" in text
        finally:
            sở.close()
    finally:
        app.close()
