"""Each table's dots kept (issue 12.8): the tally adds to a table's own count as well as the
total, undo takes that table's count back, and the priority table shows the counts."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from nrp_desktop.domain.session import Action, Priority
from nrp_desktop.ui.document.document import SessionDocument
from nrp_desktop.ui.document.priority_models import PriorityTableModel


def test_tally_keeps_each_tables_count(qtbot, store):
    document = SessionDocument()
    document.attach_store(store)
    document.create_session("Tally", dt.date(2027, 1, 1))
    assert document.add_priority(Priority("Alleys"))
    assert document.add_priority(Priority("Debt"))
    alleys, debt = document.priority_ids()
    assert document.add_tally({alleys: 3, debt: 1}, "Table 1")
    assert document.add_tally({alleys: 2}, "Stół 2")
    stored = store.load_session(document.session_id).priorities
    assert [(p.votes, p.table_votes) for p in stored] == [(5, {"Table 1": 3, "Stół 2": 2}), (1, {"Table 1": 1})]
    model = document.priorities
    tip = model.index(0, PriorityTableModel.VOTES).data(Qt.ItemDataRole.ToolTipRole)
    assert "Table 1: 3" in tip and "Stół 2: 2" in tip
    document.undo_stack.undo()
    stored = store.load_session(document.session_id).priorities
    assert [(p.votes, p.table_votes) for p in stored] == [(3, {"Table 1": 3}), (1, {"Table 1": 1})]
    assert document.priority(alleys).table_votes == {"Table 1": 3}


def test_a_priority_whose_actions_are_all_done_shows_as_achieved(qtbot, store):
    document = SessionDocument()
    document.attach_store(store)
    document.create_session("Achieved", dt.date(2027, 1, 1))
    assert document.add_priority(Priority("Alleys", actions=[Action("Ask"), Action("Map", status="dropped")]))
    [priority_id] = document.priority_ids()
    title = document.priorities.index(0, PriorityTableModel.TITLE)
    assert title.data() == "Alleys"
    action_id = document.priority(priority_id).actions[0].id
    assert document.set_action_state(action_id, status="done")
    assert title.data() == "Alleys — achieved"
    assert "achieved" in title.data(Qt.ItemDataRole.AccessibleTextRole)
    assert title.data(Qt.ItemDataRole.EditRole) == "Alleys"
    document.undo_stack.undo()
    assert title.data() == "Alleys"
