"""The join panel and the hand-off of phone votes to the editor's undo stack (real HTTP on
loopback from a worker thread, the GUI thread taking each batch)."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import socket
import threading
from typing import Any
from urllib.parse import urlsplit

import pytest
import segno

from nrp_desktop.domain.session import Priority
from nrp_desktop.services.sessions import SessionStore
from nrp_desktop.ui.document.document import SessionDocument
from nrp_desktop.ui.live_panel import JoinPanel, LiveVotes, spaced_code


@pytest.fixture
def document(qtbot, store: SessionStore) -> SessionDocument:
    document = SessionDocument()
    document.attach_store(store)
    document.create_session("Hall", dt.date(2026, 12, 1))
    for title in ("Parks", "Buses", "Lights"):
        assert document.add_priority(Priority(title=title))
    document.undo_stack.clear()
    return document


@pytest.fixture
def live(document: SessionDocument):
    running = LiveVotes(document)
    yield running
    running.stop()


def phone_calls(
    url: str, code: str, calls: list[tuple[str, str, Any]]
) -> tuple[list[tuple[int, Any]], threading.Thread]:
    """Join and make the calls from a worker thread (the GUI thread must stay free to store)."""
    results: list[tuple[int, Any]] = []

    def run() -> None:
        parts = urlsplit(url)
        assert parts.hostname == "127.0.0.1"
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=20)
        connection.request("POST", "/api/join", json.dumps({"code": code}), {"Content-Type": "application/json"})
        token = json.loads(connection.getresponse().read())["token"]
        for method, path, payload in calls:
            body = None if payload is None else json.dumps(payload)
            connection.request(method, path, body, {"Authorization": f"Bearer {token}",
                                                    "Content-Type": "application/json"})
            response = connection.getresponse()
            results.append((response.status, json.loads(response.read() or b"null")))
        connection.close()

    worker = threading.Thread(target=run)
    worker.start()
    return results, worker


def stored_votes(store: SessionStore, document: SessionDocument) -> list[int]:
    return [p.votes for p in store.load_session(document.session_id).priorities]


def test_phone_votes_are_stored_shown_and_undoable_as_one_step(qtbot, document, store, live):
    url = live.start("127.0.0.1", 0, dots=3)
    parks, buses, _lights = document.priority_ids()
    results, worker = phone_calls(url, live.voting.code, [
        ("POST", "/api/dots", {"priority_id": parks}), ("POST", "/api/dots", {"priority_id": parks}),
        ("POST", "/api/dots", {"priority_id": buses}), ("DELETE", f"/api/dots/{buses}", None),
        ("GET", "/api/priorities", None),
    ])
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=20_000)
    assert [status for status, _ in results] == [200, 200, 200, 200, 200]
    assert [(row["votes"], row["mine"]) for row in results[-1][1]] == [(2, 2), (0, 0), (0, 0)]
    assert stored_votes(store, document) == [2, 0, 0]
    assert [p.votes for p in document.priorities_in_order()] == [2, 0, 0]  # the editor shows them
    stack = document.undo_stack
    assert stack.count() == 1 and stack.undoText() == "votes from phones"  # merged into one step
    stack.undo()
    assert stored_votes(store, document) == [0, 0, 0]
    stack.redo()
    assert stored_votes(store, document) == [2, 0, 0]


def test_the_panel_shows_the_qr_code_address_code_and_counts(qtbot, document, store, live):
    panel = JoinPanel(live)
    qtbot.addWidget(panel)
    panel.address_choice.setCurrentIndex(panel.address_choice.count() - 1)  # 127.0.0.1: loopback only
    assert panel.address_choice.currentData() == "127.0.0.1"
    panel.port_choice.setValue(0)
    assert panel.start()
    assert panel.pages.currentIndex() == 1
    code = live.voting.code
    assert panel.code_label.text() == spaced_code(code) and len(code) == 6
    assert panel.address_label.text() == live.url.removeprefix("http://").rstrip("/")
    assert live.join_url == f"{live.url}#code={code}"
    assert panel.qr.modules() == len(segno.make(live.join_url, error="m", micro=False).matrix)
    assert panel.counts_label.text().startswith("0 phones joined")

    _results, worker = phone_calls(live.url, code, [("POST", "/api/dots", {"priority_id": document.priority_ids()[2]})])
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=20_000)
    qtbot.waitUntil(lambda: panel.counts_label.text().startswith("1 phone joined · 1 dot placed"))
    qtbot.waitUntil(lambda: panel.bars.rows == [("Parks", 0), ("Buses", 0), ("Lights", 1)])


def test_suggestions_wait_hidden_from_the_room_until_the_facilitator_accepts(qtbot, document, store, live):
    panel = JoinPanel(live)
    qtbot.addWidget(panel)
    live.start("127.0.0.1", 0)
    results, worker = phone_calls(live.url, live.voting.code, [
        ("POST", "/api/ideas", {"title": "Benches <b>by</b> the pond"}),
        ("POST", "/api/ideas", {"title": "Something rude"}),
    ])
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=20_000)
    assert [status for status, _ in results] == [202, 202]
    qtbot.waitUntil(lambda: panel.ideas_button.text() == "Suggestions waiting: 2")
    assert panel.ideas_box.isHidden() and not panel.bars.isHidden()
    panel.ideas_button.setChecked(True)
    assert not panel.ideas_box.isHidden() and panel.bars.isHidden()
    assert [panel.ideas_list.item(i).text() for i in range(2)] == ["Benches <b>by</b> the pond", "Something rude"]
    assert len(store.load_session(document.session_id).priorities) == 3  # nothing added unseen

    panel.ideas_list.setCurrentRow(1)
    panel.decline_button.click()
    panel.ideas_list.setCurrentRow(0)
    panel.accept_button.click()
    titles = [p.title for p in store.load_session(document.session_id).priorities]
    assert titles == ["Parks", "Buses", "Lights", "Benches <b>by</b> the pond"]
    assert live.waiting_ideas() == [] and panel.ideas_list.count() == 0
    document.undo_stack.undo()  # accepting is an ordinary, undoable add
    assert len(store.load_session(document.session_id).priorities) == 3


def test_opening_another_session_or_closing_the_panel_stops_the_server(qtbot, document, store, live):
    live.start("127.0.0.1", 0)
    port = live._server.port
    first = document.session_id
    document.create_session("Another", dt.date(2026, 12, 2))
    assert not live.running
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()

    document.open_session(first)
    panel = JoinPanel(live)
    qtbot.addWidget(panel)
    live.start("127.0.0.1", 0)
    _results, worker = phone_calls(live.url, live.voting.code, [("POST", "/api/ideas", {"title": "Left over"})])
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=20_000)
    panel.close()
    assert not live.running and panel.pages.currentIndex() == 0
    assert "1 suggested priority was not added" in panel.setup_message.text()


def test_a_vote_for_a_session_no_longer_open_is_refused_not_misfiled(qtbot, document, store, live):
    live.start("127.0.0.1", 0)
    sink = live.sink
    live.stop()
    with pytest.raises(RuntimeError):
        sink.apply_votes({document.priority_ids()[0]: 1})
    assert stored_votes(store, document) == [0, 0, 0]
