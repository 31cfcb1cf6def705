"""Drives the real main window by what a person sees (used by the GUI tests through the
`app_window` fixture, and by the end-to-end evening under Xvfb through QtTestBot)."""

from __future__ import annotations


def _button_text(text: str) -> str:
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


class WindowDriver:
    """Drives the real main window through visible texts and accessible names, as a person
    would: the navigation by its labels, buttons by their text, fields by their accessible
    names. Every finder insists on exactly one visible match, so a test cannot press the
    wrong thing silently."""

    def __init__(self, window, qtbot) -> None:
        self.window = window
        self.qtbot = qtbot

    # Finding -----------------------------------------------------------------------------

    def _visible(self, kind, root=None):
        from PySide6.QtWidgets import QApplication

        roots = [root] if root is not None else [w for w in QApplication.topLevelWidgets() if w.isVisible()]
        found = []
        for top in roots:
            candidates = [top, *top.findChildren(kind)] if isinstance(top, kind) else top.findChildren(kind)
            found.extend(widget for widget in candidates if widget.isVisible())
        # A dialog of the window is a top-level widget and the window's child: count it once.
        return list({id(widget): widget for widget in found}.values())

    def find(self, kind, name: str, root=None):
        """The one visible `kind` widget whose text (without its & mnemonic) or accessible name
        is `name`."""
        matches = []
        for widget in self._visible(kind, root):
            text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
            if name in (_button_text(text), widget.accessibleName()):
                matches.append(widget)
        assert len(matches) == 1, f"{len(matches)} visible {kind.__name__} named {name!r}"
        return matches[0]

    def button(self, name: str, within=None):
        from PySide6.QtWidgets import QAbstractButton

        return self.find(QAbstractButton, name, within)

    def field(self, name: str, within=None):
        """The one visible widget whose accessible name is `name` (inside `within`, if given)."""
        from PySide6.QtWidgets import QWidget

        matches = [widget for widget in self._visible(QWidget, within) if widget.accessibleName() == name]
        assert len(matches) == 1, f"{len(matches)} visible widgets named {name!r}"
        return matches[0]

    def visible_texts(self) -> list[str]:
        from PySide6.QtWidgets import QLabel

        return [label.text() for label in self._visible(QLabel, self.window)]

    # Doing ---------------------------------------------------------------------------------

    def go_to(self, label: str):
        """Open a screen by its label in the navigation (a click on it); the screen."""
        from PySide6.QtCore import Qt

        navigation = self.window.navigation
        items = [navigation.item(row) for row in range(navigation.count())
                 if navigation.item(row).text() == label]
        assert len(items) == 1, f"no screen called {label!r} in the navigation"
        rect = navigation.visualItemRect(items[0])
        self.qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        assert navigation.currentItem() is items[0]
        return self.window.stack.currentWidget()

    def click(self, name: str, within=None) -> None:
        from PySide6.QtCore import Qt

        button = self.button(name, within)
        assert button.isEnabled(), f"{name!r} is disabled"
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)

    def type_into(self, name: str, text: str, enter: bool = False) -> None:
        from PySide6.QtCore import Qt

        widget = self.field(name)
        widget.setFocus()
        self.qtbot.keyClicks(widget, text)
        if enter:
            self.qtbot.keyClick(widget, Qt.Key.Key_Return)

    def choose(self, name: str, item_text: str) -> None:
        """Pick `item_text` in the combo box named `name`, as a person would (activated)."""
        combo = self.field(name)
        row = next((row for row in range(combo.count()) if item_text in combo.itemText(row)), -1)
        assert row >= 0, f"{item_text!r} is not offered in {name!r}"
        combo.setCurrentIndex(row)
        combo.activated.emit(row)

    def activate_item(self, name: str, item_text: str) -> None:
        """Go to the row of the list named `name` that shows `item_text`, and press Enter on it."""
        from PySide6.QtCore import Qt

        view = self.field(name)
        model = view.model()
        rows = [row for row in range(model.rowCount()) if item_text in str(model.index(row, 0).data())]
        assert len(rows) == 1, f"{len(rows)} rows showing {item_text!r} in {name!r}"
        view.setFocus()
        view.setCurrentIndex(model.index(rows[0], 0))
        self.qtbot.keyClick(view, Qt.Key.Key_Return)

    def press(self, key, modifiers=None, widget=None) -> None:
        from PySide6.QtCore import Qt

        self.qtbot.keyClick(widget or self.window.focusWidget() or self.window, key,
                            modifiers or Qt.KeyboardModifier.NoModifier)

    def menu(self, *path: str) -> None:
        """Trigger a menu entry by its visible texts, e.g. menu("File", "Import session files…")."""
        actions = self.window.menuBar().actions()
        for depth, text in enumerate(path):
            matches = [a for a in actions if _button_text(a.text()) == text]
            assert len(matches) == 1, f"no menu entry {text!r}"
            if depth == len(path) - 1:
                matches[0].trigger()
            else:
                actions = matches[0].menu().actions()

    def wait_until(self, condition, timeout: int = 20_000) -> None:
        self.qtbot.waitUntil(condition, timeout=timeout)


class QtTestBot:
    """What WindowDriver needs of pytest-qt's qtbot, made with QtTest, for a process that runs
    without pytest (the end-to-end evening under Xvfb)."""

    def mouseClick(self, widget, button, modifier=None, pos=None) -> None:
        from PySide6.QtCore import QPoint, Qt
        from PySide6.QtTest import QTest

        QTest.mouseClick(widget, button, modifier or Qt.KeyboardModifier.NoModifier, pos or QPoint())

    def keyClicks(self, widget, text: str) -> None:
        from PySide6.QtTest import QTest

        QTest.keyClicks(widget, text)

    def keyClick(self, widget, key, modifier=None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.keyClick(widget, key, modifier or Qt.KeyboardModifier.NoModifier)

    def waitUntil(self, condition, timeout: int = 5000) -> None:
        import time

        from PySide6.QtTest import QTest

        deadline = time.monotonic() + timeout / 1000
        while True:
            try:
                if condition() is not False:
                    return
            except AssertionError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"waited {timeout} ms in vain")
            QTest.qWait(20)

    def wait(self, ms: int) -> None:
        from PySide6.QtTest import QTest

        QTest.qWait(ms)
