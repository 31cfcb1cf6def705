"""Accessibility of the real main window, checked through QAccessible (what a screen reader is
told) and the keyboard: names that contain the visible labels, roles, Tab leaving every table and
list, focus kept after actions, announcements, one owner per shortcut, the person's own text size."""

from __future__ import annotations

import re

import pytest
from conftest import WindowDriver, open_example
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractButton, QAbstractItemView, QApplication, QWidget

from nrp_desktop.ui.widgets import announce as announce_module

SCREENS = ("Library", "Explore what worked", "Compass", "Workshop session", "Handout", "Compare halls")
SESSION_CHOOSER = "Open a stored session (newest first)"
NEW_PRIORITY_FIELD = "A new priority: type what the group agreed"


@pytest.fixture
def spoken(monkeypatch):
    """Every announcement made while the test runs: (message, politeness)."""
    heard: list[tuple[str, str]] = []
    monkeypatch.setattr(announce_module, "listeners", [lambda message, politeness: heard.append(
        (message, politeness))])
    return heard


def accessible(widget: QWidget):
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None and interface.isValid()
    return interface


def _label(text: str) -> str:
    """A visible label as it is compared with a spoken name: no & mnemonic, no symbols at the
    ends (✓ ▶ …), white space made single, lower case."""
    text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    text = re.sub(r"[:;,.]", " ", re.sub(r"^[\W_]+|[\W_]+$", "", text))
    return re.sub(r"\s+", " ", text).strip().lower()


def focus(app_window: WindowDriver, widget: QWidget) -> None:
    """Give `widget` the keyboard, in the active window (as a person's Tab would)."""
    window = app_window.window
    window.activateWindow()
    app_window.wait_until(window.isActiveWindow, timeout=5000)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    app_window.wait_until(widget.hasFocus, timeout=5000)


def visit_every_screen(app_window: WindowDriver) -> None:
    for title in SCREENS:
        app_window.go_to(title)
    open_example(app_window)


def test_every_button_is_spoken_with_its_visible_label(app_window: WindowDriver):
    visit_every_screen(app_window)
    checked, wrong = 0, []
    for button in app_window.window.findChildren(QAbstractButton):
        label = _label(button.text())
        if not re.search(r"[^\W\d_]", label):
            continue  # a symbol (+, ▲): no words to say
        name = accessible(button).text(QAccessible.Text.Name)
        checked += 1
        if label not in _label(name):
            wrong.append((button.text(), name))
    assert checked > 60
    assert not wrong, f"spoken names without their visible label (WCAG 2.5.3): {wrong}"
    add = accessible(app_window.button("Add priority"))
    assert add.text(QAccessible.Text.Name) == "Add priority"
    assert "typed" in add.text(QAccessible.Text.Description)  # the explanation moved here


def test_either_or_choices_are_radio_buttons_the_arrows_move_through(app_window: WindowDriver):
    compass = app_window.go_to("Compass")
    three = app_window.button("Social connectedness: 3 out of 7")
    interface = accessible(three)
    assert interface.role() == QAccessible.Role.RadioButton
    not_rated = app_window.button("Social connectedness: not rated")
    assert accessible(not_rated).role() == QAccessible.Role.RadioButton
    three.click()
    focus(app_window, three)
    app_window.press(Qt.Key.Key_Right, widget=three)
    four = app_window.button("Social connectedness: 4 out of 7")
    assert four.hasFocus() and four.isChecked() and accessible(four).state().checked
    assert not accessible(three).state().checked
    assert compass.ratings()["social-connectedness"] == 4

    # The radar: a chart whose description lists the scores.
    radar = compass.radar
    assert accessible(radar).role() == QAccessible.Role.Chart
    assert "Social connectedness: 4 / 7" in accessible(radar).text(QAccessible.Text.Description)

    tool = app_window.go_to("Explore what worked")
    tool.go_to_step(2)
    here = app_window.button("Residents: here")
    away = app_window.button("Residents: not here")
    assert accessible(here).role() == accessible(away).role() == QAccessible.Role.RadioButton
    focus(app_window, here)
    app_window.press(Qt.Key.Key_Right, widget=here)
    assert away.hasFocus()


def test_tab_leaves_every_table_and_list(app_window: WindowDriver):
    visit_every_screen(app_window)
    views_left: list[str] = []
    for title in (*SCREENS, "Workshop session"):
        app_window.go_to(title)
        if title == "Workshop session":
            open_example(app_window)
        views = [view for view in app_window.window.stack.currentWidget().findChildren(QAbstractItemView)
                 if view.isVisible() and view.focusPolicy() & Qt.FocusPolicy.TabFocus]
        for view in views:
            assert not view.tabKeyNavigation(), view.accessibleName()
            focus(app_window, view)
            if view.model() is not None and view.model().rowCount():
                view.setCurrentIndex(view.model().index(0, 0))
            app_window.press(Qt.Key.Key_Tab, widget=view)
            focused = QApplication.focusWidget()
            assert focused is not None and focused is not view and not view.isAncestorOf(focused), \
                f"Tab stayed in {view.accessibleName()!r}"
            views_left.append(view.accessibleName())
    print(views_left)
    assert len(views_left) >= 4


def test_an_assistive_tool_activating_a_navigation_item_switches_the_screen(app_window: WindowDriver):
    navigation = accessible(app_window.window.navigation)
    items = [navigation.child(i) for i in range(navigation.childCount())]
    compass = next(item for item in items if item.text(QAccessible.Text.Name) == "Compass")
    actions = compass.actionInterface()
    assert actions is not None
    name = next(action for action in actions.actionNames()
                if action in (QAccessibleActionInterface.toggleAction(), QAccessibleActionInterface.pressAction()))
    actions.doAction(name)
    assert app_window.window.navigation.currentItem().text() == "Compass"
    assert app_window.window.stack.currentWidget() is app_window.window.screens[
        "nrp_desktop.ui.compass.view:CompassView"]


@pytest.mark.qt_log_ignore("does not support propagateSizeHints")  # the offscreen platform, on the dialog
def test_actions_are_announced_and_the_focus_stays_sensible(app_window: WindowDriver, spoken):
    editor = open_example(app_window)
    app_window.type_into(NEW_PRIORITY_FIELD, "Benches by the bus stop", enter=True)
    assert spoken[-1][1] == "polite" and "Priority added: Benches by the bus stop" in spoken[-1][0]
    assert app_window.field(NEW_PRIORITY_FIELD).hasFocus()

    app_window.click("Add one vote to the selected priority (+ key)")
    assert spoken[-1] == ("Benches by the bus stop: votes now 1.", "polite")

    # A refusal interrupts.
    focus(app_window, app_window.field(NEW_PRIORITY_FIELD))
    app_window.press(Qt.Key.Key_Return)
    assert spoken[-1][1] == "assertive" and "Type the priority first" in spoken[-1][0]

    # Deleting keeps the keyboard in the table, never the navigation.
    focus(app_window, editor.table)
    count = editor.document.priority_count()
    app_window.press(Qt.Key.Key_Delete, widget=editor.table)
    assert editor.document.priority_count() == count - 1
    assert spoken[-1][0].startswith("Priority deleted: ")
    assert editor.table.hasFocus() and editor.table.currentIndex().isValid()

    # Closing a dialog (Esc) gives the keyboard back to the button that opened it.
    from PySide6.QtCore import QTimer

    rename = app_window.button("Rename…")
    focus(app_window, rename)

    def press_escape_in_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, press_escape_in_the_dialog)
            return
        app_window.qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)

    QTimer.singleShot(20, press_escape_in_the_dialog)
    app_window.press(Qt.Key.Key_Space, widget=rename)
    assert QApplication.activeModalWidget() is None
    # The window keeps the button as its focus (it has it again as soon as the window is active).
    assert app_window.window.focusWidget() is rename

    # Collate: the result is announced and the keyboard goes on to it.
    collation = app_window.go_to("Compare halls")
    app_window.activate_item("Stored sessions to collate", "Residents' evening")
    app_window.activate_item("Stored sessions to collate", "Library drop-in")
    button = app_window.button("Collate")
    focus(app_window, button)
    app_window.press(Qt.Key.Key_Space, widget=button)
    app_window.wait_until(lambda: collation.collation is not None)
    assert re.match(r"Collated 2 sessions: \d+ priorities", spoken[-1][0])
    focused = QApplication.focusWidget()
    assert focused is not None and collation.isAncestorOf(focused)
    assert not app_window.window.navigation.hasFocus()


def test_the_handout_is_saved_for_a_screen_reader(app_window: WindowDriver, spoken, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    open_example(app_window)
    target = tmp_path / "evening"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    app_window.menu("File", "Save for a screen reader…")
    written = (tmp_path / "evening.html").read_text(encoding="utf-8")
    assert "<h1" in written and "<table" in written and 'lang="en"' in written
    assert spoken[-1] == (f"Handout saved to {tmp_path / 'evening.html'}", "polite")
    handout = app_window.window.stack.currentWidget()
    assert app_window.button("Save for a screen reader…", handout).isEnabled()


def _active_keys(window: QWidget) -> list[tuple[str, str]]:
    """Every key sequence that does something on the shown screen: the window's and menus'
    actions, actions on shown widgets, and shortcuts whose widget is shown."""
    from PySide6.QtGui import QAction

    keys: list[tuple[str, str]] = []
    actions = set(window.actions())
    for menu_action in window.menuBar().actions():
        actions.update(menu_action.menu().actions())
    for widget in window.findChildren(QWidget):
        if widget.isVisible():
            actions.update(widget.actions())
    for action in actions:
        if isinstance(action, QAction) and action.isEnabled():
            keys.extend((sequence.toString(), action.text()) for sequence in action.shortcuts())
    for shortcut in window.findChildren(QShortcut):
        parent = shortcut.parent()
        if shortcut.isEnabled() and isinstance(parent, QWidget) and parent.isVisible():
            sequences = shortcut.keys()
            keys.extend((sequence.toString(), "shortcut") for sequence in sequences)
    return [key for key in keys if key[0]]


def test_no_two_commands_share_a_key_on_any_screen(app_window: WindowDriver):
    visit_every_screen(app_window)
    for title in SCREENS:
        app_window.go_to(title)
        keys = _active_keys(app_window.window)
        sequences = [sequence for sequence, _what in keys]
        clashes = {sequence for sequence in sequences if sequences.count(sequence) > 1}
        assert not clashes, f"{title}: {clashes} claimed twice: {[k for k in keys if k[0] in clashes]}"
    app_window.go_to("Library")
    assert QKeySequence(QKeySequence.StandardKey.Find).toString() in [k for k, _ in _active_keys(app_window.window)]


def test_the_systems_text_size_is_a_floor(app_window: WindowDriver, monkeypatch):
    from nrp_desktop.ui import theme

    app = QApplication.instance()
    monkeypatch.setattr(theme, "system_point_size", lambda: 18.0)
    try:
        theme.apply_theme(app, all_fonts=False)
        assert app.font().pointSizeF() >= 18
        window = app_window.window
        window.fit_navigation()
        navigation = window.navigation
        metrics = navigation.fontMetrics()
        for row in range(navigation.count()):  # every screen's name shown whole (wrapped if need be)
            item = navigation.item(row)
            needed = metrics.boundingRect(0, 0, navigation.width() - 64, 10_000,
                                          int(Qt.TextFlag.TextWordWrap), item.text())
            assert needed.width() <= navigation.width() - 48 and item.sizeHint().height() >= needed.height()
    finally:
        monkeypatch.setattr(theme, "system_point_size", lambda: 0.0)
        theme.apply_theme(app, all_fonts=False)
    assert app.font().pointSizeF() == theme.BODY_POINT_SIZE


def test_the_librarys_reader_tells_its_headings_and_links(app_window: WindowDriver):
    page = app_window.go_to("Library")
    lesson = app_window.window.library.lessons[0]
    page.open_link(f"lesson:{lesson.slug}")
    reader = page.reader
    assert reader.headings()[0] == (1, lesson.title)
    assert any(level == 2 for level, _text in reader.headings())
    interface = accessible(reader)
    assert interface.text(QAccessible.Text.Name) == "Page text"
    description = interface.text(QAccessible.Text.Description)
    assert description.startswith(f"Headings: {lesson.title}; ")
    assert f"{len(reader.links())} links" in description and reader.links()
    text = interface.textInterface()
    assert text is not None and lesson.title in text.text(0, text.characterCount())


def test_the_painted_link_and_remove_buttons_are_real_buttons(app_window: WindowDriver):
    editor = open_example(app_window)
    suggestions = editor.detail.suggestion_view
    app_window.wait_until(lambda: suggestions.model().rowCount() > 0 and any(
        button.isVisible() for button in suggestions.row_buttons))
    first = suggestions.row_buttons[0]
    title = suggestions.model().index(0, 0).data(Qt.ItemDataRole.DisplayRole)
    interface = accessible(first)
    assert interface.role() == QAccessible.Role.Button
    assert interface.text(QAccessible.Text.Name) == f"Link: {title}"
    # Over the painted button, so a screen reader's highlight falls where the button is seen.
    painted = suggestions.button_delegate.button_rect(suggestions, 0)
    assert first.geometry().topLeft() == suggestions.viewport().mapTo(first.parentWidget(), painted.topLeft())
    # Pressed by an assistive tool, it links the lesson; the linked list's Remove follows.
    priority_id = editor.selected_priority_id()
    before = list(editor.document.priority(priority_id).lessons)
    interface.actionInterface().doAction(QAccessibleActionInterface.pressAction())  # an animated click
    app_window.wait_until(lambda: len(editor.document.priority(priority_id).lessons) == len(before) + 1)
    assert announce_module.spoken[-1][0].startswith("Lesson linked: ")
    linked_view = editor.detail.linked_view
    app_window.wait_until(lambda: any(button.isVisible() and button.text() == "Remove"
                                      for button in linked_view.row_buttons))
    assert all(accessible(button).text(QAccessible.Text.Name).startswith("Remove: ")
               for button in linked_view.row_buttons if button.isVisible())


def _luminance(rgb: int) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel((rgb >> 16) & 255) + 0.7152 * channel((rgb >> 8) & 255) + 0.0722 * channel(rgb & 255)


def contrast(first: str | int, second: str | int) -> float:
    from PySide6.QtGui import QColor

    values = [QColor(colour).rgb() if isinstance(colour, str) else colour for colour in (first, second)]
    lighter, darker = sorted((_luminance(value) for value in values), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def focus_ring_pixels(app_window: WindowDriver, widget: QWidget, rect=None) -> tuple[int, int]:
    """How many pixels near the edge of `widget` (or of `rect` inside it) change by at least
    3:1 when it takes the focus, and the perimeter they are measured against (WCAG 2.4.13:
    at least a 2-pixel ring)."""
    from PySide6.QtCore import QRect

    app_window.window.navigation.setFocus() if widget is not app_window.window.navigation else \
        app_window.window.stack.currentWidget().setFocus()
    QApplication.processEvents()
    before = widget.grab().toImage()
    focus(app_window, widget)
    QApplication.processEvents()
    after = widget.grab().toImage()
    ratio = before.width() / widget.width()  # the device pixel ratio
    area = QRect(rect) if rect is not None else widget.rect()
    left, top = round(area.left() * ratio), round(area.top() * ratio)
    right, bottom = round((area.right() + 1) * ratio) - 1, round((area.bottom() + 1) * ratio) - 1
    band = round(8 * ratio)
    changed = 0
    for y in range(top, bottom + 1):
        near_edge_row = y - top < band or bottom - y < band
        edges = [*range(left, left + band), *range(right - band + 1, right + 1)]
        xs = range(left, right + 1) if near_edge_row else edges
        for x in xs:
            if contrast(before.pixel(x, y), after.pixel(x, y)) >= 3:
                changed += 1
    perimeter = round(2 * (area.width() + area.height()) * ratio)
    return changed, perimeter


def test_every_kind_of_control_shows_a_focus_ring_of_3_to_1(app_window: WindowDriver):
    app_window.window.resize(1280, 800)  # the window's own size (narrower, the toggles say less)
    editor = open_example(app_window)
    window = app_window.window
    kinds = {
        "primary button": app_window.button("Add priority"),
        "button": app_window.button("New…"),
        "line edit": app_window.field(NEW_PRIORITY_FIELD),
        "combo box": app_window.field(SESSION_CHOOSER),
        "table": editor.table,
    }
    toggles = editor.detail.domains.buttons
    kinds["toggle, not chosen"] = next(button for button in toggles.values() if not button.isChecked())
    kinds["toggle, chosen"] = next(button for button in toggles.values() if button.isChecked())
    results = {}
    for kind, widget in kinds.items():
        results[kind] = focus_ring_pixels(app_window, widget)
    app_window.go_to("Compass")
    kinds["score, chosen"] = app_window.button("Social connectedness: not rated")
    results["score, chosen"] = focus_ring_pixels(app_window, kinds["score, chosen"])
    app_window.go_to("Handout")
    results["tick box"] = focus_ring_pixels(app_window, window.stack.currentWidget().large_print)
    navigation = window.navigation
    results["navigation item"] = focus_ring_pixels(
        app_window, navigation, navigation.visualItemRect(navigation.currentItem()).translated(
            navigation.viewport().pos()))
    print(results)
    thin = {kind: (changed, perimeter) for kind, (changed, perimeter) in results.items()
            if changed < 1.5 * perimeter}
    assert not thin, f"focus rings thinner than about 2 pixels at 3:1: {thin}"


def test_every_domain_colour_drawn_as_a_line_reaches_3_to_1():
    from nrp_desktop.domain.domains import DOMAINS

    for domain in DOMAINS:
        for background in ("#FFFFFF", "#FAFAF7", "#EDEDE6"):
            assert contrast(domain.line, background) >= 3, (domain.name, background)
    economic = next(domain for domain in DOMAINS if domain.mark == "E")
    assert economic.colour == "#E69F00" and contrast(economic.colour, "#FFFFFF") < 3  # why it needs one


def test_borders_of_lists_tables_tabs_and_tick_boxes_reach_3_to_1():
    import re

    from nrp_desktop import paths

    sheet = (paths.style_dir() / "app.qss").read_text(encoding="utf-8")
    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", sheet, flags=re.S)))
    def border_of(selector_start: str) -> str:
        body = next(body for selector, body in rules.items() if selector.strip().startswith(selector_start))
        return re.search(r"border:\s*\d+px solid (#[0-9A-Fa-f]{6})", body).group(1)

    for selector in ("QListView, QTreeView, QTableView", "QTabBar::tab", "QCheckBox::indicator",
                     "QLineEdit, QPlainTextEdit", "QPushButton, QToolButton"):
        assert contrast(border_of(selector), "#FAFAF7") >= 3, selector


def test_high_contrast_from_the_view_menu_and_from_the_desktop(app_window: WindowDriver, monkeypatch):
    from nrp_desktop.ui import main_window, theme

    app = QApplication.instance()
    window = app_window.window
    assert not window.high_contrast_action.isChecked()
    assert "#C8C8BE" in app.styleSheet()
    try:
        app_window.menu("View", "High contrast")
        sheet = app.styleSheet()
        for grey in ("#C8C8BE", "#8A8A80", "#3D3D3D", "#FAFAF7"):
            assert grey not in sheet.upper()
        # The next start keeps it (the person chose it).
        window.save_state()
        assert main_window.settings().value("view/high_contrast") in (True, "true")
    finally:
        window.set_high_contrast(False)
    assert "#C8C8BE" in app.styleSheet()

    # Never chosen here: a desktop that asks for high contrast gets it.
    main_window.settings().remove("view/high_contrast")
    monkeypatch.setattr(theme, "system_prefers_high_contrast", lambda: True)
    applied: list[bool] = []  # (the style itself was checked above; this start only records it)
    monkeypatch.setattr(theme, "set_high_contrast", lambda _app, on, _scale=1.0: applied.append(on))
    other = main_window.MainWindow(window.library_service)
    other.remember_state = False
    try:
        assert other.high_contrast_action.isChecked() and applied == [True]
    finally:
        other.close()
        other.deleteLater()
