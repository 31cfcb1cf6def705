"""Every screen of the real window on an X display (QT_QPA_PLATFORM=xcb), as a facilitator
with the example session open sees it, in normal or large text: a screenshot of the X screen for
each, and what can be measured of the fit (the window and its status bar within the screen, the
priority rows in view, buttons narrower or shorter than their text needs). Run by
test_screens_fit_xvfb.py in its own process. Usage: python screens_under_xvfb.py OUT_DIR [--large] [--dark]
writes OUT_DIR/screens.json and OUT_DIR/NN-name.png (--dark: View ▸ Appearance ▸ Dark)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for window_driver

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from window_driver import QtTestBot, WindowDriver

from nrp_desktop.ui.app import create_application, start_window
from nrp_desktop.ui.worker import wait_for_background_work

EXAMPLE_TITLE = "Residents' evening"


def clipped_buttons(root: QWidget, leave_out: tuple[QWidget, ...] = ()) -> list[str]:
    """Visible buttons drawn smaller than their text and padding need (cut-off labels), and
    buttons cut off by the edge of what shows them (a parent or the window)."""
    found = []
    for button in root.findChildren(QAbstractButton):
        if not button.isVisible() or not button.text().strip() or button in leave_out:
            continue
        hint = button.minimumSizeHint()
        # A button that wraps its text (a card) needs its height for the width it has; any other
        # the height of its text's ink (a "+" needs less than a line).
        if button.hasHeightForWidth():
            height = button.heightForWidth(button.width())
        else:
            height = button.fontMetrics().tightBoundingRect(button.text().replace("&", "")).height()
        if button.width() + 1 < hint.width() or button.height() + 1 < height:
            found.append(f"{button.text()!r} {button.width()}x{button.height()} < "
                         f"{hint.width()}x{height}")
            continue
        shown = button.visibleRegion().boundingRect()
        if not shown.isEmpty() and (shown.width() < button.width() - 1 or shown.height() < button.height() - 1):
            # Partly hidden: fine inside a scroll area (scrolled away), not elsewhere.
            ancestor, scrolled = button.parentWidget(), False
            while ancestor is not None:
                if type(ancestor).__name__ in ("QScrollArea", "QAbstractScrollArea") or \
                        ancestor.inherits("QAbstractScrollArea"):
                    scrolled = True
                    break
                ancestor = ancestor.parentWidget()
            if not scrolled:
                found.append(f"{button.text()!r} partly hidden {shown.width()}x{shown.height()} "
                             f"of {button.width()}x{button.height()}")
    return found


def rows_in_view(view) -> int:
    """Priority rows wholly inside the table's viewport."""
    viewport = view.viewport().rect()
    model = view.model()
    return sum(1 for row in range(model.rowCount())
               if viewport.contains(view.visualRect(model.index(row, 0)).adjusted(0, 0, 0, -1)))


def main(out: Path, large: bool, dark: bool = False) -> int:
    out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    window = start_window()
    bot = QtTestBot()
    drive = WindowDriver(window, bot)
    drive.wait_until(lambda: window.library is not None and window.store is not None, timeout=30_000)
    window.activateWindow()
    bot.waitUntil(window.isActiveWindow, timeout=5000)
    if large:
        drive.menu("View", "Large text for a projector")
    if dark:
        drive.menu("View", "Appearance", "Dark")
    bot.wait(200)
    screen = QGuiApplication.primaryScreen()
    shots: list[dict[str, object]] = []

    editor = window.screen_named("nrp_desktop.ui.session.editor:SessionEditor")
    bar = editor.session_bar  # its buttons are told apart: more features add theirs there
    bar_buttons = tuple(widget for index in range(bar.count())
                        if isinstance(widget := bar.itemAt(index).widget(), QAbstractButton))

    def shot(name: str, root: QWidget | None = None) -> None:
        QApplication.processEvents()
        bot.wait(150)
        path = out / f"{len(shots) + 1:02d}-{name}.png"
        assert screen.grabWindow(0).save(str(path)), f"could not save {path}"
        in_bar = [line for line in clipped_buttons(editor) if line.startswith(
            tuple(repr(button.text()) for button in bar_buttons))] if editor.isVisible() else []
        shots.append({"name": name, "png": str(path),
                      "clipped": clipped_buttons(root or window, leave_out=bar_buttons),
                      "clipped_in_session_bar": in_bar})

    drive.go_to("Library")
    shot("library")
    drive.type_into("Search the library", "bus routes", enter=True)
    bot.wait(300)
    shot("library-search")

    editor = drive.go_to("Workshop session")
    drive.choose("Open a stored session (newest first)", EXAMPLE_TITLE)
    drive.wait_until(lambda: editor.current_session() is not None)
    editor.select_priority(editor.document.priority_ids()[0])
    shot("session")
    session_rows = rows_in_view(editor.table)
    details = editor.detail.details_scroll
    detail_overflow = details.widget().width() - details.viewport().width()
    editor.tabs.setCurrentWidget(editor.details_form)
    shot("session-details")
    editor.tabs.setCurrentIndex(0)
    editor.show_projector_preview()
    shot("projector-preview")
    editor.hide_projector_preview()

    tool = drive.go_to("Explore what worked")
    for number in range(1, 6):
        tool.go_to_step(number)
        if number == 1 and not tool.state.chosen_cards:
            drive.click(window.library.tool_cards[0].title)
        shot(f"tool-step-{number}")
    drive.go_to("Compass")
    shot("compass")
    handout = drive.go_to("Handout")
    drive.wait_until(lambda: handout.pdf is not None and drive.button("Save as PDF…").isEnabled(),
                     timeout=30_000)
    bot.wait(300)
    shot("handout")
    drive.go_to("Compare halls")
    shot("compare-halls")

    frame = window.frameGeometry()
    status = window.statusBar()
    status_rect = QRect(status.mapToGlobal(status.rect().topLeft()), status.size())
    (out / "screens.json").write_text(json.dumps({
        "platform": QGuiApplication.platformName(),
        "large_text": large,
        "dark": dark,
        "screen": [screen.size().width(), screen.size().height()],
        "available": [screen.availableGeometry().width(), screen.availableGeometry().height()],
        "window": [frame.x(), frame.y(), frame.width(), frame.height()],
        "status_bar": [status_rect.x(), status_rect.y(), status_rect.width(), status_rect.height()],
        "status_bar_visible": status.isVisible(),
        "session_rows_in_view": session_rows,
        "session_rows": editor.document.priority_count(),
        "detail_overflow": detail_overflow,
        "shots": shots,
    }, indent=2), encoding="utf-8")
    window.close()
    app.processEvents()
    wait_for_background_work(10_000)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), "--large" in sys.argv[2:], "--dark" in sys.argv[2:]))
