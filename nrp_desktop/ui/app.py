"""Starting the window: the application object, theme, translations, smoke test, screenshots."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from nrp_desktop import APP_ID, APP_NAME, __version__, i18n, paths
from nrp_desktop.services.library import default_library
from nrp_desktop.ui.main_window import MainWindow
from nrp_desktop.ui.theme import apply_theme, register_remaining_fonts
from nrp_desktop.ui.translator import apply_language

log = logging.getLogger(__name__)
SCREENSHOT_SIZE = (1280, 800)


def _no_display() -> bool:
    return (
        sys.platform.startswith("linux")
        and not os.environ.get("QT_QPA_PLATFORM")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    )


def create_application(argv: list[str] | None = None, all_fonts: bool = True) -> QApplication:
    """The application object, named, themed and translated (once: calling again returns it)."""
    existing = QApplication.instance()
    if isinstance(existing, QApplication) and existing.property("nrp_themed"):
        return existing
    app = existing if isinstance(existing, QApplication) else QApplication(argv or [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("NRP Desktop")
    QGuiApplication.setDesktopFileName(APP_ID)
    icon = paths.icons_dir() / "nrp-desktop.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    apply_language(app, i18n.current().code)
    apply_theme(app, all_fonts=all_fonts)
    from nrp_desktop.ui.widgets.accessible import install_accessibility

    install_accessibility()
    app.setProperty("nrp_themed", True)
    return app


def run(smoke_test: bool = False, screenshots_dir: str | None = None,
        open_files: list[str] | None = None, language_given: bool = False) -> int:
    """`language_given`: --language or NRP_DESKTOP_LANGUAGE chose the language; otherwise the
    one chosen last time in View ▸ Language (if any) is spoken."""
    if _no_display():
        if smoke_test or screenshots_dir:
            os.environ["QT_QPA_PLATFORM"] = "offscreen"
        else:
            print("nrp-desktop: no display found (DISPLAY is not set); start it from a desktop "
                  "session", file=sys.stderr)
            return 2
    interactive = not smoke_test and not screenshots_dir
    if not language_given and not screenshots_dir:
        from nrp_desktop.ui.main_window import remembered_language

        remembered = remembered_language()
        if remembered:
            i18n.set_language(remembered)
    if interactive:
        from nrp_desktop.ui.single_instance import hand_over

        # A window already runs on this data folder (a file double-clicked while the app is
        # open): it takes the files and comes to the front; this process is done.
        if hand_over(list(open_files or [])):
            return 0
    app = create_application(all_fonts=not interactive)
    if screenshots_dir:
        from nrp_desktop.ui.screenshots import take_screenshots

        paths.ensure_data_dir()
        return take_screenshots(MainWindow(default_library()), Path(screenshots_dir))
    if smoke_test:
        paths.ensure_data_dir()
        window = MainWindow(default_library())
        window.first_painted.connect(lambda: QTimer.singleShot(0, app.quit))
        window.show()
        code = app.exec()
        log.info("smoke test passed")
        return code
    sys.excepthook = show_unexpected_fault
    start_window(open_files)
    code = app.exec()
    # Work still running off the GUI thread (a PDF being drawn) ends before Python tears down
    # the objects it uses; otherwise closing the window in the middle of it crashes on the way out.
    from nrp_desktop.ui.worker import wait_for_background_work

    wait_for_background_work(10_000)
    return code


def start_window(open_files: list[str] | None = None) -> MainWindow:
    """Show the main window as `nrp-desktop` does, and start what follows its first paint (the
    event loop runs it): the other fonts, the screens, the content off the GUI thread, then the
    sessions database. The tests start the real window through here too."""
    from nrp_desktop.ui.single_instance import InstanceServer

    paths.ensure_data_dir()
    window = MainWindow(default_library())
    # Later starts on this data folder hand their files to this window (ui/single_instance.py).
    window.instance_server = InstanceServer(window)
    window.instance_server.files_received.connect(window.receive_files)
    window.instance_server.listen()
    window.first_painted.connect(lambda: QTimer.singleShot(0, register_remaining_fonts))
    window.first_painted.connect(lambda: QTimer.singleShot(0, window.build_screens))
    window.first_painted.connect(lambda: QTimer.singleShot(0, window.load_content))
    # The sessions database opens once the content is in (a file opened from the file manager
    # is imported then, so its lessons can be checked).
    if open_files:
        window.receive_files(list(open_files), raise_window=False)
    window.library_loaded.connect(lambda _library: window.open_store())
    window.show()
    return window


_showing_fault = False


def show_unexpected_fault(error_type: type[BaseException], error: BaseException, traceback: Any) -> None:
    """The window's excepthook: an error no action caught is logged (with its traceback) and
    shown as one plain message that names the log file; the window stays open."""
    global _showing_fault
    from nrp_desktop.app_logging import log_uncaught

    line = log_uncaught(error_type, error, traceback, what="that action")
    app = QApplication.instance()
    if app is None or _showing_fault:  # no window, or a fault while the last one is shown
        print(f"nrp-desktop: {line}", file=sys.stderr)
        return
    from PySide6.QtWidgets import QMessageBox

    from nrp_desktop.ui.widgets.plain_text import tell

    _showing_fault = True
    try:
        tell(QApplication.activeWindow(), APP_NAME, line[:1].upper() + line[1:] + ".",
             icon=QMessageBox.Icon.Critical)
    finally:
        _showing_fault = False
