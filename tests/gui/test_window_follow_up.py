"""The follow-up cycle through the real main window (issue 14, done when): a stored first
session with actions; "Follow-up…" from the window; "Since last time" on the projector, one
action marked done with a note of what happened; the stored rows; the printed handout's
"Since last time"; the history of the group."""

from __future__ import annotations

import datetime as dt
import sqlite3
import subprocess
from pathlib import Path

import pytest
from conftest import WindowDriver
from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from nrp_desktop import paths

EXAMPLE_ID = "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"
SESSION_CHOOSER = "Open a stored session (newest first)"
CLEAN_UP = "Ask the council about a community clean-up day"
NOTE = "Clean-up day held on 14 February, 23 people came"


def answer_the_dialog(app_window: WindowDriver, title: str, date: QDate) -> None:
    """When the modal dialog opens: type the title and date, press its OK, as a person would."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(20, answer)
            return
        dialog.title_field.setText(title)
        dialog.date_field.setDate(date)
        app_window.click("Start the session", within=dialog)

    QTimer.singleShot(0, answer)


def review_windows():
    from nrp_desktop.ui.session.since_last_time import SinceLastTimeWindow

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, SinceLastTimeWindow) and w.isVisible()]


# The offscreen platform cannot pass a dialog's size hints to a window manager (it has none).
@pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
def test_follow_up_review_and_handout_through_the_window(app_window: WindowDriver, monkeypatch, tmp_path: Path):
    window = app_window.window
    editor = app_window.go_to("Workshop session")
    app_window.choose(SESSION_CHOOSER, "Residents' evening")
    assert editor.current_session().id == EXAMPLE_ID
    first = window.store.load_session(EXAMPLE_ID)
    agreed_first = [a for p in first.priorities for a in p.actions]
    assert len(agreed_first) == 2 and {a.status for a in agreed_first} == {"agreed"}

    # Follow-up… : a new session, three months on, opened at once.
    answer_the_dialog(app_window, "Three months on", QDate(2027, 2, 17))
    app_window.click("Follow-up…")
    app_window.wait_until(lambda: editor.current_session().title == "Three months on")
    follow_up = editor.current_session()
    assert follow_up.follows == EXAMPLE_ID and follow_up.date == dt.date(2027, 2, 17)
    carried = [a for p in follow_up.priorities for a in p.actions]
    assert sorted(a.id for a in carried) == sorted(a.id for a in agreed_first)  # same action ids

    # Since last time: the review, full screen; the first action done, with what happened.
    app_window.click("Since last time")
    app_window.wait_until(lambda: len(review_windows()) == 1)
    review = review_windows()[0]
    assert review.count_label.text() == "1 of 2"
    assert review.what_label.text() == CLEAN_UP
    review.progress_field.setFocus()
    app_window.qtbot.keyClicks(review.progress_field, NOTE)
    app_window.click("Mark it: Done", within=review)
    assert review.count_label.text() == "2 of 2"  # on to the next
    app_window.press(Qt.Key.Key_Escape, widget=review)
    app_window.wait_until(lambda: not review_windows())

    # The stored rows, read straight from the database file.
    database = sqlite3.connect(paths.user_db_path())
    try:
        rows = database.execute(
            "SELECT a.what, a.status, a.progress, a.updated, a.carried_from, a.id FROM actions a "
            "JOIN priorities p ON p.pk = a.priority_pk WHERE p.session_id = ? ORDER BY a.what",
            (follow_up.id,)).fetchall()
    finally:
        database.close()
    by_what = {what: (status, progress, updated, carried) for what, status, progress, updated, carried, _id in rows}
    assert sorted(row[5] for row in rows) == sorted(a.id for a in agreed_first)
    assert {row[4] for row in rows} == {EXAMPLE_ID}
    assert by_what[CLEAN_UP][:2] == ("done", NOTE)
    assert by_what[CLEAN_UP][2] == dt.date.today().isoformat()
    other = next(what for what in by_what if what != CLEAN_UP)
    assert by_what[other][:2] == ("agreed", "")
    # The first session's copy is as it was: the follow-up holds the new state.
    assert {a.status for p in window.store.load_session(EXAMPLE_ID).priorities for a in p.actions} == {"agreed"}

    # The handout, saved as a person saves it, says what was done.
    handout = app_window.go_to("Handout")
    app_window.wait_until(lambda: handout.session is not None and handout.session.id == follow_up.id
                          and handout.pdf is not None)
    app_window.wait_until(lambda: app_window.button("Save as PDF…").isEnabled())
    out = tmp_path / "follow-up.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(out), ""))
    app_window.click("Save as PDF…")
    app_window.wait_until(out.exists)
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    since = text[text.index("Since last time"):]
    assert ("This session follows: Residents' evening: what would make our streets better? "
            "(held on 18 November 2026)") in since
    assert "1 not started yet, 0 started, 1 done, 0 dropped." in since
    assert CLEAN_UP in since and "Done" in since and NOTE in since
    assert "How the compass moved" in since

    # The history of the group, from the menu (the session bar has it too): both sessions.
    app_window.menu("Workshop session", "History of this group…")
    assert window.stack.currentWidget() is editor and app_window.button("History…").isVisible()
    app_window.wait_until(lambda: isinstance(QApplication.activeModalWidget(), QDialog)
                          or editor.follow_up._history.isVisible())
    history = editor.follow_up._history
    table = history.table
    assert [table.item(row, 1).text() for row in range(table.rowCount())] == [
        "Residents' evening: what would make our streets better?", "Three months on"]
    assert [table.item(1, column).text() for column in range(2, 7)] == ["2", "1", "0", "1", "0"]
    history.close()
