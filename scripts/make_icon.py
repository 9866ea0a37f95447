"""Render KDX's icon for the programs: resources/icons/kdx.png and kdx.ico, from kdx.svg.

A development tool, run by hand when the icon changes; its output is committed. The window's own icon
(``resources/icons/kdx.svg``, set by the main window) is the single source, so the exe in Explorer and
the window in the taskbar show the same picture. Each size is rendered from the vector drawing (not
scaled down from 256 px), so the small sizes stay sharp. The .ico holds PNG-compressed images of every
size Windows asks for (16 to 256 px), a format Windows has read since Vista.

    QT_QPA_PLATFORM=offscreen python scripts/make_icon.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "icons"
SOURCE = OUT / "kdx.svg"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def draw(renderer: QSvgRenderer, size: int) -> QImage:
    img = QImage(size, size, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.transparent)
    p = QPainter(img)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(p, QRectF(0, 0, size, size))
    p.end()
    return img


def png_bytes(img: QImage) -> bytes:
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    if not img.save(buf, "PNG"):
        raise RuntimeError("Qt could not encode a PNG")
    buf.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """An .ico container with one PNG-compressed entry per size."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, blobs = b"", b""
    for size, png in sorted(images.items()):
        dim = 0 if size >= 256 else size  # 0 means 256 in the directory entry
        entries += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(png), offset + len(blobs))
        blobs += png
    return header + entries + blobs


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    OUT.mkdir(parents=True, exist_ok=True)
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {SOURCE}")
    images = {size: png_bytes(draw(renderer, size)) for size in ICO_SIZES}
    (OUT / "kdx.png").write_bytes(images[256])
    (OUT / "kdx.ico").write_bytes(ico_bytes(images))
    print(f"{OUT / 'kdx.png'} and {OUT / 'kdx.ico'} ({len(images)} sizes) written")
    return 0


if __name__ == "__main__":
    sys.exit(main())
