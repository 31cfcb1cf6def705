"""The compass in View ▸ Large text, in the real main window at the laptop sizes facilitators
have (1280×800, 1366×768), in English, Polish and Urdu (mirrored): every score choice (1–7 and
"Not rated") of every domain shows whole, none cut at the side of the scores' column (issue 16,
item 4: "compass scores 5–7 cut off at 1280×800")."""

from __future__ import annotations

import pytest
from conftest import WindowDriver
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QScrollArea, QWidget
from test_pseudo_language import _clipped

from nrp_desktop.services import compass as compass_scale

COMPASS = "nrp_desktop.ui.compass.view:CompassView"


@pytest.fixture(autouse=True)
def english_afterwards(qapp):
    yield
    from nrp_desktop.ui.translator import apply_language

    apply_language(qapp, "en")


def settle(app_window: WindowDriver) -> None:
    for _ in range(3):
        QApplication.processEvents()
    app_window.qtbot.wait(30)


def cut_score_choices(view) -> list[str]:
    """Score buttons drawn narrower than their text, or reaching past the side of the scroll
    area's view (each row scrolled into view first: up and down is what the area is for)."""
    found = []
    area = next(iter(view.rows.values())).parentWidget()
    while not isinstance(area, QScrollArea):
        area = area.parentWidget()
    viewport = area.viewport()
    for slug, row in view.rows.items():
        area.ensureWidgetVisible(row, 0, 0)
        QApplication.processEvents()
        for score, button in row.selector.buttons.items():
            name = f"{slug} {score if score is not None else 'not rated'}"
            if not button.isVisible():
                found.append(f"{name}: hidden")
                continue
            why = _clipped(button)
            if why or button.width() + 1 < button.minimumSizeHint().width():
                found.append(f"{name}: {why or 'narrower than its minimum'}")
            top_left = button.mapTo(viewport, button.rect().topLeft())
            shown = QRect(top_left, button.size())
            if shown.left() < 0 or shown.right() > viewport.width() - 1:
                found.append(f"{name}: at x {shown.left()}…{shown.right()}, the view is "
                             f"0…{viewport.width() - 1} wide")
            # What Qt would paint of it: all of its width.
            visible = button.visibleRegion().boundingRect()
            if not visible.isEmpty() and visible.width() < button.width() - 1:
                found.append(f"{name}: {visible.width()} of {button.width()} px painted")
    return found


@pytest.mark.parametrize("language", ["en", "pl", "ur"])
@pytest.mark.parametrize("size", [(1280, 800), (1366, 768)])
def test_every_score_choice_shows_whole_in_large_text(app_window: WindowDriver, size, language):
    window = app_window.window
    window.resize(*size)
    if language != "en":
        assert window.set_language(language)
    view = app_window.go_to("Compass") if language == "en" else window.screen_named(COMPASS)
    window.show_screen(view)
    view.set_ratings({"social-connectedness": 5, "economic-resources": 2})
    window.large_text_action.trigger()
    try:
        settle(app_window)
        assert QApplication.font().pointSizeF() > 20
        assert cut_score_choices(view) == []
        # The scale reads from its low end in the window's direction: mirrored in Urdu.
        row = next(iter(view.rows.values()))
        first, last = row.selector.buttons[compass_scale.SCALE[0]], row.selector.buttons[compass_scale.SCALE[-1]]
        if language == "ur":
            assert window.layoutDirection() == Qt.LayoutDirection.RightToLeft
            assert first.mapTo(window, first.rect().topLeft()).x() > last.mapTo(window, last.rect().topLeft()).x()
        else:
            assert first.mapTo(window, first.rect().topLeft()).x() < last.mapTo(window, last.rect().topLeft()).x()
        # The radar keeps some room beside the scores.
        assert view.radar.width() >= 300
    finally:
        window.large_text_action.trigger()
    settle(app_window)
    assert cut_score_choices(view) == []  # and back in normal text


def test_the_radar_is_not_mirrored_right_to_left(qtbot):
    """A diagram keeps its geometry in Urdu: each score by its mark, "5 / 7" in its order."""
    from nrp_desktop.ui.widgets.radar import RadarWidget

    radar = RadarWidget()
    qtbot.addWidget(radar)
    radar.resize(460, 300)
    radar.set_values({"social-connectedness": 5, "economic-resources": 2})
    left_to_right = radar.grab().toImage()
    app = QApplication.instance()
    app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)  # as the window in Urdu
    try:
        radar.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
        assert radar.grab().toImage() == left_to_right
    finally:
        app.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


def cut_texts(view) -> list[str]:
    """Labels and buttons of the screen drawn smaller than their text needs (a wrapped label
    shorter than its lines, a line wider than its label), or reaching past the side of the
    screen or of the scroll area's view that shows them."""
    found = []
    screen = view.rect()
    for widget in view.findChildren(QWidget):
        if not widget.isVisible() or not isinstance(widget, (QLabel, QAbstractButton)):
            continue
        if isinstance(widget, QAbstractButton) and not widget.text():
            continue
        name = f"{type(widget).__name__} {(widget.text() or widget.accessibleName())[:40]!r}"
        why = _clipped(widget)
        if why:
            found.append(f"{name}: {why}")
        frame, parent = screen, widget.parentWidget()
        while parent is not None and parent is not view:
            if isinstance(parent, QScrollArea):
                viewport = parent.viewport()
                frame = QRect(viewport.mapTo(view, viewport.rect().topLeft()), viewport.size())
                break
            parent = parent.parentWidget()
        shown = QRect(widget.mapTo(view, widget.rect().topLeft()), widget.size())
        if shown.left() < frame.left() or shown.right() > frame.right() + 1:
            found.append(f"{name}: at x {shown.left()}…{shown.right()}, shown in "
                         f"{frame.left()}…{frame.right()}")
    return found


@pytest.mark.parametrize("language", ["en", "ur"])
def test_nothing_is_cut_in_large_text_on_a_1024_pixel_screen(app_window: WindowDriver, language):
    """A projector's 1024×768: the scale's line wraps, the names and meanings wrap, and the
    radar with "Start with these" go under the scores instead of being squeezed beside them."""
    window = app_window.window
    window.resize(1024, 768)
    if language != "en":
        assert window.set_language(language)
    view = app_window.go_to("Compass") if language == "en" else window.screen_named(COMPASS)
    window.show_screen(view)
    view.set_ratings({"social-connectedness": 5, "economic-resources": 2})
    window.large_text_action.trigger()
    try:
        settle(app_window)
        assert QApplication.font().pointSizeF() > 20
        assert window.width() <= 1024
        assert view.right_column_under_scores()
        assert cut_texts(view) == []
        assert cut_score_choices(view) == []
    finally:
        window.large_text_action.trigger()
    settle(app_window)
    assert not view.right_column_under_scores()  # beside the scores again in normal text
    assert cut_texts(view) == []
