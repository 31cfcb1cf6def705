"""One whole evening in the real window, run by test_evening_xvfb.py in its own process on an
X display (QT_QPA_PLATFORM=xcb): the library, the tool, the compass, the workshop session, the
projector, the handout saved as PDF and the session exported. Each step is screenshotted from
the X screen itself. Usage: python evening_under_xvfb.py OUT_DIR; writes OUT_DIR/evening.json.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for window_driver

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog
from window_driver import QtTestBot, WindowDriver

from nrp_desktop.ui.app import create_application, start_window
from nrp_desktop.ui.worker import wait_for_background_work

SESSION_TITLE = "St George's hall, Tuesday evening"
TYPED_PRIORITY = "Somewhere safe for the children to play"


class Evening:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.shots: list[str] = []
        self.steps: list[str] = []

    def shot(self, name: str) -> None:
        """The X screen as it is now (what a person would see), kept as a test artefact."""
        QApplication.processEvents()
        screen = QGuiApplication.primaryScreen()
        path = self.out / f"{len(self.shots) + 1:02d}-{name}.png"
        assert screen.grabWindow(0).save(str(path)), f"could not save {path}"
        self.shots.append(str(path))
        self.steps.append(name)


def answer_next_dialog(fill) -> None:
    """Fill in and accept the modal dialog the next click opens (as a person would)."""
    def later() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, later)
            return
        fill(dialog)

    QTimer.singleShot(20, later)


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    window = start_window()
    bot = QtTestBot()
    drive = WindowDriver(window, bot)
    evening = Evening(out)
    drive.wait_until(lambda: window.library is not None and window.store is not None, timeout=30_000)
    window.activateWindow()  # no window manager on Xvfb: the window takes the focus itself
    bot.waitUntil(window.isActiveWindow, timeout=5000)

    # The library: a case study, then a search.
    drive.go_to("Library")
    evening.shot("library")
    drive.type_into("Search the library", "debt", enter=True)
    evening.shot("library-search")

    # The facilitator names the evening's session first.
    drive.go_to("Workshop session")

    def new_session(dialog) -> None:
        title = drive.field("Title of the new session", within=dialog)
        title.clear()
        bot.keyClicks(title, SESSION_TITLE)
        evening.shot("new-session")
        drive.click("Start the session", within=dialog)

    answer_next_dialog(new_session)
    drive.click("New…")
    drive.wait_until(lambda: window.document.session is not None
                     and window.document.session.title == SESSION_TITLE)

    # Explore what worked: a card the group picks, made a priority on step 5.
    drive.go_to("Explore what worked")
    card = window.library.find("tool-card", "debt-and-money-worries")
    drive.click(card.title)
    evening.shot("tool-cards")
    drive.click("Step 5: Make it a priority")
    make_it = f"Make “{card.title}” a priority"
    drive.wait_until(lambda: drive.button(make_it).isVisible())
    drive.click(make_it)
    evening.shot("tool-priority")

    # The compass: the group scores one domain.
    drive.go_to("Compass")
    drive.click("Social connectedness: 5 out of 7")
    evening.shot("compass")

    # The workshop session: a typed priority, votes, ranking.
    drive.go_to("Workshop session")
    drive.type_into("A new priority: type what the group agreed", TYPED_PRIORITY, enter=True)
    for _ in range(5):
        drive.click("Add one vote to the selected priority (+ key)")
    drive.click("Rank by votes")
    evening.shot("session")

    # The projector, full screen; Esc brings the window back. (Without a window manager the
    # window does not get the focus back by itself after the dialog; shortcuts need it.)
    window.activateWindow()
    bot.waitUntil(window.isActiveWindow, timeout=5000)
    drive.press(Qt.Key.Key_F5, widget=drive.field("Open a stored session (newest first)"))
    drive.wait_until(lambda: any(type(w).__name__ == "ProjectorWindow" and w.isVisible()
                                 for w in QApplication.topLevelWidgets()))
    bot.wait(300)
    evening.shot("projector")
    projector = next(w for w in QApplication.topLevelWidgets() if type(w).__name__ == "ProjectorWindow")
    drive.press(Qt.Key.Key_Escape, widget=projector)
    drive.wait_until(lambda: not any(type(w).__name__ == "ProjectorWindow" and w.isVisible()
                                     for w in QApplication.topLevelWidgets()))

    # The handout, saved as PDF (the file dialog answers with a path, as a person would choose).
    handout = drive.go_to("Handout")
    drive.wait_until(lambda: drive.button("Save as PDF…").isEnabled(), timeout=30_000)
    evening.shot("handout")
    pdf_path = out / "handout.pdf"
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(pdf_path), ""))  # type: ignore[method-assign]
    drive.click("Save as PDF…")
    assert handout.pdf is not None

    # The session exported for the other laptop.
    export_path = out / "evening.nrpsession"
    QFileDialog.getSaveFileName = staticmethod(lambda *a, **k: (str(export_path), ""))  # type: ignore[method-assign]
    drive.menu("File", "Export this session…")
    evening.shot("exported")

    (out / "evening.json").write_text(json.dumps({
        "platform": QGuiApplication.platformName(),
        "screen": [QGuiApplication.primaryScreen().size().width(), QGuiApplication.primaryScreen().size().height()],
        "window": [window.width(), window.height()],
        "session_title": SESSION_TITLE, "typed_priority": TYPED_PRIORITY, "card_priority": card.title,
        "pdf": str(pdf_path), "export": str(export_path), "screenshots": evening.shots, "steps": evening.steps,
    }, indent=2), encoding="utf-8")
    window.close()
    app.processEvents()
    wait_for_background_work(10_000)  # as `nrp-desktop` does on its way out
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
