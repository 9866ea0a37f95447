"""Characters that are not XML (U+FFFE, U+FFFF, the other non-characters, C0 controls) are refused
where text comes in — the form and the command line, a package at the Sở — so no workbook, the
Sở's consolidated one included, can hold them."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
from cli_helpers import run
from hostile.make_corpus import Base
from hostile.packages import export_demo

from kdx_desktop.core.text import TextError, clean_text, printable
from kdx_desktop.services.intake import import_bytes
from kdx_desktop.services.reporting import UsageError, open_app, set_values

NOT_XML = ["\ufffe", "\uffff", "\ufdd0", "\ufdef", "\U0001fffe", "\U0010ffff", "\x00", "\x0b", "\x1f"]


@pytest.mark.parametrize("bad", NOT_XML)
def test_clean_text_refuses_what_xml_cannot_hold(bad: str) -> None:
    """Before: U+FFFE, U+FFFF and the other non-characters were accepted."""
    with pytest.raises(TextError, match=f"U\\+{ord(bad):04X}"):
        clean_text(f"Kết quả {bad} năm 2025")
    assert "\ufffd" in printable(f"tệp{bad}.zip")


def test_ordinary_text_still_passes() -> None:
    text = "Đã số hóa 1.234 trang báo – “Quảng Ngãi” ✓ 🇻🇳 \u200b\u00ad\t\nhết."
    assert clean_text(text) == text


def test_the_form_and_the_command_line_refuse_them(
    demo_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    shutil.copytree(demo_dir, folder)
    app = open_app(folder)
    try:
        with pytest.raises((UsageError, TextError), match="U\\+FFFE"):
            set_values(app, "BKT", 2026, {"narrative.results": "Kết quả \ufffe tốt"})
    finally:
        app.close()
    code, _out, err = run(
        capsys,
        "set",
        "--data-dir",
        str(folder),
        "--org",
        "BKT",
        "--year",
        "2026",
        "narrative.results=a\uffffb",
    )
    assert code == 2 and "U+FFFF" in err


def test_a_package_carrying_them_is_refused_at_the_sso(demo_dir: Path, tmp_path: Path) -> None:
    """Before: imported, and the consolidated workbook then held a character that is not XML."""
    base = Base(export_demo(demo_dir, tmp_path / "export", years=(2025,))[("BKT", 2025)].read_bytes())
    so = tmp_path / "so"
    so.mkdir()
    app = open_app(so)
    try:
        for where in ("narrative", "identity"):
            d = copy.deepcopy(base.data)
            key = "results" if where == "narrative" else "name"
            d[where][key] = d[where][key] + " \ufffe"
            out = import_bytes(app, base.pack(d), f"KDX_{where}.zip")
            assert out.refused and "U+FFFE" in out.message, out.line
        assert app.store.db.execute("SELECT count(*) FROM received_packages").fetchone() == (0,)
    finally:
        app.close()
