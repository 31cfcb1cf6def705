"""A preview of a finished PDF: its pages as images, one under another, fitted to the width."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from nrp_desktop.services.pdf_pages import PageImage, page_sizes, render_pages
from nrp_desktop.ui.worker import run_in_background

RENDER_WIDTH_PX = 1100  # sharp on a laptop; scaled down smoothly for narrower windows
PAGE_GAP_PX = 16


class _PageImage(QWidget):
    """One page, drawn at the width it is given, keeping its proportions, with a thin border."""

    def __init__(self, pixmap: QPixmap, number: int, parent: Any = None) -> None:
        super().__init__(parent)
        self.pixmap = pixmap
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setAccessibleName(self.tr("Page %d") % number)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return int(width * self.pixmap.height() / max(1, self.pixmap.width()))

    def sizeHint(self) -> QSize:
        return QSize(600, self.heightForWidth(600))

    def paintEvent(self, _event: Any) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        painter.drawPixmap(self.rect(), self.pixmap)
        painter.setPen(Qt.GlobalColor.darkGray)
        painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()


class PdfPreview(QScrollArea):
    rendered = Signal(int)  # the number of pages now shown
    failed = Signal(str)  # the pages could not be drawn: the plain line to show (it is logged)

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName(self.tr("Preview"))
        self.page_sizes: list[tuple[float, float]] = []
        self._generation = 0
        self._content = QWidget()
        self._layout = QVBoxLayout(self._content)
        self._layout.setSpacing(PAGE_GAP_PX)
        self._layout.setContentsMargins(PAGE_GAP_PX, PAGE_GAP_PX, PAGE_GAP_PX, PAGE_GAP_PX)
        self.setWidget(self._content)

    def page_count(self) -> int:
        return len(self.page_sizes)

    def set_pdf(self, pdf: bytes) -> None:
        """Draw the pages off the GUI thread, then show them (a newer call wins)."""
        self._generation += 1
        generation = self._generation

        def render() -> tuple[list[tuple[float, float]], list[PageImage]]:
            return page_sizes(pdf), render_pages(pdf, RENDER_WIDTH_PX)

        def render_failed(error: Exception) -> None:
            from nrp_desktop.ui.failures import failure_line

            if generation == self._generation:
                self.failed.emit(failure_line(error, "drawing the pages"))

        run_in_background(render, lambda result: self._show(result, generation), render_failed,
                          context=self)

    def _show(self, result: tuple[list[tuple[float, float]], list[PageImage]], generation: int) -> None:
        if generation != self._generation:
            return
        sizes, images = result
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        for number, page in enumerate(images, start=1):
            image = QImage(page.rgb, page.width, page.height, page.width * 3, QImage.Format.Format_RGB888)
            self._layout.addWidget(_PageImage(QPixmap.fromImage(image.copy()), number))
        self._layout.addStretch(1)
        self.page_sizes = sizes
        self.rendered.emit(len(images))
