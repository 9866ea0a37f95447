""" "Không áp dụng" and its reason side by side: the reason is typed in a box beside the toggle
(shown while it is on), saved at once as the justification of the W04 warning (the one copy the
rule, the PDF and the workbook read) and refused, visibly and without losing the text, when it is
not valid."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kdx_desktop.core.rules import na_reason_key, na_reasons
from kdx_desktop.core.values import NA
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
FIELD = "print_copies_city"  # required, may be "Không áp dụng"
TCVN3 = "§¬n vÞ kh«ng ph¸t hµnh b¶n in"  # "Đơn vị không phát hành bản in", pasted from .VnTime
REASON = "Báo không phát hành bản in ở khu vực thành phố từ năm 2025."


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path)


def type_reason(w: Opened, text: str) -> None:
    box = w.row(FIELD).reason
    box.selectAll()
    box.insert(text)
    w.qtbot.keyClick(box, Qt.Key.Key_Return)


def w04(w: Opened):  # type: ignore[no-untyped-def]
    return [i for i in w.session.require_state().issues if i.key == na_reason_key(w.app.catalog, FIELD)]


def test_the_reason_is_typed_beside_the_toggle_and_is_the_one_the_report_prints(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2026)
    w.window.activateWindow()
    row = w.row(FIELD)
    key = na_reason_key(w.app.catalog, FIELD)
    assert key == "justification.W04." + FIELD and row.reason_key == key
    assert row.reason is not None and not row.reason_line.isVisible()  # asked for only when NA
    assert w.window.pages.show_key(FIELD)
    qtbot.mouseClick(row.na, Qt.MouseButton.LeftButton)
    assert w.session.value(FIELD) is NA
    assert row.reason_line.isVisible()
    qtbot.waitUntil(row.reason.hasFocus)  # the reason is asked for next
    (issue,) = w04(w)
    assert not issue.justification and "cần giải trình" in row.saved.text()
    type_reason(w, REASON)
    # Saved at once, as the justification of W04: one stored copy, read by the PDF and workbook.
    assert w.stored(key) == (REASON, False)
    st = w.session.require_state()
    assert na_reasons(w.app.catalog, st.entries, [FIELD]) == [(FIELD, REASON)]
    (issue,) = w04(w)
    assert issue.justification == REASON
    assert row.saved.text() == "✓ Đã lưu" and "đã giải trình" in row.problem.text()
    assert sum(1 for k in st.entries if k.endswith(FIELD) and k.startswith("justification.")) == 1
    # The toggle off hides the reason (kept for when it is on again); on again, it is back.
    qtbot.mouseClick(row.na, Qt.MouseButton.LeftButton)
    assert w.session.value(FIELD) is None and not row.reason_line.isVisible()
    qtbot.mouseClick(row.na, Qt.MouseButton.LeftButton)
    assert row.reason_line.isVisible() and row.reason.text() == REASON
    # Undo (Ctrl+Z in the window) takes the reason back with the rest of the history.
    type_reason(w, "Lý do khác.")
    assert w.stored(key) == ("Lý do khác.", False)
    w.session.undo_stack.undo()
    assert w.stored(key) == (REASON, False) and row.reason.text() == REASON
    w.close()


def test_a_click_on_the_warning_goes_to_the_reason_box(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2026)
    w.window.activateWindow()
    qtbot.waitUntil(w.window.isActiveWindow)
    row = w.row(FIELD)
    qtbot.mouseClick(row.na, Qt.MouseButton.LeftButton)
    w.window.ui.problemView.setFocus()
    (issue,) = w04(w)
    assert w.window.side.select_problem(issue.rule, issue.field)
    qtbot.waitUntil(row.reason.hasFocus)
    # No second box for the same reason in the panel.
    assert not w.window.ui.justificationBox.isVisible()
    w.close()


def test_a_refused_reason_is_kept_shown_and_asked_about_before_quitting(
    qtbot, data: Path, monkeypatch
) -> None:
    from kdx_desktop.gui import messages

    w = Opened(qtbot, data, "BKT", 2026)
    assert w.window.pages.show_key(FIELD)
    row = w.row(FIELD)
    key = na_reason_key(w.app.catalog, FIELD)
    qtbot.mouseClick(row.na, Qt.MouseButton.LeftButton)
    type_reason(w, TCVN3)
    assert w.stored(key) is None
    assert row.error.isVisible() and "Chưa lưu lý do" in row.error.text() and "TCVN3" in row.error.text()
    assert row.reason.text() == TCVN3  # the typed text stays
    w.type_into("staff_total", "61")  # another save refreshes the page: the text still stays
    assert row.reason.text() == TCVN3
    asked: list[list[str]] = []
    monkeypatch.setattr(messages, "ask_discard_unsaved", lambda _p, _w, fields: asked.append(fields) or False)
    assert not w.window.close()
    assert any("Lý do “Không áp dụng”" in f for f in asked[-1]), asked
    assert row.reason.hasFocus() or w.window.focusWidget() is row.reason
    # "Chuyển sang Unicode" turns it into what was meant and saves it.
    row.use_suggestion()
    assert w.stored(key) == ("Đơn vị không phát hành bản in", False) and not row.error.isVisible()
    assert w.window.close()
    w.app.close()


def test_a_locked_report_shows_the_reason_read_only(qtbot, data: Path) -> None:
    from kdx_desktop.services.exporting import export_report
    from kdx_desktop.services.reporting import open_app, set_values

    app = open_app(data)
    key = na_reason_key(app.catalog, FIELD)
    assert key is not None
    set_values(app, "BKT", 2025, {FIELD: "NA", key: REASON})
    export_report(app, "BKT", 2025, data.parent / "xuat")
    app.close()
    w = Opened(qtbot, data, "BKT", 2025)
    assert w.window.pages.show_key(FIELD)
    row = w.row(FIELD)
    assert row.reason_line.isVisible() and row.reason.text() == REASON and row.reason.isReadOnly()
    w.close()
