"""Vietnamese everywhere Qt speaks: every text Qt's file dialog and message boxes ask the
translator for (on a PC where Qt draws its own dialog) has a Vietnamese answer."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTranslator
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox

from kdx_desktop.gui import translations
from tests.gui_helpers import OFFSCREEN_NOISE

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
    """Every command's help: no English words of argparse's or ours (option names and the
    placeholders in capitals are names, not sentences)."""
    import re

    from kdx_desktop.cli import build_parser, command_modules

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    texts = [parser.format_help()] + [sub.choices[name].format_help() for name, _mod in command_modules()]
    english = re.compile(
        r"\b(usage|options|optional|positional|arguments|show|this|help message|exit|the|and|of|"
        r"file|default|with|to|for|from|only|print|write|read)\b"
    )
    for text in texts:
        words = re.sub(
            r"--?[a-z0-9-]+|\b[A-Z][A-Z0-9_.]+\b|KDX_\S+|\S+\.(zip|json|pdf|xlsx|p12|pfx)", " ", text
        )
        words = re.sub(r"\b(" + "|".join(sub.choices) + r")\b", " ", words)  # command names
        assert not english.search(words), (english.search(words), text)
