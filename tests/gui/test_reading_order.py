"""Tab and Shift+Tab move through every screen and the main dialogs in reading order (issue 16,
item 1), in English and in Urdu (mirrored): on the real main window, real Tab presses from the
first control, each focused widget's accessible name and rectangle recorded. A walk fails when

(a) it goes back in reading order: a stop is reached after one it must come before. "Before" is
    a partial order: A is above B in the same column (they share at least half the narrower
    one's width), or A is before B in the same row (they share at least half the lower one's
    height; left of it, or right of it in Urdu). Controls in different columns and rows are not
    ordered, so moving from the foot of one pane to the top of the next is fine. Inside a scroll
    area, controls are placed where they lie in its content (not where scrolling put them), and
    a scroll area counts as one pane for what is outside it;
(b) a visible, enabled control that takes Tab is never reached (an exclusive choice, a radio
    group, is reached by its chosen button and the arrows);
(c) Shift+Tab does not walk the same chain backwards;
(d) the focus leaves the window, or lands on a widget that is hidden or out of sight.

A failure prints the chain: each stop's number, rectangle and name."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from conftest import WindowDriver
from PySide6.QtCore import QPoint, QRect, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QScrollArea,
    QWidget,
)

LIMIT = 250  # more presses than any screen has stops: past this, the focus is trapped
TOLERANCE = 4  # pixels: frames and focus rings overlap their neighbours a little
# (row in the navigation, screen) in navigation order
LIBRARY, TOOL, COMPASS, EDITOR, HANDOUT, COLLATION = range(6)


@pytest.fixture(autouse=True)
def english_afterwards(qapp):
    yield
    from nrp_desktop.ui.translator import apply_language

    apply_language(qapp, "en")


def name_of(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, QAbstractButton) else ""
    return widget.accessibleName() or text.replace("&", "") or type(widget).__name__


def scroll_areas(widget: QWidget) -> list[QScrollArea]:
    """The scroll areas whose content holds `widget`, outermost first."""
    found = []
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea) and parent.widget() is not None and parent.widget().isAncestorOf(widget):
            found.append(parent)
        parent = parent.parentWidget()
    return found[::-1]


@dataclass
class Stop:
    widget: QWidget
    name: str
    rect: QRect  # where it is on the screen, in the window

    def __str__(self) -> str:
        r = self.rect
        return f"({r.x():4},{r.y():4} {r.width():3}x{r.height():3}) {type(self.widget).__name__:14} {self.name}"


def placed(first: QWidget, second: QWidget, root: QWidget) -> tuple[QRect, QRect]:
    """The two widgets' rectangles in the frame they share: the content of the innermost scroll
    area around both (its unscrolled layout), else the root. A widget inside a further scroll
    area is that scroll area's rectangle (one pane to what is outside it)."""
    outer, inner = scroll_areas(first), scroll_areas(second)
    shared = 0
    while shared < min(len(outer), len(inner)) and outer[shared] is inner[shared]:
        shared += 1
    frame = outer[shared - 1].widget() if shared else root

    def rect(widget: QWidget, areas: list[QScrollArea]) -> QRect:
        target = areas[shared] if len(areas) > shared else widget
        return QRect(target.mapTo(frame, QPoint(0, 0)), target.size())

    return rect(first, outer), rect(second, inner)


def before(a: QRect, b: QRect, right_to_left: bool) -> bool:
    """Whether what is at `a` is read before what is at `b`."""
    across = min(a.right(), b.right()) - max(a.left(), b.left()) + 1
    down = min(a.bottom(), b.bottom()) - max(a.top(), b.top()) + 1
    same_column = across >= min(a.width(), b.width()) / 2
    same_row = down >= min(a.height(), b.height()) / 2
    if same_column and a.bottom() <= b.top() + TOLERANCE:
        return True
    if same_row and not same_column:
        return a.left() >= b.right() - TOLERANCE if right_to_left else a.right() <= b.left() + TOLERANCE
    return False


def shown(widget: QWidget) -> bool:
    """Visible, of some size, and in sight: wholly inside the shown part of every scroll area
    around it that it fits in (a larger one needs only to show some of it)."""
    if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0 or widget.visibleRegion().isEmpty():
        return False
    for area in scroll_areas(widget):
        viewport = area.viewport()
        rect = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
        fits = rect.width() <= viewport.width() and rect.height() <= viewport.height()
        if (fits and not viewport.rect().contains(rect)) or not viewport.rect().intersects(rect):
            return False
    return True


@dataclass
class Walk:
    """One screen's or dialog's chain, and what is wrong with it."""

    title: str
    root: QWidget
    right_to_left: bool
    forward: list[Stop] = field(default_factory=list)
    backward: list[Stop] = field(default_factory=list)
    faults: list[str] = field(default_factory=list)

    def report(self) -> str:
        lines = [f"== {self.title}: {len(self.forward)} stops"]
        lines += [f"  {number:3}. {stop}" for number, stop in enumerate(self.forward, 1)]
        lines += [f"  ! {fault}" for fault in self.faults]
        return "\n".join(lines)


def press(drive: WindowDriver, backwards: bool) -> None:
    focused = QApplication.focusWidget()
    assert focused is not None, "the focus was lost"
    if backwards:
        drive.qtbot.keyClick(focused, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    else:
        drive.qtbot.keyClick(focused, Qt.Key.Key_Tab)


def chain(drive: WindowDriver, walk: Walk, start: QWidget, backwards: bool) -> list[Stop]:
    """Tab (or Shift+Tab) from `start` until the focus is back on it; the stops between. A
    widget that keeps the focus for more than one press (the reader's links) is one stop."""
    stops: list[Stop] = []
    window = walk.root.window()
    window.activateWindow()
    drive.wait_until(window.isActiveWindow, timeout=5000)
    start.setFocus(Qt.FocusReason.TabFocusReason)
    drive.wait_until(start.hasFocus, timeout=5000)
    for _ in range(LIMIT):
        press(drive, backwards)
        focused = QApplication.focusWidget()
        if focused is None or focused.window() is not window:
            walk.faults.append(f"{'Shift+' if backwards else ''}Tab after stop {len(stops)} left the window "
                               f"(to {name_of(focused) if focused is not None else 'nothing'})")
            return stops
        if focused is start:
            return stops
        if stops and stops[-1].widget is focused:
            continue
        if any(stop.widget is focused for stop in stops):
            walk.faults.append(f"{'Shift+' if backwards else ''}Tab came back to {name_of(focused)!r} "
                               "without passing the first control: a loop")
            return stops
        QApplication.processEvents()  # a focused control is scrolled into view
        stop = Stop(focused, name_of(focused), QRect(focused.mapTo(window, QPoint(0, 0)), focused.size()))
        if not shown(focused):
            walk.faults.append(f"{'Shift+' if backwards else ''}Tab landed on {stop.name!r}, hidden or out of sight")
        stops.append(stop)
    walk.faults.append(f"{'Shift+' if backwards else ''}Tab never came back to {name_of(start)!r}: trapped")
    return stops


def exclusive_siblings(button: QAbstractButton) -> list[QAbstractButton]:
    """The buttons one choice is made among (a radio group), `button` among them; [] if none."""
    group = button.group()
    if group is not None and group.exclusive():
        return group.buttons()
    if button.autoExclusive() and button.parentWidget() is not None:
        return [sibling for sibling in button.parentWidget().findChildren(QAbstractButton)
                if sibling.parentWidget() is button.parentWidget() and sibling.autoExclusive()]
    return []


def unreached(walk: Walk, start: QWidget, roots: list[QWidget]) -> list[str]:
    reached = {id(stop.widget) for stop in walk.forward} | {id(start)}
    missed = []
    for root in roots:
        for widget in [root, *root.findChildren(QWidget)]:
            if id(widget) in reached or not widget.isVisible() or not widget.isEnabled() or (
                    widget.isWindow() and widget is not walk.root):
                continue
            if not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or widget.focusProxy() is not None:
                continue
            if widget.visibleRegion().isEmpty() and not scroll_areas(widget):
                continue  # covered for good (nothing a person sees)
            if isinstance(widget, QAbstractButton) and any(
                    id(sibling) in reached for sibling in exclusive_siblings(widget)):
                continue  # one choice among many: the arrows move through it
            if isinstance(widget.parentWidget(), QAbstractItemView) or any(
                    isinstance(ancestor, QAbstractItemView) for ancestor in _ancestors(widget, root)):
                continue  # an editor or a row's button inside a list: the list is the stop
            missed.append(name_of(widget))
    return missed


def _ancestors(widget: QWidget, root: QWidget) -> list[QWidget]:
    found, parent = [], widget.parentWidget()
    while parent is not None and parent is not root:
        found.append(parent)
        parent = parent.parentWidget()
    return found


def check(drive: WindowDriver, title: str, root: QWidget, start: QWidget, roots: list[QWidget] | None = None,
          first_in_reading: bool = False) -> Walk:
    """Walk `root` from `start` both ways and judge the chain (a)–(d). `roots`: where every
    control must be reached (default: the root). `first_in_reading`: the chain is a cycle whose
    first control in reading order is not `start` (a dialog opens on its main field)."""
    right_to_left = root.isRightToLeft()
    walk = Walk(title, root, right_to_left)
    walk.forward = chain(drive, walk, start, backwards=False)
    walk.backward = chain(drive, walk, start, backwards=True)
    cycle = [Stop(start, name_of(start), QRect(start.mapTo(root.window(), QPoint(0, 0)), start.size())),
             *walk.forward]
    if first_in_reading:
        top = min(range(len(cycle)), key=lambda i: (cycle[i].rect.top() // 8,
                                                    -cycle[i].rect.right() if right_to_left else cycle[i].rect.left()))
        cycle = cycle[top:] + cycle[:top]
    walk.forward = cycle  # the first control is stop 1
    for later_index, later in enumerate(cycle):
        jumped = [earlier.name for earlier in cycle[:later_index]
                  if before(*placed(later.widget, earlier.widget, root), right_to_left)]
        if jumped:
            walk.faults.append(f"back in reading order: stop {later_index + 1} "
                               f"{later.name!r} is reached after {len(jumped)} it is read before: {jumped[:3]}")
    forward_widgets = [stop.widget for stop in cycle if stop.widget is not start]
    backward_widgets = [stop.widget for stop in walk.backward]
    if not first_in_reading and backward_widgets != forward_widgets[::-1]:
        walk.faults.append("Shift+Tab does not walk the chain backwards: "
                           f"{[name_of(w) for w in backward_widgets]}")
    if first_in_reading:
        ring = [stop.widget for stop in [cycle[0], *cycle[1:]]]
        at = ring.index(start)
        expected = [ring[(at - step) % len(ring)] for step in range(1, len(ring))]
        if backward_widgets != expected:
            walk.faults.append("Shift+Tab does not walk the chain backwards: "
                               f"{[name_of(w) for w in backward_widgets]}")
    missed = unreached(walk, start, roots or [root])
    if missed:
        walk.faults.append(f"never reached: {missed}")
    return walk


# The screens --------------------------------------------------------------------------------


def go_to(drive: WindowDriver, row: int) -> QWidget:
    """Open the screen at `row` of the navigation by a click (its label differs by language)."""
    navigation = drive.window.navigation
    rect = navigation.visualItemRect(navigation.item(row))
    drive.qtbot.mouseClick(navigation.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert navigation.currentRow() == row
    QApplication.processEvents()
    return drive.window.stack.currentWidget()


def open_example(drive: WindowDriver):
    editor = go_to(drive, EDITOR)
    chooser = editor.session_combo
    row = next(row for row in range(chooser.count()) if "Residents' evening" in chooser.itemText(row))
    chooser.setCurrentIndex(row)
    chooser.activated.emit(row)
    drive.wait_until(lambda: editor.current_session() is not None)
    return editor


def screen_states(drive: WindowDriver) -> list[tuple[str, Callable[[], object]]]:
    """(title, set-up) for every state of every screen the walk covers."""

    def tool_step(number: int) -> Callable[[], object]:
        def show() -> None:
            tool = go_to(drive, TOOL)
            tool.go_to_step(1)
            if not tool.state.chosen_cards:
                card = next(button for button in tool.findChildren(QAbstractButton)
                            if type(button).__name__ == "CardButton" and button.isVisible())
                card.click()
            tool.go_to_step(number)
        return show

    def priority_tab(index: int) -> Callable[[], object]:
        def show() -> None:
            editor = open_example(drive)
            editor.tabs.setCurrentIndex(0)
            editor.detail.tabs.setCurrentIndex(index)
        return show

    def collation_tab(index: int) -> Callable[[], object]:
        def show() -> None:
            collated()
            drive.window.stack.currentWidget().tabs.setCurrentIndex(index)
        return show

    def library_tab(index: int) -> Callable[[], object]:
        def show() -> None:
            go_to(drive, LIBRARY).tabs.setCurrentIndex(index)
        return show

    def compass_scored() -> None:
        from nrp_desktop.ui.compass.view import SCREENSHOT_RATINGS

        go_to(drive, COMPASS).set_ratings(SCREENSHOT_RATINGS)

    def editor_details() -> None:
        editor = open_example(drive)
        editor.tabs.setCurrentWidget(editor.details_form)

    def collated() -> None:
        collation = go_to(drive, COLLATION)
        if collation.collation is None:
            view = collation.findChildren(QAbstractItemView)
            listed = next(v for v in view if v.isVisible() and v.model() is not None and v.model().rowCount() >= 2)
            for row in range(2):
                listed.setCurrentIndex(listed.model().index(row, 0))
                drive.qtbot.keyClick(listed, Qt.Key.Key_Return)
            collation.collate_button.click()
            drive.wait_until(lambda: collation.collation is not None)

    def handout() -> None:
        view = go_to(drive, HANDOUT)
        drive.wait_until(lambda: view.save_button.isEnabled(), timeout=30_000)

    return [
        ("Library", lambda: go_to(drive, LIBRARY)),
        *[(f"Library, list {index + 1}", library_tab(index)) for index in (1, 2)],
        *[(f"Explore what worked, step {number}", tool_step(number)) for number in range(1, 6)],
        ("Compass", lambda: go_to(drive, COMPASS)),
        ("Compass, scored (Start with these)", compass_scored),
        ("Workshop session, no session open", lambda: go_to(drive, EDITOR)),
        ("Workshop session, priorities", lambda: open_example(drive)),
        ("Workshop session, a priority's actions", priority_tab(1)),
        ("Workshop session, find a lesson", priority_tab(2)),
        ("Workshop session, details", editor_details),
        ("Handout", handout),
        ("Compare halls", lambda: go_to(drive, COLLATION)),
        ("Compare halls, collated", collated),
        ("Compare halls, the compasses", collation_tab(1)),
        ("Compare halls, the totals", collation_tab(2)),
    ]


def start_window(drive: WindowDriver, language: str) -> None:
    window = drive.window
    if language != "en":
        assert window.set_language(language)
    window.resize(1366, 768)
    window.show()
    window.activateWindow()
    drive.wait_until(window.isActiveWindow, timeout=5000)


@pytest.mark.parametrize("language", ["en", "ur"])
def test_tab_walks_every_screen_in_reading_order(app_window: WindowDriver, language: str):
    start_window(app_window, language)
    window = app_window.window
    walks = []
    for title, show in screen_states(app_window):
        show()
        QApplication.processEvents()
        screen = window.stack.currentWidget()
        walks.append(check(app_window, title, window, window.navigation, roots=[window.navigation, screen]))
    report = "\n".join(walk.report() for walk in walks)
    print(report)
    assert all(len(walk.forward) >= 3 for walk in walks), report
    assert not any(walk.faults for walk in walks), report


# The dialogs and the follow-up's windows ------------------------------------------------------


def walk_dialog(drive: WindowDriver, title: str, dialog: QWidget) -> Walk:
    """Walk a shown dialog (or window) from the control it opens on, once it is active."""
    dialog.activateWindow()
    drive.wait_until(dialog.isActiveWindow, timeout=5000)
    QApplication.processEvents()
    start = dialog.focusWidget() or dialog
    return check(drive, title, dialog, start, first_in_reading=True)


def walk_modal(drive: WindowDriver, title: str, open_it: Callable[[], object]) -> Walk:
    """Walk the modal dialog `open_it` shows (and runs), then close it with Esc."""
    walks: list[Walk] = []
    errors: list[BaseException] = []

    def in_the_dialog() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, in_the_dialog)
            return
        try:
            walks.append(walk_dialog(drive, title, dialog))
        except BaseException as error:  # raised after the dialog's own loop has ended
            errors.append(error)
        dialog.reject()

    QTimer.singleShot(20, in_the_dialog)
    open_it()
    if errors:
        raise errors[0]
    assert walks, f"{title}: no dialog was shown"
    return walks[0]


# The offscreen platform cannot pass a dialog's size hints to a window manager (it has none).
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
@pytest.mark.parametrize("language", ["en", "ur"])
def test_tab_walks_the_dialogs_and_the_follow_up_in_reading_order(app_window: WindowDriver, language: str):
    import datetime as dt

    start_window(app_window, language)
    window = app_window.window
    editor = open_example(app_window)
    walks = [walk_modal(app_window, "New session", editor.ask_new_session),
             walk_modal(app_window, "New follow-up session", editor.follow_up.ask_follow_up)]

    publish = window.publish_to_council(changes_only=False)
    walks.append(walk_dialog(app_window, "Publish to council database", publish))
    publish.close()

    panel = window.show_live_votes()
    walks.append(walk_dialog(app_window, "Votes from phones", panel))
    panel.close()

    # A follow-up session, with last time's actions to review and a history of two sessions.
    assert editor.follow_up.create_follow_up("Three months on", dt.date(2027, 2, 17)) is not None
    app_window.wait_until(lambda: editor.follow_up.review_button.isVisible())
    walks.append(check(app_window, "Workshop session, a follow-up", window, window.navigation,
                       roots=[window.navigation, window.stack.currentWidget()]))
    editor.follow_up.show_review()
    review = editor.follow_up._window
    walks.append(walk_dialog(app_window, "Since last time", review))
    review.close()
    editor.follow_up.show_history()
    history = editor.follow_up._history
    walks.append(walk_dialog(app_window, "History of the group", history))
    history.close()

    report = "\n".join(walk.report() for walk in walks)
    print(report)
    assert all(len(walk.forward) >= 2 for walk in walks), report
    assert not any(walk.faults for walk in walks), report
