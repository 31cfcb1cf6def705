"""The person's own look (issue 16, item 4): View ▸ Appearance (Follow the system / Light / Dark)
in the real main window, the desktop's dark colour scheme honoured and followed, and the dark
look measured on the real style sheet and palette: text 4.5:1, borders, focus rings and the
domains' lines 3:1. Tick boxes and radio buttons grow with Large text and keep a 3:1 edge."""

from __future__ import annotations

import re

import pytest
from conftest import WindowDriver
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QRadioButton, QStyle, QStyleOptionButton
from test_accessibility import contrast, focus_ring_pixels, open_example

from nrp_desktop.ui import theme

DARK_PAGE, DARK_SURFACE, DARK_BAR, DARK_PANEL = "#1B1B19", "#262624", "#2E2E2B", "#1F2A33"
DARK_GROUNDS = (DARK_PAGE, DARK_SURFACE, DARK_BAR, DARK_PANEL)


@pytest.fixture
def light_afterwards(qapp):
    """Whatever a test does to the look, the next one starts light, in normal text."""
    yield
    theme.set_high_contrast(qapp, False)
    theme.set_dark(qapp, False)
    theme.set_text_scale(qapp, 1.0)


def settle(app_window: WindowDriver) -> None:
    for _ in range(3):
        QApplication.processEvents()
    app_window.qtbot.wait(20)


def _rules(sheet: str) -> list[tuple[str, str]]:
    return re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", sheet, flags=re.S))


def _value(body: str, name: str) -> str | None:
    found = re.search(rf"(?:^|[;\s]){name}\s*:\s*(#[0-9A-Fa-f]{{6}})", body)
    return found.group(1) if found else None


# Dark, from the View menu ----------------------------------------------------------------------

def test_dark_from_the_view_menu_is_remembered_and_light_comes_back(app_window: WindowDriver,
                                                                     light_afterwards):
    from nrp_desktop.ui import main_window

    app = QApplication.instance()
    window = app_window.window
    assert window.appearance == "system" and not theme.is_dark()  # the offscreen desktop is light
    light_sheet = app.styleSheet()
    app_window.menu("View", "Appearance", "Dark")
    assert theme.is_dark() and window.appearance_actions["dark"].isChecked()
    sheet = app.styleSheet()
    assert DARK_PAGE in sheet and "#FAFAF7" not in sheet.upper() and "check-dark.svg" in sheet
    assert app.palette().color(QPalette.ColorRole.Window).lightness() < 60
    assert app.palette().color(QPalette.ColorRole.Text).lightness() > 200
    window.save_state()
    assert main_window.settings().value("view/appearance") == "dark"
    # High contrast wins while on (black on white), and the dark look comes back after it.
    app_window.menu("View", "High contrast")
    assert not theme.is_dark() and "#1B1B19" not in app.styleSheet()
    app_window.menu("View", "High contrast")
    assert theme.is_dark() and DARK_PAGE in app.styleSheet()
    # A window built again in another language keeps the choice in its menu.
    app_window.menu("View", "Appearance", "Light")
    assert not theme.is_dark() and app.styleSheet() == light_sheet
    assert app.palette().color(QPalette.ColorRole.Window).lightness() > 200


def test_the_desktops_dark_scheme_is_followed_unless_a_look_was_chosen(app_window: WindowDriver,
                                                                       monkeypatch, light_afterwards):
    window = app_window.window
    hints = QGuiApplication.styleHints()
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)  # as the desktop says it switched
    assert theme.is_dark()
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: False)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert not theme.is_dark()
    window.set_appearance("light")  # chosen: the desktop no longer decides
    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    hints.colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert not theme.is_dark()
    window.set_appearance("system")
    assert theme.is_dark()


def test_a_window_started_on_a_dark_desktop_is_dark(app_window: WindowDriver, monkeypatch,
                                                    light_afterwards):
    from nrp_desktop.ui import main_window

    monkeypatch.setattr(theme, "system_prefers_dark", lambda: True)
    other = main_window.MainWindow(app_window.window.library_service)
    other.remember_state = False
    try:
        assert other.appearance == "system" and theme.is_dark()
    finally:
        other.close()
        other.deleteLater()


# Contrast, measured on the real style sheet and palette --------------------------------------

def test_dark_text_borders_and_lines_keep_their_contrast(app_window: WindowDriver, light_afterwards):
    from nrp_desktop.domain.domains import DOMAINS

    app = QApplication.instance()
    app_window.window.set_appearance("dark")
    sheet = app.styleSheet()
    low: list[str] = []
    for selector, body in _rules(sheet):
        selector = " ".join(selector.split())
        if ":disabled" in selector:  # WCAG asks nothing of a control that cannot be used
            continue
        text, ground = _value(body, "color"), _value(body, "background") or _value(body, "background-color")
        if text and ground and contrast(text, ground) < 4.5:
            low.append(f"{selector}: text {text} on {ground}")
        elif text and not ground:  # on whatever holds it: any of the dark grounds
            low += [f"{selector}: text {text} on {each}" for each in DARK_GROUNDS
                    if contrast(text, each) < 4.5]
    assert not low, low
    # The edges of controls, lists, tables, tabs, tick boxes and radio buttons: 3:1 on each ground.
    rules = {" ".join(selector.split()): body for selector, body in _rules(sheet)}

    def border_of(selector_start: str) -> str:
        body = next(body for selector, body in rules.items() if selector.startswith(selector_start))
        return re.search(r"border:\s*\d+px solid (#[0-9A-Fa-f]{6})", body).group(1)

    for selector in ("QListView, QTreeView, QTableView", "QTabBar::tab", "QCheckBox::indicator",
                     "QRadioButton::indicator", "QLineEdit, QPlainTextEdit", "QPushButton, QToolButton"):
        edge = border_of(selector)
        assert all(contrast(edge, ground) >= 3 for ground in DARK_GROUNDS), (selector, edge)
    # A list's focus darkens (here: lightens) its frame by 3:1 over the frame it replaces.
    assert contrast(border_of("QListView:focus"), border_of("QListView, QTreeView, QTableView")) >= 3
    # The palette, for what the style sheet does not reach.
    palette = app.palette()
    role = QPalette.ColorRole
    for text, ground in ((role.Text, role.Base), (role.WindowText, role.Window),
                         (role.HighlightedText, role.Highlight), (role.ToolTipText, role.ToolTipBase),
                         (role.PlaceholderText, role.Base), (role.Link, role.Base)):
        assert contrast(palette.color(text).rgb(), palette.color(ground).rgb()) >= 4.5, (text, ground)
    # Every domain colour drawn as a line (radar axes, chips' edges, marks' rings), as drawn now.
    for domain in DOMAINS:
        for colour in (theme.ink(domain.line), theme.ink(domain.colour)):
            assert all(contrast(colour, ground) >= 3 for ground in DARK_GROUNDS), (domain.name, colour)
        assert contrast(theme.ink("#1A1A1A"), theme.ink(domain.tint)) >= 4.5  # its mark on its tint


def test_dark_focus_rings_reach_3_to_1(app_window: WindowDriver, light_afterwards):
    editor = open_example(app_window)
    window = app_window.window
    window.set_appearance("dark")
    settle(app_window)
    kinds = {
        "primary button": app_window.button("Add priority"),
        "button": app_window.button("New…"),
        "line edit": app_window.field("A new priority: type what the group agreed"),
        "table": editor.table,
    }
    toggles = editor.detail.domains.buttons
    kinds["toggle, chosen"] = next(button for button in toggles.values() if button.isChecked())
    results = {kind: focus_ring_pixels(app_window, widget) for kind, widget in kinds.items()}
    app_window.go_to("Compass")
    results["score, chosen"] = focus_ring_pixels(app_window, app_window.button("Social connectedness: not rated"))
    app_window.go_to("Handout")
    results["tick box"] = focus_ring_pixels(app_window, window.stack.currentWidget().large_print)
    navigation = window.navigation
    results["navigation item"] = focus_ring_pixels(
        app_window, navigation, navigation.visualItemRect(navigation.currentItem()).translated(
            navigation.viewport().pos()))
    thin = {kind: (changed, perimeter) for kind, (changed, perimeter) in results.items()
            if changed < 1.5 * perimeter}
    assert not thin, f"focus rings thinner than about 2 pixels at 3:1 in dark: {thin}"


def test_the_painted_radar_is_drawn_in_the_dark_colours(app_window: WindowDriver, light_afterwards):
    compass = app_window.go_to("Compass")
    compass.set_ratings({"social-connectedness": 5, "economic-resources": 2})
    app_window.window.set_appearance("dark")
    settle(app_window)
    image = compass.radar.grab().toImage()
    middle = image.pixelColor(image.width() // 2, image.height() - 6)  # inside its frame, below the diagram
    assert middle.name().upper() == DARK_SURFACE.upper()
    colours = {image.pixelColor(x, y).name().upper() for x in range(0, image.width(), 3)
               for y in range(0, image.height(), 3)}
    assert theme.ink("#0072B2").upper() in colours  # Social's axis, in its light-on-dark blue
    assert "#FFFFFF" not in colours


# Tick boxes and radio buttons -----------------------------------------------------------------

def _indicator(button: QCheckBox | QRadioButton) -> QRect:
    option = QStyleOptionButton()
    button.initStyleOption(option)
    element = (QStyle.SubElement.SE_CheckBoxIndicator if isinstance(button, QCheckBox)
               else QStyle.SubElement.SE_RadioButtonIndicator)
    return button.style().subElementRect(element, option, button)


def _edge_contrast(button: QCheckBox | QRadioButton) -> float:
    """The indicator's edge (the darkest or lightest pixel of its outer 3 px, halfway down its
    side) against the page beside it."""
    image: QImage = button.grab().toImage()
    ratio = image.width() / button.width()
    box = _indicator(button)
    y = round(box.center().y() * ratio)
    outside = image.pixel(max(0, round((box.left() - 3) * ratio)), y)
    edge = [image.pixel(round(box.left() * ratio) + offset, y) for offset in range(round(3 * ratio))]
    return max(contrast(pixel, outside) for pixel in edge)


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_tick_boxes_and_radio_buttons_grow_with_large_text_and_keep_a_3_to_1_edge(
        app_window: WindowDriver, light_afterwards, dark):
    from nrp_desktop.ui.publish_dialog import PublishDialog

    window = app_window.window
    window.set_appearance("dark" if dark else "light")
    handout = app_window.go_to("Handout")
    dialog = PublishDialog(window.store, window)
    dialog.show()
    try:
        for radio in (dialog.changed_only, dialog.everything):
            assert radio.isChecked() == (radio is dialog.changed_only)
        controls = [handout.large_print, dialog.changed_only, dialog.everything]
        settle(app_window)
        normal = {id(control): _indicator(control).height() for control in controls}
        for control in controls:
            assert _indicator(control).height() >= 0.9 * control.fontMetrics().ascent(), control.text()
            assert _edge_contrast(control) >= 3, control.text()
        window.large_text_action.trigger()
        settle(app_window)
        for control in controls:
            box = _indicator(control)
            assert box.height() >= 1.6 * normal[id(control)], control.text()
            assert box.height() >= 0.9 * control.fontMetrics().ascent(), control.text()
            assert _edge_contrast(control) >= 3, control.text()
    finally:
        dialog.close()
        if window.large_text_action.isChecked():
            window.large_text_action.trigger()
