"""Where the indicator and problem panel goes, for the screen the window is on.

Agencies' PCs range from a 1024×768 screen at 150 % (a window of about 680×480 logical pixels) to a
1920×1080 one. On a wide window the panel is a third column beside the form; when the form would be
left too narrow, the panel moves under the form (the two tables side by side); when the window is
also too low for that, the panel folds away and the toolbar's "Chỉ tiêu và vấn đề" button brings it
back. The officer can fold it away in any layout with the same button. The window's first size is
also kept inside the screen it opens on (a window saved on a bigger screen must not reopen wider).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, QRect, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QSplitter

# Logical pixels (Qt's, after the screen's scaling). Below WIDE the panel beside the form would
# squeeze its tables to a word per line (1366×768 is below); below TALL the form above the panel
# would show fewer than four fields.
WIDE = 1500
TALL = 600

BESIDE, UNDER, FOLDED = "beside", "under", "folded"


def fit_into(frame: QRect, available: QRect) -> QRect:
    """``frame`` moved and shrunk so that it lies inside ``available`` (the screen minus its taskbar)."""
    width = min(frame.width(), available.width())
    height = min(frame.height(), available.height())
    x = min(max(frame.x(), available.x()), available.right() + 1 - width)
    y = min(max(frame.y(), available.y()), available.bottom() + 1 - height)
    return QRect(x, y, width, height)


class PanelLayout(QObject):
    """Moves ``side`` between beside the form (in ``main``) and under it (in ``work``)."""

    def __init__(self, ui: Any, toggle: QAction, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.ui = ui
        self.toggle = toggle
        self.main: QSplitter = ui.mainSplitter
        self.side: QSplitter = ui.sideSplitter
        # The form and, on a narrow window, the panel under it.
        self.work = QSplitter(Qt.Orientation.Vertical)
        self.work.setObjectName("workSplitter")
        self.work.setChildrenCollapsible(False)
        self.main.insertWidget(1, self.work)
        self.work.addWidget(ui.pageStack)
        self.main.setStretchFactor(1, 2)
        self.mode = ""
        self.report_shown = True  # False while a page without the panel (the Sở's intake) is shown
        self.wanted = True  # the officer's choice with the toolbar button
        toggle.setCheckable(True)
        toggle.setChecked(True)
        toggle.toggled.connect(self._toggled)

    def arrange(self, width: int, height: int) -> str:
        """Lay the panel out for a central area of ``width`` × ``height`` logical pixels."""
        mode = BESIDE if width >= WIDE else UNDER if height >= TALL else FOLDED
        if mode != self.mode:
            self.mode = mode
            if mode == BESIDE:
                self.side.setOrientation(Qt.Orientation.Vertical)
                self.main.insertWidget(2, self.side)
                self.main.setStretchFactor(2, 1)
                third = max(width // 4, 1)
                self.main.setSizes([third, 2 * third, width - 3 * third])
                # Any further pane (the Sở's comments) gets a share like the problems'.
                self.side.setSizes([300, 420] + [420] * (self.side.count() - 2))
            else:
                self.side.setOrientation(Qt.Orientation.Horizontal)
                self.work.addWidget(self.side)
                self.work.setStretchFactor(0, 3)
                self.work.setStretchFactor(1, 2)
                self.main.setSizes([min(width // 5, 220), width])
                self.work.setSizes([height * 3 // 5, height * 2 // 5])
                # The indicator table has four columns, the other panes one that wraps: the table
                # gets the larger share, so its names are not squeezed to a word a line.
                shares = [3] + [2] * (self.side.count() - 1)
                self.side.setSizes([width * share // sum(shares) for share in shares])
            # Folding on a low window is the layout's doing; the button shows and changes it.
            self.toggle.blockSignals(True)
            self.toggle.setChecked(self.wanted and mode != FOLDED)
            self.toggle.blockSignals(False)
            self._apply()
        return mode

    def set_report_shown(self, shown: bool) -> None:
        self.report_shown = shown
        self._apply()

    def _toggled(self, on: bool) -> None:
        self.wanted = on
        self._apply()

    def _apply(self) -> None:
        self.side.setVisible(self.report_shown and self.toggle.isChecked())
