"""View ▸ Language in the real main window: the whole window changes at once, the open session
and the screen shown are kept, Urdu mirrors the window, and the choice is remembered."""

from __future__ import annotations

import pytest
from conftest import WindowDriver
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from nrp_desktop import i18n

EXAMPLE_ID = "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"
SESSION_CHOOSER = "Open a stored session (newest first)"


@pytest.fixture(autouse=True)
def english_afterwards(qapp):
    yield
    from nrp_desktop.ui.translator import apply_language

    apply_language(qapp, "en")


def _pseudo(text: str) -> bool:
    return text.startswith("⟦") and text.endswith("⟧")


def test_switching_language_keeps_the_session_and_the_screen(app_window: WindowDriver):
    window = app_window.window
    editor = app_window.go_to("Workshop session")
    app_window.choose(SESSION_CHOOSER, "Residents' evening")
    assert editor.current_session().id == EXAMPLE_ID
    typed = "Safer crossings by the school"
    app_window.type_into("A new priority: type what the group agreed", typed, enter=True)

    assert window.set_language(i18n.PSEUDO)
    row = window.navigation.currentRow()
    assert _pseudo(window.navigation.item(row).text())
    assert "Workshop session" in window.navigation.item(row).text()
    editor = window.stack.currentWidget()
    assert editor is window.screens["nrp_desktop.ui.session.editor:SessionEditor"]
    app_window.wait_until(lambda: editor.current_session() is not None)
    assert editor.current_session().id == EXAMPLE_ID
    assert editor.current_session().priorities[-1].title == typed
    titles = [label.text() for label in editor.findChildren(QLabel)
              if label.isVisible() and label.objectName() == "pageTitle"]
    assert titles and all(_pseudo(title) for title in titles)
    menus = [action.text() for action in window.menuBar().actions()]
    assert menus and all(_pseudo(text) for text in menus)

    assert window.set_language("ur")
    assert QApplication.instance().layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert window.isRightToLeft()
    assert window.navigation.item(row).text() == i18n.translate_in("ur", "Workshop session")
    assert window.stack.currentWidget().current_session().id == EXAMPLE_ID

    assert window.set_language("en")
    assert QApplication.instance().layoutDirection() == Qt.LayoutDirection.LeftToRight
    assert window.navigation.item(window.navigation.currentRow()).text() == "Workshop session"
    assert window.stack.currentWidget().current_session().id == EXAMPLE_ID
    # Still the live window: an edit after the switch reaches the store.
    app_window.type_into("A new priority: type what the group agreed", "Fix the street lights", enter=True)
    stored = window.store.load_session(EXAMPLE_ID)
    assert [p.title for p in stored.priorities][-2:] == [typed, "Fix the street lights"]


def test_the_language_chosen_is_remembered(app_window: WindowDriver):
    from nrp_desktop.ui.main_window import remembered_language

    window = app_window.window
    app_window.menu("View", "Language", "Polski")
    assert i18n.current().code == "pl"
    assert remembered_language() == "pl"
    assert window.language_actions["pl"].isChecked()
    window.set_language("en")
    assert remembered_language() == "en"
