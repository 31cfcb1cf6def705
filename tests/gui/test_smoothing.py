"""Through the real window: the wheel changes a box only with focus; an unexpected fault is
shown as one plain message naming the log file."""

from __future__ import annotations

from conftest import WindowDriver
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QMessageBox

SESSION_CHOOSER = "Open a stored session (newest first)"


def wheel(widget, steps: int = -1) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(widget.rect().center())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_the_wheel_changes_a_box_only_once_it_has_focus(app_window: WindowDriver):
    editor = app_window.go_to("Workshop session")
    app_window.choose(SESSION_CHOOSER, "Residents' evening")
    opened = editor.current_session().id
    chooser = app_window.field(SESSION_CHOOSER)
    editor.select_priority(editor.document.priority_ids()[0])
    table = app_window.field("Which table raised it")
    before = (chooser.currentIndex(), table.currentIndex())
    app_window.field("A new priority: type what the group agreed").setFocus()
    wheel(chooser)
    wheel(table)
    assert (chooser.currentIndex(), table.currentIndex()) == before
    assert editor.current_session().id == opened
    assert app_window.window.store.load_session(opened).priorities[0].group == "Table 1"
    table.setFocus()
    wheel(table)  # with focus, the wheel is the person's choice
    assert table.currentIndex() != before[1]


def test_an_unexpected_fault_is_one_plain_message_naming_the_log(app_window: WindowDriver, dialogs,
                                                                 isolated_data_dir):
    from nrp_desktop.ui.app import show_unexpected_fault

    try:
        raise ZeroDivisionError("division by zero")
    except ZeroDivisionError as error:
        show_unexpected_fault(type(error), error, error.__traceback__)
    assert len(dialogs.shown) == 1
    _title, text, _detail, text_format = dialogs.shown[0]
    assert text_format == Qt.TextFormat.PlainText
    assert "unexpected fault" in text and "log" in text and "ZeroDivisionError" not in text
    assert dialogs.answer == QMessageBox.StandardButton.Yes  # answered, the window goes on
