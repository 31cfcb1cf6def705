"""The Workshop session's priority table: every row is tall enough for its whole wrapped title at
any width of the title column. The style sheet pads each cell (4 px a side), which Qt's size hint
left out, so a title that only just fitted the column was cut to "The council never asks us
before …" in a row one line too short (seen under Xvfb at 1366×768)."""

from __future__ import annotations

from conftest import WindowDriver, open_example
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QStyle, QStyleOptionViewItem

from nrp_desktop.ui.document.priority_models import PriorityTableModel


def cut_titles(table) -> list[str]:
    """Titles whose wrapped text is taller than the room their cell gives it when painted."""
    cut = []
    delegate = table.itemDelegateForColumn(PriorityTableModel.TITLE)
    for row in range(table.model().rowCount()):
        index = table.model().index(row, PriorityTableModel.TITLE)
        option = QStyleOptionViewItem()
        table.initViewItemOption(option)  # the table's own font and wrapping, as it paints
        option.rect = table.visualRect(index)
        delegate.initStyleOption(option, index)
        style = table.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, table)
        # Qt's painter keeps a text margin inside that rectangle (as QCommonStyle does).
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, table) + 1
        needed = QFontMetrics(option.font).boundingRect(
            0, 0, text_rect.width() - 2 * margin, 10_000, int(Qt.TextFlag.TextWordWrap), option.text).height()
        if needed > text_rect.height():
            cut.append(f"{option.text!r} at {table.columnWidth(PriorityTableModel.TITLE)} px: "
                       f"needs {needed}, has {text_rect.height()}")
    return cut


def test_every_title_fits_its_row_at_every_column_width(app_window: WindowDriver):
    editor = open_example(app_window)
    table = editor.table
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    from PySide6.QtWidgets import QHeaderView

    header.setSectionResizeMode(PriorityTableModel.TITLE, QHeaderView.ResizeMode.Interactive)
    found = []
    for width in range(180, 480, 3):
        table.setColumnWidth(PriorityTableModel.TITLE, width)
        table.resizeRowsToContents()
        QApplication.processEvents()
        found += cut_titles(table)
    assert found == []
