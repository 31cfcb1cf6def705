"""Phone votes are shown at once and written behind the GUI thread (ui/document/store_writer.py):
a phone is answered only once its vote is on disk, the window waits for no commit, a typed edit
never overtakes a queued write, and a write that fails is refused to the phone, its dot given back,
and the stored truth shown again (nothing stored twice, nothing acknowledged lost)."""

from __future__ import annotations

import datetime as dt
import random
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from nrp_desktop.domain.session import Priority
from nrp_desktop.services.sessions import SessionStore
from nrp_desktop.ui.document.document import SessionDocument
from nrp_desktop.ui.document.store_writer import StoreWriter, WriterBroken
from nrp_desktop.ui.live_panel import LiveVotes

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "end_to_end"))
from live_client import Phone


def test_the_writer_keeps_order_and_refuses_what_was_queued_after_a_failure():
    failures: list[BaseException] = []
    writer = StoreWriter(on_failure=failures.append)
    made: list[int] = []
    gate = threading.Event()

    def first() -> None:
        gate.wait(10)
        made.append(1)

    def failing() -> None:
        raise OSError("disk full")

    futures = [writer.submit(first), writer.submit(lambda: made.append(2)), writer.submit(failing),
               writer.submit(lambda: made.append(4))]
    assert writer.pending == 4 and not writer.wait_idle(timeout=0.05)  # the first is held
    gate.set()
    assert writer.wait_idle(timeout=10) and writer.pending == 0
    assert made == [1, 2]  # in order; the one after the failure was not made
    assert futures[0].result() is None and futures[1].result() is None
    assert isinstance(futures[2].exception(), OSError)
    assert isinstance(futures[3].exception(), WriterBroken)
    assert len(failures) == 1 and isinstance(failures[0], OSError)  # told once for the episode
    assert isinstance(writer.submit(lambda: made.append(5)).exception(timeout=10), WriterBroken)
    writer.recover()
    assert writer.submit(lambda: made.append(6)).result(timeout=10) is None
    assert made == [1, 2, 6]
    writer.close()


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


def stored_votes(store: SessionStore, document: SessionDocument) -> list[int]:
    return [p.votes for p in store.load_session(document.session_id).priorities]


def joined_phone(live: LiveVotes) -> Phone:
    phone = Phone(live.url)
    assert phone.join(live.voting.code) == 200
    return phone


def vote_in_thread(phone: Phone, priority_id: str) -> tuple[list[tuple[int, Any]], threading.Thread]:
    answers: list[tuple[int, Any]] = []

    def vote() -> None:
        answers.append(phone.call("POST", "/api/dots", {"priority_id": priority_id}))

    worker = threading.Thread(target=vote)
    worker.start()
    return answers, worker


class HeldWrites:
    """The store's vote writes held at a gate (on the writer's thread), or made to fail."""

    def __init__(self, store: SessionStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.gate = threading.Event()
        self.entered = threading.Event()
        self.fail_next = False
        self.threads: list[str] = []
        real = store.set_many_votes

        def held(session_id: str, votes: Any) -> None:
            self.threads.append(threading.current_thread().name)
            self.entered.set()
            assert self.gate.wait(20)
            if self.fail_next:
                self.fail_next = False
                raise OSError(28, "No space left on device")
            real(session_id, votes)

        monkeypatch.setattr(store, "set_many_votes", held)


def test_a_phone_is_answered_once_its_vote_is_on_disk_and_the_window_waits_for_no_commit(
        qtbot, document, store, live, monkeypatch):
    live.start("127.0.0.1", 0)
    parks = document.priority_ids()[0]
    phone = joined_phone(live)
    writes = HeldWrites(store, monkeypatch)
    answers, worker = vote_in_thread(phone, parks)

    # Shown in the editor and on every screen while the commit is still held…
    qtbot.waitUntil(lambda: document.require_priority(parks).votes == 1, timeout=20_000)
    qtbot.waitUntil(writes.entered.is_set, timeout=20_000)
    assert writes.threads == ["nrp-store-writer"]  # not the GUI thread
    assert document.undo_stack.count() == 1
    # …and the phone is not told "stored" before it is.
    worker.join(0.3)
    assert worker.is_alive() and answers == [] and stored_votes(store, document) == [0, 0, 0]

    writes.gate.set()
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=20_000)
    assert answers == [(200, {"dots_left": 2})]
    assert stored_votes(store, document) == [1, 0, 0]
    phone.close()


def test_a_typed_edit_after_a_queued_phone_vote_is_stored_after_it(qtbot, document, store, live, monkeypatch):
    live.start("127.0.0.1", 0)
    parks, buses, _lights = document.priority_ids()
    phone = joined_phone(live)
    writes = HeldWrites(store, monkeypatch)
    answers, worker = vote_in_thread(phone, parks)
    qtbot.waitUntil(writes.entered.is_set, timeout=20_000)

    threading.Timer(0.2, writes.gate.set).start()  # the disk answers while the edit waits for it
    assert document.set_votes(parks, 7)  # the same priority, typed: must not be overwritten by the queued 1
    assert document.set_votes(buses, 2)
    assert stored_votes(store, document) == [7, 2, 0]
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=20_000)
    assert answers == [(200, {"dots_left": 2})]
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert stored_votes(store, document) == [1, 0, 0]  # the phone's vote, stored, still there
    document.undo_stack.undo()  # and one Undo takes it back too
    assert stored_votes(store, document) == [0, 0, 0] == [p.votes for p in document.priorities_in_order()]
    phone.close()


def test_a_vote_the_disk_refused_is_refused_to_the_phone_its_dot_given_back_and_not_shown(
        qtbot, document, store, live, monkeypatch):
    live.start("127.0.0.1", 0)
    parks, buses, _lights = document.priority_ids()
    phone = joined_phone(live)
    answers, worker = vote_in_thread(phone, buses)
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=20_000)
    assert answers == [(200, {"dots_left": 2})]
    writes = HeldWrites(store, monkeypatch)
    writes.fail_next = True
    failed: list[str] = []
    document.failed.connect(failed.append)
    answers, worker = vote_in_thread(phone, parks)
    qtbot.waitUntil(lambda: document.require_priority(parks).votes == 1, timeout=20_000)
    writes.gate.set()
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=20_000)
    assert answers[0][0] == 503 and answers[0][1] == {"error": "not_stored"}

    # The window says so and shows what is stored; the undo steps built on it are gone.
    qtbot.waitUntil(lambda: bool(failed), timeout=20_000)
    assert failed[0].startswith("This change could not be saved: the disk is full")
    qtbot.waitUntil(lambda: document.require_priority(parks).votes == 0, timeout=20_000)
    assert [p.votes for p in document.priorities_in_order()] == stored_votes(store, document) == [0, 1, 0]
    assert document.undo_stack.count() == 0

    # The dot came back to the phone, and the next vote is stored once.
    answers, worker = vote_in_thread(phone, parks)
    qtbot.waitUntil(lambda: not worker.is_alive(), timeout=20_000)
    assert answers == [(200, {"dots_left": 1})]
    assert stored_votes(store, document) == [1, 1, 0]
    assert [p.votes for p in document.priorities_in_order()] == [1, 1, 0]
    phone.close()


def test_stop_waits_for_the_votes_being_written(qtbot, document, store, live, monkeypatch):
    live.start("127.0.0.1", 0)
    parks = document.priority_ids()[0]
    phone = joined_phone(live)
    writes = HeldWrites(store, monkeypatch)
    answers, worker = vote_in_thread(phone, parks)
    qtbot.waitUntil(writes.entered.is_set, timeout=20_000)  # the GUI thread took it, the disk holds it
    threading.Timer(0.2, writes.gate.set).start()
    live.stop()
    assert stored_votes(store, document) == [1, 0, 0]  # on disk before Stop returned
    worker.join(20)
    assert answers and answers[0][0] == 200  # the phone was told the truth: stored
    phone.close()


def test_sixty_phones_at_once_through_the_window_store_every_dot_once_and_one_undo_takes_them_back(
        qtbot, document, store, live):
    """The editor's path under load: every answered dot is in the store exactly once, the
    window shows what is stored, and the phones' votes are one undo step."""
    live.start("127.0.0.1", 0)
    ids = document.priority_ids()
    placed: Counter[str] = Counter()
    lock = threading.Lock()
    failures: list[str] = []

    def one_phone(seed: int) -> None:
        chooser = random.Random(seed)
        phone = Phone(live.url, timeout=30)
        try:
            if phone.join(live.voting.code) != 200:
                failures.append("join")
                return
            mine: list[str] = []
            for _ in range(3):
                priority = chooser.choice(ids)
                status, _data = phone.call("POST", "/api/dots", {"priority_id": priority})
                if status != 200:
                    failures.append(f"dot {status}")
                    continue
                mine.append(priority)
            if seed % 4 == 0:  # some take one back
                status, _data = phone.call("DELETE", f"/api/dots/{mine[0]}")
                if status != 200:
                    failures.append(f"take back {status}")
                else:
                    mine.pop(0)
            with lock:
                placed.update(mine)
        finally:
            phone.close()

    threads = [threading.Thread(target=one_phone, args=(seed,)) for seed in range(60)]
    for thread in threads:
        thread.start()
    qtbot.waitUntil(lambda: not any(thread.is_alive() for thread in threads), timeout=60_000)
    assert failures == []
    expected = [placed.get(priority_id, 0) for priority_id in ids]
    assert sum(expected) == 60 * 3 - 15
    assert stored_votes(store, document) == expected  # answered means stored, once
    assert [p.votes for p in document.priorities_in_order()] == expected  # and shown
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert stored_votes(store, document) == [0, 0, 0] == [p.votes for p in document.priorities_in_order()]
