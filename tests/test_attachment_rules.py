"""One set of name and size rules for an attachment, at attaching, export and the Sở's import:
what the Sở would refuse is refused when it is attached, with a message; what an older KDX let in
is exported under a name the Sở accepts; an ordinary uncompressed scan passes."""

from __future__ import annotations

import re
import shutil
import struct
from pathlib import Path

import pytest

from kdx_desktop.services.attachments import MAX_BYTES, add_attachment, list_attachments
from kdx_desktop.services.exporting import export_report
from kdx_desktop.services.intake import import_paths
from kdx_desktop.services.reporting import App, UsageError, open_app


@pytest.fixture
def agency(demo_dir: Path, tmp_path: Path) -> App:
    d = tmp_path / "agency"
    shutil.copytree(demo_dir, d)
    a = open_app(d)
    yield a
    a.close()


def _report(app: App):  # type: ignore[no-untyped-def]
    rep = app.store.find_report("BKT", 2025)
    assert rep is not None and not rep.locked
    return rep


def _file(folder: Path, name: str, content: bytes = b"%PDF-1.4 minh chung") -> Path:
    p = folder / name
    p.write_bytes(content)
    return p


def _import_at_the_sso(package: Path, tmp_path: Path) -> str:
    so = tmp_path / "so"
    so.mkdir(exist_ok=True)
    app = open_app(so)
    try:
        out = import_paths(app, [package])[0]
        return out.kind if not out.refused else f"{out.code}: {out.message}"
    finally:
        app.close()


@pytest.mark.parametrize(
    ("name", "why"),
    [
        ("Quyết\u200bđịnh.pdf", "U+200B"),  # zero-width space
        ("Kế\u00adhoạch.pdf", "U+00AD"),  # soft hyphen
        ("👨\u200d💻.pdf", "U+200D"),  # emoji joiner
        ("a" * 186 + ".pdf", "tối đa"),
    ],
)
def test_a_name_the_sso_would_refuse_is_refused_when_attached(
    agency: App, tmp_path: Path, name: str, why: str
) -> None:
    """Before: attached, and then every export crashed with ValueError."""
    with pytest.raises(UsageError, match=re.escape(why)):
        add_attachment(agency, _report(agency), "T1", _file(tmp_path, name))
    assert list_attachments(agency, _report(agency).id, "T1") == []


def test_names_equal_but_for_case_are_refused_when_attached(agency: App, tmp_path: Path) -> None:
    """Before: Scan.pdf and scan.pdf were exported, and the Sở refused the package (duplicates)."""
    add_attachment(agency, _report(agency), "T1", _file(tmp_path, "Scan.pdf", b"%PDF-1.4 mot"))
    (tmp_path / "khac").mkdir()
    with pytest.raises(UsageError, match="chữ hoa, chữ thường"):
        add_attachment(agency, _report(agency), "T1", _file(tmp_path / "khac", "scan.pdf", b"%PDF-1.4 hai"))


def test_names_an_older_kdx_let_in_are_exported_as_the_sso_accepts(agency: App, tmp_path: Path) -> None:
    rep = _report(agency)
    first = add_attachment(agency, rep, "T1", _file(tmp_path, "Scan.pdf", b"%PDF-1.4 mot"))
    second = add_attachment(agency, rep, "T1", _file(tmp_path, "khac.pdf", b"%PDF-1.4 hai"))
    third = add_attachment(agency, rep, "T1", _file(tmp_path, "ba.pdf", b"%PDF-1.4 ba"))
    with agency.store.transaction():  # as an older KDX stored them
        for att, name in ((second, "scan.pdf"), (third, "Quyết\u200bđịnh " + "x" * 200 + ".pdf")):
            agency.store.db.execute("UPDATE attachments SET file_name = ? WHERE id = ?", [name, att.id])
    assert first.file_name == "Scan.pdf"
    package = export_report(agency, "BKT", 2025, tmp_path / "out").package
    assert _import_at_the_sso(package, tmp_path) == "imported"


def _scan_bmp(width: int = 1240, height: int = 1754, *, text: bool = True) -> bytes:
    """An uncompressed 24-bit A4 scan at 150 dpi: white paper, a few lines of dark text (none
    when ``text`` is false: a blank page)."""
    row = width * 3
    pad = (4 - row % 4) % 4
    rows = []
    white = b"\xff" * row + b"\x00" * pad
    for y in range(height):
        if text and 200 <= y < 1500 and y % 40 < 14:
            line = bytearray(b"\xff" * row)
            for x in range(150, width - 150, 9):
                if (x * 7 + y * 3) % 5 < 3:
                    line[x * 3 : x * 3 + 15] = b"\x20" * 15
            rows.append(bytes(line[:row]) + b"\x00" * pad)
        else:
            rows.append(white)
    pixels = b"".join(rows)
    header = struct.pack("<2sIHHI", b"BM", 54 + len(pixels), 0, 0, 54)
    info = struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, len(pixels), 5906, 5906, 0, 0)
    return header + info + pixels


def test_an_ordinary_uncompressed_scan_passes_at_the_sso(agency: App, tmp_path: Path) -> None:
    """Before: a BMP scan (about 280:1 deflated) was refused at the Sở as a zip bomb."""
    import zlib

    bmp = _scan_bmp()
    ratio = len(bmp) / len(zlib.compress(bmp, 9))
    assert ratio > 150, ratio  # the kind of file the old ratio limit (100:1) refused
    add_attachment(agency, _report(agency), "T1", _file(tmp_path, "Quyết định (bản quét).bmp", bmp))
    package = export_report(agency, "BKT", 2025, tmp_path / "out").package
    assert _import_at_the_sso(package, tmp_path) == "imported"


@pytest.mark.parametrize(
    ("width", "height"),
    [(1240, 1754), (2480, (MAX_BYTES - 54) // (2480 * 3))],
    ids=["a4-150dpi", "the-largest-attachable"],
)
def test_a_blank_page_scan_passes_attach_export_and_import(
    agency: App, tmp_path: Path, width: int, height: int
) -> None:
    """Before: a blank page scanned as BMP (deflated at about 1030:1, as a run of zeros) was
    refused as a zip bomb at export and at the Sở. Now any file an agency may attach passes all
    three steps, up to the largest one (a 300 dpi page cut to 20 MB)."""
    import zlib

    from kdx_desktop.package.limits import DEFAULT_LIMITS

    bmp = _scan_bmp(width, height, text=False)
    assert len(bmp) <= MAX_BYTES == DEFAULT_LIMITS.max_attachment_bytes
    assert len(bmp) / len(zlib.compress(bmp, 9)) > DEFAULT_LIMITS.max_ratio  # over the ratio limit
    add_attachment(agency, _report(agency), "T1", _file(tmp_path, "Trang trắng (bản quét).bmp", bmp))
    package = export_report(agency, "BKT", 2025, tmp_path / "out").package
    assert _import_at_the_sso(package, tmp_path) == "imported"


def test_scans_that_fit_the_package_but_unpack_past_the_sos_total_are_refused_at_export(
    agency: App, tmp_path: Path
) -> None:
    """Seven blank pages of 20 MB pack into a few hundred KB but make 140 MB unpacked, more than
    the Sở unpacks: export says so, in figures, and writes nothing, rather than build a package
    the Sở refuses."""
    from kdx_desktop.services.exporting import ExportRefused

    bmp = _scan_bmp(2480, (MAX_BYTES - 54) // (2480 * 3), text=False)
    for i in range(7):
        page = bmp[:-4] + i.to_bytes(4, "little")  # each page its own file (hash)
        add_attachment(agency, _report(agency), "T1", _file(tmp_path, f"Trang {i + 1}.bmp", page))
    with pytest.raises(ExportRefused) as err:
        export_report(agency, "BKT", 2025, tmp_path / "out")
    assert err.value.message.startswith("Các tệp trong gói báo cáo khi giải nén có tổng dung lượng 140,")
    assert "Sở chỉ nhận đến 120,0 MB. Hãy bớt hoặc thu nhỏ tệp minh chứng." in err.value.message
    assert not _report(agency).locked
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
