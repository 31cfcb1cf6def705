"""Votes from phones into the open session: `LiveVotes` runs the phone-vote server
(services/live_server.py) for the session open in a `SessionDocument`. Each batch of phone votes
crosses from the server's thread to the GUI thread by a queued Qt signal and is made there as one
`PhoneVotesCommand` on the editor's undo stack, so it is stored by the same operation as a typed
vote, every screen follows it, and the facilitator can undo it (consecutive phone batches merge
into one undo step). The GUI thread shows the batch at once and leaves its durable commit to the
document's store writer (ui/document/store_writer.py), so a burst of votes never holds the
window for the disk; the server answers a phone only once its vote is on disk. The server stops
when asked, when the panel closes, or when another session (or none) is opened.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import gc
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot

from nrp_desktop.domain.session import VOTES_MAX, Priority
from nrp_desktop.services.live_votes import DEFAULT_DOTS, Idea, LiveVoting, PhonePriority
from nrp_desktop.ui.document.commands import SessionCommand
from nrp_desktop.ui.document.document import SessionDocument

if TYPE_CHECKING:
    from nrp_desktop.services.live_server import LiveServer


PHONE_VOTES_MERGE_ID = 1018
HAND_OFF_TIMEOUT = 30.0


class PhoneVotesCommand(SessionCommand):
    """Dots placed or taken back on phones: one undoable edit (merged with the phone votes just
    before it, so one Undo takes back the phones' votes since the last other edit).

    Made the first time with its store write behind the GUI thread (`durable` is done once it is
    on disk); an undo or redo is written at once, like any other edit."""

    def __init__(self, document: SessionDocument, deltas: Mapping[str, int]) -> None:
        super().__init__(document, "votes from phones")
        self.old_votes: dict[str, int] = {}
        self.new_votes: dict[str, int] = {}
        self.durable: concurrent.futures.Future[None] | None = None
        for priority_id, delta in deltas.items():
            votes = document.require_priority(priority_id).votes
            self.old_votes[priority_id] = votes
            self.new_votes[priority_id] = min(VOTES_MAX, max(0, votes + delta))

    def run_first(self) -> None:
        self.durable = self.document.apply_many_votes(self.new_votes, write_behind=True)
        self._skip_next_redo = True

    def apply(self) -> None:
        self.document.apply_many_votes(self.new_votes)

    def revert(self) -> None:
        self.document.apply_many_votes(self.old_votes)

    def id(self) -> int:
        return PHONE_VOTES_MERGE_ID

    def mergeWith(self, other: object) -> bool:
        if not isinstance(other, PhoneVotesCommand):
            return False
        for priority_id, votes in other.old_votes.items():
            self.old_votes.setdefault(priority_id, votes)
        self.new_votes.update(other.new_votes)
        return True


@dataclass
class _HandOff:
    """One batch of phone votes crossing to the GUI thread."""

    deltas: dict[str, int]
    result: concurrent.futures.Future[set[str]] = field(default_factory=concurrent.futures.Future)
    taken: threading.Event = field(default_factory=threading.Event)  # the GUI thread has it


class GuiVoteSink(QObject):
    """The `VoteSink` of the window. `apply_votes` and `priorities` run on the server's worker
    threads; the change itself is made on the GUI thread, which owns the document."""

    _requested = Signal(object)
    votes_applied = Signal()  # on the GUI thread, once a batch is shown (its store write queued)

    def __init__(self, document: SessionDocument, session_id: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._document = document
        self._session_id = session_id
        self._closed = False
        self._lock = threading.Lock()
        self._rows: list[PhonePriority] = []
        self._requested.connect(self._apply, Qt.ConnectionType.QueuedConnection)
        document.priorities_changed.connect(self._take_snapshot)
        self._take_snapshot()

    def apply_votes(self, deltas: Mapping[str, int]) -> set[str]:
        if self._closed:
            raise RuntimeError("votes from phones have stopped")
        hand_off = _HandOff(dict(deltas))
        self._requested.emit(hand_off)
        waited = 0.0
        while True:
            try:
                return hand_off.result.result(timeout=0.1)
            except concurrent.futures.TimeoutError:
                waited += 0.1
                if waited > HAND_OFF_TIMEOUT:
                    raise RuntimeError("the window did not take the vote") from None
                # Stopping (on the GUI thread) must never wait for a hand-off the GUI thread
                # cannot take while it is stopping. Once taken, the batch is being stored: its
                # outcome is awaited (a phone told "not stored" must not have its dot stored).
                if self._closed and not hand_off.taken.is_set():
                    raise RuntimeError("the window did not take the vote") from None

    def priorities(self) -> list[PhonePriority]:
        with self._lock:
            return list(self._rows)

    def close(self) -> None:
        self._closed = True
        with contextlib.suppress(RuntimeError, TypeError):
            self._document.priorities_changed.disconnect(self._take_snapshot)

    @Slot()
    def _take_snapshot(self) -> None:
        if self._document.session_id != self._session_id:
            return
        rows = [PhonePriority(p.id, p.title, p.votes) for p in self._document.priorities_in_order()]
        with self._lock:
            self._rows = rows

    @Slot(object)
    def _apply(self, hand_off: _HandOff) -> None:
        """One batch as one operation of the editor: shown at once, stored behind the GUI thread;
        the server's answer waits for the store."""
        result = hand_off.result
        document = self._document
        if self._closed or document.session_id != self._session_id:
            result.set_exception(RuntimeError("the session is no longer open"))
            return
        hand_off.taken.set()
        deltas = hand_off.deltas
        known = {priority_id for priority_id in deltas if document.priority(priority_id) is not None}
        changes = {priority_id: deltas[priority_id] for priority_id in known if deltas[priority_id]}
        made: list[PhoneVotesCommand] = []

        def command() -> PhoneVotesCommand:
            made.append(PhoneVotesCommand(document, changes))
            return made[-1]

        if not changes:
            result.set_result(known)
            return
        if not document.execute(command) or not made or made[-1].durable is None:
            result.set_exception(RuntimeError("the votes could not be stored"))
            return
        durable = made[-1].durable

        def stored(done: concurrent.futures.Future[None]) -> None:  # on the store writer's thread
            error = done.exception()
            if error is not None:
                result.set_exception(RuntimeError(f"the votes could not be stored: {error}"))
            else:
                result.set_result(known)

        durable.add_done_callback(stored)
        self.votes_applied.emit()


class LiveVotes(QObject):
    """Votes from phones for the document's open session: start, stop, the ideas queue."""

    started = Signal(str, str)  # the page's address, the join code
    stopped = Signal()
    phones_changed = Signal()
    ideas_changed = Signal()
    _from_server = Signal()

    def __init__(self, document: SessionDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.voting: LiveVoting | None = None
        self.sink: GuiVoteSink | None = None
        self._server: LiveServer | None = None
        self._session_id: str | None = None
        # What the server says changed ("phones", "votes", "ideas"), gathered until the GUI thread
        # takes it: a burst of a hundred joins is one queued call, not a hundred (each would wait
        # for the interpreter's lock while the server's thread holds it).
        self._changes_lock = threading.Lock()
        self._changes: set[str] = set()
        self._from_server.connect(self._server_changed, Qt.ConnectionType.QueuedConnection)
        document.session_opened.connect(self._session_opened)

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def url(self) -> str:
        return self._server.url if self._server is not None else ""

    @property
    def join_url(self) -> str:
        """What the QR code holds: the address, and the code after '#', which a browser never
        sends to the server."""
        return f"{self.url}#code={self.voting.code}" if self.voting is not None else ""

    def start(self, host: str, port: int = 0, dots: int = DEFAULT_DOTS) -> str:
        """Serve the open session's page; raises LiveServerError when the address or port cannot
        be used. The address."""
        from nrp_desktop.services.live_server import LiveServer, load_page

        session = self.document.require_session()
        self.stop()
        self.sink = GuiVoteSink(self.document, session.id, self)
        self.voting = LiveVoting(self.sink, dots=dots, changed=self._server_says)
        server = LiveServer(self.voting, load_page(session.language), host, port)
        try:
            server.start()
        except Exception:
            self.sink.close()
            self.sink = None
            self.voting = None
            raise
        self._server = server
        self._session_id = session.id
        # Hundreds of requests at once make garbage fast, and a full collection walks every
        # object of the app (tens of milliseconds with the GUI thread held, longer on a busy
        # laptop): what is alive now stays alive, so it is left out of collections until Stop.
        gc.freeze()
        self.started.emit(server.url, self.voting.code)
        return server.url

    def stop(self) -> list[Idea]:
        """Stop serving; the suggestions nobody accepted (they are not kept)."""
        if self._server is None:
            return []
        left = self.voting.waiting_ideas() if self.voting else []
        if self.sink is not None:
            self.sink.close()
        self._server.stop()
        self.document.wait_for_writes()  # every vote a phone was told is stored, stored
        gc.unfreeze()
        self._server = None
        self._session_id = None
        self.stopped.emit()
        return left

    def accept_idea(self, idea_id: str) -> bool:
        """Add the suggestion as a priority at the end (one undoable edit)."""
        if self.voting is None:
            return False
        idea = self.voting.take_idea(idea_id)
        if idea is None:
            return False
        return self.document.add_priority(Priority(title=idea.title))

    def decline_idea(self, idea_id: str) -> None:
        if self.voting is not None:
            self.voting.take_idea(idea_id)

    def waiting_ideas(self) -> list[Idea]:
        return self.voting.waiting_ideas() if self.voting is not None else []

    @property
    def phones_joined(self) -> int:
        return self.voting.phones_joined if self.voting is not None else 0

    @property
    def dots_placed(self) -> int:
        return self.voting.dots_placed if self.voting is not None else 0

    def _server_says(self, what: str) -> None:
        """From the server's thread: something the projector shows changed."""
        with self._changes_lock:
            first = not self._changes
            self._changes.add(what)
        if first:
            self._from_server.emit()

    @Slot()
    def _server_changed(self) -> None:
        with self._changes_lock:
            changes, self._changes = self._changes, set()
        if "ideas" in changes:
            self.ideas_changed.emit()
        if changes - {"ideas"}:
            self.phones_changed.emit()

    @Slot(object)
    def _session_opened(self, session: object) -> None:
        if self.running and getattr(session, "id", None) != self._session_id:
            self.stop()  # the session closed: its phones must not vote into another

