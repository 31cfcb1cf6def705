"""Votes from phones (contract.md §5.4): the rules, without HTTP and without Qt.

`LiveVoting` holds what one run of the phone-vote server needs: the six-digit join code (new each
run), the phones' tokens and the dots each phone has placed, the throttling of wrong codes per
address, and the queue of suggested priorities that wait for the facilitator. Every vote goes to a
`VoteSink`: `StoreVoteSink` writes through `SessionStore` (the `live` command, no window); the
window's sink hands the change to the editor's undo stack on the GUI thread (ui/live_panel.py).
Votes that arrive together are written in one durable transaction (a group commit), so a hundred
phones voting at once cost a handful of writes, not three hundred.

Nothing here knows names or keeps addresses beyond what the throttling of wrong codes needs, and
`close()` forgets everything but what was stored (the votes and the accepted ideas).

Methods return values or raise `LiveRefused` with a `Refusal` code; the HTTP layer turns codes into
status codes and the edges into words.
"""

from __future__ import annotations

import asyncio
import secrets
import threading
import time
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from nrp_desktop.domain.session import PRIORITY_TITLE_MAX, Priority, check_text

if TYPE_CHECKING:
    from nrp_desktop.services.sessions import SessionStore

DEFAULT_DOTS = 3
DOTS_MAX = 100
CODE_DIGITS = 6
MAX_PHONES = 1000  # joins past this are refused: a bound on memory, far above any hall
WRONG_CODES_ALLOWED = 5  # per address within the window; then 429 until the oldest ages out
WRONG_CODE_WINDOW = 300.0  # seconds
THROTTLED_ADDRESSES_MAX = 10_000  # the oldest are forgotten first past this
IDEAS_PER_PHONE = 5
IDEAS_WAITING_MAX = 200
REQUESTS_PER_SECOND = 10.0  # per phone, with bursts up to REQUEST_BURST
REQUEST_BURST = 30.0
BATCH_PRIORITIES_MAX = 128  # one write touches at most this many priorities (a bounded
# transaction); the rest go in the next. The window shows a batch in one pass whatever its size
# and writes it behind the GUI thread, so a hall's priorities fit in one write.
PRIORITIES_CACHE_SECONDS = 0.5  # how stale the list phones poll may be (our own writes refresh it)


class Refusal(StrEnum):
    UNAUTHORIZED = "unauthorized"  # no token, or not one of this run's
    WRONG_CODE = "wrong_code"
    THROTTLED = "throttled"  # too many wrong codes from this address
    RATE_LIMITED = "rate_limited"  # too many requests from this phone
    FULL = "full"  # too many phones joined, or too many ideas waiting
    NO_DOTS_LEFT = "no_dots_left"
    NO_DOT_THERE = "no_dot_there"  # taking back a dot this phone never placed there
    UNKNOWN_PRIORITY = "unknown_priority"
    INVALID = "invalid"  # a malformed value (the field is in LiveRefused.field)
    STOPPED = "stopped"  # the server is stopping
    NOT_STORED = "not_stored"  # the store refused or failed: nothing changed


class LiveRefused(Exception):
    def __init__(self, refusal: Refusal, field: str = "", reason: str = "") -> None:
        self.refusal = refusal
        self.field = field
        self.reason = reason
        super().__init__(f"{refusal.value}: {field} {reason}".strip())


@dataclass(frozen=True)
class PhonePriority:
    """One row of what a phone sees."""

    id: str
    title: str
    votes: int


@dataclass(frozen=True)
class Idea:
    id: str
    title: str


class VoteSink(Protocol):
    """Where phone votes go. Both methods are called from a worker thread, never the GUI thread."""

    def apply_votes(self, deltas: Mapping[str, int]) -> set[str]:
        """Add each delta (+n dots, -n dots taken back) to the priority's votes, durably, in one
        step; never below 0. Returns the ids that exist (the others were not touched). Raises if
        nothing could be stored."""
        ...

    def priorities(self) -> list[PhonePriority]:
        """The session's priorities in ranking order."""
        ...


class StoreVoteSink:
    """Writes straight through the session store: for the `live` command, where no window (and
    so no undo stack) exists. One lock: each batch reads and writes the votes as one step."""

    def __init__(self, store: SessionStore, session_id: str) -> None:
        self._store = store
        self._session_id = session_id
        self._lock = threading.Lock()

    def apply_votes(self, deltas: Mapping[str, int]) -> set[str]:
        with self._lock:
            session = self._store.load_session(self._session_id)
            current = {priority.id: priority.votes for priority in session.priorities}
            known = {priority_id for priority_id in deltas if priority_id in current}
            changed = {
                priority_id: max(0, current[priority_id] + deltas[priority_id])
                for priority_id in known
                if deltas[priority_id]
            }
            if changed:
                self._store.set_many_votes(self._session_id, changed)
            return known

    def priorities(self) -> list[PhonePriority]:
        return priorities_of(self._store, self._session_id)

    def add_idea(self, title: str) -> Priority:
        """An accepted idea becomes a priority at the end of the ranking."""
        with self._lock:
            return self._store.add_priority(self._session_id, Priority(title=title))


def priorities_of(store: SessionStore, session_id: str) -> list[PhonePriority]:
    session = store.load_session(session_id)
    return [PhonePriority(p.id, p.title, p.votes) for p in session.priorities]


def new_join_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


@dataclass
class _Phone:
    dots: Counter[str] = field(default_factory=Counter)  # priority id → dots this phone placed
    ideas: int = 0
    allowance: float = REQUEST_BURST  # the token bucket of its requests
    checked_at: float = 0.0

    @property
    def placed(self) -> int:
        return sum(self.dots.values())


@dataclass
class _PendingVote:
    priority_id: str
    delta: int
    done: asyncio.Future[bool]


class LiveVoting:
    """One run of votes from phones for one session. Thread-safe: the server calls it from its
    own event loop; the window reads counts and handles ideas from the GUI thread.

    `changed(what)` (optional) is called, from the server's thread, after something the projector
    shows changed: "phones", "votes" or "ideas".
    """

    def __init__(
        self,
        sink: VoteSink,
        *,
        dots: int = DEFAULT_DOTS,
        code: str | None = None,
        clock: Callable[[], float] = time.monotonic,
        changed: Callable[[str], None] | None = None,
        max_phones: int = MAX_PHONES,
    ) -> None:
        if isinstance(dots, bool) or not isinstance(dots, int) or not 1 <= dots <= DOTS_MAX:
            raise ValueError(f"dots must be a whole number from 1 to {DOTS_MAX}")
        self.sink = sink
        self.dots = dots
        self.code = code if code is not None else new_join_code()
        self._clock = clock
        self._changed = changed
        self._max_phones = max_phones
        self._lock = threading.Lock()
        self._phones: dict[str, _Phone] = {}
        self._wrong_codes: dict[str, deque[float]] = {}
        self._ideas: dict[str, Idea] = {}
        self._closed = False
        self._pending: list[_PendingVote] = []
        self._writer: asyncio.Task[None] | None = None
        self._cache: tuple[float, list[PhonePriority]] | None = None

    # What the projector shows ----------------------------------------------------------------

    @property
    def phones_joined(self) -> int:
        with self._lock:
            return len(self._phones)

    @property
    def dots_placed(self) -> int:
        with self._lock:
            return sum(phone.placed for phone in self._phones.values())

    def waiting_ideas(self) -> list[Idea]:
        """Suggested priorities waiting for the facilitator, oldest first."""
        with self._lock:
            return list(self._ideas.values())

    def take_idea(self, idea_id: str) -> Idea | None:
        """Remove an idea from the queue (the facilitator accepted or declined it). The caller
        adds an accepted one through the editor (undoable) or `StoreVoteSink.add_idea`."""
        with self._lock:
            idea = self._ideas.pop(idea_id, None)
        if idea is not None:
            self._notify("ideas")
        return idea

    # Joining ------------------------------------------------------------------------------------

    def join(self, code: object, address: str) -> tuple[str, int]:
        """A phone's token and its dots; raises THROTTLED, WRONG_CODE, FULL or INVALID."""
        with self._lock:
            self._check_open()
            now = self._clock()
            attempts = self._recent_wrong_codes(address, now)
            if attempts is not None and len(attempts) >= WRONG_CODES_ALLOWED:
                raise LiveRefused(Refusal.THROTTLED)
            if not isinstance(code, str) or len(code) > 20:
                raise LiveRefused(Refusal.INVALID, "code", "must be the six digits on the screen")
            # compare_digest: the time taken says nothing about how much of the code was right.
            if not secrets.compare_digest(code.strip().encode(), self.code.encode()):
                self._record_wrong_code(address, now)
                raise LiveRefused(Refusal.WRONG_CODE)
            if len(self._phones) >= self._max_phones:
                raise LiveRefused(Refusal.FULL)
            token = secrets.token_urlsafe(24)
            self._phones[token] = _Phone(checked_at=now)
        self._notify("phones")
        return token, self.dots

    def _recent_wrong_codes(self, address: str, now: float) -> deque[float] | None:
        attempts = self._wrong_codes.get(address)
        if attempts is None:
            return None
        while attempts and now - attempts[0] > WRONG_CODE_WINDOW:
            attempts.popleft()
        if not attempts:
            del self._wrong_codes[address]  # kept no longer than throttling needs
            return None
        return attempts

    def _record_wrong_code(self, address: str, now: float) -> None:
        if address not in self._wrong_codes and len(self._wrong_codes) >= THROTTLED_ADDRESSES_MAX:
            for stale in [a for a, times in self._wrong_codes.items() if now - times[-1] > WRONG_CODE_WINDOW]:
                del self._wrong_codes[stale]
            if len(self._wrong_codes) >= THROTTLED_ADDRESSES_MAX:
                del self._wrong_codes[next(iter(self._wrong_codes))]
        self._wrong_codes.setdefault(address, deque()).append(now)

    def throttled_addresses(self) -> int:
        """How many addresses the throttling holds (for tests: none once their window passed)."""
        with self._lock:
            now = self._clock()
            for address in list(self._wrong_codes):
                self._recent_wrong_codes(address, now)
            return len(self._wrong_codes)

    # Checking a phone ---------------------------------------------------------------------------

    def authorize(self, token: str | None) -> None:
        """Raises UNAUTHORIZED for a missing or unknown token (the request is not counted: the
        operation that follows counts it)."""
        with self._lock:
            self._check_open()
            if not isinstance(token, str) or token not in self._phones:
                raise LiveRefused(Refusal.UNAUTHORIZED)

    def _phone(self, token: str | None) -> _Phone:
        """The phone of a token, its request counted: RATE_LIMITED when it sends more than its
        share (call with the lock held)."""
        self._check_open()
        phone = self._phones.get(token) if isinstance(token, str) else None
        if phone is None:
            raise LiveRefused(Refusal.UNAUTHORIZED)
        now = self._clock()
        phone.allowance = min(REQUEST_BURST, phone.allowance + (now - phone.checked_at) * REQUESTS_PER_SECOND)
        phone.checked_at = now
        if phone.allowance < 1.0:
            raise LiveRefused(Refusal.RATE_LIMITED)
        phone.allowance -= 1.0
        return phone

    def _check_open(self) -> None:
        if self._closed:
            raise LiveRefused(Refusal.STOPPED)

    # Reading --------------------------------------------------------------------------------------

    async def priorities_for(self, token: str | None) -> list[tuple[PhonePriority, int]]:
        """The session's priorities in ranking order, each with the dots this phone placed on it."""
        with self._lock:
            phone = self._phone(token)
        rows = await self._priorities()
        with self._lock:
            return [(row, phone.dots.get(row.id, 0)) for row in rows]

    async def _priorities(self) -> list[PhonePriority]:
        cached = self._cache
        now = self._clock()
        if cached is not None and now - cached[0] < PRIORITIES_CACHE_SECONDS:
            return cached[1]
        rows = await asyncio.to_thread(self.sink.priorities)
        self._cache = (now, rows)
        return rows

    # Dots -------------------------------------------------------------------------------------

    async def place_dot(self, token: str | None, priority_id: object) -> int:
        """Place one of the phone's dots; the dots it has left once the vote is stored."""
        return await self._move_dot(token, priority_id, +1)

    async def take_back_dot(self, token: str | None, priority_id: object) -> int:
        return await self._move_dot(token, priority_id, -1)

    async def _move_dot(self, token: str | None, priority_id: object, delta: int) -> int:
        with self._lock:
            phone = self._phone(token)
            if not isinstance(priority_id, str) or not priority_id or len(priority_id) > 100:
                raise LiveRefused(Refusal.INVALID, "priority_id", "must name a priority")
            if delta > 0 and phone.placed >= self.dots:
                raise LiveRefused(Refusal.NO_DOTS_LEFT)
            reserved = delta > 0 or phone.dots[priority_id] > 0
            if reserved:
                # Reserved before the write, so two requests at once cannot spend the same dot.
                phone.dots[priority_id] += delta
        if not reserved:
            known = await self._known(priority_id)
            raise LiveRefused(Refusal.NO_DOT_THERE if known else Refusal.UNKNOWN_PRIORITY)
        try:
            stored = await self._store_vote(priority_id, delta)
        except BaseException:
            self._settle(phone, priority_id, -delta)
            raise
        if not stored:
            # The priority is gone (the facilitator deleted it): a dot placed on it comes back.
            self._settle(phone, priority_id, -delta, forget=delta < 0)
            raise LiveRefused(Refusal.UNKNOWN_PRIORITY)
        left = self._settle(phone, priority_id, 0)
        self._notify("votes")
        return left

    def _settle(self, phone: _Phone, priority_id: str, undo: int, forget: bool = False) -> int:
        with self._lock:
            phone.dots[priority_id] += undo
            if forget or phone.dots[priority_id] <= 0:
                del phone.dots[priority_id]
            return self.dots - phone.placed

    async def _known(self, priority_id: str) -> bool:
        self._cache = None
        return any(row.id == priority_id for row in await self._priorities())

    async def _store_vote(self, priority_id: str, delta: int) -> bool:
        """Queue the change for the writer and wait until it is stored (True) or the priority is
        found not to exist (False)."""
        loop = asyncio.get_running_loop()
        pending = _PendingVote(priority_id, delta, loop.create_future())
        self._pending.append(pending)
        if self._writer is None or self._writer.done():
            self._writer = loop.create_task(self._write_pending())
        return await pending.done

    async def _write_pending(self) -> None:
        """Group commit: every vote queued while the previous write ran goes in the next one."""
        while self._pending:
            batch: list[_PendingVote] = []
            later: list[_PendingVote] = []
            touched: set[str] = set()
            for vote in self._pending:
                if vote.priority_id in touched or len(touched) < BATCH_PRIORITIES_MAX:
                    touched.add(vote.priority_id)
                    batch.append(vote)
                else:
                    later.append(vote)
            self._pending = later
            deltas: Counter[str] = Counter()
            for vote in batch:
                deltas[vote.priority_id] += vote.delta
            try:
                known = await asyncio.to_thread(self.sink.apply_votes, dict(deltas))
            except Exception as error:
                for vote in batch:
                    if not vote.done.done():
                        vote.done.set_exception(LiveRefused(Refusal.NOT_STORED, reason=type(error).__name__))
                continue
            self._cache = None
            for vote in batch:
                if not vote.done.done():
                    vote.done.set_result(vote.priority_id in known)

    # Ideas ------------------------------------------------------------------------------------

    def suggest(self, token: str | None, title: object) -> Idea:
        """Queue a suggested priority for the facilitator; nothing is added until accepted."""
        with self._lock:
            phone = self._phone(token)
            if not isinstance(title, str):
                raise LiveRefused(Refusal.INVALID, "title", "must be text")
            try:
                title.encode("utf-8")
            except UnicodeEncodeError:
                raise LiveRefused(Refusal.INVALID, "title", "contains a broken character") from None
            # One line of plain words: control characters (a phone keyboard's stray ones) become
            # spaces, and runs of spaces one.
            cleaned = " ".join("".join(" " if unicodedata.category(c) == "Cc" else c for c in title).split())
            reason = check_text(cleaned, PRIORITY_TITLE_MAX, required=True)
            if reason:
                raise LiveRefused(Refusal.INVALID, "title", reason)
            if phone.ideas >= IDEAS_PER_PHONE or len(self._ideas) >= IDEAS_WAITING_MAX:
                raise LiveRefused(Refusal.FULL)
            phone.ideas += 1
            idea = Idea(id=secrets.token_hex(8), title=cleaned)
            self._ideas[idea.id] = idea
        self._notify("ideas")
        return idea

    # Stopping -----------------------------------------------------------------------------------

    def close(self) -> list[Idea]:
        """Forget the phones, their tokens, the throttling and the queue; the ideas nobody
        accepted are returned (so the edge can say they were not added)."""
        with self._lock:
            self._closed = True
            left = list(self._ideas.values())
            self._phones.clear()
            self._wrong_codes.clear()
            self._ideas.clear()
            self._cache = None
        return left

    @property
    def closed(self) -> bool:
        return self._closed

    def _notify(self, what: str) -> None:
        if self._changed is not None:
            self._changed(what)


def phone_rows(rows: Sequence[tuple[PhonePriority, int]]) -> list[dict[str, object]]:
    """The JSON of GET /api/priorities."""
    return [{"id": row.id, "title": row.title, "votes": row.votes, "mine": mine} for row, mine in rows]
