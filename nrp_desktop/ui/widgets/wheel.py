"""The mouse wheel scrolls the page; it changes a combo or spin box only once that has focus.

Scrolling the detail pane over "Which table raised it" silently re-assigned a priority's table,
and the wheel over the session chooser switched the open session. So each such box takes the
wheel only when it has the keyboard focus (a click or Tab gives it); otherwise the wheel goes
on to the scroll area around it.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QWidget


class _WheelOnlyWithFocus(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(watched, QWidget) and not watched.hasFocus():
            event.ignore()  # ignored: Qt offers it to the parents, so the page scrolls
            return True
        return False


_guard: _WheelOnlyWithFocus | None = None


def wheel_only_with_focus(root: QWidget) -> None:
    """Guard every combo and spin box in `root` (and `root` itself, if it is one); cheap to
    call again for boxes made later."""
    global _guard
    if _guard is None:
        _guard = _WheelOnlyWithFocus()
    boxes = [*root.findChildren(QComboBox), *root.findChildren(QAbstractSpinBox)]
    if isinstance(root, (QComboBox, QAbstractSpinBox)):
        boxes.append(root)
    for box in boxes:
        if not box.property("wheelGuarded"):
            box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the wheel no longer gives focus
            box.installEventFilter(_guard)
            box.setProperty("wheelGuarded", True)
