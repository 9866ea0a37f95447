"""The user guide inside the program (Trợ giúp → Hướng dẫn sử dụng): an office PC may have no
browser set up to open an HTML file, and the guide must be readable all the same. A search box
finds a word; "Mở bằng trình duyệt" still offers the PC's browser for printing."""

from __future__ import annotations

import math
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, QUrl
from PySide6.QtGui import (
    QDesktopServices,
    QImage,
    QKeySequence,
    QPixmap,
    QShortcut,
    QShowEvent,
    QTextBlockFormat,
    QTextCursor,
    QTextDocument,
)
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

_IMAGE = QTextDocument.ResourceType.ImageResource


class FittingBrowser(QTextBrowser):
    """A text browser whose pictures and command lines never make the page scroll sideways.

    The guide's pictures are screenshots up to 1280 pixels wide. Qt measures the guide's
    ``max-width: 100%`` against the whole page, not the room left by the page's margins and a
    list's indent, and shrinks a picture while drawing without smoothing it. Each picture is
    therefore handed to the document already scaled, smoothly and at the screen's pixel ratio (so
    it stays sharp at 125 % and 150 %), to the room its paragraph leaves; again whenever the page
    changes width or screen. A picture is never shown wider than its own size.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._natural: dict[str, QImage] = {}  # each picture as read from its file
        self._shown: dict[str, tuple[int, float]] = {}  # the width and pixel ratio handed out
        self._refit_soon = QTimer(self)
        # A window dragged wider sends many resizes: relayout once it rests.
        self._refit_soon.setSingleShot(True)
        self._refit_soon.setInterval(60)
        self._refit_soon.timeout.connect(self.fit_pictures)
        self.viewport().installEventFilter(self)
        self.sourceChanged.connect(self._another_page)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport() and event.type() == QEvent.Type.Resize:
            self._refit_soon.start()
        return super().eventFilter(watched, event)

    def event(self, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.DevicePixelRatioChange, QEvent.Type.ScreenChangeInternal):
            self._refit_soon.start()  # moved to a screen with another scaling
        return super().event(event)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_pictures()

    def _another_page(self, _url: QUrl) -> None:
        """A link followed to another page: fitted once Qt has finished loading it."""
        QTimer.singleShot(0, self, self.page_loaded)

    def page_loaded(self) -> None:
        """A new page: its pictures fitted, its command lines wrapped."""
        self._natural.clear()
        self._shown.clear()
        self._wrap_preformatted()
        self.fit_pictures()

    def _wrap_preformatted(self) -> None:
        """Command lines and printed output (``<pre>``) wrap at the page's edge instead of pushing
        it sideways: a command read on a narrow screen is still typed on one line."""
        wrap = QTextBlockFormat()
        wrap.setNonBreakableLines(False)
        block = self.document().begin()
        while block.isValid():
            if block.blockFormat().nonBreakableLines():
                QTextCursor(block).mergeBlockFormat(wrap)
            block = block.next()

    def room_for_pictures(self) -> dict[str, float]:
        """The width each picture's narrowest paragraph leaves it."""
        doc = self.document()
        page = self.viewport().width()
        room: dict[str, float] = {}
        block = doc.begin()
        while block.isValid():
            piece = block.begin()
            while not piece.atEnd():
                form = piece.fragment().charFormat()
                piece += 1
                if not form.isImageFormat():
                    continue
                fmt = block.blockFormat()
                listed = block.textList()
                indent = fmt.indent() + (listed.format().indent() if listed is not None else 0)
                taken = fmt.leftMargin() + fmt.rightMargin() + max(0.0, fmt.textIndent())
                taken += indent * doc.indentWidth()
                # Every frame around the paragraph (the page's own margin included); a table's
                # cell is not measured: the guide puts no picture in a table.
                frame = QTextCursor(block).currentFrame()
                while frame is not None:
                    f = frame.frameFormat()
                    taken += f.leftMargin() + f.rightMargin() + 2 * (f.padding() + f.border())
                    frame = frame.parentFrame()
                name = form.toImageFormat().name()
                room[name] = min(room.get(name, math.inf), page - taken - 2)  # 2: rounding
            block = block.next()
        return room

    def _natural_image(self, name: str) -> QImage | None:
        """The picture as its file has it, read once per page (from beside the page, or from the
        search paths where the page was given as text)."""
        if name not in self._natural:
            address = self.source().resolved(QUrl(name))
            if address.isLocalFile():
                candidates = [Path(address.toLocalFile())]
            else:
                candidates = [Path(folder) / name for folder in self.searchPaths()]
            image = next((QImage(str(p)) for p in candidates if p.is_file()), QImage())
            if image.isNull():
                return None  # Qt shows its own "missing picture" mark, as before
            image.setDevicePixelRatio(1.0)
            self._natural[name] = image
        return self._natural[name]

    def shown_picture(self, name: str) -> QPixmap | None:
        """The picture as the page now shows it."""
        data = self.document().resource(_IMAGE, QUrl(name))
        return data if isinstance(data, QPixmap) else None

    def fit_pictures(self) -> None:
        """Hand every picture to the document at the width its page leaves it."""
        doc = self.document()
        ratio = self.viewport().devicePixelRatioF()
        changed = False
        for name, room in self.room_for_pictures().items():
            image = self._natural_image(name)
            if image is None:
                continue
            width = max(1, min(image.width(), math.floor(room)))
            if self._shown.get(name) == (width, ratio):
                continue
            pixels = round(width * ratio)
            if pixels < image.width():
                fitted = image.scaledToWidth(pixels, Qt.TransformationMode.SmoothTransformation)
                fitted.setDevicePixelRatio(pixels / width)
            else:  # the screen has more pixels than the picture: shown at its own size
                fitted = image.copy()
                fitted.setDevicePixelRatio(image.width() / width)
            pixmap = QPixmap.fromImage(fitted)
            # Qt looks a picture up by its address resolved against the page's.
            doc.addResource(_IMAGE, doc.baseUrl().resolved(QUrl(name)), pixmap)
            doc.addResource(_IMAGE, QUrl(name), pixmap)
            self._shown[name] = (width, ratio)
            changed = True
        if changed:  # laid out again with the pictures' new sizes
            doc.markContentsDirty(0, doc.characterCount())


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
        self.browser = FittingBrowser(self)
        self.browser.setOpenExternalLinks(True)  # web addresses go to the browser, if any
        self.browser.setSearchPaths([str(guide.parent)])  # the guide's pictures
        if guide.suffix.lower() == ".md":
            self.browser.setMarkdown(guide.read_text(encoding="utf-8"))
        else:
            self.browser.setSource(QUrl.fromLocalFile(str(guide)))
        self.browser.page_loaded()
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
