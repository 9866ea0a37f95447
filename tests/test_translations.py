"""Vietnamese everywhere Qt speaks: every text Qt's file dialog and message boxes ask the
translator for (on a PC where Qt draws its own dialog) has a Vietnamese answer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import QLocale, QPoint, Qt, QTimer, QTranslator
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QFileDialog,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollBar,
    QToolButton,
    QWidget,
)

from kdx_desktop.gui import translations
from tests.gui_helpers import OFFSCREEN_NOISE, Opened, copy_demo

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOISE)
# Shortcut names are not words (Qt shows "Alt+Left" as it is in every language).
NOT_WORDS = {"Alt+Left", "Alt+Right", "Alt+Up", "Show ", "QT_LAYOUT_DIRECTION"}


class Recorder(QTranslator):
    """Installed last, so asked first: notes every text Qt looks up, answers nothing."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: set[tuple[str, str]] = set()

    def translate(self, context, source, disambiguation=None, n=-1):  # type: ignore[no-untyped-def]
        self.asked.add((context, source))
        return None

    def isEmpty(self) -> bool:
        return False


def test_qt_dialogs_ask_for_nothing_left_in_english(qtbot) -> None:
    translations.install()
    app = QApplication.instance()
    recorder = Recorder()
    app.installTranslator(recorder)
    try:
        for mode, files in (
            (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.FileMode.ExistingFiles),
            (QFileDialog.AcceptMode.AcceptSave, QFileDialog.FileMode.AnyFile),
            (QFileDialog.AcceptMode.AcceptOpen, QFileDialog.FileMode.Directory),
        ):
            dialog = QFileDialog(None, "Chọn")
            qtbot.addWidget(dialog)
            dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
            dialog.setAcceptMode(mode)
            dialog.setFileMode(files)
            dialog.setNameFilter("Gói báo cáo (*.zip)")
            dialog.show()
            app.processEvents()
            dialog.close()
        box = QMessageBox()
        qtbot.addWidget(box)
        box.setStandardButtons(
            QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel | QMessageBox.StandardButton.Yes
        )
        box.setDetailedText("chi tiết")
        box.show()
        app.processEvents()
        box.close()
    finally:
        app.removeTranslator(recorder)
    dialogs = {"QFileDialog", "QFileSystemModel", "QAbstractFileIconProvider", "QMessageBox"}
    asked = {(c, s) for c, s in recorder.asked if c in dialogs and s not in NOT_WORDS}
    assert ("QFileDialog", "&Look in:") in asked  # the recorder heard the dialog
    untranslated = {(c, s) for c, s in asked if translations.TEXTS.get(c, {}).get(s) is None}
    assert untranslated == set(), sorted(untranslated)


def test_command_line_help_is_vietnamese() -> None:
    """Every command's help, down to the sub-commands (``review add``, ``catalog export``,
    ``trust add`` ...): no English words of argparse's or ours (option names and the
    placeholders in capitals are names, not sentences)."""
    import argparse

    from kdx_desktop.cli import build_parser

    texts: list[str] = []
    names: set[str] = set()

    def walk(parser: argparse.ArgumentParser) -> None:
        texts.append(parser.format_help())
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                names.update(action.choices)
                for child in action.choices.values():
                    walk(child)

    walk(build_parser())
    assert {"review", "add", "catalog", "export", "trust"} <= names  # the sub-commands were reached
    english = re.compile(
        r"\b(usage|options|optional|positional|arguments|show|this|help message|exit|the|and|of|"
        r"file|default|with|to|for|from|only|print|write|read)\b"
    )
    for text in texts:
        words = re.sub(
            r"--?[a-z0-9-]+|\b[A-Z][A-Z0-9_.]+\b|KDX_\S+|\S+\.(zip|json|pdf|xlsx|p12|pfx)", " ", text
        )
        words = re.sub(r"\b(" + "|".join(sorted(names)) + r")\b", " ", words)  # command names
        assert not english.search(words), (english.search(words), text)


ENGLISH_MENU_WORDS = re.compile(
    r"\b(undo|redo|cut|copy|paste|delete|select|all|scroll|step|page|top|bottom|edge|left|right|"
    r"up|down|here|link|location)\b",
    re.IGNORECASE,
)


# Menus shown offscreen cannot take the keyboard nor rise, and Qt says so.
@pytest.mark.qt_log_ignore(OFFSCREEN_NOISE, "does not support raise", "does not support grabbing")
def test_every_right_click_menu_of_the_window_is_vietnamese(qtbot, demo_dir: Path, tmp_path: Path) -> None:
    """A right click on one of every kind of box in the Sở's window (every page: text boxes,
    number and date boxes, scroll bars both ways) and in the guide: every entry of every menu is
    Vietnamese, and so is every text Qt looked up for it. The date box's calendar speaks
    Vietnamese too (months and weekdays come from the locale, not the translator)."""
    from kdx_desktop import paths
    from kdx_desktop.gui.guide_viewer import GuideViewer
    from kdx_desktop.gui.report_pages import PageRole
    from kdx_desktop.services.reporting import open_app

    data = copy_demo(demo_dir, tmp_path)
    app = open_app(data)
    app.store.set_setting("this_org", app.catalog.consolidator().code)
    w = Opened(qtbot, data, "BKT", 2025, app=app)
    qapp = QApplication.instance()
    recorder = Recorder()
    qapp.installTranslator(recorder)
    entries: dict[str, list[str]] = {}

    def right_click(widget: QWidget, kind: str) -> None:
        def close_menu() -> None:
            menu = QApplication.activePopupWidget()
            if menu is None:
                QTimer.singleShot(5, close_menu)
                return
            entries[kind] = [a.text().split("\t")[0] for a in menu.actions() if a.text()]
            menu.close()

        QTimer.singleShot(0, close_menu)
        at = QPoint(2, 2)
        QApplication.sendEvent(
            widget, QContextMenuEvent(QContextMenuEvent.Reason.Mouse, at, widget.mapToGlobal(at))
        )

    try:
        tree = w.window.pages.tree
        pages = [
            it
            for it in tree.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive)
            if it.data(0, PageRole) is not None
        ]
        for item in pages:
            tree.setCurrentItem(item)
            qapp.processEvents()
            for widget in w.window.findChildren(QWidget):
                if not shiboken6.isValid(widget) or not widget.isVisible():
                    continue  # (gone since the list was made: a menu was shown meanwhile)
                if isinstance(widget, QScrollBar):
                    kind = f"QScrollBar {widget.orientation().name}"
                elif isinstance(widget, QAbstractSpinBox | QLineEdit | QPlainTextEdit):
                    kind = type(widget).__name__
                else:
                    continue
                if kind not in entries:
                    target = widget.viewport() if isinstance(widget, QPlainTextEdit) else widget
                    right_click(target, kind)
                    qtbot.waitUntil(lambda k=kind: k in entries)  # type: ignore[misc]
        guide = GuideViewer(paths.user_guide_path(), w.window)
        qtbot.addWidget(guide)
        guide.show()
        right_click(guide.browser.viewport(), "guide")
        qtbot.waitUntil(lambda: "guide" in entries)
        date_box = w.window.intake.received
        calendar = date_box.calendarWidget()
        calendar.show()
        shown = [b.text() for b in calendar.findChildren(QToolButton)]
        weekday = calendar.locale().dayName(1, QLocale.FormatType.ShortFormat)
        calendar.hide()
    finally:
        qapp.removeTranslator(recorder)
    # Every kind met: text, number (the year), date, both scroll bars, the guide's text.
    assert {
        "QLineEdit",
        "QSpinBox",
        "QDateEdit",
        "QScrollBar Vertical",
        "QScrollBar Horizontal",
        "guide",
    } <= set(entries), sorted(entries)
    english = {k: [t for t in texts if ENGLISH_MENU_WORDS.search(t)] for k, texts in entries.items()}
    assert all(not t for t in english.values()), english
    assert "&Dán" in entries["QLineEdit"] and "Cuộn tới đây" in entries["QScrollBar Vertical"]
    qt_words = {
        (c, s)
        for c, s in recorder.asked
        if c.startswith("Q") and c not in {"QShortcut", "QGuiApplication"} and s not in NOT_WORDS
    }
    assert {(c, s) for c, s in qt_words if translations.TEXTS.get(c, {}).get(s) is None} == set()
    assert any(t.startswith("Tháng") for t in shown) and weekday == "Thứ 2", (shown, weekday)
    w.close()
