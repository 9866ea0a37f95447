"""The user guide inside the program (Trợ giúp → Hướng dẫn sử dụng): an office PC may have no
browser set up to open an HTML file, and the guide must be readable all the same. A search box
finds a word; "Mở bằng trình duyệt" still offers the PC's browser for printing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)


class GuideViewer(QDialog):
    """The guide (HTML, or its Markdown source where the HTML is missing) in a text browser."""

    def __init__(self, guide: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guide = guide
        self.setWindowTitle("Hướng dẫn sử dụng")
        lay = QVBoxLayout(self)
        bar = QHBoxLayout()
        find_label = QLabel("&Tìm:", self)
        self.find_box = QLineEdit(self)
        self.find_box.setPlaceholderText("gõ một từ rồi bấm Enter")
        find_label.setBuddy(self.find_box)
        self.find_box.returnPressed.connect(self.find_next)
        self.not_found = QLabel("", self)
        browser_button = QPushButton("Mở bằng &trình duyệt", self)
        browser_button.clicked.connect(self.open_in_browser)
        close_button = QPushButton("Đóng", self)
        close_button.clicked.connect(self.close)
        bar.addWidget(find_label)
        bar.addWidget(self.find_box, 1)
        bar.addWidget(self.not_found)
        bar.addWidget(browser_button)
        bar.addWidget(close_button)
        lay.addLayout(bar)
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(True)  # web addresses go to the browser, if any
        self.browser.setSearchPaths([str(guide.parent)])  # the guide's pictures
        if guide.suffix.lower() == ".md":
            self.browser.setMarkdown(guide.read_text(encoding="utf-8"))
        else:
            self.browser.setSource(QUrl.fromLocalFile(str(guide)))
        lay.addWidget(self.browser, 1)
        QShortcut(QKeySequence.StandardKey.Find, self, self.find_box.setFocus)
        # Never larger than the screen it opens on.
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(1000, screen.width() * 9 // 10), min(760, screen.height() * 9 // 10))

    def find_next(self) -> bool:
        """The next place the search word appears (from the top again after the last)."""
        word = self.find_box.text().strip()
        if not word:
            return False
        found = self.browser.find(word)
        if not found:
            self.browser.moveCursor(self.browser.textCursor().MoveOperation.Start)
            found = self.browser.find(word, QTextDocument.FindFlag(0))
        self.not_found.setText("" if found else "không thấy")
        return found

    def open_in_browser(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.guide)))
