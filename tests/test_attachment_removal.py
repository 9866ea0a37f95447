"""Removing an evidence file attached by mistake: the service (one transaction with its audit
row, refused on a locked report) and the task page driven as the officer does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from kdx_desktop.services.attachments import add_attachment, list_attachments, remove_attachment
from kdx_desktop.services.reporting import App, UsageError, open_app
from kdx_desktop.store.repo import ReportLocked
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)


@pytest.fixture
def data(demo_dir: Path, tmp_path: Path) -> Path:
    return copy_demo(demo_dir, tmp_path)


def _file(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def _snapshot(app: App, report_id: int) -> tuple[list[dict[str, Any]], int]:
    return app.store.attachments(report_id), len(app.store.audit_rows())


# -- the service ------------------------------------------------------------------------------


def test_removal_deletes_the_row_and_writes_one_audit_row(data: Path, tmp_path: Path) -> None:
    app = open_app(data)
    report = app.store.report("BKT", 2025)
    wrong = add_attachment(app, report, "T1", _file(tmp_path, "Nhầm tệp.pdf", b"%PDF-1.4 nham"))
    right = add_attachment(app, report, "T1", _file(tmp_path, "Quyết định.pdf", b"%PDF-1.4 dung"))
    audit_before = len(app.store.audit_rows())

    removed = remove_attachment(app, report, wrong.id, user="canbo")

    assert removed == wrong
    assert [a.file_name for a in list_attachments(app, report.id, "T1")] == ["Quyết định.pdf"]
    rows = app.store.audit_rows()
    assert len(rows) == audit_before + 1
    last = rows[-1]
    assert (last["action"], last["report_id"], last["key"], last["user"]) == (
        "detach",
        report.id,
        "task.T1.attachment",
        "canbo",
    )
    assert last["old_value"] == f"Nhầm tệp.pdf ({wrong.sha256})" and last["new_value"] is None
    # The copy in the data folder is kept (a backup from before the removal still needs it).
    assert wrong.path(data).read_bytes() == b"%PDF-1.4 nham"
    assert right.path(data).read_bytes() == b"%PDF-1.4 dung"
    # Attaching it again (the officer changed their mind) works and lists it again.
    again = add_attachment(app, report, "T1", tmp_path / "Nhầm tệp.pdf")
    assert again.stored_name == wrong.stored_name
    assert len(list_attachments(app, report.id, "T1")) == 2
    app.close()


def test_removal_is_refused_on_a_locked_report_and_changes_nothing(data: Path, tmp_path: Path) -> None:
    app = open_app(data)
    report = app.store.report("BKT", 2025)
    att = add_attachment(app, report, "T1", _file(tmp_path, "a.pdf", b"abc"))
    locked = app.store.mark_exported(
        report, data_sha256="0" * 64, verification_code="X", package_name="p.zip"
    )
    before = _snapshot(app, report.id)
    # Refused whether the caller holds the locked report or still the draft it had before export.
    for held in (locked, report):
        with pytest.raises(ReportLocked, match=r"đã xuất và đang bị khóa.*Mở lại để sửa"):
            remove_attachment(app, held, att.id)
    assert _snapshot(app, report.id) == before
    reopened = app.store.reopen(locked, "gỡ tệp nhầm")
    remove_attachment(app, reopened, att.id)
    assert list_attachments(app, report.id) == []
    app.close()


def test_an_export_while_a_file_is_being_copied_refuses_the_attachment(
    data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock is checked again in the transaction that registers the file."""
    app = open_app(data)
    report = app.store.report("BKT", 2025)
    app.store.mark_exported(report, data_sha256="0" * 64, verification_code="X", package_name="p.zip")
    # the check before copying still sees the draft (the export happened during the copy)
    monkeypatch.setattr(app.store, "find_report", lambda org, year: report)
    before = _snapshot(app, report.id)
    with pytest.raises(ReportLocked, match="trước khi đính kèm tệp"):
        add_attachment(app, report, "T1", _file(tmp_path, "b.pdf", b"abc"))
    assert _snapshot(app, report.id) == before
    app.close()


def test_the_same_file_elsewhere_is_untouched(data: Path, tmp_path: Path) -> None:
    app = open_app(data)
    r2025 = app.store.report("BKT", 2025)
    r2024_draft = app.store.report("PTTH", 2026)
    source = _file(tmp_path, "Kế hoạch.pdf", b"%PDF-1.4 chung")
    on_t1 = add_attachment(app, r2025, "T1", source)
    on_t2 = add_attachment(app, r2025, "T2", source)
    other = add_attachment(app, r2024_draft, "T1", source)

    remove_attachment(app, r2025, on_t1.id)

    assert [a.task_code for a in list_attachments(app, r2025.id)] == ["T2"]
    assert list_attachments(app, r2024_draft.id) == [other]
    for att in (on_t2, other):
        assert att.path(data).read_bytes() == b"%PDF-1.4 chung"
    app.close()


def test_a_file_of_another_report_or_already_removed_is_refused(data: Path, tmp_path: Path) -> None:
    app = open_app(data)
    mine = app.store.report("BKT", 2025)
    theirs = app.store.report("PTTH", 2026)
    att = add_attachment(app, theirs, "T1", _file(tmp_path, "b.pdf", b"xyz"))
    before = _snapshot(app, theirs.id)
    with pytest.raises(UsageError, match="không còn trong báo cáo"):
        remove_attachment(app, mine, att.id)
    assert _snapshot(app, theirs.id) == before
    remove_attachment(app, theirs, att.id)
    with pytest.raises(UsageError, match="không còn trong báo cáo"):
        remove_attachment(app, theirs, att.id)
    app.close()


# -- the task page ----------------------------------------------------------------------------


def _open_task_page(qtbot: Any, data: Path, tmp_path: Path) -> tuple[Opened, Any]:
    w = Opened(qtbot, data, "BKT", 2025)
    pages = w.window.pages
    assert pages.show_key("task.T1.status")
    page = pages.key_page["task.T1.status"]
    assert page.attach(_file(tmp_path, "Công văn nhầm.pdf", b"%PDF-1.4 nham"))
    assert page.attach(_file(tmp_path, "Quyết định 12.pdf", b"%PDF-1.4 dung"))
    return w, page


def _click_row(qtbot: Any, page: Any, row: int) -> None:
    view = page.view
    rect = view.visualRect(page.model.index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def _names(page: Any) -> list[str]:
    return [page.model.data(page.model.index(r, 0)) for r in range(page.model.rowCount())]


def test_the_officer_removes_a_wrong_file(qtbot, data: Path, tmp_path: Path, monkeypatch) -> None:
    from kdx_desktop.gui import tasks_page

    w, page = _open_task_page(qtbot, data, tmp_path)
    asked: list[tuple[str, str]] = []
    answer = {"yes": False}

    def confirm(parent: Any, title: str, text: str) -> bool:
        asked.append((title, text))
        return answer["yes"]

    monkeypatch.setattr(tasks_page, "ask_yes_no", confirm)
    assert page.remove_button.text() == "Gỡ tệ&p..." and page.remove_button.isVisible()
    assert not page.remove_button.isEnabled()  # nothing selected yet
    _click_row(qtbot, page, 0)
    assert page.remove_button.isEnabled()

    # "Không" at the confirmation: nothing changes.
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert asked == [
        (
            "Gỡ tệp minh chứng",
            "Gỡ tệp “Công văn nhầm.pdf” khỏi nhiệm vụ 1?\n\n"
            "Tệp sẽ không còn trong báo cáo và không được gửi kèm gói; "
            "bản sao trong thư mục dữ liệu vẫn được giữ lại.",
        )
    ]
    assert _names(page) == ["Công văn nhầm.pdf", "Quyết định 12.pdf"]

    # "Có": the file leaves the list and the report, with its audit row.
    answer["yes"] = True
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert _names(page) == ["Quyết định 12.pdf"]
    report_id = w.session.require_state().report.id
    assert [a.file_name for a in list_attachments(w.app, report_id, "T1")] == ["Quyết định 12.pdf"]
    assert w.app.store.audit_rows(report_id)[-1]["action"] == "detach"
    assert page.selected() is not None  # the remaining file is selected, ready for the next step

    # The Delete key on the list does the same, after the same confirmation.
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert "“Quyết định 12.pdf”" in asked[-1][1]
    assert _names(page) == [] and page.empty_label.isVisible()
    assert not page.remove_button.isEnabled()
    w.close()


def test_the_context_menu_offers_removal(qtbot, data: Path, tmp_path: Path) -> None:
    w, page = _open_task_page(qtbot, data, tmp_path)
    _click_row(qtbot, page, 1)
    page.ask = lambda title, text: "“Quyết định 12.pdf”" in text
    menu = page.context_menu()
    (remove,) = [a for a in menu.actions() if a.text() == "Gỡ tệp khỏi nhiệm vụ..."]
    assert remove.isEnabled()
    remove.trigger()
    assert _names(page) == ["Công văn nhầm.pdf"]
    w.close()


def test_a_locked_report_refuses_removal_with_a_message(
    qtbot, data: Path, tmp_path: Path, monkeypatch
) -> None:
    from kdx_desktop.gui import tasks_page

    w, page = _open_task_page(qtbot, data, tmp_path)
    errors: list[tuple[str, str]] = []
    asked: list[str] = []
    monkeypatch.setattr(tasks_page, "show_error", lambda parent, title, text: errors.append((title, text)))
    monkeypatch.setattr(tasks_page, "ask_yes_no", lambda parent, title, text: asked.append(text) or True)
    st = w.session.require_state()
    w.app.store.mark_exported(st.report, data_sha256="0" * 64, verification_code="X", package_name="p.zip")
    w.session.reload()  # what the window does after an export
    assert w.session.locked
    _click_row(qtbot, page, 0)
    assert page.selected() is not None
    assert not page.remove_button.isEnabled()
    assert "đã xuất và đang bị khóa" in page.remove_button.toolTip()
    assert not next(a for a in page.context_menu().actions() if a.text().startswith("Gỡ")).isEnabled()
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Delete)
    assert errors == [
        (
            "Không gỡ được tệp",
            "Báo cáo năm 2025 đã xuất và đang bị khóa: chọn “Mở lại để sửa” (kèm lý do) trước khi gỡ tệp.",
        )
    ]
    assert asked == []  # refused before asking anything
    assert _names(page) == ["Công văn nhầm.pdf", "Quyết định 12.pdf"]
    assert len(list_attachments(w.app, st.report.id, "T1")) == 2
    w.close()
