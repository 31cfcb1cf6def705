"""Tab through the Workshop session screen in the real main window, as a keyboard user does: the
session bar's buttons in the order they read ("Follow-up…" right after "New…", not after the
whole detail panel), and the buttons beside the tabs ("Show on projector") before the priorities,
not after the priority's notes."""

from __future__ import annotations

from conftest import WindowDriver, open_example
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def tab_names(app_window: WindowDriver, start, presses: int) -> list[str]:
    start.setFocus(Qt.FocusReason.TabFocusReason)
    names = []
    for _ in range(presses):
        app_window.press(Qt.Key.Key_Tab, widget=QApplication.focusWidget())
        focused = QApplication.focusWidget()
        names.append(focused.accessibleName() or focused.objectName() or type(focused).__name__)
    return names


def test_tab_reads_the_session_bar_and_the_tab_corner_in_order(app_window: WindowDriver):
    editor = open_example(app_window)
    app_window.window.activateWindow()
    app_window.wait_until(app_window.window.isActiveWindow)
    names = tab_names(app_window, editor.session_combo, 12)
    assert names[:2] == ["Start a new session", "New follow-up session of the open session"], names
    new_priority = names.index("A new priority: type what the group agreed")
    assert "Show on projector" in names[:new_priority], names
    assert names.index("Rename the open session") < names.index("Votes from phones") < new_priority
