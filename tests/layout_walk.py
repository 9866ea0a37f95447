"""Walk every widget of the main window at the screen sizes agencies have, at one scaling.

    python tests/layout_walk.py SCALE [WIDTHxHEIGHT ...]

Run in a process of its own (the scaling is fixed when Qt starts: ``QT_SCALE_FACTOR``); prints one
JSON object: the faults found (empty when every page fits) and what was walked. A fault is a
widget cut off by its parent, lying outside the window, a label whose text does not fit, a form
wider than its page (horizontal scrolling), or a window that cannot be as small as the screen.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = [(1024, 768), (1280, 720), (1366, 768), (1600, 900), (1920, 1080)]
# On Windows the taskbar takes about 40 pixels and the window's title bar and borders about 39 by
# 16, all scaled with the screen: the window's own area is what is left.
TASKBAR, TITLE, BORDERS = 40, 39, 16


def client_size(width: int, height: int, scale: float) -> tuple[int, int]:
    return int(width / scale) - BORDERS, int(height / scale) - TASKBAR - TITLE


def faults_of(window) -> list[str]:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtWidgets import (
        QAbstractItemView,
        QAbstractScrollArea,
        QCheckBox,
        QHeaderView,
        QLabel,
        QPushButton,
        QScrollArea,
        QTableView,
        QWidget,
    )

    found: list[str] = []
    whole = QRect(0, 0, window.width(), window.height())

    def name(w: QWidget) -> str:
        text = w.text() if hasattr(w, "text") and callable(w.text) else ""
        return f"{type(w).__name__} {w.objectName() or ''} “{str(text)[:40]}”".strip()

    def scrolled_in(w: QWidget) -> QAbstractScrollArea | None:
        """The scroll area whose viewport ``w`` is the content of, if it is."""
        viewport = w.parentWidget()
        area = viewport.parentWidget() if viewport is not None else None
        if isinstance(area, QAbstractScrollArea) and area.viewport() is viewport:
            return area
        return None

    def inside(w: QWidget, kind: type) -> bool:
        p = w.parentWidget()
        while p is not None and p is not window:
            if isinstance(p, kind):
                return True
            p = p.parentWidget()
        return False

    def laid_out(layout, w: QWidget) -> bool:  # type: ignore[no-untyped-def]
        for i in range(layout.count()):
            item = layout.itemAt(i)
            if item.widget() is w or (item.layout() is not None and laid_out(item.layout(), w)):
                return True
        return False

    for w in window.findChildren(QWidget):
        if not w.isVisible() or w.isWindow() or inside(w, QAbstractItemView):
            continue
        parent = w.parentWidget()
        # Shown but in no layout of its parent: it sits at the corner, over whatever is there.
        layout = parent.layout() if parent is not None else None
        if layout is not None and layout.menuBar() is not w and not laid_out(layout, w):
            found.append(f"{name(w)} không nằm trong bố cục của {name(parent)}: đè lên chỗ khác")
            continue
        geo = w.geometry()
        area = scrolled_in(w)
        if area is not None:
            # A page scrolls down, never sideways where the scroll bar is switched off.
            no_sideways = (
                isinstance(area, QScrollArea)
                and area.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            )
            if no_sideways and (geo.left() < 0 or geo.right() >= area.viewport().width()):
                found.append(f"{name(w)} rộng {geo.width()} > trang {area.viewport().width()}")
            continue
        if parent is not None and not parent.rect().contains(geo):
            found.append(f"{name(w)} {geo.getRect()} bị cắt trong {name(parent)} {parent.rect().getRect()}")
            continue
        on_window = QRect(w.mapTo(window, w.rect().topLeft()), w.size())
        # (What scrolls lies outside the window until scrolled to: its parent's check covers it.)
        if not inside(w, QAbstractScrollArea) and not whole.contains(on_window):
            found.append(f"{name(w)} {on_window.getRect()} ra ngoài cửa sổ")
        if isinstance(w, QLabel) and not w.wordWrap() and w.text():
            need = w.minimumSizeHint().width()
            if w.width() < need:
                found.append(f"{name(w)} rộng {w.width()} < chữ {need}")
        elif isinstance(w, QTableView):
            # A column squeezed to a word per line is as unreadable as a cut one.
            least = w.fontMetrics().averageCharWidth() * 10
            header = w.horizontalHeader()
            for col in range(header.count()):
                fitted = header.sectionResizeMode(col) == QHeaderView.ResizeMode.ResizeToContents
                if not fitted and not header.isSectionHidden(col) and header.sectionSize(col) < least:
                    head = w.model().headerData(col, Qt.Orientation.Horizontal)
                    found.append(f"{name(w)} cột “{head}” hẹp {header.sectionSize(col)} < {least}")
        elif isinstance(w, QCheckBox | QPushButton) and w.width() < w.minimumSizeHint().width():
            found.append(f"{name(w)} rộng {w.width()} < {w.minimumSizeHint().width()}")
    return found


def guide_faults(viewer) -> list[str]:  # type: ignore[no-untyped-def]
    """What makes the guide's page scroll sideways, or a picture blurred or blown up."""
    found: list[str] = []
    browser = viewer.browser
    page = browser.viewport().width()
    used = browser.document().documentLayout().documentSize().width()
    if browser.horizontalScrollBar().maximum() > 0 or used > page:
        found.append(f"hướng dẫn cuộn ngang: nội dung rộng {used:.0f} > trang {page}")
    ratio = browser.viewport().devicePixelRatioF()
    for name, room in browser.room_for_pictures().items():
        natural = browser._natural_image(name)
        shown = browser.shown_picture(name)
        if natural is None or shown is None:
            found.append(f"hình {name} không đọc được")
            continue
        width = shown.deviceIndependentSize().width()
        if width > room + 1 or width > natural.width():
            found.append(f"hình {name} rộng {width:.0f} (chỗ {room:.0f}, ảnh gốc {natural.width()})")
        if shown.width() < natural.width() and abs(shown.width() - width * ratio) > 1:
            found.append(f"hình {name} mờ: {shown.width()} điểm ảnh cho {width * ratio:.0f} điểm màn hình")
    return found


def walk(scale: float, sizes: list[tuple[int, int]]) -> dict[str, object]:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from kdx_desktop.gui.app import qt_application
    from kdx_desktop.gui.main_window import MainWindow
    from kdx_desktop.gui.report_pages import PageRole
    from kdx_desktop.gui.settings_file import use_ini_settings
    from kdx_desktop.services.demo import fill_demo
    from kdx_desktop.services.exporting import export_report
    from kdx_desktop.services.reporting import open_app

    qapp = qt_application()
    data = Path(tempfile.mkdtemp())
    use_ini_settings(data)
    app = open_app(data)
    fill_demo(app, current_year=2026)
    # Two fields "Không áp dụng" with a long reason: the reason's box beside them is walked too.
    from kdx_desktop.core.rules import na_reason_key
    from kdx_desktop.services.reporting import set_values

    reason = "Cơ quan không phát hành bản in ở khu vực thành phố trong năm báo cáo, theo quyết định của cơ quan chủ quản."
    for year in (2025, 2026):
        marked = {"print_copies_city": "NA", "digital_platforms_list": "NA"}
        set_values(
            app, "BKT", year, {**marked, **{str(na_reason_key(app.catalog, k)): reason for k in marked}}
        )
    sent = export_report(app, "BKT", 2025, data / "xuat")  # a locked report: its banner is walked too
    # The same report received at the Sở: its banner, and each task's evidence files, are walked.
    from kdx_desktop.services.intake import import_paths

    app.store.set_setting("this_org", "STTTT")
    import_paths(app, [sent.package])
    faults: list[str] = []
    walked = 0

    def settle() -> None:
        for _ in range(4):
            QApplication.sendPostedEvents()
            qapp.processEvents()

    # The Sở's PC (every organisation, the intake page) and an agency's PC with its locked report.
    for this_org, org, year in (("STTTT", "BKT", 2026), ("STTTT", "BKT", 2025), ("BKT", "BKT", 2025)):
        app.store.set_setting("this_org", this_org)
        window = MainWindow(app, org=org, year=year)
        window.setWindowState(Qt.WindowState.WindowNoState)
        window.show()
        settle()  # as it opens (the panel arranged, the window kept on the screen), then resized
        for width, height in sizes:
            cw, ch = client_size(width, height, scale)
            # Made smaller, the side panel gives way once it sees the new size, and the window can
            # then be as small as asked (a dragged border goes on shrinking it in the same way).
            for _ in range(2):
                window.resize(cw, ch)
                settle()
            where = f"{this_org}→{org} {year}, màn hình {width}x{height} ở {int(scale * 100)} %"
            if window.width() > cw or window.height() > ch:
                faults.append(f"{where}: cửa sổ không thu nhỏ được dưới {window.width()}x{window.height()}")
            tree = window.pages.tree
            items = [
                it
                for it in tree.findItems("", Qt.MatchFlag.MatchContains | Qt.MatchFlag.MatchRecursive)
                if it.data(0, PageRole) is not None
            ]
            for item in items:
                tree.setCurrentItem(item)
                settle()
                walked += 1
                faults += [f"{where}, trang “{item.text(0)}”: {f}" for f in faults_of(window)]
        window.close()
        window.deleteLater()
        settle()
    # The guide read inside the program, filling the window's whole area at each size.
    from kdx_desktop import paths
    from kdx_desktop.gui.guide_viewer import GuideViewer

    viewer = GuideViewer(paths.user_guide_path())
    viewer.show()
    for width, height in sizes:
        viewer.resize(*client_size(width, height, scale))
        settle()
        viewer.browser.fit_pictures()  # what its timer does once the window rests
        settle()
        where = f"hướng dẫn, màn hình {width}x{height} ở {int(scale * 100)} %"
        faults += [f"{where}: {f}" for f in guide_faults(viewer)]
        walked += 1
    viewer.close()
    app.close()
    return {"faults": faults, "walked": walked}


def screen_as_large_as(width: int, height: int) -> None:
    """The offscreen platform's one screen (800×800 by default) made ``width``×``height`` pixels:
    the window keeps itself inside its screen, and must not be kept smaller than the size walked."""
    config = Path(tempfile.mkdtemp()) / "screen.json"
    screen = {
        "name": "walk",
        "x": 0,
        "y": 0,
        "width": width,
        "height": height,
        "logicalDpi": 96,
        "logicalBpi": 96,
    }
    config.write_text(json.dumps({"screens": [screen]}), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def main(argv: list[str]) -> int:
    scale = float(argv[0])
    sizes = [tuple(int(n) for n in a.split("x")) for a in argv[1:]] or SIZES
    if os.environ.get("QT_QPA_PLATFORM", "offscreen") == "offscreen":
        screen_as_large_as(max(w for w, _h in sizes), max(h for _w, h in sizes))
    result = walk(scale, sizes)  # type: ignore[arg-type]
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
