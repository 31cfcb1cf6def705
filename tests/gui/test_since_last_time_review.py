"""The "Since last time" review screen (issue 14.3), the action state bar in the editor's
actions tab, and the compass overlay of last session's scores; checked in the stored rows."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.services.followup import create_follow_up
from nrp_desktop.services.sessions import SessionStore
from nrp_desktop.ui.document.document import SessionDocument
from nrp_desktop.ui.document.priority_models import ActionListModel
from nrp_desktop.ui.session.since_last_time import SinceLastTimeReview


def earlier_session() -> Session:
    return Session(
        title="First evening", date=dt.date(2026, 11, 18), venue="Church hall",
        ratings={"social-connectedness": 3, "economic-resources": 2},
        priorities=[
            Priority("Back alleys full of rubbish", actions=[
                Action("Ask the council about a clean-up day", "Two volunteers", "Before Christmas"),
                Action("Map the dark corners", status="done"),
            ]),
            Priority("Debt advice", actions=[Action("List the advice services", "Link worker")]),
            Priority("Lonely neighbours", actions=[Action("Start a tea morning 🫖", "Table 2", "January")]),
        ],
    )


@pytest.fixture
def document(qtbot, store: SessionStore) -> SessionDocument:
    earlier = store.save_session(earlier_session())
    later = create_follow_up(store, earlier.id, "Three months on", dt.date(2027, 2, 17)).session
    document = SessionDocument()
    document.attach_store(store)
    document.open_session(later.id)
    return document


def stored_actions(store: SessionStore, document: SessionDocument) -> list[tuple[str, str, str]]:
    session = store.load_session(document.session_id)
    return [(a.what, a.status, a.progress) for p in session.priorities for a in p.actions]


def shown_in_a_frame(qtbot, widget, width: int = 1280, height: int = 800):
    """The widget inside a plain top-level frame (as the full-screen window holds it); the
    offscreen platform warns when a top-level window's own size limits change."""
    from PySide6.QtWidgets import QLayout, QVBoxLayout, QWidget

    frame = QWidget()
    layout = QVBoxLayout(frame)
    layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
    layout.addWidget(widget)
    layout.setContentsMargins(0, 0, 0, 0)
    qtbot.addWidget(frame)
    frame.resize(width, height)
    frame.show()
    qtbot.waitExposed(frame)
    widget.test_host = frame  # qtbot holds widgets weakly; the frame lives as long as the widget
    return frame


def test_the_review_goes_through_each_carried_action_and_marks_it(qtbot, document, store):
    review = SinceLastTimeReview(document)
    frame = shown_in_a_frame(qtbot, review)
    assert review.count_label.text() == "1 of 3"
    assert review.what_label.text() == "Ask the council about a clean-up day"
    assert review.who_label.text() == "Who: \u2068Two volunteers\u2069"  # isolated: typed text
    assert review.when_label.text() == "By when: \u2068Before Christmas\u2069"
    assert review.state_label.text() == "Now: Not started yet"
    assert review.what_label.textFormat() == Qt.TextFormat.PlainText
    # Large type: the action's words are far bigger than the window's usual text.
    assert review.what_label.font().pixelSize() >= 40

    review.progress_field.setFocus()
    qtbot.keyClicks(review.progress_field, "Held on 8 March; 30 came")
    assert review.mark("done")
    assert review.count_label.text() == "2 of 3"  # on to the next
    review.setFocus()
    qtbot.keyClick(review, Qt.Key.Key_R)  # dropped, from the keyboard
    assert review.count_label.text() == "3 of 3"
    review.progress_field.setFocus()
    qtbot.keyClicks(review.progress_field, "Twice so far")
    qtbot.keyClick(review.progress_field, Qt.Key.Key_Return)  # the note alone, no new state
    assert stored_actions(store, document) == [
        ("Ask the council about a clean-up day", "done", "Held on 8 March; 30 came"),
        ("List the advice services", "dropped", ""),
        ("Start a tea morning 🫖", "agreed", "Twice so far"),
    ]
    session = store.load_session(document.session_id)
    assert session.priorities[0].actions[0].updated is not None
    assert session.priorities[0].achieved

    # Each mark is one undoable edit of the session.
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert [s for _, s, _ in stored_actions(store, document)] == ["done", "agreed", "agreed"]
    document.undo_stack.undo()
    assert stored_actions(store, document)[0] == ("Ask the council about a clean-up day", "agreed", "")
    assert store.load_session(document.session_id).priorities[0].actions[0].updated is None
    document.undo_stack.redo()
    assert stored_actions(store, document)[0][1] == "done"

    assert frame.isVisible()
    qtbot.keyClick(review, Qt.Key.Key_Left)
    assert frame.isVisible()
    qtbot.keyClick(review, Qt.Key.Key_Left)
    assert review.count_label.text() == "1 of 3" and review.state_label.text() == "Now: Done"
    with qtbot.waitSignal(review.close_requested):
        qtbot.keyClick(review, Qt.Key.Key_Escape)


def test_a_session_without_carried_actions_says_so(qtbot, store):
    document = SessionDocument()
    document.attach_store(store)
    document.create_session("A first evening", dt.date(2027, 1, 1))
    review = SinceLastTimeReview(document)
    qtbot.addWidget(review)
    assert review.current() is None
    assert not review.empty_label.isHidden() and review.what_label.isHidden()
    assert not review.mark("done")


def test_the_editors_state_bar_sets_status_and_progress_undoably(qtbot, document, store):
    from PySide6.QtWidgets import QTableView, QVBoxLayout, QWidget

    from nrp_desktop.ui.session.action_state import ActionStateBar

    model = ActionListModel(document)
    view = QTableView()
    view.setModel(model)
    edits: list[bool] = []

    def run_edit(edit) -> bool:
        edits.append(edit())
        return edits[-1]

    bar = ActionStateBar(document, view, model, run_edit)
    pair = QWidget()
    QVBoxLayout(pair).addWidget(view)
    pair.layout().addWidget(bar)
    frame = shown_in_a_frame(qtbot, pair, 900, 500)
    frame.activateWindow()
    qtbot.waitUntil(frame.isActiveWindow)
    model.set_priority(document.session.priorities[0].id)
    assert model.index(0, ActionListModel.STATE).data() == "Agreed"
    view.setCurrentIndex(model.index(0, 0))
    assert bar.isEnabled() and bar.status_combo.currentData() == "agreed"
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)  # started
    assert stored_actions(store, document)[0][1] == "started"
    assert model.index(0, ActionListModel.STATE).data() == "Started"
    bar.progress_field.setText("Asked once")
    bar.progress_field.editingFinished.emit()
    assert stored_actions(store, document)[0] == ("Ask the council about a clean-up day", "started", "Asked once")
    assert bar.status_combo.currentData() == "started" and view.currentIndex().row() == 0
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert stored_actions(store, document)[0] == ("Ask the council about a clean-up day", "agreed", "")
    assert edits == [True, True]


def test_the_compass_overlays_last_sessions_scores_with_the_change(qtbot):
    from nrp_desktop.ui.compass.view import CompassView

    view = CompassView()
    view.set_ratings({"social-connectedness": 5, "economic-resources": 1})
    view.set_previous_ratings({"social-connectedness": 3, "economic-resources": 2}, "18 November 2026")
    assert view.radar.previous_values() == {"social-connectedness": 3, "economic-resources": 2}
    description = view.radar.accessibleDescription()
    assert "Social connectedness: 5 / 7  (+2); last time 3 / 7" in description
    assert "Economic resources: 1 / 7  (−1); last time 2 / 7" in description
    assert "last time not rated" in description
    assert not view.previous_key.isHidden() and "18 November 2026" in view.previous_key.text()
    frame = shown_in_a_frame(qtbot, view)
    assert frame.isVisible()
    view.radar.grab()  # paints with the overlay, without a warning
    view.set_previous_ratings(None)
    assert view.radar.previous_values() is None and view.previous_key.isHidden()
