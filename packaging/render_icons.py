"""Render the app icon (SVG) into the PNG sizes and the Windows .ico the installers need.

    python render_icons.py resources/icons/nrp-desktop.svg OUT_DIR

Runs with a Python that has PySide6 and Pillow (the build environment or the project's .venv):
Qt draws the SVG, Pillow packs the .ico. Writes OUT_DIR/nrp-desktop-<size>.png for every size in
PNG_SIZES and OUT_DIR/nrp-desktop.ico (16 to 256 pixels).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)


def render(svg: Path, out_dir: Path) -> list[Path]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"render_icons: {svg} is not a valid SVG file")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for size in PNG_SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        target = out_dir / f"nrp-desktop-{size}.png"
        if not image.save(str(target), "PNG"):
            raise SystemExit(f"render_icons: cannot write {target}")
        written.append(target)

    from PIL import Image

    images = [Image.open(out_dir / f"nrp-desktop-{size}.png") for size in ICO_SIZES]
    ico = out_dir / "nrp-desktop.ico"
    images[-1].save(ico, format="ICO", sizes=[(size, size) for size in ICO_SIZES], append_images=images[:-1])
    written.append(ico)
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    for path in render(Path(sys.argv[1]), Path(sys.argv[2])):
        print(path)
