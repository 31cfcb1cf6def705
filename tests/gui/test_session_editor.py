"""The session editor driven as a facilitator would: typing, voting, reordering, undo; every
outcome checked in the database (SessionStore.load_session), not just on screen."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from conftest import editor_in_host
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtWidgets import QApplication

from nrp_desktop.domain.content import ContentLibrary
from nrp_desktop.domain.session import Action, Priority
from nrp_desktop.services.sessions import SessionStore
from nrp_desktop.ui.document.priority_models import PriorityTableModel
from nrp_desktop.ui.document.texts import Role
from nrp_desktop.ui.session.editor import SessionEditor, example_session
from nrp_desktop.ui.session.projector import ProjectorView, ProjectorWindow


@pytest.fixture
def editor(qtbot, store: SessionStore, library: ContentLibrary) -> SessionEditor:
    editor = editor_in_host(qtbot, store, library)
    editor.new_session("Tuesday at the church hall", dt.date(2026, 11, 24))
    return editor


def stored(store: SessionStore, editor: SessionEditor):
    return store.load_session(editor.document.session_id)


def type_priority(qtbot, editor: SessionEditor, title: str) -> None:
    editor.new_priority_field.setFocus()
    qtbot.keyClicks(editor.new_priority_field, title)
    qtbot.keyClick(editor.new_priority_field, Qt.Key.Key_Return)


def add_priorities(editor: SessionEditor, *titles: str) -> None:
    for title in titles:
        editor.new_priority_field.setText(title)
        assert editor.add_typed_priority()


def undo(editor: SessionEditor) -> None:
    editor.undo_action.trigger()


def redo(editor: SessionEditor) -> None:
    editor.redo_action.trigger()


# Before anything is open ------------------------------------------------------------------------


def test_a_calm_placeholder_shows_until_the_database_is_open(qtbot):
    editor = SessionEditor()
    qtbot.addWidget(editor)
    assert editor.body.currentWidget() is editor.placeholder
    assert "Opening" in editor.placeholder.text()
    assert editor.current_session() is None
    assert not editor.document.add_priority_copy(Priority(title="Too early"))
    assert editor.windowTitle() == "" and editor.findChild(type(editor.placeholder), "pageTitle").text() == (
        "What has the group decided?")


def test_with_no_session_it_offers_to_start_one(qtbot, store, library):
    editor = editor_in_host(qtbot, store, library)
    assert editor.body.currentWidget() is editor.no_session
    editor.new_session("Our first workshop", dt.date(2026, 11, 24))
    assert editor.body.currentWidget() is editor.tabs
    assert [s.title for s in store.list_sessions()] == ["Our first workshop"]
    assert store.last_open_session_id() == editor.document.session_id


# Priorities: add, vote, reorder, delete ----------------------------------------------------------


def test_typing_a_title_adds_a_priority_to_the_database(qtbot, editor, store):
    type_priority(qtbot, editor, "Back alleys full of rubbish")
    type_priority(qtbot, editor, "Nobody knows where to get help with debt")
    assert [p.title for p in stored(store, editor).priorities] == [
        "Back alleys full of rubbish", "Nobody knows where to get help with debt"]
    assert editor.new_priority_field.text() == ""  # ready for the next one
    assert editor.selected_priority_id() == stored(store, editor).priorities[1].id
    assert editor.detail.title_field.text() == "Nobody knows where to get help with debt"


def test_ctrl_n_adds_what_is_typed_or_goes_to_the_field(qtbot, editor, store):
    editor.table.setFocus()
    qtbot.keyClick(editor, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert editor.new_priority_field.hasFocus()
    editor.new_priority_field.setText("Youth club closed")
    qtbot.keyClick(editor.new_priority_field, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert [p.title for p in stored(store, editor).priorities] == ["Youth club closed"]


def test_votes_change_with_the_big_buttons_and_the_keys(qtbot, editor, store):
    add_priorities(editor, "Alleys", "Debt")
    editor.select_priority(stored(store, editor).priorities[0].id)
    for _ in range(3):
        qtbot.mouseClick(editor.vote_up_button, Qt.MouseButton.LeftButton)
    assert stored(store, editor).priorities[0].votes == 3
    assert editor.vote_count.text() == "3 votes"
    qtbot.mouseClick(editor.vote_down_button, Qt.MouseButton.LeftButton)
    assert stored(store, editor).priorities[0].votes == 2
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Plus)
    qtbot.keyClick(editor.table, Qt.Key.Key_Plus)
    qtbot.keyClick(editor.table, Qt.Key.Key_Minus)
    assert stored(store, editor).priorities[0].votes == 3
    qtbot.keyClick(editor.table, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert stored(store, editor).priorities[0].votes == 4
    qtbot.keyClick(editor.table, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert stored(store, editor).priorities[0].votes == 3
    assert stored(store, editor).priorities[1].votes == 0  # only the chosen priority
    undo(editor)
    assert stored(store, editor).priorities[0].votes == 4
    # No votes below nought: the − button is disabled at 0 and the key does nothing.
    editor.select_priority(stored(store, editor).priorities[1].id)
    assert not editor.vote_down_button.isEnabled()
    qtbot.keyClick(editor.table, Qt.Key.Key_Minus)
    assert stored(store, editor).priorities[1].votes == 0


def test_dragging_and_ctrl_arrows_reorder_and_the_database_follows(qtbot, editor, store):
    add_priorities(editor, "A", "B", "C", "D")
    model = editor.document.priorities
    # A drag: the view hands the model the dragged row's data and the gap it was dropped in.
    data = model.mimeData([model.index(0, PriorityTableModel.TITLE)])
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 3, 0, QModelIndex())
    assert [p.title for p in stored(store, editor).priorities] == ["B", "C", "A", "D"]
    assert model.moveRows(QModelIndex(), 3, 1, QModelIndex(), 0)
    assert [p.title for p in stored(store, editor).priorities] == ["D", "B", "C", "A"]
    # The keyboard: Ctrl+Up / Ctrl+Down move the chosen priority, which stays chosen.
    editor.select_priority(stored(store, editor).priorities[2].id)  # C
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(editor.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier)
    assert [p.title for p in stored(store, editor).priorities] == ["C", "D", "B", "A"]
    assert editor.detail.title_field.text() == "C"
    qtbot.keyClick(editor.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ControlModifier)
    assert [p.title for p in stored(store, editor).priorities] == ["D", "C", "B", "A"]
    assert model.headerData(1, Qt.Orientation.Vertical) == "2"
    for _ in range(5):
        undo(editor)
    assert [p.title for p in stored(store, editor).priorities] == ["A", "B", "C", "D"]


def test_dropping_on_the_table_view_moves_without_deleting(qtbot, editor, store):
    add_priorities(editor, "A", "B", "C")
    model = editor.document.priorities
    view = editor.table
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDropEvent

    target = view.visualRect(model.index(2, PriorityTableModel.TITLE))
    dragged = model.mimeData([model.index(0, 0)])  # the event does not own it: keep it alive
    event = QDropEvent(QPointF(target.center().x(), target.bottom() - 2), Qt.DropAction.MoveAction,
                       dragged, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    view.dropEvent(event)
    assert [p.title for p in stored(store, editor).priorities] == ["B", "C", "A"]
    assert model.rowCount() == 3


def test_delete_then_undo_puts_the_priority_back_whole_and_redo_deletes_again(qtbot, editor, store, library):
    lesson = library.lessons[0].slug
    add_priorities(editor, "Alleys", "Debt", "Buses")
    debt = stored(store, editor).priorities[1]
    assert editor.document.add_action(debt.id, Action("Find the advice services", "Link worker", "March"))
    assert editor.document.link_lesson(debt.id, lesson)
    assert editor.document.set_votes(debt.id, 8)
    editor.select_priority(debt.id)
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Delete)
    assert [p.title for p in stored(store, editor).priorities] == ["Alleys", "Buses"]
    undo(editor)
    back = stored(store, editor).priorities
    assert [p.title for p in back] == ["Alleys", "Debt", "Buses"]
    assert back[1] == debt.__class__(**{**vars(debt), "votes": 8,
                                        "actions": [Action("Find the advice services", "Link worker", "March")],
                                        "lessons": [lesson]})
    redo(editor)
    assert [p.title for p in stored(store, editor).priorities] == ["Alleys", "Buses"]


def test_ctrl_z_and_ctrl_shift_z_undo_and_redo_from_the_keyboard(qtbot, editor, store):
    add_priorities(editor, "Alleys", "Debt")
    editor.table.setFocus()
    qtbot.keyClick(editor.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [p.title for p in stored(store, editor).priorities] == ["Alleys"]
    assert editor.undo_action.text() == "Undo add “Alleys”"
    qtbot.keyClick(editor.table, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert [p.title for p in stored(store, editor).priorities] == ["Alleys", "Debt"]


def test_show_on_projector_opens_a_full_screen_window_that_follows_the_votes(qtbot, editor, store):
    add_priorities(editor, "Alleys")
    editor.show_projector()
    window = editor._projector_window
    assert window is not None
    qtbot.addWidget(window)
    qtbot.waitUntil(window.isVisible)
    assert window.isFullScreen()
    editor.vote_selected(1)
    assert window.visible_rows() == [(1, "Alleys", 1)]
    window.close()


def test_inline_title_edit_writes_through_and_undoes(qtbot, editor, store):
    add_priorities(editor, "Alleys")
    model = editor.document.priorities
    assert model.setData(model.index(0, PriorityTableModel.TITLE), "Alleys full of rubbish")
    assert stored(store, editor).priorities[0].title == "Alleys full of rubbish"
    assert editor.detail.title_field.text() == "Alleys full of rubbish"
    undo(editor)
    assert stored(store, editor).priorities[0].title == "Alleys"


# Tally mode and ranking ------------------------------------------------------------------------


def test_tally_adds_each_tables_dots_in_one_step_and_rank_by_votes_sorts(qtbot, editor, store):
    assert editor.details_form.rename_group("x", "") is False  # nothing to rename
    editor.details_form.group_field.setText("Table 1")
    assert editor.details_form.add_group()
    editor.details_form.group_field.setText("Table 2")
    assert editor.details_form.add_group()
    add_priorities(editor, "Alleys", "Debt", "Buses")
    ids = [p.id for p in stored(store, editor).priorities]
    qtbot.mouseClick(editor.tally_button, Qt.MouseButton.LeftButton)
    assert editor.right.currentWidget() is editor.tally
    tally = editor.tally
    assert [tally.table_combo.itemText(i) for i in range(tally.table_combo.count())] == [
        "Table 1", "Table 2", "The whole room"]
    tally.set_count(ids[0], 2)
    tally.set_count(ids[2], 5)
    assert tally.add_counts()
    assert [p.votes for p in stored(store, editor).priorities] == [2, 0, 5]
    assert tally.table_combo.currentText() == "Table 2"  # on to the next table
    assert all(box.value() == 0 for box in tally.spin_boxes.values())
    tally.spin_boxes[ids[1]].setValue(7)
    tally.spin_boxes[ids[2]].setValue(1)
    assert tally.add_counts()
    assert [p.votes for p in stored(store, editor).priorities] == [2, 7, 6]
    assert "Table 1, Table 2" in tally.status.text()
    undo(editor)  # the whole of Table 2's count, in one step
    assert [p.votes for p in stored(store, editor).priorities] == [2, 0, 5]
    redo(editor)
    assert not tally.add_counts()  # nothing typed: a message, nothing written
    assert tally.message.message
    qtbot.mouseClick(tally.rank_button, Qt.MouseButton.LeftButton)
    assert [p.title for p in stored(store, editor).priorities] == ["Debt", "Buses", "Alleys"]
    undo(editor)
    assert [p.title for p in stored(store, editor).priorities] == ["Alleys", "Debt", "Buses"]
    qtbot.mouseClick(tally.done_button, Qt.MouseButton.LeftButton)
    assert not editor.tally_button.isChecked()


# Suggestions and linked lessons ---------------------------------------------------------------------


def test_suggestions_follow_the_title_as_it_is_typed(qtbot, editor, store):
    add_priorities(editor, "Something")
    field = editor.detail.title_field
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, "Nobody knows where to get help with debt")
    qtbot.waitUntil(lambda: editor.suggestion_model.rowCount() > 0, timeout=2000)
    suggestions = [editor.suggestion_model.suggestion(r) for r in range(editor.suggestion_model.rowCount())]
    assert any("Central Southport" in place for s in suggestions for place in s.neighbourhoods)
    shown = editor.suggestion_model.index(0).data(Qt.ItemDataRole.AccessibleTextRole)
    assert "Central Southport" in shown
    # The typing itself was written a moment later, without a Save.
    qtbot.waitUntil(lambda: stored(store, editor).priorities[0].title == "Nobody knows where to get help with debt",
                    timeout=3000)


def test_a_suggestion_is_linked_and_unlinked_with_one_click(qtbot, editor, store):
    add_priorities(editor, "Nobody knows where to get help with debt")
    editor.update_suggestions()
    view = editor.detail.suggestion_view
    assert editor.suggestion_model.rowCount() > 0
    slug = editor.suggestion_model.suggestion(0).lesson.slug
    button = view.button_delegate.button_rect(view, 0)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=button.center())
    assert stored(store, editor).priorities[0].lessons == [slug]
    assert slug not in editor.suggestion_model.slugs()  # a linked lesson is no longer suggested
    linked = editor.detail.linked_view
    assert linked.model().rowCount() == 1
    qtbot.mouseClick(linked.viewport(), Qt.MouseButton.LeftButton,
                     pos=linked.button_delegate.button_rect(linked, 0).center())
    assert stored(store, editor).priorities[0].lessons == []
    qtbot.waitUntil(lambda: slug in editor.suggestion_model.slugs(), timeout=2000)  # suggested again


def test_suggestions_preview_while_a_new_priority_is_typed(qtbot, editor, store):
    editor.new_priority_field.setFocus()
    qtbot.keyClicks(editor.new_priority_field, "Older neighbours are lonely since the bus route was cut")
    qtbot.waitUntil(lambda: editor.suggestion_model.rowCount() > 0, timeout=2000)
    slug = editor.suggestion_model.suggestion(0).lesson.slug
    assert editor.accept_suggestion(0)  # adds the priority with the lesson linked, in one step
    priorities = stored(store, editor).priorities
    assert [(p.title, p.lessons) for p in priorities] == [
        ("Older neighbours are lonely since the bus route was cut", [slug])]
    undo(editor)
    assert stored(store, editor).priorities == []


def test_a_lesson_is_linked_by_hand_from_the_searchable_list(qtbot, editor, store, library):
    add_priorities(editor, "Our street")
    detail = editor.detail
    detail.tabs.setCurrentIndex(2)
    qtbot.keyClicks(detail.lesson_filter, "debt")
    proxy = editor.lesson_proxy
    assert 0 < proxy.rowCount() < len(library.lessons)
    slug = proxy.index(0, 0).data(Role.SLUG)
    picker = detail.picker_view
    qtbot.mouseClick(picker.viewport(), Qt.MouseButton.LeftButton,
                     pos=picker.button_delegate.button_rect(picker, 0).center())
    assert stored(store, editor).priorities[0].lessons == [slug]
    assert proxy.index(0, 0).data(Role.BUTTON_ENABLED) is False  # says "Linked ✓" now
    # Enter on a row links it too (the keyboard way).
    detail.lesson_filter.clear()
    picker.setFocus()
    other_row = next(r for r in range(proxy.rowCount()) if proxy.index(r, 0).data(Role.SLUG) != slug)
    picker.setCurrentIndex(proxy.index(other_row, 0))
    qtbot.keyClick(picker, Qt.Key.Key_Return)
    assert len(stored(store, editor).priorities[0].lessons) == 2


def test_double_clicking_a_linked_lesson_asks_to_open_it_in_the_library(qtbot, editor, library):
    add_priorities(editor, "Our street")
    slug = library.lessons[3].slug
    assert editor.document.link_lesson(editor.selected_priority_id(), slug)
    with qtbot.waitSignal(editor.open_link_requested) as opened:
        editor.detail._open_linked_row(0)
    assert opened.args == [f"lesson:{slug}"]


# Bad input ----------------------------------------------------------------------------------------


def test_an_empty_title_is_refused_at_the_field_and_nothing_is_written(qtbot, editor, store):
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    assert "Type the priority first" in editor.add_message.message
    editor.new_priority_field.setText("     ")
    assert not editor.add_typed_priority()
    assert stored(store, editor).priorities == []
    add_priorities(editor, "Alleys")
    assert editor.add_message.message == ""
    field = editor.detail.title_field
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClick(field, Qt.Key.Key_Tab)  # leaving the field writes at once
    assert "needs a title" in editor.detail.title_message.message
    assert stored(store, editor).priorities[0].title == "Alleys"
    assert editor.document.undo_stack.count() == 1  # only the add
    field.setFocus()
    qtbot.keyClicks(field, "Alleyways")
    editor.flush_pending()
    assert stored(store, editor).priorities[0].title == "Alleyways"
    assert editor.detail.title_message.message == ""


def test_a_pasted_megabyte_is_refused_with_a_message_and_nothing_is_written(qtbot, editor, store):
    add_priorities(editor, "Alleys")
    editor.detail.description_field.setPlainText("Children cannot play out.")
    editor.flush_pending()
    QApplication.clipboard().setText("x" * 1_048_576)
    editor.detail.description_field.setFocus()
    editor.detail.description_field.paste()
    assert "too long to paste" in editor.detail.description_message.message
    assert "1,048,576" in editor.detail.description_message.message
    assert editor.detail.description_field.toPlainText() == "Children cannot play out."
    editor.flush_pending()
    assert stored(store, editor).priorities[0].description == "Children cannot play out."
    # The same in a one-line field.
    editor.new_priority_field.setFocus()
    qtbot.keyClick(editor.new_priority_field, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert editor.new_priority_field.text() == ""
    assert "too long to paste" in editor.add_message.message
    assert len(stored(store, editor).priorities) == 1


def test_text_over_its_limit_is_not_written_until_it_fits(qtbot, editor, store):
    add_priorities(editor, "Alleys")
    editor.detail.notes_field.setPlainText("n" * 5_001)
    editor.flush_pending()
    assert "5,001 characters" in editor.detail.notes_message.message
    assert stored(store, editor).priorities[0].notes == ""
    editor.detail.notes_field.setPlainText("n" * 5_000)
    editor.flush_pending()
    assert stored(store, editor).priorities[0].notes == "n" * 5_000


def test_urdu_and_emoji_titles_are_kept_exactly(qtbot, editor, store):
    title = "گلیوں میں کچرا 🗑️ اور روشنی نہیں 💡"
    editor.new_priority_field.setText(title)
    assert editor.add_typed_priority()
    assert stored(store, editor).priorities[0].title == title
    mixed = "Pani ki nikasi — پانی کی نکاسی 🌧️"
    assert editor.document.priorities.setData(editor.document.priorities.index(0, 0), mixed)
    assert stored(store, editor).priorities[0].title == mixed
    assert editor.detail.title_field.text() == mixed


def test_session_details_are_written_as_typed_and_refused_at_their_field(qtbot, editor, store):
    form = editor.details_form
    editor.tabs.setCurrentWidget(form)
    form.line_fields["venue"].setFocus()
    qtbot.keyClicks(form.line_fields["venue"], "Church hall")
    form.participants_field.setValue(17)
    form.flush()
    session = stored(store, editor)
    assert (session.venue, session.participants) == ("Church hall", 17)
    form.line_fields["title"].clear()
    form._typed("title", "")
    form.flush()
    assert "needs a title" in form.messages["title"].message
    assert stored(store, editor).title == "Tuesday at the church hall"
    form.language_field.setCurrentText("not a tag!")
    form._commit_now("language", "not a tag!")
    assert form.messages["language"].message
    assert stored(store, editor).language == "en"


# The session chooser ----------------------------------------------------------------------------------


def test_sessions_are_listed_newest_first_renamed_and_switched(qtbot, editor, store):
    first = editor.document.session_id
    editor.new_session("Later workshop", dt.date(2026, 12, 8))
    assert editor.session_combo.itemText(0).startswith("Later workshop")
    assert editor.session_combo.currentIndex() == 0
    assert editor.rename_session("Later workshop at the library")
    assert store.load_session(editor.document.session_id).title == "Later workshop at the library"
    add_priorities(editor, "Alleys")
    assert editor.session_combo.currentText().startswith("Later workshop at the library — 8 Dec 2026 (1 priority)")
    editor.session_combo.activated.emit(1)
    assert editor.document.session_id == first
    assert store.last_open_session_id() == first


def test_deleting_a_session_asks_first_and_can_be_brought_back_while_running(qtbot, editor, store, monkeypatch):
    add_priorities(editor, "Alleys")
    session_id = editor.document.session_id
    monkeypatch.setattr(editor, "confirm", lambda question, detail: False)
    assert not editor.ask_delete_session()
    assert store.session_exists(session_id)
    asked: list[str] = []
    monkeypatch.setattr(editor, "confirm", lambda question, detail: asked.append(detail) or True)
    assert editor.ask_delete_session()
    assert "until you close" in asked[0]
    assert not store.session_exists(session_id)
    assert editor.body.currentWidget() is editor.no_session
    assert editor.banner.isVisible() and editor.banner_undo.isVisible()
    qtbot.mouseClick(editor.banner_undo, Qt.MouseButton.LeftButton)
    assert [p.title for p in store.load_session(session_id).priorities] == ["Alleys"]
    assert editor.document.session_id == session_id


# Integration contract -------------------------------------------------------------------------------


def test_reopening_on_the_same_database_shows_the_same_session(qtbot, editor, store, library, tmp_path):
    add_priorities(editor, "Alleys", "Debt")
    editor.document.set_votes(stored(store, editor).priorities[1].id, 4)
    session_id = editor.document.session_id
    # As after a crash: a new store on the same file, a new editor.
    again = SessionStore(store.path, backups_dir=tmp_path / "backups")
    try:
        second = editor_in_host(qtbot, again, library)
        reopened = second.current_session()
        assert reopened is not None and reopened.id == session_id
        assert [(p.title, p.votes) for p in reopened.priorities] == [("Alleys", 0), ("Debt", 4)]
        assert second.document.priorities.rowCount() == 2
    finally:
        again.close()


def test_add_priority_from_tool_starts_a_session_when_none_is_open(qtbot, store, library):
    editor = editor_in_host(qtbot, store, library)
    made = Priority(title="Debt and money worries", domains=["economic-resources"], group="Table 9",
                    lessons=[library.lessons[0].slug])
    with qtbot.waitSignal(editor.document.changed) as changed:
        assert editor.document.add_priority_copy(made)
    assert changed.args[0].opened and changed.args[0].added_priorities
    session = store.load_session(editor.document.session_id)
    assert session.title.startswith("Workshop ")
    assert [(p.title, p.domains, p.group, p.lessons) for p in session.priorities] == [
        ("Debt and money worries", ["economic-resources"], None, [library.lessons[0].slug])]
    assert editor.document.add_priority_copy(made)  # the same one again gets its own id
    assert len(store.load_session(session.id).priorities) == 2
    undo(editor)
    assert len(store.load_session(session.id).priorities) == 1


def test_set_ratings_stores_them_and_tells_every_screen_once(qtbot, editor, store):
    reports = []
    editor.document.changed.connect(reports.append)
    assert editor.document.set_open_ratings({"social-connectedness": 3, "economic-resources": 2})
    assert [(c.ratings, c.priorities, c.opened) for c in reports] == [(True, False, False)]
    assert stored(store, editor).ratings == {"social-connectedness": 3, "economic-resources": 2}
    undo(editor)
    assert len(reports) == 2 and reports[1].ratings
    assert stored(store, editor).ratings == {}
    assert not editor.document.set_open_ratings({"social-connectedness": 0})
    # current_session() is a copy: changing it changes nothing stored.
    copy = editor.current_session()
    copy.title = "changed"
    assert stored(store, editor).title == "Tuesday at the church hall"


def test_screenshot_states_show_the_example_session_and_the_projector(qtbot, store, library):
    editor = editor_in_host(qtbot, store, library)
    states = dict(editor.screenshot_states())
    assert set(states) == {"session-editor", "projector"}
    states["session-editor"]()
    session = editor.current_session()
    assert session.title == example_session().title
    assert [p.votes for p in session.priorities] == [11, 8, 6, 4]
    assert editor.body.currentWidget() is editor.tabs
    states["projector"]()
    assert editor.body.currentWidget() is editor.projector_preview
    assert editor.projector_preview.visible_rows()[0][1] == "Back alleys full of rubbish and fly-tipping"


def test_the_example_session_is_the_contract_example():
    session = example_session()
    assert session.id == "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"
    assert session.groups == ["Table 1", "Table 2"]
    assert session.priorities[0].actions[0].who == "Two volunteers from Table 1"


# The projector ----------------------------------------------------------------------------------------


def test_the_projector_shows_the_ranking_and_votes_in_large_type(qtbot, editor, store):
    add_priorities(editor, "Back alleys full of rubbish", "Nobody knows where to get help with debt")
    ids = [p.id for p in stored(store, editor).priorities]
    editor.document.set_votes(ids[1], 8)
    editor.document.rank_by_votes()
    view = ProjectorView(editor.document)
    qtbot.addWidget(view)
    view.resize(1920, 1080)
    view.show()
    assert view.body_pixel_size() >= 28
    assert view._font(1.35, True).pixelSize() > view.body_pixel_size()  # titles larger
    assert view.visible_rows() == [(1, "Nobody knows where to get help with debt", 8),
                                   (2, "Back alleys full of rubbish", 0)]
    editor.select_priority(ids[0])
    editor.vote_selected(1)  # follows the session live
    assert view.visible_rows()[1] == (2, "Back alleys full of rubbish", 1)
    image = view.grab().toImage()
    assert image.pixelColor(QPoint(5, 5)).name() == "#ffffff"
    qtbot.keyClick(view, Qt.Key.Key_C)  # white on black, for a dim hall
    assert view.grab().toImage().pixelColor(QPoint(5, 5)).name() == "#000000"


def test_the_projector_pages_through_a_long_list_and_esc_closes_it(qtbot, editor):
    for number in range(30):
        editor.document.add_priority(Priority(title=f"Priority {number} about the streets and the people"))
    window = ProjectorWindow(editor.document)
    qtbot.addWidget(window)
    window.resize(1920, 1080)
    window.show()
    assert window.page_count() > 1
    first_page = window.visible_rows()
    assert first_page[0][0] == 1
    qtbot.keyClick(window, Qt.Key.Key_PageDown)
    assert window.visible_rows()[0][0] == first_page[-1][0] + 1
    with qtbot.waitSignal(window.close_requested):
        qtbot.keyClick(window, Qt.Key.Key_Escape)


def test_example_session_stays_valid_for_the_store(store):
    session = example_session()
    stored_session = store.save_session(dataclasses.replace(session))
    assert stored_session.priorities[0].title == "Back alleys full of rubbish and fly-tipping"
    assert stored_session.ratings["economic-resources"] == 2


def test_absurd_vote_counts_are_refused_at_the_table(qtbot, editor, store):
    add_priorities(editor, "Alleys")
    priority_id = editor.selected_priority_id()
    assert not editor.run_edit(lambda: editor.document.set_votes(priority_id, 10**12), editor.table_message)
    assert "at most" in editor.table_message.message
    assert stored(store, editor).priorities[0].votes == 0


def test_a_session_deleted_behind_the_editors_back_is_reported_not_crashed(qtbot, editor, store):
    add_priorities(editor, "Alleys")
    store.delete_session(editor.document.session_id)
    assert not editor.vote_selected(1)
    assert editor.banner.isVisible()
    assert "no stored session" in editor.banner_text.text()
    assert editor.current_session() is None
    assert editor.body.currentWidget() is editor.no_session


def test_an_over_long_title_is_refused_whole_not_cut_short(qtbot, editor, store):
    editor.new_priority_field.setText("a" * 250)  # as a context-menu paste would put it
    assert not editor.add_typed_priority()
    assert "at most 200 characters" in editor.add_message.message
    assert stored(store, editor).priorities == []
    editor.new_priority_field.setText("a" * 200)
    assert editor.add_typed_priority()
    assert stored(store, editor).priorities[0].title == "a" * 200


def test_a_long_session_name_is_shortened_in_the_middle_not_clipped(editor: SessionEditor):
    combo = editor.session_combo
    assert editor.rename_session("Residents' evening at the community centre: what would make our "
                                 "streets, parks and alleys better for everyone?")
    full = combo.currentText()
    assert full.startswith("Residents' evening at the community centre")
    combo.resize(combo.fontMetrics().horizontalAdvance(full) + 200, combo.height())
    assert combo.shown_text() == full
    combo.resize(260, combo.height())
    shown = combo.shown_text()
    assert "…" in shown and len(shown) < len(full)
    assert shown.endswith("(0 priorities)")  # the end stays readable
    assert full.startswith(shown.split("…")[0])


def test_the_narrow_columns_widen_with_large_text(editor: SessionEditor):
    from PySide6.QtGui import QFont, QFontMetrics

    from nrp_desktop.ui.document.priority_models import PriorityTableModel

    table = editor.table
    editor.resize(2400, 1000)  # room for every column (a narrow table hides its Table column)
    assert not table.isColumnHidden(PriorityTableModel.GROUP)
    header = table.horizontalHeader()
    normal = header.sectionSize(PriorityTableModel.VOTES)
    large = QFont(table.font())
    large.setPointSizeF(table.font().pointSizeF() * 2.2)
    table.setFont(large)  # the header follows its table's font
    bold = QFont(large)
    bold.setBold(True)
    for column in table.NARROW_COLUMNS:
        heading = table.model().headerData(column, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        assert header.sectionSize(column) > QFontMetrics(bold).horizontalAdvance(heading)
    assert header.sectionSize(PriorityTableModel.VOTES) > normal
