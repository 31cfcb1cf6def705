"""Where the keyboard is after each action of the evening (issue 16, item 1: focus is never
lost after an action), on the real main window, each action done by its key where it has one:
the focus lands on a named place, in sight, in the window (never the navigation, nothing, or a
control that has just been disabled or hidden): votes, moves, a domain, lessons, actions, table
groups, counting dots, votes from phones (Start, a phone's idea, Stop), a follow-up and its
review, Merge and Keep apart, Save as PDF on Compare halls. Complements test_accessibility.py (adding and
deleting a priority, a dialog's Esc, Collate) and test_keyboard_evening.py (Save as PDF…)."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import threading
from urllib.parse import urlsplit

import pytest
from conftest import WindowDriver
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QWidget
from test_reading_order import shown

SESSION_CHOOSER = "Open a stored session (newest first)"


def focus(drive: WindowDriver, widget: QWidget) -> None:
    window = widget.window()
    window.activateWindow()
    drive.wait_until(window.isActiveWindow, timeout=5000)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    drive.wait_until(widget.hasFocus, timeout=5000)


def press(drive: WindowDriver, widget: QWidget, key=Qt.Key.Key_Space, modifiers=Qt.KeyboardModifier.NoModifier):
    """Give `widget` the keyboard, press `key` there (Space presses a button); what has the
    focus afterwards."""
    focus(drive, widget)
    drive.qtbot.keyClick(widget, key, modifiers)
    QApplication.processEvents()
    return landed(drive, widget.window())


def landed(drive: WindowDriver, window: QWidget) -> QWidget:
    """The focused widget, checked to be a sensible place: in `window`, enabled, in sight,
    named (or a button's text), not the navigation."""
    focused = QApplication.focusWidget()
    if focused is None and not window.isActiveWindow():  # a dialog has just closed: the focus
        focused = window.focusWidget()  # it has again as soon as it is active
    assert focused is not None, "the focus was lost"
    assert focused.window() is window, f"the focus left for {focused.window().windowTitle()!r}"
    assert focused is not drive.window.navigation, "the focus fell back to the navigation"
    assert focused.isEnabled() and shown(focused), f"{focused.accessibleName()!r} is disabled or out of sight"
    assert focused.accessibleName() or getattr(focused, "text", lambda: "")(), f"an unnamed {type(focused).__name__}"
    return focused


def open_example(drive: WindowDriver):
    editor = drive.go_to("Workshop session")
    drive.choose(SESSION_CHOOSER, "Residents' evening")
    drive.wait_until(lambda: editor.current_session() is not None)
    drive.window.resize(1366, 768)
    return editor


def test_focus_after_votes_moves_and_the_priority_buttons(app_window: WindowDriver):
    editor = open_example(app_window)
    table = editor.table
    editor.select_priority(editor.document.priority_ids()[1])
    selected = editor.selected_priority_id()
    votes = editor.document.priority(selected).votes

    # + and − keep the keyboard on the button pressed, for the next press.
    assert press(app_window, editor.vote_up_button) is editor.vote_up_button
    assert editor.document.priority(editor.selected_priority_id()).votes == votes + 1
    assert press(app_window, editor.vote_down_button) is editor.vote_down_button
    # The + and − keys in the table keep it there.
    assert press(app_window, table, Qt.Key.Key_Plus) is table
    assert press(app_window, table, Qt.Key.Key_Minus) is table
    # − down to no votes disables it: the keyboard goes to +, not to the navigation.
    while editor.document.priority(editor.selected_priority_id()).votes > 1:
        press(app_window, editor.vote_down_button)
    assert press(app_window, editor.vote_down_button) is editor.vote_up_button
    assert editor.document.priority(editor.selected_priority_id()).votes == 0

    # Moving a priority to the top disables ▲: the keyboard stays with the moving priority.
    while editor.table.currentIndex().row() > 1:
        press(app_window, editor.move_up_button)
    after_top = press(app_window, editor.move_up_button)
    assert editor.table.currentIndex().row() == 0
    assert after_top in (editor.move_down_button, table)

    # Rank by votes: the keyboard stays on the button.
    assert press(app_window, editor.rank_button) is editor.rank_button
    # Delete (the button): the keyboard goes to the table, on the next priority.
    count = editor.document.priority_count()
    assert press(app_window, editor.delete_priority_button) in (table, editor.delete_priority_button)
    assert editor.document.priority_count() == count - 1


def test_focus_after_a_domain_a_lesson_linked_and_removed(app_window: WindowDriver):
    editor = open_example(app_window)
    detail = editor.detail
    suggestions = detail.suggestion_view
    app_window.wait_until(lambda: suggestions.model().rowCount() > 0)  # (they push the ticks down)
    toggle = next(button for button in detail.domains.buttons.values() if not button.isChecked())
    assert press(app_window, toggle) is toggle and toggle.isChecked()
    assert press(app_window, toggle) is toggle and not toggle.isChecked()

    priority_id = editor.selected_priority_id()
    linked = len(editor.document.priority(priority_id).lessons)
    focus(app_window, suggestions)
    suggestions.setCurrentIndex(suggestions.model().index(0, 0))
    after_link = press(app_window, suggestions, Qt.Key.Key_Return)
    assert len(editor.document.priority(priority_id).lessons) == linked + 1
    assert after_link is suggestions

    # Remove (Delete in the linked list): the keyboard stays in the list while it has rows,
    # then goes to the suggestions.
    linked_view = detail.linked_view
    app_window.wait_until(linked_view.isVisible)
    while editor.document.priority(priority_id).lessons:
        focus(app_window, linked_view)
        linked_view.setCurrentIndex(linked_view.model().index(0, 0))
        before = len(editor.document.priority(priority_id).lessons)
        after_remove = press(app_window, linked_view, Qt.Key.Key_Delete)
        assert len(editor.document.priority(priority_id).lessons) == before - 1
        assert after_remove is (linked_view if before > 1 else suggestions)


def test_focus_after_an_action_and_a_table_group(app_window: WindowDriver):
    editor = open_example(app_window)
    detail = editor.detail
    detail.tabs.setCurrentIndex(1)
    priority_id = editor.selected_priority_id()
    actions = len(editor.document.priority(priority_id).actions)
    focus(app_window, detail.what_field)
    app_window.qtbot.keyClicks(detail.what_field, "Ask the school for a crossing patrol")
    # Enter adds it; the keyboard is back in "what" for the next one.
    assert press(app_window, detail.what_field, Qt.Key.Key_Return) is detail.what_field
    assert len(editor.document.priority(priority_id).actions) == actions + 1
    # Remove action (the button), until none is left: never the navigation.
    while editor.document.priority(priority_id).actions:
        view = detail.action_view
        view.setCurrentIndex(view.model().index(0, 0))
        before = len(editor.document.priority(priority_id).actions)
        after = press(app_window, detail.remove_action_button)
        assert len(editor.document.priority(priority_id).actions) == before - 1
        assert after in (detail.remove_action_button, view, detail.what_field)

    # A table group added by Enter, removed by its button.
    details = editor.details_form
    editor.tabs.setCurrentWidget(details)
    focus(app_window, details.group_field)
    app_window.qtbot.keyClicks(details.group_field, "Table 9")
    assert press(app_window, details.group_field, Qt.Key.Key_Return) is details.group_field
    groups = details.groups_list
    groups.setCurrentRow(groups.count() - 1)
    assert groups.currentItem().text() == "Table 9"
    after = press(app_window, details.remove_group_button)
    assert all(groups.item(row).text() != "Table 9" for row in range(groups.count()))
    assert after in (details.remove_group_button, groups, details.group_field)


def phone_ideas(url: str, code: str, titles: list[str]) -> threading.Thread:
    def run() -> None:
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
        connection.request("POST", "/api/join", json.dumps({"code": code}), {"Content-Type": "application/json"})
        token = json.loads(connection.getresponse().read())["token"]
        for title in titles:
            connection.request("POST", "/api/ideas", json.dumps({"title": title}),
                               {"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            connection.getresponse().read()
        connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    return worker


def test_focus_after_accepting_and_declining_a_phones_idea(app_window: WindowDriver):
    open_example(app_window)
    panel = app_window.window.show_live_votes()
    try:
        panel.address_choice.setCurrentIndex(panel.address_choice.count() - 1)  # loopback
        panel.port_choice.setValue(0)
        # Start (by Space): the running page's first control has the keyboard, in the panel.
        assert press(app_window, panel.start_button) in (panel.ideas_button, panel.stop_button)
        live = panel.live
        assert live.running
        worker = phone_ideas(live.url, live.voting.code, ["Benches by the pond", "A book swap", "Later buses"])
        app_window.wait_until(lambda: not worker.is_alive() and len(live.waiting_ideas()) == 3)
        assert press(app_window, panel.ideas_button) is panel.ideas_button and panel.ideas_list.isVisible()
        panel.ideas_list.setCurrentRow(0)
        assert press(app_window, panel.accept_button) is panel.accept_button
        assert press(app_window, panel.decline_button) is panel.decline_button
        assert len(live.waiting_ideas()) == 1
        # The last one: the buttons are disabled, the keyboard goes to the list's toggle.
        last = press(app_window, panel.accept_button)
        assert live.waiting_ideas() == []
        assert last is panel.ideas_button
        # Stop: back on the first page, the keyboard on Start (to start again).
        assert press(app_window, panel.stop_button) is panel.start_button
        assert not live.running
    finally:
        panel.close()


# The offscreen platform cannot pass a dialog's size hints to a window manager (it has none).
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_focus_after_follow_up_the_review_and_saving(app_window: WindowDriver, monkeypatch, tmp_path):
    editor = open_example(app_window)
    window = app_window.window

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.title_field.setText("Three months on")
        dialog.date_field.setDate(QDate(2027, 2, 17))
        dialog.accept()

    QTimer.singleShot(20, answer)
    after = press(app_window, editor.follow_up.follow_up_button)
    app_window.wait_until(lambda: editor.current_session().title == "Three months on")
    assert editor.current_session().date == dt.date(2027, 2, 17)
    assert after is editor.follow_up.follow_up_button

    # Since last time: a mark goes on to the next action; the keyboard to its note.
    focus(app_window, editor.follow_up.review_button)
    app_window.qtbot.keyClick(editor.follow_up.review_button, Qt.Key.Key_Space)
    review = editor.follow_up._window
    app_window.wait_until(lambda: review is not None and review.isActiveWindow())
    assert landed(app_window, review) in (review, review.progress_field)
    done = next(button for button in review.findChildren(type(editor.rename_button)) if button.accessibleName()
                == "Mark it: Done")
    after_mark = press(app_window, done)
    assert after_mark in (review.progress_field, done)
    app_window.qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    app_window.wait_until(lambda: editor.follow_up._window is None or not review.isVisible())
    window.activateWindow()
    app_window.wait_until(window.isActiveWindow)
    assert window.focusWidget() is editor.follow_up.review_button

    # Save as PDF… on Compare halls keeps the keyboard on the button.
    collation = app_window.go_to("Compare halls")
    app_window.activate_item("Stored sessions to collate", "Residents' evening")
    app_window.activate_item("Stored sessions to collate", "Library drop-in")
    focus(app_window, collation.collate_button)
    app_window.qtbot.keyClick(collation.collate_button, Qt.Key.Key_Space)
    app_window.wait_until(lambda: collation.collation is not None)
    # On to the first look-alike to decide; Merge and Keep apart go on to the next, then the table.
    assert landed(app_window, window) is collation.proposal_cards[0].merge_button
    assert press(app_window, collation.proposal_cards[0].keep_button) is collation.proposal_cards[0].merge_button
    assert press(app_window, collation.proposal_cards[0].merge_button) is collation.table
    assert not collation.proposal_cards
    saved = tmp_path / "halls.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(saved), ""))
    focus(app_window, collation.save_button)
    app_window.qtbot.keyClick(collation.save_button, Qt.Key.Key_Space)
    app_window.wait_until(saved.exists)
    app_window.wait_until(collation.save_button.isEnabled)
    assert landed(app_window, window) is collation.save_button


def test_focus_after_counting_dots(app_window: WindowDriver):
    editor = open_example(app_window)
    tally = editor.tally
    # Count dots…: the panel opens beside the list; the keyboard goes to its first count.
    after_open = press(app_window, editor.tally_button)
    app_window.wait_until(tally.isVisible)
    first = next(iter(tally.spin_boxes.values()))
    assert after_open in (editor.tally_button, tally.table_combo, first)
    focus(app_window, first)
    app_window.qtbot.keyClicks(first, "3")
    votes = sum(editor.document.priority(pid).votes for pid in editor.document.priority_ids())
    # Add to the votes keeps the keyboard for the next table's counts.
    assert press(app_window, tally.add_button) in (tally.add_button, first)
    assert sum(editor.document.priority(pid).votes for pid in editor.document.priority_ids()) == votes + 3
    # Done counting: the panel goes; the keyboard goes back to Count dots…, not the navigation.
    assert press(app_window, tally.done_button) is editor.tally_button
    assert not tally.isVisible()
