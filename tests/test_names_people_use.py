"""No internal code in any text people read (issue: names people use).

Collected with the demo data and checked against the ids derived from the catalogue
(``tests/internal_codes.py``): every text of the window (every page, the side panels, the
justification panel for every problem, the intake board) at an agency and at the Sở; what the
command line prints for people; the names of every file written; and the text of every PDF,
workbook and mail draft. Plus one check on the code: no Vietnamese sentence formats an id.
"""

from __future__ import annotations

import ast
import dataclasses
import email
import re
from email import policy
from pathlib import Path
from typing import Any

import pytest

from kdx_desktop.core.catalog import Catalog
from tests.cli_helpers import run
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo
from tests.internal_codes import file_name_leaks, finder, internal_codes, leaks
from tests.printed import pdf_text

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
ROOT = Path(__file__).resolve().parent.parent


# -- the window ---------------------------------------------------------------------------------


def window_texts(window: Any) -> list[tuple[str, str]]:
    """Every text of the window a person can read: labels, buttons, tooltips, titles, menus and
    toolbar, combo box entries, text boxes, and every cell and header of every list and table."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QComboBox,
        QGroupBox,
        QLabel,
        QLineEdit,
        QPlainTextEdit,
        QTabWidget,
        QTextEdit,
        QWidget,
    )

    out: list[tuple[str, str]] = [("tiêu đề cửa sổ", window.windowTitle())]

    def add(where: str, text: Any) -> None:
        if isinstance(text, str) and text:
            out.append((where, text))

    for w in [window, *window.findChildren(QWidget)]:
        where = f"{type(w).__name__} {w.objectName()}".strip()
        add(f"{where} (gợi ý)", w.toolTip())
        add(f"{where} (thanh trạng thái)", w.statusTip())
        if w.isWindow():
            add(f"{where} (tiêu đề)", w.windowTitle())
        if isinstance(w, QLabel | QAbstractButton):
            add(where, w.text())
        elif isinstance(w, QLineEdit):
            add(where, w.text())
            add(where, w.placeholderText())
        elif isinstance(w, QPlainTextEdit | QTextEdit):
            add(where, w.toPlainText())
            add(where, w.placeholderText())
        elif isinstance(w, QGroupBox):
            add(where, w.title())
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                add(where, w.itemText(i))
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                add(where, w.tabText(i))
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            out += [(where + part, text) for part, text in model_texts(w.model())]
    for a in window.findChildren(QAction):
        add("lệnh", a.text())
        add("lệnh (gợi ý)", a.toolTip())
        add("lệnh (thanh trạng thái)", a.statusTip())
    return out


def model_texts(model: Any) -> list[tuple[str, str]]:
    """Every header and cell of a list, table or tree (children too), shown and in tooltips."""
    from PySide6.QtCore import QModelIndex, Qt

    out: list[tuple[str, str]] = []
    tip = Qt.ItemDataRole.ToolTipRole
    for orient, count in (
        (Qt.Orientation.Horizontal, model.columnCount()),
        (Qt.Orientation.Vertical, model.rowCount()),
    ):
        for s in range(count):
            out += [
                (" (tiêu đề)", t) for t in (model.headerData(s, orient), model.headerData(s, orient, tip))
            ]

    def cells(parent: QModelIndex) -> None:
        for r in range(model.rowCount(parent)):
            for c in range(model.columnCount(parent)):
                idx = model.index(r, c, parent)
                out.extend([("", model.data(idx)), (" (gợi ý)", model.data(idx, tip))])
            cells(model.index(r, 0, parent))

    cells(QModelIndex())
    return [(where, t) for where, t in out if isinstance(t, str) and t]


def walk_window(opened: Opened) -> list[tuple[str, str]]:
    """The texts of every page of the window, and of the justification panel for each problem."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from kdx_desktop.gui.report_pages import PageRole

    window = opened.window
    texts = window_texts(window)
    tree = window.pages.tree
    items = [
        it
        for it in tree.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive)
        if it.data(0, PageRole) is not None
    ]
    assert len(items) >= 10
    for item in items:
        tree.setCurrentItem(item)
        QApplication.processEvents()
        texts += [(f"trang “{item.text(0)}”, {w}", t) for w, t in window_texts(window)]
    model = window.side.problems
    for row in range(model.rowCount()):
        issue = model.issue_at(row)
        window.side.select_problem(issue.rule, issue.field)
        QApplication.processEvents()
        texts += [(f"vấn đề {row + 1}, {w}", t) for w, t in window_texts(window)]
    return texts


def _set_this_org(data: Path, org: str) -> None:
    from kdx_desktop.services.reporting import open_app

    app = open_app(data)
    try:
        app.store.set_setting("this_org", org)
    finally:
        app.close()


def test_the_window_shows_no_internal_code(
    qtbot: Any, demo_dir: Path, tmp_path: Path, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kdx_desktop.gui import catalog_update
    from kdx_desktop.services.exporting import export_report
    from kdx_desktop.services.reporting import open_app

    agency = copy_demo(demo_dir, tmp_path / "agency")
    _set_this_org(agency, "BKT")
    app = open_app(agency)
    try:
        package = export_report(app, "BKT", 2025, tmp_path / "out").package
    finally:
        app.close()
    so = tmp_path / "so"
    so.mkdir()
    _set_this_org(so, catalog.consolidator().code)
    pattern = finder(internal_codes(catalog, 2025))
    read: list[tuple[str, str]] = []
    # The agency: this year's draft (problems, warnings to justify) and last year's locked report.
    for year in (2026, 2025):
        w = Opened(qtbot, agency, "BKT", year)
        read += walk_window(w)
        w.close()
    # The Sở: the intake board with a received report, then that report as received.
    w = Opened(qtbot, so, None, 2025)
    page = w.window.intake
    assert page is not None
    page.year.setValue(2025)
    page.import_files([package])
    read += [(f"tiếp nhận, {where}", t) for where, t in window_texts(w.window)]
    # The names the window proposes for what it writes at the Sở.
    proposed: list[str] = []
    page.pick_save = lambda _title, name, _filter: proposed.append(name)  # type: ignore[assignment,func-returns-value]
    for kind in ("pdf", "xlsx"):
        page._choose_board_file(kind)
    monkeypatch.setattr(catalog_update, "pick", lambda _parent, _which, name="": proposed.append(name))
    catalog_update.export_catalog_workbook(w.window, w.app)
    assert proposed == [
        "TinhHinhNhanBaoCao_SVHTTDL_2025.pdf",
        "TinhHinhNhanBaoCao_SVHTTDL_2025.xlsx",
        "DanhMuc_SVHTTDL_lan1.xlsx",
    ]
    assert catalog_update.file_stem(
        dataclasses.replace(catalog, edition=catalog.edition._replace(number=2))
    ) == ("DanhMuc_SVHTTDL_lan2")
    assert page.select_org("BKT")
    page.open_selected()
    assert w.session.received is not None
    read += walk_window(w)
    w.close()
    # What was read is the window's text: the names people use are there, and the finder finds an id.
    everything = "\n".join(t for _w, t in read)
    assert "Báo Quảng Ngãi (BQN)" in everything and "Nhiệm vụ 6" in everything and len(read) > 5000
    assert leaks([("thử", "Nhiệm vụ 6 (T6)")], pattern) != []
    found = leaks(read, pattern)
    assert found == [], "\n".join(x.replace("\n", "⏎") for x in found)


def test_one_window_title(qtbot: Any, demo_dir: Path, tmp_path: Path) -> None:
    """Qt adds the program's name (" — KDX") to the title of the window and of every dialog and
    message: a title that names KDX itself would show it twice ("KDX đang chạy — KDX")."""
    data = copy_demo(demo_dir, tmp_path)
    w = Opened(qtbot, data, "BKT", 2026)
    assert w.window.windowTitle() == "Báo Quảng Ngãi (BQN) - năm 2026"
    w.close()
    titled = {"show_error": 1, "show_info": 1, "ask_yes_no": 1, "setWindowTitle": 0, "warning": 1}
    titled |= {"question": 1, "information": 1, "critical": 1, "getOpenFileName": 1, "getOpenFileNames": 1}
    titled |= {"getSaveFileName": 1, "getExistingDirectory": 1, "QProgressDialog": 0, "about": 1}
    found = []
    for path in sorted((ROOT / "kdx_desktop" / "gui").rglob("*.py")):
        source = path.read_text("utf-8")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            at = titled.get(name)
            if at is None or len(node.args) <= at:
                continue
            words = [c.value for c in ast.walk(node.args[at]) if isinstance(c, ast.Constant)]
            if any(isinstance(x, str) and "KDX" in x for x in words):
                found.append(f"{path.name}:{node.lineno}: {ast.get_source_segment(source, node.args[at])}")
    assert found == [], "\n".join(found)


# -- the command line, the files written and what they say -----------------------------------


def _xlsx_texts(path: Path) -> list[str]:
    import openpyxl

    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        out.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            out += [str(v) for v in row if isinstance(v, str)]
        out += [str(ws.oddHeader.center.text or ""), str(ws.oddFooter.center.text or "")]
    wb.close()
    return out


def _document_texts(folder: Path) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for p in sorted(folder.rglob("*")):
        if p.suffix == ".pdf":
            out.append((p.name, pdf_text(p, "-layout")))
        elif p.suffix == ".xlsx":
            out += [(p.name, t) for t in _xlsx_texts(p)]
        elif p.suffix == ".eml":
            msg = email.message_from_bytes(p.read_bytes(), policy=policy.default)
            out.append((f"{p.name} (tiêu đề)", str(msg["Subject"])))
            body = msg.get_body(preferencelist=("plain",))
            out.append((p.name, body.get_content() if body is not None else ""))
    return out


def test_command_line_files_and_documents_show_no_internal_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, catalog: Catalog
) -> None:
    agency, so, out = str(tmp_path / "agency"), str(tmp_path / "so"), tmp_path / "out"
    said: list[tuple[str, str]] = []

    def cli(*args: str, ok: bool = True) -> None:
        code, stdout, stderr = run(capsys, *args)
        assert (code == 0) == ok, (args, stderr)
        said.extend([(f"kdx-cli {' '.join(args[:3])}", stdout), (f"kdx-cli {' '.join(args[:3])}", stderr)])

    base = ["--year", "2025"]
    cli("demo", "--data-dir", agency)
    for org in ("BKT", "PTTH", "TCVN"):
        cli("validate", "--org", org, *base, "--data-dir", agency)
        cli("export", "--org", org, *base, "--out", str(out / "xuat"), "--eml", "--data-dir", agency)
    cli(
        "export",
        "--draft",
        "--org",
        "BKT",
        "--year",
        "2026",
        "--out",
        str(out / "nhap"),
        "--data-dir",
        agency,
    )
    cli("show", "--org", "BKT", *base, "--data-dir", agency)
    cli("status", *base, "--data-dir", agency)
    cli("profile", "--org", "STTTT", "--from", "2025", "signer_name=Phạm Minh Đức", "--data-dir", so)
    packages = sorted((out / "xuat").glob("*.zip"))
    cli("verify", str(packages[0]), "--data-dir", so)
    cli("import", *(str(p) for p in packages[:2]), "--data-dir", so)
    cli("status", *base, "--data-dir", so)
    cli(
        "status",
        *base,
        "--pdf",
        str(out / "bang" / "bang.pdf"),
        "--xlsx",
        str(out / "bang" / "bang.xlsx"),
        "--data-dir",
        so,
    )
    cli("show", "--org", "BKT", *base, "--data-dir", so)
    cli("review", "add", "--org", "BKT", *base, "--on", "T1", "--text", "Bổ sung kết quả", "--data-dir", so)
    cli("review", "add", "--org", "BKT", *base, "--on", "pl1_3", "--text", "Kiểm tra lại", "--data-dir", so)
    cli("review", "export", "--org", "BKT", *base, "--out", str(out / "gopy"), "--data-dir", so)
    cli("review", "import", str(next((out / "gopy").glob("*.json"))), "--data-dir", agency)
    cli("show", "--org", "BKT", *base, "--data-dir", agency)
    cli("remind", *base, "--out", str(out / "nhac"), "--data-dir", so)
    cli("consolidate", *base, "--out", str(out / "tonghop"), "--data-dir", so)
    cli("void", "--org", "PTTH", *base, "--revision", "1", "--reason", "Gửi nhầm", "--data-dir", so)
    cli("void", "--org", "PTTH", *base, "--revision", "1", "--reason", "Gửi nhầm", "--data-dir", so, ok=False)
    cli("export", "--org", "BKT", *base, "--out", str(out / "lai"), "--data-dir", agency, ok=False)

    written = [p.name for p in out.rglob("*") if p.is_file() and p.parent.name != "bang"]
    assert len(written) >= 20
    assert file_name_leaks(written, catalog, 2025) == []
    pattern = finder(internal_codes(catalog, 2025))
    found = leaks(said, pattern) + leaks(_document_texts(out), pattern)
    assert found == [], "\n".join(x.replace("\n", "⏎") for x in found)


# -- the code: no Vietnamese sentence formats an id ---------------------------------------------

# Where ids are what the reader works with: the catalogue's own editor (its workbook and file name
# the ids it defines), and a character's Unicode code point.
ID_READERS = {
    "core/catalog_loader.py",
    "core/catalog_specs.py",
    "services/catalog_workbook.py",
    "core/text.py",
}
# An expression that is (or holds) one of KDX's ids.
AN_ID = re.compile(r"(\borg_code\b|\btask_code\b|(?<!verification)\.code\b|\.rule\b|^rule$|\bargs\.org\b)")
# The code printed on the paper report, read back from it: a code for people, not an id.
VERIFICATION_CODES = {"reading.code"}
# The value echoed is what the person typed (``--org XYZ`` not in the catalogue): said back as typed.
ECHOED = re.compile(r"(tổ chức|nhiệm vụ) mã “", re.I)


def test_no_vietnamese_sentence_formats_an_id() -> None:
    found = []
    for path in sorted((ROOT / "kdx_desktop").rglob("*.py")):
        rel = path.relative_to(ROOT / "kdx_desktop").as_posix()
        if rel in ID_READERS or rel.startswith("gui/forms/"):
            continue
        source = path.read_text("utf-8")
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.JoinedStr):
                continue
            words = "".join(
                v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
            )
            if not re.search(r"[^\x00-\x7f]", words) or ECHOED.search(words):
                continue
            for v in node.values:
                if not isinstance(v, ast.FormattedValue) or isinstance(v.value, ast.Call):
                    continue  # a call names it (org_label, in_sentence…): its words are checked above
                expr = ast.get_source_segment(source, v.value)
                if expr and expr not in VERIFICATION_CODES and AN_ID.search(expr):
                    found.append(f"{rel}:{node.lineno}: {{{expr}}} trong “{words[:60]}”")
    assert found == [], "\n".join(found)
