"""Workshop session ▸ Votes from phones… in the real main window: no socket until the facilitator
starts it; on loopback, phones (the end-to-end test client) join with the code the panel shows
and vote; the editor's votes follow, stored and undoable; Stop closes the socket."""

from __future__ import annotations

import socket
import sys
import threading
from pathlib import Path

import psutil
from conftest import WindowDriver

from nrp_desktop.ui.document.texts import Role

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "end_to_end"))
from live_client import Phone

EXAMPLE_ID = "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"
SESSION_CHOOSER = "Open a stored session (newest first)"


def inet_sockets() -> list:
    """This process's own internet sockets (listening or not)."""
    return psutil.Process().net_connections(kind="inet")


def vote_from_phones(url: str, code: str, priority_ids: list[str]) -> tuple[list[int], threading.Thread]:
    """Two phones join and vote from a worker thread (the GUI thread must stay free to store)."""
    statuses: list[int] = []

    def run() -> None:
        first, second = Phone(url), Phone(url)
        statuses.append(first.join(code))
        statuses.append(second.join(code))
        for phone, priority_id in ((first, priority_ids[1]), (first, priority_ids[1]), (second, priority_ids[1]),
                                   (second, priority_ids[2])):
            statuses.append(phone.call("POST", "/api/dots", {"priority_id": priority_id})[0])
        statuses.append(second.call("DELETE", f"/api/dots/{priority_ids[2]}")[0])
        first.close()
        second.close()

    worker = threading.Thread(target=run)
    worker.start()
    return statuses, worker


def test_votes_from_phones_reach_the_editor_and_stop_closes_the_socket(app_window: WindowDriver):
    window = app_window.window
    editor = app_window.go_to("Workshop session")
    app_window.choose(SESSION_CHOOSER, "Residents' evening")
    assert inet_sockets() == []  # off by default: the app opens no socket

    app_window.click("Votes from phones…")  # the session bar's button
    panel = window._join_panel
    assert panel is not None and panel.isVisible()
    assert inet_sockets() == []  # the panel alone listens on nothing
    app_window.choose("Network address", "127.0.0.1 (this laptop only")
    assert panel.address_choice.currentData() == "127.0.0.1"
    panel.port_choice.setValue(0)  # any free port
    app_window.click("Start votes from phones", within=panel)
    assert window.live_votes.running
    address = panel.address_label.text()
    code = panel.code_label.text().replace(" ", "")
    host, port = address.split(":")
    assert host == "127.0.0.1" and len(code) == 6
    listening = [c for c in inet_sockets() if c.status == psutil.CONN_LISTEN]
    assert [(c.laddr.ip, c.laddr.port) for c in listening] == [("127.0.0.1", int(port))]

    session = editor.current_session()
    ids = [priority.id for priority in session.priorities]
    before = [priority.votes for priority in session.priorities]
    statuses, worker = vote_from_phones(f"http://{address}/", code, ids)
    app_window.wait_until(lambda: not worker.is_alive())
    assert statuses == [200, 200, 200, 200, 200, 200, 200]
    expected = list(before)
    expected[1] += 3
    app_window.wait_until(lambda: [p.votes for p in editor.current_session().priorities] == expected)
    assert [p.votes for p in window.store.load_session(EXAMPLE_ID).priorities] == expected  # stored
    model = editor.table.model()  # the table the facilitator looks at shows them too
    shown = {model.index(row, 0).data(Role.PRIORITY_ID): model.index(row, 0).data(Role.VOTES)
             for row in range(model.rowCount())}
    assert [shown[priority_id] for priority_id in ids] == expected
    app_window.wait_until(lambda: panel.counts_label.text().startswith("2 phones joined · 3 dots placed"))

    app_window.click("Stop votes from phones", within=panel)
    assert not window.live_votes.running and inet_sockets() == []
    try:
        socket.create_connection((host, int(port)), timeout=2).close()
        raise AssertionError("the port still answers after Stop")
    except OSError:
        pass
    assert "The votes are kept." in panel.setup_message.text()

    # One Undo takes the phones' votes back, as it would a typed vote.
    app_window.go_to("Workshop session")
    editor.undo_action.trigger()
    assert [p.votes for p in window.store.load_session(EXAMPLE_ID).priorities] == before


def test_closing_the_session_or_the_window_stops_the_server(app_window: WindowDriver):
    window = app_window.window
    app_window.go_to("Workshop session")
    app_window.choose(SESSION_CHOOSER, "Residents' evening")
    app_window.click("Show on projector")
    app_window.menu("Workshop session", "Votes from phones…")
    panel = window._join_panel
    projector = window.screens["nrp_desktop.ui.session.editor:SessionEditor"].projector_window()
    assert projector is not None and projector.isVisible()
    assert panel.isFullScreen() and panel.screen() is projector.screen()  # where the room looks
    panel.address_choice.setCurrentIndex(panel.address_choice.count() - 1)
    panel.port_choice.setValue(0)
    assert panel.start() and window.live_votes.running
    app_window.choose(SESSION_CHOOSER, "Library drop-in")  # another session: its phones must stop
    assert not window.live_votes.running and inet_sockets() == []

    app_window.choose(SESSION_CHOOSER, "Residents' evening")
    assert panel.start() and window.live_votes.running
    window.close()
    assert not window.live_votes.running and inet_sockets() == []


def test_the_projector_under_the_full_screen_panel_is_not_repainted_until_the_panel_goes(app_window: WindowDriver):
    window = app_window.window
    app_window.go_to("Workshop session")
    app_window.choose(SESSION_CHOOSER, "Residents' evening")
    app_window.click("Show on projector")
    editor = window.screens["nrp_desktop.ui.session.editor:SessionEditor"]
    projector = editor.projector_window()
    app_window.menu("Workshop session", "Votes from phones…")
    panel = window._join_panel
    assert panel.isFullScreen() and projector.isVisible()
    assert not projector.updatesEnabled()  # covered: nobody sees it, so no repaint per batch of votes
    panel.close()
    assert projector.isVisible() and projector.updatesEnabled()  # the room sees it again, drawn anew
    assert projector.visible_rows()  # and it still follows the session
