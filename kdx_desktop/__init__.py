"""KDX: báo cáo kết quả chuyển đổi số báo chí."""

__version__ = "0.1.0"
APP_NAME = "KDX"
