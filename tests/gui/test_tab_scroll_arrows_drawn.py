"""View ▸ Large text on the Workshop session screen: the tabs no longer fit, so Qt shows its
scroll buttons beside them; each must show its arrow. The buttons' shared padding left no room for
it, so they were empty slivers a facilitator could not read as "more tabs this way"."""

from __future__ import annotations

from conftest import WindowDriver, open_example
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTabBar, QToolButton


def dark_inner_pixels(button: QToolButton) -> int:
    """Pixels of ink inside the button's border (the arrow, if drawn)."""
    image = button.grab().toImage()
    inset = 4  # past the border, at most 4 px wide when focused
    return sum(1 for x in range(inset, image.width() - inset) for y in range(inset, image.height() - inset)
               if QColor(image.pixel(x, y)).lightness() < 128)


def test_the_tabs_scroll_buttons_show_their_arrows_in_large_text(app_window: WindowDriver):
    editor = open_example(app_window)
    app_window.menu("View", "Large text for a projector")
    try:
        app_window.wait_until(lambda: any(button.isVisible() for bar in editor.findChildren(QTabBar)
                                          for button in bar.findChildren(QToolButton)))
        scrollers = [button for bar in editor.findChildren(QTabBar) if bar.isVisible()
                     for button in bar.findChildren(QToolButton) if button.isVisible()]
        assert scrollers
        for button in scrollers:
            assert dark_inner_pixels(button) >= 6, (button.arrowType(), button.size())
    finally:
        app_window.menu("View", "Large text for a projector")
