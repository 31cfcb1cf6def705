""""Follow-up…" and "Since last time" in the session editor (issue 14.1, 14.3), through the
real editor; and the main window giving the compass last session's scores."""

from __future__ import annotations

import datetime as dt

from conftest import EXAMPLE_SESSION, editor_in_host, main_window_on
from PySide6.QtWidgets import QWidget

from nrp_desktop.domain.session import Action, Priority, Session


def test_a_follow_up_made_in_the_editor_is_stored_opened_and_reviewable(qtbot, store, library):
    earlier = store.save_session(Session(
        "First evening", dt.date(2026, 11, 18), venue="Church hall", groups=["Table 1"],
        ratings={"social-connectedness": 3},
        priorities=[Priority("Alleys", group="Table 1", actions=[Action("Ask the council"),
                                                                 Action("Map corners", status="done")])],
    ))
    editor = editor_in_host(qtbot, store, library, size=(1366, 768))
    editor.document.open_session(earlier.id)
    controls = editor.follow_up
    assert controls.follow_up_button.isEnabled() and controls.review_button.isHidden()
    assert controls.previous is None
    with qtbot.waitSignal(controls.previous_changed) as changed:
        later = controls.create_follow_up("Three months on", dt.date(2027, 2, 17))
    assert later is not None and editor.document.session_id == later.id
    assert changed.args[0].id == earlier.id
    stored = store.load_session(later.id)
    assert stored.follows == earlier.id and stored.venue == "Church hall" and stored.groups == ["Table 1"]
    assert [a.what for p in stored.priorities for a in p.actions] == ["Ask the council"]
    assert not controls.review_button.isHidden()
    # The new session is listed in the chooser.
    assert any(later.title in editor.session_combo.itemText(row) for row in range(editor.session_combo.count()))
    controls.show_review()
    window = controls._window
    assert window is not None and window.isVisible()
    assert window.what_label.text() == "Ask the council"
    window.mark("started")
    assert store.load_session(later.id).priorities[0].actions[0].status == "started"
    window.close()
    qtbot.waitUntil(lambda: controls._window is None)


def test_the_main_window_shows_last_sessions_compass_and_clears_it(qtbot, library_service, store):
    from nrp_desktop.services.followup import create_follow_up
    from nrp_desktop.ui.main_window import COMPASS, EDITOR, HANDOUT

    earlier = store.save_session(Session("First", dt.date(2026, 11, 18), ratings={"economic-resources": 2},
                                         priorities=[Priority("P", actions=[Action("A")])]))
    later = create_follow_up(store, earlier.id, "Later", dt.date(2027, 2, 17)).session
    window = main_window_on(qtbot, library_service, store)
    editor = window.screen_named(EDITOR)
    editor.document.open_session(later.id)
    compass = window.screen_named(COMPASS)
    assert compass.radar.previous_values() == {"economic-resources": 2}
    assert "18 November 2026" in compass.previous_key.text()
    assert window.screen_named(HANDOUT).previous_session.id == earlier.id
    editor.document.open_session(earlier.id)
    assert compass.radar.previous_values() is None
    from PySide6.QtCore import QThreadPool

    from nrp_desktop.ui.worker import wait_for_background_work

    # The handouts built meanwhile (and their page images, made when each is done) finish
    # before the window goes.
    def settled() -> bool:
        wait_for_background_work()
        return QThreadPool.globalInstance().activeThreadCount() == 0

    for _ in range(4):
        qtbot.waitUntil(settled, timeout=30_000)
        qtbot.wait(50)


def test_importing_a_file_that_follows_an_unknown_session_says_so_once(qtbot, store, library, tmp_path,
                                                                       monkeypatch):
    import json

    from nrp_desktop.ui import session_files
    from nrp_desktop.ui.session_files import import_session_files

    unknown = "99999999-9999-4999-8999-999999999999"
    later = tmp_path / "later.nrpsession"
    later.write_text(json.dumps({"format": "nrp-session", "version": 1, "session": {
        "id": "aaaaaaaa-0000-4000-8000-000000000000", "title": "Later", "date": "2027-02-17",
        "follows": unknown}}), encoding="utf-8")
    notes: list[str] = []
    monkeypatch.setattr(session_files, "tell", lambda _parent, _title, text, **_kw: notes.append(text))
    parent = QWidget()
    qtbot.addWidget(parent)
    assert import_session_files(parent, store, library, [str(later)]) == ["aaaaaaaa-0000-4000-8000-000000000000"]
    assert len(notes) == 1 and notes[0].count(unknown) == 1 and "the link is kept" in notes[0]
    assert store.load_session("aaaaaaaa-0000-4000-8000-000000000000").follows == unknown


def test_importing_a_file_with_an_unknown_status_refuses_it_naming_the_place(qtbot, store, library, tmp_path,
                                                                              monkeypatch):
    import json

    from nrp_desktop.ui import session_files
    from nrp_desktop.ui.session_files import import_session_files

    document = json.loads(EXAMPLE_SESSION.read_text(encoding="utf-8"))
    document["session"]["priorities"][2]["actions"] = [{"what": "Ask the school", "status": "finished"}]
    bad = tmp_path / "bad.nrpsession"
    bad.write_text(json.dumps(document), encoding="utf-8")
    notes: list[str] = []
    monkeypatch.setattr(session_files, "tell", lambda _parent, _title, text, **_kw: notes.append(text))
    parent = QWidget()
    qtbot.addWidget(parent)
    before = store.session_ids()
    assert import_session_files(parent, store, library, [str(bad)]) == []
    assert len(notes) == 1
    assert ("bad.nrpsession: session.priorities[2].actions[0].status: must be one of agreed, started, "
            "done, dropped") in notes[0]
    assert store.session_ids() == before  # nothing half-stored
