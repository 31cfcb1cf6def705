"""The window in Urdu: the menu bar's items and the tabs are tall enough for the font's real
line height, and the Arabic script is shaped by a face Qt renders correctly."""

from __future__ import annotations

import pytest
from conftest import WindowDriver
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QApplication, QTabBar

from nrp_desktop.ui.theme import ARABIC_FAMILY


@pytest.fixture(autouse=True)
def english_afterwards(qapp):
    yield
    from nrp_desktop.ui.translator import apply_language

    apply_language(qapp, "en")


def test_urdu_menu_items_and_tabs_have_room_for_the_line_height(app_window: WindowDriver):
    window = app_window.window
    app_window.go_to("Workshop session")
    app_window.choose("Open a stored session (newest first)", "Residents' evening")
    assert window.set_language("ur")
    assert QApplication.instance().font().families()[0] == ARABIC_FAMILY
    window.resize(1280, 800)
    window.show()
    QApplication.processEvents()

    menu_bar = window.menuBar()
    actions = [action for action in menu_bar.actions() if action.isVisible()]
    assert actions
    for action in actions:
        metrics = QFontMetrics(menu_bar.font())
        needed = max(metrics.height(), metrics.tightBoundingRect(action.text().replace("&", "")).height())
        assert menu_bar.actionGeometry(action).height() >= needed, action.text()

    tab_bars = [bar for bar in window.findChildren(QTabBar) if bar.isVisible() and bar.count()]
    assert tab_bars
    for bar in tab_bars:
        metrics = QFontMetrics(bar.font())
        for index in range(bar.count()):
            text = bar.tabText(index).replace("&", "")
            needed = max(metrics.height(), metrics.tightBoundingRect(text).height())
            assert bar.tabRect(index).height() >= needed, text
