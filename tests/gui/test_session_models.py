"""The session editor's item models and undo commands, checked against the database.

Every model is run under pytest-qt's `qtmodeltester` (Qt's QAbstractItemModelTester), which also
watches the signals the model sends while it is changed; edits are checked in the stored rows.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt

from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.domain.session import Action, Priority
from nrp_desktop.services.sessions import SessionStore
from nrp_desktop.services.suggest import SuggestionEngine
from nrp_desktop.ui.document.document import SessionDocument
from nrp_desktop.ui.document.priority_models import ActionListModel, PriorityTableModel
from nrp_desktop.ui.document.texts import PRIORITY_MIME_TYPE, Role, plain_message
from nrp_desktop.ui.session.lesson_models import (
    LessonFilterProxy,
    LessonLinkModel,
    LessonPickerModel,
    SessionListModel,
    SuggestionModel,
)
from nrp_desktop.ui.widgets.delegates import RICH_TEXT_ROLE


@pytest.fixture
def document(qtbot, store: SessionStore) -> SessionDocument:
    document = SessionDocument()
    document.attach_store(store)
    document.create_session("Models", dt.date(2026, 11, 18))
    return document


def stored_titles(store: SessionStore, document: SessionDocument) -> list[str]:
    return [p.title for p in store.load_session(document.session_id).priorities]


def add(document: SessionDocument, *titles: str) -> list[str]:
    for title in titles:
        assert document.add_priority(Priority(title=title))
    return document.priority_ids()


# The models under Qt's model tester ------------------------------------------------------------


def test_priority_table_model_passes_the_model_tester_while_edited(qtmodeltester, document, store):
    model = document.priorities
    add(document, "Alleys", "Debt advice", "Buses")
    qtmodeltester.check(model)
    # Keep the tester attached while rows are added, moved, reordered, changed and removed.
    ids = add(document, "Youth club")
    assert document.move_priority(ids[3], 0)
    assert document.set_votes(ids[1], 5)
    assert document.rank_by_votes()
    assert document.edit_priority_text(ids[2], "title", "Buses to the clinic")
    assert document.remove_priority(ids[0])
    document.undo_stack.undo()
    document.undo_stack.undo()
    document.undo_stack.redo()
    assert model.rowCount() == len(store.load_session(document.session_id).priorities)
    assert [model.index(r, PriorityTableModel.TITLE).data() for r in range(model.rowCount())] == stored_titles(
        store, document)


def test_priority_table_model_shows_rank_votes_domains_and_table(document, store):
    document.apply_groups(["Table 1"])
    assert document.add_priority(Priority(title="Alleys", domains=["environmental-conditions"], votes=3,
                                          group="Table 1"))
    model = document.priorities
    row = [model.index(0, column).data() for column in range(model.columnCount())]
    assert row == ["Alleys", "3", "N", "Table 1"]
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"  # the rank
    assert "Environmental conditions" in model.index(0, PriorityTableModel.DOMAINS).data(
        Qt.ItemDataRole.ToolTipRole)
    assert "<b>N</b>" in model.index(0, PriorityTableModel.DOMAINS).data(RICH_TEXT_ROLE)
    assert model.flags(model.index(0, PriorityTableModel.TITLE)) & Qt.ItemFlag.ItemIsEditable
    assert not model.flags(model.index(0, PriorityTableModel.VOTES)) & Qt.ItemFlag.ItemIsEditable
    # Each cell is named by its own value, not the whole row's.
    spoken = [model.index(0, column).data(Qt.ItemDataRole.AccessibleTextRole) for column in range(4)]
    assert spoken == ["1. Alleys", "3 votes", "Environmental conditions", "Table 1"]


def test_action_list_model_passes_the_model_tester(qtmodeltester, document, store):
    ids = add(document, "Alleys")
    model = ActionListModel(document)
    model.set_priority(ids[0])
    qtmodeltester.check(model)
    assert document.add_action(ids[0], Action("Ask the council", "Two volunteers", "Before Christmas"))
    assert document.add_action(ids[0], Action("Book the hall"))
    assert [model.index(0, c).data() for c in range(3)] == ["Ask the council", "Two volunteers", "Before Christmas"]
    # Inline editing writes through the store, and is undoable.
    assert model.setData(model.index(1, ActionListModel.WHO), "Link worker")
    assert store.load_session(document.session_id).priorities[0].actions[1].who == "Link worker"
    assert not model.setData(model.index(1, ActionListModel.WHAT), "   ")  # "what" is required
    assert store.load_session(document.session_id).priorities[0].actions[1].what == "Book the hall"
    document.undo_stack.undo()
    assert store.load_session(document.session_id).priorities[0].actions[1].who == ""
    assert model.index(1, ActionListModel.WHO).data() == ""


def test_lesson_link_model_passes_the_model_tester(qtmodeltester, document, store, library: ContentLibrary):
    ids = add(document, "Debt")
    model = LessonLinkModel(document)
    model.set_library(library)
    model.set_priority(ids[0])
    qtmodeltester.check(model)
    first, second = library.lessons[0], library.lessons[1]
    assert document.link_lesson(ids[0], first.slug, first.title)
    assert document.link_lesson(ids[0], second.slug, second.title)
    assert document.link_lesson(ids[0], "a-lesson-from-a-newer-library")
    assert [model.index(r).data(Role.SLUG) for r in range(model.rowCount())] == [
        first.slug, second.slug, "a-lesson-from-a-newer-library"]
    assert first.title in model.index(0).data()
    assert "not in this version of the library" in model.index(2).data()
    assert model.index(0).data(Role.LINK) == f"lesson:{first.slug}"
    assert document.unlink_lesson(ids[0], second.slug)
    assert store.load_session(document.session_id).priorities[0].lessons == [first.slug,
                                                                              "a-lesson-from-a-newer-library"]
    document.undo_stack.undo()  # back at its place, between the two
    assert store.load_session(document.session_id).priorities[0].lessons[1] == second.slug
    assert model.index(1).data(Role.SLUG) == second.slug


def test_suggestion_model_passes_the_model_tester(qtmodeltester, library: ContentLibrary):
    model = SuggestionModel()
    qtmodeltester.check(model)
    engine = SuggestionEngine(library)
    suggestions = engine.suggest("Older neighbours are lonely since the bus route was cut",
                                 ["social-connectedness"], 5, partial_last_word=True)
    assert suggestions
    model.set_suggestions(suggestions)
    assert model.rowCount() == len(suggestions)
    assert model.index(0).data(Role.SLUG) == suggestions[0].lesson.slug
    where = model.index(0).data(RICH_TEXT_ROLE)
    assert "From: " in where
    model.set_suggestions([])
    assert model.rowCount() == 0


def test_lesson_picker_and_its_filter_pass_the_model_tester(qtmodeltester, library: ContentLibrary):
    picker = LessonPickerModel()
    proxy = LessonFilterProxy()
    proxy.setSourceModel(picker)
    qtmodeltester.check(picker)
    qtmodeltester.check(proxy)
    picker.set_library(library)
    assert proxy.rowCount() == len(library.lessons)
    proxy.set_filter_text("DEBT")
    slugs = [proxy.index(r, 0).data(Role.SLUG) for r in range(proxy.rowCount())]
    assert "remove-small-practical-barriers" in slugs
    assert len(slugs) < len(library.lessons)
    proxy.set_filter_text("central southport")  # a neighbourhood finds the lessons drawn from it
    assert proxy.rowCount() > 0
    proxy.set_filter_text("zzzz-nothing")
    assert proxy.rowCount() == 0
    proxy.set_filter_text("")
    picker.set_linked([library.lessons[0].slug])
    linked_row = next(r for r in range(picker.rowCount()) if picker.lesson(r).slug == library.lessons[0].slug)
    assert picker.index(linked_row).data(Role.BUTTON_ENABLED) is False
    assert "Linked" in picker.index(linked_row).data(Role.BUTTON_TEXT)


def test_session_list_model_passes_the_model_tester(qtmodeltester, document, store):
    model = SessionListModel(document)
    model.refresh()
    qtmodeltester.check(model)
    document.create_session("Later session", dt.date(2026, 12, 2))
    model.refresh()
    titles = [model.index(r).data() for r in range(model.rowCount())]
    assert titles[0].startswith("Later session — 2 Dec 2026")  # newest first
    assert titles[1].startswith("Models — 18 Nov 2026 (0 priorities)")
    assert model.row_of(document.session_id) == 0


# Dragging and moving rows ----------------------------------------------------------------------


def test_dropping_a_dragged_row_moves_it_in_the_database(document, store):
    ids = add(document, "A", "B", "C", "D")
    model = document.priorities
    data = model.mimeData([model.index(0, 0)])
    assert data.hasFormat(PRIORITY_MIME_TYPE)
    # Dropped into the gap before row 3 (between C and D): A lands after C.
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert stored_titles(store, document) == ["B", "C", "A", "D"]
    # Dropped at the end (row -1, no parent).
    assert model.dropMimeData(model.mimeData([model.index(0, 0)]), Qt.DropAction.MoveAction, -1, -1, QModelIndex())
    assert stored_titles(store, document) == ["C", "A", "D", "B"]
    # A drop where it already is changes nothing and writes nothing.
    assert not model.dropMimeData(model.mimeData([model.index(1, 0)]), Qt.DropAction.MoveAction, 1, 0,
                                  QModelIndex())
    assert stored_titles(store, document) == ["C", "A", "D", "B"]
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert stored_titles(store, document) == ["A", "B", "C", "D"]
    assert document.priority_ids() == ids


def test_move_rows_follows_qt_semantics_and_keeps_persistent_indexes(document, store):
    add(document, "A", "B", "C")
    model = document.priorities
    keep = QPersistentModelIndex(model.index(2, PriorityTableModel.TITLE))  # "C"
    assert model.moveRows(QModelIndex(), 2, 1, QModelIndex(), 0)  # C to the top
    assert stored_titles(store, document) == ["C", "A", "B"]
    assert keep.row() == 0 and keep.data() == "C"
    assert model.headerData(0, Qt.Orientation.Vertical) == "1"
    assert not model.moveRows(QModelIndex(), 0, 2, QModelIndex(), 3)  # one row at a time
    assert not model.moveRows(model.index(0, 0), 0, 1, QModelIndex(), 2)  # no children here


def test_foreign_or_broken_drops_are_refused(document, store):
    add(document, "A", "B")
    model = document.priorities
    from PySide6.QtCore import QMimeData

    broken = QMimeData()
    broken.setData(PRIORITY_MIME_TYPE, b"{not json")
    assert not model.dropMimeData(broken, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    stranger = QMimeData()
    stranger.setData(PRIORITY_MIME_TYPE, b'["not-a-priority-here"]')
    assert not model.canDropMimeData(stranger, Qt.DropAction.MoveAction, 0, 0, QModelIndex())
    assert stored_titles(store, document) == ["A", "B"]


# Commands: refusal writes nothing; undo and redo match the database -----------------------------


def test_a_refused_edit_writes_nothing_and_says_where(document, store, qtbot):
    ids = add(document, "Alleys")
    with qtbot.waitSignal(document.refused) as refused:
        assert not document.edit_priority_text(ids[0], "title", "   ")
    assert refused.args[0] == "priority.title"
    assert "needs a title" in refused.args[1]
    assert stored_titles(store, document) == ["Alleys"]
    assert document.undo_stack.count() == 1  # only the add
    with qtbot.waitSignal(document.refused) as refused:
        assert not document.set_votes(ids[0], -3)
    assert refused.args[0] == "priority.votes"
    assert store.load_session(document.session_id).priorities[0].votes == 0


def test_typing_runs_in_one_field_merge_into_one_undo_step(document, store):
    ids = add(document, "Al")
    for text in ("Alle", "Alleys", "Alleys full of rubbish"):
        assert document.edit_priority_text(ids[0], "title", text)
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()
    assert stored_titles(store, document) == ["Al"]
    document.undo_stack.redo()
    assert stored_titles(store, document) == ["Alleys full of rubbish"]


def test_groups_rename_and_removal_keep_priorities_groups_undoable(document, store):
    assert document.set_groups(["Table 1", "Table 2"])
    ids = add(document, "Alleys", "Debt")
    assert document.set_priority_group(ids[0], "Table 1")
    assert document.set_priority_group(ids[1], "Table 2")
    assert document.rename_group("Table 1", "Young people")
    stored = store.load_session(document.session_id)
    assert stored.groups == ["Young people", "Table 2"]
    assert stored.priorities[0].group == "Young people"
    assert document.set_groups(["Young people"])  # Table 2 goes: "Debt" loses its group
    assert store.load_session(document.session_id).priorities[1].group is None
    document.undo_stack.undo()
    stored = store.load_session(document.session_id)
    assert stored.groups == ["Young people", "Table 2"] and stored.priorities[1].group == "Table 2"
    document.undo_stack.undo()
    stored = store.load_session(document.session_id)
    assert stored.groups == ["Table 1", "Table 2"] and stored.priorities[0].group == "Table 1"


def test_ratings_and_session_fields_are_undoable(document, store):
    assert document.set_ratings({"social-connectedness": 3, "economic-resources": 2})
    assert store.load_session(document.session_id).ratings == {"social-connectedness": 3, "economic-resources": 2}
    assert document.set_ratings({"social-connectedness": 5})
    assert store.load_session(document.session_id).ratings == {"social-connectedness": 5}
    document.undo_stack.undo()
    assert store.load_session(document.session_id).ratings == {"social-connectedness": 3, "economic-resources": 2}
    assert not document.set_ratings({"social-connectedness": 9})
    assert document.edit_session_fields(venue="Church hall", participants=17)
    stored = store.load_session(document.session_id)
    assert (stored.venue, stored.participants) == ("Church hall", 17)
    assert not document.edit_session_fields(participants=10_001)
    document.undo_stack.undo()
    stored = store.load_session(document.session_id)
    assert (stored.venue, stored.participants) == ("", None)


def test_each_session_keeps_its_own_undo_history(document, store):
    first = document.session_id
    add(document, "In the first")
    document.create_session("Second", dt.date(2026, 12, 1))
    assert document.undo_stack.count() == 0
    add(document, "In the second")
    document.open_session(first)
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert store.load_session(first).priorities == []
    assert len(store.list_sessions()) == 2


def test_plain_messages_name_the_field_in_plain_words():
    assert plain_message("priority.actions[0].what", "must not be empty") == "“What needs doing” must not be empty."
    assert plain_message("session.participants", "must be a whole number from 0 to 10000") == (
        "The head count must be a whole number from 0 to 10000.")
    assert plain_message("session.title", "must not be empty").startswith("A session needs a title")
