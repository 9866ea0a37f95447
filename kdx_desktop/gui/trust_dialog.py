"""The Sở's trust store in the window: the root certificates and CRLs installed for checking
electronic signatures (``trust add`` / ``trust list`` on the command line)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..core.vntime import vn_date
from ..services.reporting import App
from .messages import localize_buttons, show_error, show_info

HEADERS = ("Loại", "Tên", "Hiệu lực đến", "Cài ngày", "Người cài")


def _day(iso: str) -> str:
    """A calendar date (a certificate's last day): ``2030-01-01`` → ``01/01/2030``."""
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}" if len(iso) >= 10 else iso


class TrustDialog(QDialog):
    def __init__(self, app: App, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.app = app
        self.changed = 0
        self.setWindowTitle("Chứng thư số tin cậy")
        self.setMinimumWidth(640)
        intro = QLabel(
            "Chữ ký số của một cơ quan chỉ là “tin cậy” khi chứng thư của người ký dẫn tới một chứng thư "
            "gốc cài ở đây (của nhà cung cấp chữ ký số, ví dụ tệp .cer/.crt tải từ trang của họ). Danh sách "
            "thu hồi (.crl) cài ở đây cho phép kiểm tra chứng thư đã bị thu hồi hay chưa; không có thì KDX "
            "ghi rõ “chưa kiểm tra thu hồi”. Tại đơn vị: cài chứng thư gốc của nhà cung cấp chữ ký số của Sở "
            "để KDX kiểm tra được tệp danh mục Sở ký số (Tệp → Cập nhật danh mục)."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.add_button = QPushButton("Thêm chứng thư gốc hoặc danh sách thu hồi...")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        localize_buttons(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.add_button)
        layout.addWidget(buttons)
        self.add_button.clicked.connect(self._choose)
        buttons.rejected.connect(self.reject)
        self.refresh()

    def refresh(self) -> None:
        from ..province.signatures import trust_entries

        entries = trust_entries(self.app.store)
        self.table.setRowCount(len(entries))
        for i, e in enumerate(entries):
            for j, text in enumerate(
                (e.kind_label, e.name, _day(e.valid_to), vn_date(e.added_at), e.added_by)
            ):
                self.table.setItem(i, j, QTableWidgetItem(text))

    def _choose(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Chọn chứng thư gốc hoặc danh sách thu hồi",
            "",
            "Chứng thư, danh sách thu hồi (*.cer *.crt *.pem *.der *.crl);;Mọi tệp (*)",
        )
        if paths:
            self.add_files([Path(p) for p in paths])

    def add_files(self, paths: list[Path]) -> bool:
        """Install the files, then check every received signature again. True when installed."""
        from ..fsutil import describe_os_error, read_file_at_most
        from ..province.signatures import TrustFileError, add_to_trust, recheck_all

        names = []
        for path in paths:
            try:
                raw = read_file_at_most(path, 5 * 1024 * 1024)
                names += [e.name for e, _new in add_to_trust(self.app.store, raw)]
            except OSError as exc:
                show_error(self, "Không cài được", describe_os_error(exc, path, reading=True))
                return False
            except TrustFileError as exc:
                show_error(self, "Không cài được", f"“{path.name}”: {exc}")
                return False
        cat = self.app.catalog
        org_names = {o.code: [o.name(y) for y in cat.years() if o.exists_in(y)] for o in cat.organisations}
        self.changed += recheck_all(self.app.store, org_names)
        self.refresh()
        show_info(
            self,
            "Đã cài",
            "Đã cài: " + "; ".join(names) + f".\nĐã kiểm tra lại chữ ký số các gói đã nhận: "
            f"{self.changed} kết quả thay đổi.",
        )
        return True


__all__ = ["TrustDialog"]
