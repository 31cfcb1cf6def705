"""What the main window and its parts share: the screens in navigation order, the settings
file and its keys, and how an action gets its shortcut."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QSettings
from PySide6.QtGui import QAction, QKeySequence

from nrp_desktop import paths

# The screens, in navigation order: (title, shortcut, "module:Class"). Each is built after the
# window's first paint, so the window appears at once and imports only what it shows.
LIBRARY = "nrp_desktop.ui.library.page:LibraryPage"
TOOL = "nrp_desktop.ui.tool.view:LearningToolView"
COMPASS = "nrp_desktop.ui.compass.view:CompassView"
HANDOUT = "nrp_desktop.ui.handout.view:HandoutView"
EDITOR = "nrp_desktop.ui.session.editor:SessionEditor"
COLLATION = "nrp_desktop.ui.collation.view:CollationView"
SCREENS: tuple[tuple[str, str, str], ...] = (
    (QT_TRANSLATE_NOOP("MainWindow", "Library"), "Ctrl+1", LIBRARY),
    (QT_TRANSLATE_NOOP("MainWindow", "Explore what worked"), "Ctrl+2", TOOL),
    (QT_TRANSLATE_NOOP("MainWindow", "Compass"), "Ctrl+3", COMPASS),
    (QT_TRANSLATE_NOOP("MainWindow", "Workshop session"), "Ctrl+4", EDITOR),
    (QT_TRANSLATE_NOOP("MainWindow", "Handout"), "Ctrl+5", HANDOUT),
    (QT_TRANSLATE_NOOP("MainWindow", "Compare halls"), "Ctrl+6", COLLATION),
)
DEFAULT_SIZE = (1280, 800)
SMALL_SCREEN = (1440, 900)  # below this, the window takes all the room the screen has free
NAVIGATION_LARGE_SCALE = 1.35  # the screens' names in large text: for the facilitator, not the hall
TITLE_BAR_ALLOWANCE = 40  # the window manager's frame, above the window's own area
SHORTCUT_ROLE = 0x0100 + 1  # Qt.ItemDataRole.UserRole + 1, without importing the `Qt` namespace
SETTING_LANGUAGE = "view/language"
# View ▸ Appearance: "system" (the desktop's light or dark colour scheme, followed while running),
# "light" or "dark". High contrast is a setting of its own (view/high_contrast) and wins over both.
SETTING_APPEARANCE = "view/appearance"
APPEARANCES = ("system", "light", "dark")
COUNCIL_ADDRESS_KEY = "council/address"  # the council database last published to (never a password)
SESSION_FILE_FILTER = QT_TRANSLATE_NOOP("MainWindow", "NRP session files (*.nrpsession)")


def set_shortcut(action: QAction, key: str | QKeySequence.StandardKey) -> None:
    """Give `action` its shortcut. setShortcuts() with a list, because PySide's overload
    resolution for setShortcut() builds the whole `Qt` namespace: ~30 ms at start-up."""
    if isinstance(key, str):
        action.setShortcuts([QKeySequence(key)])
    else:
        action.setShortcuts(QKeySequence.keyBindings(key))


def settings() -> QSettings:
    """The app's settings file, in the data folder (never the registry or install folder)."""
    return QSettings(str(paths.settings_file()), QSettings.Format.IniFormat)

