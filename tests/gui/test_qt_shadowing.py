"""No class in ui/ hides a Qt method under the same name.

A Python method named like a Qt one (`MainWindow.screen(factory)` hid `QWidget.screen()`) breaks
every caller that expects Qt's: the projector window asked the main window for its screen and got
a TypeError. Overriding a Qt *virtual* function is how Qt is extended, so those are named here,
each one on purpose; anything else with a Qt name is a fault.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from PySide6.QtCore import QObject

import nrp_desktop.ui

# Qt virtual functions the ui overrides on purpose (C++ calls the Python version).
QT_VIRTUALS = frozenset({
    # events
    "event", "eventFilter", "changeEvent", "closeEvent", "dragEnterEvent", "dropEvent", "dragMoveEvent",
    "focusInEvent", "focusOutEvent", "hideEvent", "keyPressEvent", "keyReleaseEvent", "mousePressEvent",
    "mouseReleaseEvent", "mouseMoveEvent", "mouseDoubleClickEvent", "paintEvent", "resizeEvent",
    "showEvent", "wheelEvent", "enterEvent", "leaveEvent", "contextMenuEvent", "timerEvent", "moveEvent",
    # sizes and layouts
    "sizeHint", "minimumSizeHint", "hasHeightForWidth", "heightForWidth", "minimumSize", "setGeometry",
    "addItem", "count", "itemAt", "takeAt", "expandingDirections",
    # item models, views and delegates
    "rowCount", "columnCount", "data", "setData", "headerData", "flags", "mimeTypes", "mimeData",
    "canDropMimeData", "dropMimeData", "supportedDropActions", "supportedDragActions", "moveRows",
    "filterAcceptsRow", "lessThan", "setModel", "startDrag", "paint", "createEditor", "setEditorData",
    "setModelData", "editorEvent", "updateEditorGeometry", "initStyleOption",
    # text widgets, undo commands, runnables
    "insertFromMimeData", "canInsertFromMimeData", "loadResource", "id", "mergeWith", "undo", "redo", "run",
    "validate", "fixup", "textFromValue", "valueFromText", "focusNextPrevChild", "viewportEvent",
    # dialogs and translators
    "accept", "reject", "done", "translate", "isEmpty",
    # Qt slots the app re-implements for its own callers too (the context menu calls Qt's C++ one,
    # which the widget's keyPressEvent and insertFromMimeData also cover)
    "paste",
})


def _ui_classes() -> list[type]:
    classes: list[type] = []
    for module_info in pkgutil.walk_packages(nrp_desktop.ui.__path__, "nrp_desktop.ui."):
        module = importlib.import_module(module_info.name)
        for _name, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == module.__name__ and issubclass(value, QObject):
                classes.append(value)
    return classes


def _qt_names(cls: type) -> set[str]:
    names: set[str] = set()
    for base in cls.__mro__:
        if base.__module__.startswith(("PySide6", "Shiboken")):
            names.update(vars(base))
    return names


def test_the_scan_finds_the_screens():
    names = {cls.__name__ for cls in _ui_classes()}
    assert {"MainWindow", "SessionEditor", "HandoutView", "ProjectorWindow"} <= names


def test_no_ui_class_hides_a_qt_method():
    hidden = []
    for cls in _ui_classes():
        qt_names = _qt_names(cls)
        for name, value in vars(cls).items():
            methods = (property, classmethod, staticmethod)
            if name.startswith("__") or not (callable(value) or isinstance(value, methods)):
                continue
            if name in qt_names and name not in QT_VIRTUALS:
                hidden.append(f"{cls.__module__}.{cls.__qualname__}.{name}")
    assert hidden == [], "rename these: they hide Qt's own methods of the same name"
