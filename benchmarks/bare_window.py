"""The start-up baseline: the least a PySide6 program can do to show a useful window.

A bare ``QMainWindow`` whose central widget is a 50-row table, shown once. Whatever KDX does on top
of this (reading the catalogue and the database, building the form) is the cost the start-up row
judges; this program is the physical limit of the stack on the same machine.
"""

from __future__ import annotations

import sys

ROWS, COLUMNS = 50, 5


def main() -> int:
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem

    app = QApplication(sys.argv)
    window = QMainWindow()
    window.setWindowTitle("Cửa sổ trống")
    table = QTableWidget(ROWS, COLUMNS)
    table.setHorizontalHeaderLabels(["Mã", "Chỉ tiêu", "Giá trị", "Chỉ tiêu năm", "Đánh giá"])
    for row in range(ROWS):
        for col in range(COLUMNS):
            table.setItem(row, col, QTableWidgetItem(f"Ô {row + 1}.{col + 1}"))
    window.setCentralWidget(table)
    window.resize(1000, 700)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
