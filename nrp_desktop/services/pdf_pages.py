"""Turning a finished PDF into page images, for the preview and for printing (no Qt).

PDFium (through pypdfium2) draws the pages. It is not safe to use from two threads at once, so
every call takes one lock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

_PDFIUM = threading.Lock()


class PdfPagesError(Exception):
    """The PDF could not be read; the message says so in plain words."""


@dataclass(frozen=True)
class PageImage:
    width: int
    height: int
    rgb: bytes  # width × height × 3 bytes, rows top to bottom


def _open(pdf: bytes) -> Any:
    import pypdfium2

    try:
        return pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise PdfPagesError(f"the PDF could not be read ({error})") from None


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """Each page's size in points (1/72 inch)."""
    with _PDFIUM:
        document = _open(pdf)
        try:
            sizes = []
            for index in range(len(document)):
                page = document[index]
                sizes.append(tuple(page.get_size()))
                page.close()
            return sizes
        finally:
            document.close()


def render_pages(pdf: bytes, width_px: int, pages: list[int] | None = None) -> list[PageImage]:
    """The pages (all, or the given indexes) drawn `width_px` wide, on white."""
    with _PDFIUM:
        document = _open(pdf)
        try:
            chosen = range(len(document)) if pages is None else pages
            images = []
            for index in chosen:
                page = document[index]
                try:
                    width_pt, _height_pt = page.get_size()
                    bitmap = page.render(scale=width_px / width_pt, fill_color=(255, 255, 255, 255))
                    try:
                        image = bitmap.to_pil().convert("RGB")
                    finally:
                        bitmap.close()
                finally:
                    page.close()  # each page's memory goes back at once, not at the end
                images.append(PageImage(image.width, image.height, image.tobytes()))
            return images
        finally:
            document.close()
