"""A whole evening by keyboard alone, in the real main window: open a session, add a priority,
vote, tick a domain, link a lesson, rate the compass, save the handout, with Tab, Shift+Tab,
the arrows, Space and Enter only (and typing the priority's words). Each step's focus is
screenshotted (into NRP_A11Y_SHOTS when set, for the notes; else the test's own folder)."""

from __future__ import annotations

import os
from pathlib import Path

from conftest import WindowDriver
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from nrp_desktop.ui.widgets import announce as announce_module

EXAMPLE_ID = "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"
PRIORITY = "A safe crossing by the school"
TAB_LIMIT = 120  # more Tabs than any screen has stops: past this, the control is unreachable


class Keyboard:
    """Keys pressed where the focus is, as a person at the keyboard presses them."""

    def __init__(self, app_window: WindowDriver, shots: Path) -> None:
        self.drive = app_window
        self.window = app_window.window
        self.shots = shots
        self.taken: list[Path] = []
        self.tabs = 0

    @property
    def focus(self) -> QWidget:
        focused = QApplication.focusWidget()
        assert focused is not None and focused.window() is self.window, "the focus was lost"
        return focused

    def key(self, key: Qt.Key, times: int = 1, modifiers=Qt.KeyboardModifier.NoModifier) -> None:
        for _ in range(times):
            self.drive.qtbot.keyClick(self.focus, key, modifiers)

    def type(self, text: str) -> None:
        self.drive.qtbot.keyClicks(self.focus, text)

    def tab_to(self, reached, backwards: bool = False) -> int:
        """Press Tab (or Shift+Tab) until `reached(focus)`; how many presses it took."""
        for presses in range(1, TAB_LIMIT + 1):
            if backwards:
                self.key(Qt.Key.Key_Backtab, modifiers=Qt.KeyboardModifier.ShiftModifier)
            else:
                self.key(Qt.Key.Key_Tab)
            if reached(self.focus):
                self.tabs += presses
                assert fully_shown(self.focus), f"{self.focus.accessibleName()!r} has the focus out of sight"
                return presses
        raise AssertionError(f"not reached by {'Shift+' if backwards else ''}Tab in {TAB_LIMIT} presses")

    def to_screen(self, title: str) -> None:
        """Shift+Tab back to the navigation, then the arrows to the screen called `title`."""
        navigation = self.window.navigation
        if not navigation.hasFocus():
            self.tab_to(lambda focus: focus is navigation, backwards=True)
        rows = [navigation.item(row).text() for row in range(navigation.count())]
        target = rows.index(title)
        step = Qt.Key.Key_Down if target > navigation.currentRow() else Qt.Key.Key_Up
        self.key(step, abs(target - navigation.currentRow()))
        assert navigation.currentItem().text() == title

    def shot(self, name: str) -> None:
        QApplication.processEvents()
        path = self.shots / f"{len(self.taken) + 1:02d}-{name}.png"
        assert self.window.grab().save(str(path))
        self.taken.append(path)


def fully_shown(widget: QWidget) -> bool:
    """Whether `widget` lies inside the shown part of every scroll area around it."""
    from PySide6.QtCore import QRect
    from PySide6.QtWidgets import QScrollArea

    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            viewport = parent.viewport()
            shown = QRect(widget.mapTo(viewport, widget.rect().topLeft()), widget.size())
            if not viewport.rect().contains(shown):
                return False
        parent = parent.parentWidget()
    return True


def named(name: str):
    return lambda focus: focus.accessibleName() == name


def test_the_whole_evening_by_keyboard_alone(app_window: WindowDriver, monkeypatch, tmp_path):
    from PySide6.QtWidgets import QFileDialog

    shots = Path(os.environ.get("NRP_A11Y_SHOTS") or tmp_path / "shots")
    shots.mkdir(parents=True, exist_ok=True)
    spoken: list[str] = []
    monkeypatch.setattr(announce_module, "listeners", [lambda message, _politeness: spoken.append(message)])
    window = app_window.window
    window.resize(1280, 800)
    window.activateWindow()
    app_window.wait_until(window.isActiveWindow, timeout=5000)
    window.navigation.setFocus(Qt.FocusReason.TabFocusReason)  # where the window opens: the screens
    keys = Keyboard(app_window, shots)

    # 1. Open the stored session: the navigation, the session chooser, an arrow to the session.
    keys.to_screen("Workshop session")
    keys.tab_to(named("Open a stored session (newest first)"))
    chooser = keys.focus
    target = next(row for row in range(chooser.count()) if "Residents' evening" in chooser.itemText(row))
    step = Qt.Key.Key_Down if target > chooser.currentIndex() else Qt.Key.Key_Up
    keys.key(step, abs(target - chooser.currentIndex()))
    editor = window.stack.currentWidget()
    assert editor.current_session().id == EXAMPLE_ID
    keys.shot("session-opened")

    # 2. Add a priority: Tab to the field, type it, Enter. The focus stays for the next one.
    keys.tab_to(named("A new priority: type what the group agreed"))
    keys.type(PRIORITY)
    keys.key(Qt.Key.Key_Return)
    assert editor.current_session().priorities[-1].title == PRIORITY
    assert keys.focus.accessibleName() == "A new priority: type what the group agreed"
    assert any(PRIORITY in message for message in spoken)
    keys.shot("priority-added")

    # 3. Vote: Tab on to the + button (past the table, which Tab leaves), Space three times.
    keys.tab_to(named("Add one vote to the selected priority (+ key)"))
    keys.key(Qt.Key.Key_Space, 3)
    assert editor.current_session().priorities[-1].votes == 3
    assert spoken[-1] == f"{PRIORITY}: votes now 3."
    keys.shot("voted")

    # 4. Tick a domain: Tab into the priority's details, to the Environmental toggle, Space.
    keys.tab_to(named("N Environmental conditions"))
    keys.key(Qt.Key.Key_Space)
    assert editor.current_session().priorities[-1].domains == ["environmental-conditions"]
    keys.shot("domain-ticked")

    # 5. Link a lesson: Shift+Tab back to the suggested lessons, Down to the first, Enter.
    keys.tab_to(named("Lessons that fit this priority"), backwards=True)
    suggestions = keys.focus
    assert suggestions.model().rowCount() > 0
    keys.key(Qt.Key.Key_Down)
    keys.key(Qt.Key.Key_Return)
    assert len(editor.current_session().priorities[-1].lessons) == 1
    keys.shot("lesson-linked")

    # 6. Rate the compass: back to the navigation, Down to Compass, Tab to the first scale,
    #    arrows to 5.
    keys.to_screen("Compass")
    keys.tab_to(lambda focus: focus.accessibleName().startswith("Social connectedness: "))
    compass = window.stack.currentWidget()
    while compass.ratings().get("social-connectedness") != 5:
        current = compass.ratings().get("social-connectedness")
        keys.key(Qt.Key.Key_Right if current is None or current < 5 else Qt.Key.Key_Left)
    assert keys.focus.accessibleName() == "Social connectedness: 5 out of 7"
    app_window.wait_until(lambda: window.store.load_session(EXAMPLE_ID).ratings.get("social-connectedness") == 5)
    keys.shot("compass-rated")

    # 7. Save the handout: the Handout screen, Tab to Save as PDF…, Enter; the file dialog is
    #    answered as a person would (it is the platform's), and the focus comes back.
    keys.to_screen("Handout")
    handout = window.stack.currentWidget()
    app_window.wait_until(lambda: handout.save_button.isEnabled(), timeout=30_000)
    saved = tmp_path / "handout.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    keys.tab_to(lambda focus: focus is handout.save_button)
    keys.key(Qt.Key.Key_Space)
    assert saved.read_bytes().startswith(b"%PDF")
    assert spoken[-1] == f"Handout saved to {saved}"
    assert keys.focus is handout.save_button
    keys.shot("handout-saved")

    # And for a screen reader: the web page, by the same keys.
    page = tmp_path / "handout.html"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(page), ""))
    keys.tab_to(lambda focus: focus is handout.html_button)
    keys.key(Qt.Key.Key_Space)
    assert PRIORITY in page.read_text(encoding="utf-8")
    keys.shot("handout-for-a-screen-reader")
    print(f"\n{keys.tabs} Tab presses in all; screenshots in {shots}")
    assert len(keys.taken) == 8
