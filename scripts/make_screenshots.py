"""Take the user guide's pictures from the current code: docs/images/*.png.

    QT_QPA_PLATFORM=offscreen python scripts/make_screenshots.py [--out docs/images] [--only NAME,…]

Every picture is taken from the real widgets on sample data (``demo``) in a temporary folder, so the
guide shows what the program shows today. A picture whose widget does not exist in this checkout
(e.g. the Sở's intake page before it is written) is reported as skipped, with the reason, and the
others are still taken; the exit status is 1 only if a picture that could be taken failed.
``main-window.png`` belongs to the window's own screenshot and is not taken here.
Runs offscreen by default; under Xvfb set ``QT_QPA_PLATFORM=xcb`` and ``DISPLAY``.
"""

from __future__ import annotations

import argparse
import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

AGENCY, SO = "BKT", "STTTT"
DONE_YEAR, DRAFT_YEAR = 2025, 2026
SIZE = (1280, 760)


class Skipped(Exception):
    """The widget for this picture is not in this checkout."""


def optional(module: str) -> Any:
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("kdx_desktop"):
            raise Skipped(f"chưa có {module}") from exc
        raise


class Studio:
    """A data folder with the demo data, opened the way the window opens it."""

    def __init__(self, root: Path) -> None:
        from kdx_desktop.gui.app import qt_application
        from kdx_desktop.gui.settings_file import use_ini_settings
        from kdx_desktop.services.demo import fill_demo
        from kdx_desktop.services.reporting import open_app

        self.qapp = qt_application()
        self.data = root / "du-lieu"
        self.data.mkdir()
        use_ini_settings(self.data)
        self.app = open_app(self.data)
        fill_demo(self.app, current_year=DRAFT_YEAR)
        self.out = root / "xuat"
        self.out.mkdir()
        exporting = optional("kdx_desktop.services.exporting")
        self.export = exporting.export_report(self.app, AGENCY, DONE_YEAR, self.out)
        # What the Sở receives: every agency's package of the finished year.
        self.packages = [p for p in self.export.paths if p.suffix == ".zip"]
        for org in ("PTTH", "TCVN"):
            other = exporting.export_report(self.app, org, DONE_YEAR, self.out)
            self.packages += [p for p in other.paths if p.suffix == ".zip"]
        self.root = root

    def this_pc(self, org: str) -> None:
        self.app.store.set_setting("this_org", org)

    def settle(self, widget: Any) -> None:
        widget.show()
        for _ in range(8):
            self.qapp.processEvents()

    def window(self, org: str, year: int) -> Any:
        from kdx_desktop.gui.main_window import MainWindow

        win = MainWindow(self.app, org=org, year=year)
        self.settle(win)
        win.resize(*SIZE)  # after show: the window restores its last geometry when it is shown
        self.settle(win)
        return win

    def save(self, widget: Any, path: Path) -> None:
        self.settle(widget)
        if not widget.grab().save(str(path), "PNG"):
            raise OSError(f"không ghi được {path}")
        widget.close()
        widget.deleteLater()
        self.qapp.processEvents()


def select_page(win: Any, starts_with: str) -> None:
    """Open the page whose entry in the section list starts with ``starts_with``."""
    from PySide6.QtWidgets import QTreeWidgetItemIterator

    it = QTreeWidgetItemIterator(win.ui.sectionTree)
    while it.value() is not None:
        item = it.value()
        if item.text(0).startswith(starts_with):
            # A group (e.g. "Nhiệm vụ (Phụ lục 2)") opens its first page.
            win.ui.sectionTree.setCurrentItem(item.child(0) if item.childCount() else item)
            return
        it += 1
    raise Skipped(f"không có trang “{starts_with}…” trong danh sách mục")


# -- the pictures ---------------------------------------------------------------------------------


def first_start(s: Studio, path: Path) -> None:
    from kdx_desktop.gui.dialogs import ProfileDialog

    s.this_pc(AGENCY)  # as on an agency PC: its own organisation preselected
    dialog = ProfileDialog(s.app, DRAFT_YEAR, first_run=True)
    s.save(dialog, path)


def entering(s: Studio, path: Path) -> None:
    s.this_pc(AGENCY)
    win = s.window(AGENCY, DRAFT_YEAR)
    s.save(win, path)


def tasks(s: Studio, path: Path) -> None:
    from kdx_desktop.services.attachments import add_attachment

    s.this_pc(AGENCY)
    # An evidence file attached, and the page scrolled down to the files and their buttons.
    plan = s.root / "Ke-hoach-54-KH-BKT.pdf"
    plan.write_bytes(b"%PDF-1.4\n% Ke hoach so 54/KH-BKT (minh hoa)\n%%EOF\n")
    report = s.app.store.report(AGENCY, DONE_YEAR - 1)
    assert report is not None
    add_attachment(s.app, report, "T1", plan, user="thuky.bkt")
    win = s.window(AGENCY, DONE_YEAR - 1)
    select_page(win, "Nhiệm vụ")
    page = win.ui.pageStack.currentWidget()
    s.settle(win)
    page.verticalScrollBar().setValue(page.verticalScrollBar().maximum())
    page.view.selectRow(0)  # the file selected: "Gỡ tệp..." is available
    s.save(win, path)


def locked(s: Studio, path: Path) -> None:
    s.this_pc(AGENCY)
    win = s.window(AGENCY, DONE_YEAR)
    s.save(win, path)


def reopen(s: Studio, path: Path) -> None:
    from kdx_desktop.gui.dialogs import ReopenDialog

    s.this_pc(AGENCY)
    win = s.window(AGENCY, DONE_YEAR)
    dialog = ReopenDialog(win.session, win)
    dialog.ui.reasonEdit.setPlainText("Sở đề nghị bổ sung số liệu đào tạo cán bộ (công văn ngày 28/11).")
    s.save(dialog, path)
    win.close()


def intake(s: Studio, path: Path) -> None:
    """The Sở's own PC (its own data folder) right after importing the three agencies' packages."""
    optional("kdx_desktop.gui.intake_page")
    from PySide6.QtWidgets import QWidget

    from kdx_desktop.gui.main_window import MainWindow
    from kdx_desktop.gui.settings_file import use_ini_settings
    from kdx_desktop.services.reporting import open_app

    folder = s.root / "du-lieu-so"
    folder.mkdir()
    use_ini_settings(folder)
    so_app = open_app(folder)
    try:
        so_app.store.set_setting("this_org", SO)
        win = MainWindow(so_app, org=SO, year=DONE_YEAR)
        s.settle(win)
        win.resize(*SIZE)
        select_page(win, "Tiếp nhận")
        page = win.findChild(QWidget, "intakePage")
        if page is None:
            raise Skipped("không thấy trang tiếp nhận trong cửa sổ")
        page.year.setValue(DONE_YEAR)
        page.import_files(s.packages)
        s.save(win, path)
    finally:
        so_app.close()


def printed_page(s: Studio, path: Path) -> None:
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise Skipped("không có pdftoppm (poppler-utils)")
    pdf = next(p for p in s.export.paths if p.suffix == ".pdf")
    stem = path.with_suffix("")
    subprocess.run(
        [exe, "-png", "-r", "70", "-f", "1", "-l", "1", "-singlefile", str(pdf), str(stem)], check=True
    )


def signing_dialog(s: Studio, path: Path) -> None:
    """The Ký số step after export, with a certificate file chosen (the PIN field empty)."""
    optional("kdx_desktop.gui.signing_dialog")
    from kdx_desktop.gui.signing_dialog import SigningDialog

    package = next(p for p in s.export.paths if p.suffix == ".zip")
    dialog = SigningDialog(package)
    dialog.use_p12.setChecked(True)
    dialog.p12.setText("D:\\ChungThu\\bao-quang-ngai.p12")
    s.save(dialog, path)


def signed_box(s: Studio, path: Path) -> None:
    """The signature block of the last page once signed (a throw-away certificate)."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        raise Skipped("không có pdftoppm (poppler-utils)")
    optional("kdx_desktop.signing.sign")
    from kdx_desktop.signing.sign import sign_package
    from kdx_desktop.signing.throwaway import throwaway_signer

    package = next(p for p in s.export.paths if p.suffix == ".zip")
    signer, _root = throwaway_signer("Nguyễn Văn Hùng", "Báo Quảng Ngãi")
    signed = s.root / "da-ky.pdf"
    signed.write_bytes(sign_package(package.read_bytes(), signer).pdf)
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader

    reader = PdfFileReader(io.BytesIO(signed.read_bytes()))
    last = int(reader.root["/Pages"]["/Count"])
    field = reader.embedded_signatures[0].sig_field
    widget = field["/Kids"][0] if "/Kids" in field else field
    _x1, y1, _x2, y2 = (float(v) for v in widget["/Rect"])
    dpi, page_h = 90, 842
    top = max(0, int((page_h - y2 - 70) * dpi / 72))
    height = int((y2 - y1 + 120) * dpi / 72)
    # The signature block of the last page: Nơi nhận with the QR code, and the signature box.
    subprocess.run(
        [
            exe,
            "-png",
            "-r",
            str(dpi),
            "-f",
            str(last),
            "-l",
            str(last),
            "-x",
            "60",
            "-y",
            str(top),
            "-W",
            "640",
            "-H",
            str(height),
            "-singlefile",
            str(signed),
            str(path.with_suffix("")),
        ],
        check=True,
    )


def smartscreen(s: Studio, path: Path) -> None:
    """The SmartScreen dialog of an unsigned release's first start, redrawn (no Windows PC here to
    photograph it), with the two clicks marked. The picture says it is a redrawing."""
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

    box = QWidget()
    box.setFixedSize(620, 430)
    box.setStyleSheet(
        "QWidget { background: #0063b1; color: white; font-size: 13px; }"
        "QPushButton { background: #005a9e; color: white; border: 1px solid white; padding: 6px 18px; }"
    )
    lay = QVBoxLayout(box)
    lay.setContentsMargins(28, 22, 28, 18)
    title = QLabel("Windows đã bảo vệ PC của bạn")
    title.setStyleSheet("font-size: 24px;")
    lay.addWidget(title)
    text = QLabel(
        "Microsoft Defender SmartScreen đã ngăn chặn một ứng dụng không được nhận dạng khởi động. "
        "Chạy ứng dụng này có thể khiến PC của bạn gặp rủi ro."
    )
    text.setWordWrap(True)
    lay.addWidget(text)
    more = QLabel("<u>Thông tin bổ sung</u>   <span style='color:#ffd75e'>① bấm vào đây</span>")
    lay.addWidget(more)
    lay.addSpacing(8)
    lay.addWidget(QLabel("Ứng dụng:          KDX.exe"))
    lay.addWidget(QLabel("Nhà phát hành:   Nhà phát hành không xác định"))
    lay.addStretch(1)
    buttons = QHBoxLayout()
    buttons.addWidget(QLabel("<span style='color:#ffd75e'>② rồi bấm “Vẫn chạy”</span>"))
    buttons.addStretch(1)
    for label in ("Vẫn chạy", "Không chạy"):
        buttons.addWidget(QPushButton(label))
    lay.addLayout(buttons)
    note = QLabel("Hình minh họa, vẽ lại theo hộp thoại của Windows (không phải ảnh chụp màn hình).")
    note.setStyleSheet("color: #d0e4f5; font-size: 11px;")
    note.setAlignment(Qt.AlignmentFlag.AlignRight)
    lay.addWidget(note)
    s.save(box, path)


SHOTS: dict[str, Callable[[Studio, Path], None]] = {
    "thiet-lap-lan-dau.png": first_start,
    "nhap-so-lieu.png": entering,
    "nhiem-vu.png": tasks,
    "bao-cao-da-khoa.png": locked,
    "mo-lai-de-sua.png": reopen,
    "bao-cao-in-trang-1.png": printed_page,
    "tiep-nhan-tai-so.png": intake,
    "ky-so-hop-thoai.png": signing_dialog,
    "ky-so-o-chu-ky.png": signed_box,
    "smartscreen-minh-hoa.png": smartscreen,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="take the user guide's pictures from the current code")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    parser.add_argument("--only", help="comma-separated picture names")
    args = parser.parse_args(argv)
    wanted = set(args.only.split(",")) if args.only else set(SHOTS)
    args.out.mkdir(parents=True, exist_ok=True)
    failed = 0
    with tempfile.TemporaryDirectory(prefix="kdx-shots-") as tmp:
        studio = Studio(Path(tmp))
        try:
            for name, take in SHOTS.items():
                if name not in wanted:
                    continue
                try:
                    take(studio, args.out / name)
                    print(f"✓ {name}")
                except Skipped as exc:
                    print(f"– {name}: bỏ qua ({exc})")
                except Exception as exc:
                    failed += 1
                    print(f"✗ {name}: {type(exc).__name__}: {exc}", file=sys.stderr)
        finally:
            studio.app.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
