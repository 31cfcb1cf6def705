"""Printing a PDF through Qt's print system: each page drawn at the printer's resolution."""

from __future__ import annotations

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrinter

from nrp_desktop.errors import KnownFailure
from nrp_desktop.services.pdf_pages import PdfPagesError, page_sizes, render_pages

MAX_PRINT_DPI = 300  # enough for text on paper; more only makes the job slower


class PrintError(KnownFailure):
    """The printer could not take the job; the message says so in plain words."""


def print_pdf(pdf: bytes, printer: QPrinter, title: str) -> int:
    """Send every page of `pdf` to `printer`; the number of pages printed."""
    try:
        sizes = page_sizes(pdf)
    except PdfPagesError as error:
        raise PrintError(str(error)) from None
    if not sizes:
        raise PrintError("the document has no pages")
    printer.setDocName(title)
    painter = QPainter()
    if not painter.begin(printer):
        name = printer.printerName()
        raise PrintError(f"the printer {name} is not available" if name else "no printer is available")
    try:
        resolution = min(printer.resolution(), MAX_PRINT_DPI)
        scale_to_device = printer.resolution() / resolution
        target = printer.pageLayout().paintRectPixels(printer.resolution())
        for index, (width_pt, height_pt) in enumerate(sizes):
            if index:
                printer.newPage()
            # Fit the page into the printable area, keeping its proportions.
            fit = min(target.width() / width_pt, target.height() / height_pt)
            width_px = max(1, int(width_pt * fit / scale_to_device))
            (page,) = render_pages(pdf, width_px, [index])
            image = QImage(page.rgb, page.width, page.height, page.width * 3, QImage.Format.Format_RGB888)
            painter.drawImage(QRectF(0, 0, width_pt * fit, height_pt * fit), image)
    finally:
        painter.end()
    return len(sizes)
