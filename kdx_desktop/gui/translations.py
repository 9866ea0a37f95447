"""Vietnamese for the texts Qt itself shows (standard buttons, the right-click menus of text boxes,
number boxes and scroll bars, Qt's own file dialog). Qt ships no ``qtbase_vi.qm``, so a small translator answers for the strings an officer
actually meets; anything not listed stays as Qt wrote it.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

_EDIT_MENU = {
    "&Undo": "&Hoàn tác",
    "&Redo": "&Làm lại",
    "Cu&t": "&Cắt",
    "&Copy": "Sao &chép",
    "&Paste": "&Dán",
    "Delete": "Xóa",
    "Select All": "Chọn tất cả",
    "Copy &Link Location": "Sao chép địa chỉ liên kết",
}

_BUTTONS = {
    "OK": "Đồng ý",
    "Save": "Lưu",
    "Save All": "Lưu tất cả",
    "Open": "Mở",
    "&Yes": "&Có",
    "Yes to &All": "Có với tất cả",
    "&No": "&Không",
    "N&o to All": "Không với tất cả",
    "Abort": "Hủy bỏ",
    "Retry": "Thử lại",
    "Ignore": "Bỏ qua",
    "Close": "Đóng",
    "Cancel": "Hủy",
    "Discard": "Bỏ qua",
    "Don't Save": "Không lưu",
    "Close without Saving": "Đóng không lưu",
    "Help": "Trợ giúp",
    "Apply": "Áp dụng",
    "Reset": "Đặt lại",
    "Restore Defaults": "Khôi phục mặc định",
}

_FILE_DIALOG = {
    # Qt 6's own wording (with its shortcut marks): the labels an officer reads first.
    "&Look in:": "&Tìm trong:",
    "Files of &type:": "&Loại tệp:",
    "Change to detail view mode": "Xem dạng chi tiết",
    "Change to list view mode": "Xem dạng danh sách",
    "Create a New Folder": "Tạo thư mục mới",
    "Go back": "Quay lại",
    "Go forward": "Tiếp",
    "Go to the parent directory": "Lên thư mục cha",
    "List of places and bookmarks": "Các nơi và dấu trang",
    "Sidebar": "Thanh bên",
    "Files": "Tệp",
    "Directories": "Thư mục",
    "New Folder": "Thư mục mới",
    "Recent Places": "Nơi mở gần đây",
    "Save As": "Lưu thành",
    "Are you sure you want to delete '%1'?": "Xóa “%1”?",
    "'%1' is write protected.\nDo you want to delete it anyway?": "“%1” được bảo vệ chống ghi.\nVẫn xóa?",
    "Could not delete directory.": "Không xóa được thư mục.",
    "%1 already exists.\nDo you want to replace it?": "“%1” đã có.\nThay thế tệp đó?",
    "%1\nFile not found.\nPlease verify the correct file name was given.": (
        "%1\nKhông tìm thấy tệp.\nHãy kiểm tra lại tên tệp."
    ),
    "%1\nDirectory not found.\nPlease verify the correct directory name was given.": (
        "%1\nKhông tìm thấy thư mục.\nHãy kiểm tra lại tên thư mục."
    ),
    "Look in:": "Tìm trong:",
    "File &name:": "&Tên tệp:",
    "Files of type:": "Loại tệp:",
    "&Open": "&Mở",
    "&Choose": "&Chọn",
    "&Save": "&Lưu",
    "Cancel": "Hủy",
    "Back": "Quay lại",
    "Forward": "Tiếp",
    "Parent Directory": "Thư mục cha",
    "Create New Folder": "Tạo thư mục mới",
    "List View": "Dạng danh sách",
    "Detail View": "Dạng chi tiết",
    "Directory:": "Thư mục:",
    "Name": "Tên",
    "Size": "Kích thước",
    "Type": "Loại",
    "Date Modified": "Ngày sửa",
    "&New Folder": "Thư mục &mới",
    "&Delete": "&Xóa",
    "&Rename": "Đổi &tên",
    "Show &hidden files": "Hiện tệp ẩn",
    "Find Directory": "Chọn thư mục",
    "Open": "Mở",
    "All Files (*)": "Mọi tệp (*)",
    "My Computer": "Máy tính",
    "Computer": "Máy tính",
}

_FILE_KINDS = {
    "Drive": "Ổ đĩa",
    "Folder": "Thư mục",
    "File Folder": "Thư mục",
    "Directory": "Thư mục",
    "File": "Tệp",
    "Unknown": "Không rõ",
    "%1 File": "Tệp %1",
}

_SPIN_BOX = {  # the year and date boxes add these to the text-box menu
    "&Select All": "Chọn &tất cả",
    "&Step up": "&Tăng",
    "Step &down": "&Giảm",
}

_SCROLL_BAR = {  # right-click on a scroll bar
    "Scroll here": "Cuộn tới đây",
    "Left edge": "Tận cùng bên trái",
    "Top": "Lên đầu",
    "Right edge": "Tận cùng bên phải",
    "Bottom": "Xuống cuối",
    "Page left": "Sang trái một trang",
    "Page up": "Lên một trang",
    "Page right": "Sang phải một trang",
    "Page down": "Xuống một trang",
    "Scroll left": "Cuộn sang trái",
    "Scroll up": "Cuộn lên",
    "Scroll right": "Cuộn sang phải",
    "Scroll down": "Cuộn xuống",
}

TEXTS: dict[str, dict[str, str]] = {
    "QAbstractFileIconProvider": _FILE_KINDS,
    "QLineEdit": _EDIT_MENU,
    "QWidgetTextControl": _EDIT_MENU,
    "QPlatformTheme": _BUTTONS,
    "QDialogButtonBox": _BUTTONS,
    "QMessageBox": {"Show Details...": "Chi tiết...", "Hide Details...": "Ẩn chi tiết...", "OK": "Đồng ý"},
    "QFileDialog": _FILE_DIALOG,
    "QFileSystemModel": {**_FILE_DIALOG, **_FILE_KINDS, "Kind": "Loại"},
    "QProgressDialog": {"Cancel": "Hủy"},
    "QInputDialog": {"Enter a value:": "Nhập giá trị:"},
    "QAbstractSpinBox": _SPIN_BOX,
    "QScrollBar": _SCROLL_BAR,
}


class VietnameseTranslator(QTranslator):
    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # None becomes a null string, which tells Qt "not translated here" (an empty string would
        # be taken as the translation and blank out key names such as "Ctrl").
        return TEXTS.get(context, {}).get(source)

    def isEmpty(self) -> bool:
        return False


_installed: list[VietnameseTranslator] = []


VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


def install() -> None:
    """Install the translator once for the running application, and speak Vietnamese where Qt
    takes words from the locale instead (the calendar's months and weekdays, the file dialog's
    dates), whatever language Windows is in."""
    app = QCoreApplication.instance()
    if app is None or _installed:
        return
    QLocale.setDefault(VIETNAMESE)
    translator = VietnameseTranslator(app)
    if app.installTranslator(translator):
        _installed.append(translator)
