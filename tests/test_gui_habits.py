"""Office habits that must not lose work or mislead: refused text is never dropped without a
question, an error is shown at every field it involves, numbers are read as Vietnamese write them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kdx_desktop.gui import messages
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path)


class Answer:
    """Stands in for the officer answering the "Còn nội dung chưa lưu" question."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, discard: bool) -> None:
        self.discard = discard
        self.asked: list[tuple[str, list[str]]] = []
        monkeypatch.setattr(messages, "ask_discard_unsaved", self)

    def __call__(self, _parent: object, what: str, fields: list[str]) -> bool:
        self.asked.append((what, fields))
        return self.discard


def test_quitting_with_refused_text_asks_and_can_go_back(qtbot, data: Path, monkeypatch) -> None:
    w = Opened(qtbot, data, "BKT", 2026)
    w.type_into("staff_total", "58 người")
    w.type_into("revenue", "12a")
    answer = Answer(monkeypatch, discard=False)
    assert not w.window.close()  # "Quay lại ô để sửa": the window stays
    assert w.window.isVisible()
    what, fields = answer.asked[-1]
    assert what == "thoát KDX"
    assert any("Tổng số" in f for f in fields) and any("doanh thu" in f for f in fields), fields
    # The cursor is back in the first of them, the text still there.
    shown = {w.editor("staff_total"), w.editor("revenue")}
    assert w.window.focusWidget() in shown
    assert w.editor("staff_total").text() == "58 người"
    answer.discard = True
    assert w.window.close()
    w.app.close()


def test_switching_year_or_report_with_refused_text_asks(qtbot, data: Path, monkeypatch) -> None:
    w = Opened(qtbot, data, "BKT", 2026)
    w.type_into("revenue", "12a")
    answer = Answer(monkeypatch, discard=False)
    year = w.window.ui.yearCombo
    year.setCurrentIndex(year.findData(2025))
    assert answer.asked and answer.asked[-1][0] == "chuyển sang báo cáo khác"
    assert w.session.require_state().year == 2026 and year.currentData() == 2026
    assert w.editor("revenue").text() == "12a"
    answer.discard = True
    year.setCurrentIndex(year.findData(2025))
    assert w.session.require_state().year == 2025
    w.close()


def test_no_question_when_everything_typed_was_saved(qtbot, data: Path, monkeypatch) -> None:
    w = Opened(qtbot, data, "BKT", 2026)
    w.type_into("revenue", "12a")
    w.type_into("revenue", "12")  # corrected: saved
    answer = Answer(monkeypatch, discard=False)
    assert w.window.close()
    assert answer.asked == []
    w.app.close()


def test_a_cross_field_error_shows_at_every_field_it_involves(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2026)
    w.type_into("staff_total", "1.234")
    w.type_into("staff_trained", "2.000")
    assert w.stored("staff_trained") is not None  # kept, as the guide says, but not "accepted"
    trained, total = w.row("staff_trained"), w.row("staff_total")
    for row in (trained, total):
        assert row.problem.isVisible(), row.key
        assert "Số người được đào tạo (2.000) không được lớn hơn tổng số cán bộ (1.234)" in row.problem.text()
    assert trained.saved.text() == "⚠ Đã lưu, còn lỗi"
    assert "✓" not in trained.saved.text()
    w.type_into("staff_trained", "1.000")  # put right: the error leaves both fields
    for row in (trained, total):
        assert "đào tạo" not in row.problem.text() or not row.problem.isVisible()
    assert trained.saved.text() == "✓ Đã lưu"
    # (The total, far from last year's, still asks for a justification: a warning, said as such.)
    assert total.problem.isHidden() or total.problem.text().startswith("Cảnh báo")
    w.close()


def test_a_page_built_later_shows_the_problems_already_there(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2026)
    w.type_into("staff_total", "10")
    w.type_into("staff_trained", "20")
    w.window.pages.rebuild()  # pages are built again when first shown
    assert w.window.pages.show_key("staff_total")
    assert "không được lớn hơn" in w.row("staff_total").problem.text()
    w.close()


def test_numbers_are_read_as_vietnamese_write_them(qtbot, data: Path) -> None:
    from decimal import Decimal

    w = Opened(qtbot, data, "BKT", 2026)
    w.type_into("revenue", "9.800")  # a decimal field: nine thousand eight hundred, not refused
    assert w.row("revenue").error.isHidden()
    assert w.session.value("revenue") == Decimal(9800)
    w.type_into("revenue", "12345,5")
    assert w.editor("revenue").text() == "12.345,5"  # the box shows what was understood
    w.type_into("revenue", "12345,5")  # the same value again: still shown grouped
    assert w.editor("revenue").text() == "12.345,5"
    w.type_into("revenue", "12.5")  # a dot is never a decimal mark in the window
    assert "viết 12,5" in w.row("revenue").error.text()
    assert w.session.value("revenue") == Decimal("12345.5")
    w.type_into("converged_year", "2024")
    assert w.editor("converged_year").text() == "2024"  # a year has no thousands dot
    w.close()


def test_organisations_by_name_and_document_abbreviation_one_title(qtbot, data: Path) -> None:
    w = Opened(qtbot, data, "BKT", 2026)
    combo = w.window.ui.orgCombo
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert "Báo Quảng Ngãi (BQN)" in texts
    assert not any("(BKT)" in t or "(STTTT)" in t for t in texts), texts
    # Qt adds the application's name ("— KDX") to the title: the title itself does not repeat it.
    title = w.window.windowTitle()
    assert title == "Báo Quảng Ngãi (BQN) - năm 2026" and "KDX" not in title
    w.close()


def test_a_year_without_yearly_targets_shows_the_plans_2030_goals(qtbot, data: Path) -> None:
    from kdx_desktop.gui.models import IndicatorModel

    w = Opened(qtbot, data, "BKT", 2026)
    items = w.window.pages.tree.findItems("Mục II", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive)
    w.window.pages.tree.setCurrentItem(items[0])
    model = w.window.ui.pageStack.currentWidget().model
    rows = {model.row_at(r)[0].code: r for r in range(model.rowCount())}
    assert model.text(rows["ii_1"], IndicatorModel.TARGET) == "Mục tiêu 2030: 100%"
    assert model.text(rows["ii_5"], IndicatorModel.TARGET) == "Mục tiêu 2030: 50%"
    w.close()
