"""The real window for the AT-SPI walk (run by test_atspi_walk.py, on an X display and a D-Bus
session bus, with Qt's AT-SPI bridge on): started as `nrp-desktop` starts it, with the stored
example session open in the editor; prints "ready" once it is, then runs until it is ended."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer

from nrp_desktop.ui.app import create_application, start_window

EXAMPLE_ID = "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"


def main() -> int:
    app = create_application()
    window = start_window()

    def when_ready() -> None:
        if window.store is None or window.document is None or window.library is None:
            QTimer.singleShot(100, when_ready)
            return
        window.document.open_session(EXAMPLE_ID)
        print("ready", flush=True)

    QTimer.singleShot(100, when_ready)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
