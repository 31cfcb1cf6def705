"""The baseline for the size and start-up figures: a bare PySide6 window, packaged like the app.

`--smoke-test` shows an empty 1280×800 QMainWindow and quits at its first paint, as the app's own
`--smoke-test` does with the real window. Without it the window stays open.
"""

import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class QuitAtFirstPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, QApplication.quit)
        return False


def main() -> int:
    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.resize(1280, 800)
    watcher = QuitAtFirstPaint()
    if "--smoke-test" in sys.argv[1:]:
        app.installEventFilter(watcher)
    window.show()
    return app.exec()


if __name__ == "__main__":
    raise SystemExit(main())
