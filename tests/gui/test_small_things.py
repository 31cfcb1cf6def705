"""Small things of the evening (issue 12, item 10), through the real window: the detail pane
reads another priority from its top; a selected search result's secondary words stay readable;
the session language is offered by name and stored as its code."""

from __future__ import annotations

from conftest import EXAMPLE_ID, WindowDriver, open_example
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette, QTextCharFormat
from PySide6.QtWidgets import QStyle, QStyleOptionViewItem


def test_the_detail_pane_shows_another_priority_from_its_top(app_window: WindowDriver):
    editor = open_example(app_window)
    app_window.window.resize(1024, 640)  # short enough that the details scroll
    first, second = editor.document.priority_ids()[:2]
    editor.select_priority(first)
    bar = editor.detail.details_scroll.verticalScrollBar()
    app_window.wait_until(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())
    editor.select_priority(second)
    assert editor.detail.priority_id == second
    assert bar.value() == 0


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(one: QColor, other: QColor) -> float:
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_a_selected_search_results_kind_is_readable_on_the_selection(app_window: WindowDriver):
    page = app_window.go_to("Library")
    app_window.type_into("Search the library", "bus routes", enter=True)
    view = page.results_view
    model = view.model()
    app_window.wait_until(lambda: model.rowCount() > 0)
    rows = [row for row in range(model.rowCount()) if "(Neighbourhood)" in model.index(row, 0).data()]
    assert rows
    index = model.index(rows[0], 0)
    view.setCurrentIndex(index)
    # The selection's colour as painted on the screen.
    rect = view.visualRect(index)
    background = view.viewport().grab().toImage().pixelColor(rect.left() + 2, rect.top() + 2)
    assert background != QColor("#FFFFFF")
    option = QStyleOptionViewItem()
    option.initFrom(view)
    option.font = view.font()
    option.state |= QStyle.StateFlag.State_Selected
    document = view.itemDelegate()._document(option, index, rect.width())
    plain_colour = option.palette.color(QPalette.ColorRole.HighlightedText)
    seen = []
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            text_format: QTextCharFormat = fragment.charFormat()
            brush = text_format.foreground()
            colour = brush.color() if brush.style() != Qt.BrushStyle.NoBrush else plain_colour
            if fragment.text().strip():
                seen.append((fragment.text(), round(contrast(colour, background), 1)))
            iterator += 1
        block = block.next()
    assert any("Neighbourhood" in text for text, _ratio in seen), seen
    assert all(ratio >= 4.5 for _text, ratio in seen), seen


def test_the_session_language_is_offered_by_name_and_stored_as_its_code(app_window: WindowDriver):
    editor = open_example(app_window)
    editor.tabs.setCurrentWidget(editor.details_form)
    field = app_window.field("Language of the handout")
    offered = [field.itemText(row) for row in range(field.count())]
    assert "Somali (so)" in offered and "Welsh (cy)" in offered and "Punjabi (pa)" in offered
    assert "so" not in offered
    app_window.choose("Language of the handout", "Somali (so)")
    store = app_window.window.store
    assert store.load_session(EXAMPLE_ID).language == "so"
    assert field.currentText() == "Somali (so)"
    # A tag typed by hand is kept as typed; a name typed is stored as its code.
    field.lineEdit().selectAll()
    app_window.type_into("Language of the handout", "ur-PK", enter=True)
    field.lineEdit().editingFinished.emit()
    assert store.load_session(EXAMPLE_ID).language == "ur-PK"
    field.lineEdit().selectAll()
    app_window.type_into("Language of the handout", "welsh", enter=True)
    field.lineEdit().editingFinished.emit()
    assert store.load_session(EXAMPLE_ID).language == "cy"
    assert field.currentText() == "Welsh (cy)"
