"""Workshop session ▸ Votes from phones… on a 1366×768 laptop (no projector window open): the
join panel opens within the screen's free room, so its Stop button is not below the screen's
edge (it opened at 1280×800, cutting off the bottom row under Xvfb at 1366×768)."""

from __future__ import annotations

from conftest import WindowDriver, open_example
from PySide6.QtCore import QRect
from PySide6.QtGui import QScreen

LAPTOP_FREE = QRect(0, 0, 1366, 728)  # a 1366×768 screen less a 40-pixel task bar


def test_the_join_panel_fits_a_small_laptop_screen(app_window: WindowDriver, monkeypatch):
    open_example(app_window)
    monkeypatch.setattr(QScreen, "availableGeometry", lambda _screen: QRect(LAPTOP_FREE))
    panel = app_window.window.show_live_votes()
    try:
        assert panel is not None and panel.isVisible()
        geometry = panel.geometry()
        assert geometry.height() <= LAPTOP_FREE.height() - 40, geometry  # room for a title bar
        assert LAPTOP_FREE.contains(geometry), geometry
        assert geometry.width() >= 900  # still the panel's own width where there is room
    finally:
        panel.close()
