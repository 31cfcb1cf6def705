"""What assistive technology is told about widgets Qt cannot describe by itself: buttons that act
as radio buttons in a group of either/or choices, and painted diagrams (the radar) with a role
and a text alternative. One accessibility factory, installed once with the application."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QAccessibleInterface
from PySide6.QtWidgets import QAbstractButton, QAccessibleWidget, QWidget

ROLE_PROPERTY = "nrpAccessibleRole"
RADIO = "radio"  # a checkable button that is one of an either/or group
CHART = "chart"  # a painted diagram; its text alternative is its accessible description

# The interfaces made here (Qt's cache deletes each when its widget goes; Python must hold each
# one while Qt may call it, and never delete it itself).
_made: dict[int, QAccessibleInterface] = {}
_installed = False


def as_radio_button(button: QAbstractButton) -> None:
    """Tell screen readers `button` is a radio button (checked or not), not a toggle button:
    it is one of a group of which one is chosen, and the arrow keys move among them."""
    button.setCheckable(True)
    button.setProperty(ROLE_PROPERTY, RADIO)


def as_chart(widget: QWidget) -> None:
    """Tell screen readers `widget` is a chart: its name says what, its description lists
    what it shows (keep the description up to date)."""
    widget.setProperty(ROLE_PROPERTY, CHART)


class _RadioButtonInterface(QAccessibleWidget):
    def __init__(self, button: QAbstractButton) -> None:
        super().__init__(button, QAccessible.Role.RadioButton, "")
        self._button = button

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self._button.accessibleName() or self._button.text().replace("&", "")
        if kind == QAccessible.Text.Description:
            return self._button.accessibleDescription() or self._button.toolTip()
        return super().text(kind)

    def state(self) -> Any:
        state = super().state()
        state.checkable = True
        state.checked = self._button.isChecked()
        return state

    def actionNames(self) -> list[str]:
        return [QAccessibleActionInterface.pressAction()] if self._button.isEnabled() else []

    def doAction(self, name: str) -> None:
        if name == QAccessibleActionInterface.pressAction() and self._button.isEnabled():
            self._button.click()


class _ChartInterface(QAccessibleWidget):
    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget, QAccessible.Role.Chart, "")
        self._widget = widget

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self._widget.accessibleName()
        if kind == QAccessible.Text.Description:
            return self._widget.accessibleDescription()
        return super().text(kind)


_MAKERS: dict[str, Callable[[Any], QAccessibleInterface]] = {
    RADIO: _RadioButtonInterface,
    CHART: _ChartInterface,
}


def _factory(_class_name: str, target: QObject) -> QAccessibleInterface | None:
    if not isinstance(target, QWidget):
        return None
    role = target.property(ROLE_PROPERTY)
    if role not in _MAKERS or (role == RADIO and not isinstance(target, QAbstractButton)):
        return None
    import shiboken6

    # Qt deletes an interface when its widget goes; only then may Python let go of it.
    for key in [key for key, made in _made.items() if not shiboken6.isValid(made)]:
        del _made[key]
    interface = _MAKERS[role](target)
    _made[id(interface)] = interface
    return interface


def install_accessibility() -> None:
    """Install the factory (once per process)."""
    global _installed
    if not _installed:
        QAccessible.installFactory(_factory)
        _installed = True
