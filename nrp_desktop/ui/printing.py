"""Printing a PDF through Qt's print system: each page drawn at the printer's resolution."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter


class PrintError(Exception):
    """The printer could not take the job; the message says so in plain words."""


def print_pdf(pdf: bytes, printer: QPrinter, title: str) -> int:
    """Send every page of `pdf` to `printer`; the number of pages printed."""
    data = QByteArray(pdf)
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    pages = document.pageCount()
    if document.status() != QPdfDocument.Status.Ready or pages == 0:
        raise PrintError("the handout could not be prepared for printing")
    printer.setDocName(title)
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintError(f"the printer {printer.printerName() or ''} is not available".replace("  ", " "))
    try:
        resolution = printer.resolution()
        for page in range(pages):
            if page:
                printer.newPage()
            points = document.pagePointSize(page)
            target = printer.pageLayout().paintRectPixels(resolution)
            # Fit the page to the printable area, keeping its proportions.
            scale = min(target.width() / points.width(), target.height() / points.height())
            size = QSize(int(points.width() * scale), int(points.height() * scale))
            image = document.render(page, size)
            painter.drawImage(QRectF(0, 0, size.width(), size.height()), image)
    finally:
        painter.end()
        document.close()
    return pages
