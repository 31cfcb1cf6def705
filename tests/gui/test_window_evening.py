"""The real main window, started as `nrp-desktop` starts it, driven by what a person sees:
open a session, add a priority, vote, the projector, the handout, Compare halls."""

from __future__ import annotations

from conftest import EXAMPLE_ID, SECOND_HALL_ID, WindowDriver, open_example, pdf_text
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

NEW_PRIORITY = "Somewhere safe for the children to play"
SESSION_CHOOSER = "Open a stored session (newest first)"


def projector_windows():
    from nrp_desktop.ui.session.projector import ProjectorWindow

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, ProjectorWindow) and w.isVisible()]


def test_a_priority_added_and_voted_reaches_the_store_and_the_handout(app_window: WindowDriver):
    open_example(app_window)
    app_window.type_into("A new priority: type what the group agreed", NEW_PRIORITY, enter=True)
    for _ in range(3):
        app_window.click("Add one vote to the selected priority (+ key)")
    stored = app_window.window.store.load_session(EXAMPLE_ID)
    assert (stored.priorities[-1].title, stored.priorities[-1].votes) == (NEW_PRIORITY, 3)

    handout = app_window.go_to("Handout")
    app_window.wait_until(lambda: handout.pdf is not None and NEW_PRIORITY in pdf_text(handout.pdf))
    app_window.wait_until(lambda: app_window.button("Save as PDF…").isEnabled())

    # Back in the editor, the next edit reaches the handout too: it follows every change.
    app_window.go_to("Workshop session")
    app_window.type_into("A new priority: type what the group agreed", "Fix the street lights", enter=True)
    handout = app_window.go_to("Handout")
    app_window.wait_until(lambda: "Fix the street lights" in pdf_text(handout.pdf))


def test_show_on_projector_opens_a_full_screen_window_and_escape_closes_it(app_window: WindowDriver):
    open_example(app_window)
    app_window.click("Show on projector")
    app_window.wait_until(lambda: len(projector_windows()) == 1)
    projector = projector_windows()[0]
    assert projector.visible_rows()[0][1] == "Back alleys full of rubbish and fly-tipping"
    app_window.press(Qt.Key.Key_Escape, widget=projector)
    app_window.wait_until(lambda: not projector_windows())
    # F5 does the same from the keyboard.
    app_window.go_to("Workshop session")
    app_window.press(Qt.Key.Key_F5, widget=app_window.field(SESSION_CHOOSER))
    app_window.wait_until(lambda: len(projector_windows()) == 1)
    app_window.press(Qt.Key.Key_Escape, widget=projector_windows()[0])
    app_window.wait_until(lambda: not projector_windows())


def test_compare_halls_collates_the_two_stored_sessions(app_window: WindowDriver):
    collation = app_window.go_to("Compare halls")
    app_window.activate_item("Stored sessions to collate", "Residents' evening")
    app_window.activate_item("Stored sessions to collate", "Library drop-in")
    assert set(collation.checked_session_ids()) == {EXAMPLE_ID, SECOND_HALL_ID}
    app_window.click("Collate the ticked sessions")
    app_window.wait_until(lambda: collation.collation is not None)
    table = app_window.field("Priorities across the sessions, most votes first")
    rows = {table.model().index(row, 1).data().split("\n")[0]: int(table.model().index(row, 2).data())
            for row in range(table.model().rowCount())}
    debt = "Nobody knows where to get help with debt"
    halls = [session for session in app_window.window.store.list_sessions()]
    votes = sum(p.votes for summary in halls for p in app_window.window.store.load_session(summary.id).priorities
                if p.title == debt)
    assert rows[debt] == votes and votes > 5  # both halls' votes, added up


def test_an_import_replace_from_the_command_line_reaches_the_open_editor(app_window: WindowDriver, tmp_path):
    import json

    from conftest import EXAMPLE_SESSION, run_cli
    from PySide6.QtCore import QEvent

    editor = open_example(app_window)
    changed = json.loads(EXAMPLE_SESSION.read_text(encoding="utf-8"))
    changed["session"]["title"] = "Renamed on the command line"
    copy = tmp_path / "copy.nrpsession"
    copy.write_text(json.dumps(changed), encoding="utf-8")
    result = run_cli("import", "--replace", str(copy))
    assert result.returncode == 0, result.stderr
    # The facilitator comes back to the window.
    app_window.window.activateWindow()
    QApplication.sendEvent(app_window.window, QEvent(QEvent.Type.ActivationChange))
    app_window.wait_until(lambda: editor.current_session().title == "Renamed on the command line")
    assert app_window.field(SESSION_CHOOSER).currentText().startswith("Renamed on the command line")


def test_file_import_asks_for_files_and_opens_the_last(app_window: WindowDriver, monkeypatch, tmp_path):
    import json

    from conftest import EXAMPLE_SESSION
    from PySide6.QtWidgets import QFileDialog

    document = json.loads(EXAMPLE_SESSION.read_text(encoding="utf-8"))
    document["session"]["id"] = "7e3f1a2b-0c4d-4e5f-9a6b-7c8d9e0f1a2b"
    document["session"]["title"] = "Brought on a memory stick"
    other = tmp_path / "other.nrpsession"
    other.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(other)], ""))
    app_window.menu("File", "Import session files…")
    editor = app_window.window.stack.currentWidget()
    assert editor.current_session().title == "Brought on a memory stick"
    assert "Imported 1 session file" in app_window.window.statusBar().currentMessage()
