"""The rules of votes from phones, without HTTP: codes, tokens, dots, throttling, ideas."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Mapping
from pathlib import Path

import pytest

from nrp_desktop.domain.session import Priority
from nrp_desktop.services.live_votes import (
    IDEAS_PER_PHONE,
    WRONG_CODE_WINDOW,
    WRONG_CODES_ALLOWED,
    LiveRefused,
    LiveVoting,
    PhonePriority,
    Refusal,
    StoreVoteSink,
    new_join_code,
)
from nrp_desktop.services.sessions import SessionStore


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class MemorySink:
    """Votes in a dict; records each batch, so group commits can be seen."""

    def __init__(self, ids: list[str]) -> None:
        self.votes = dict.fromkeys(ids, 0)
        self.batches: list[dict[str, int]] = []
        self.fail = False
        self.gate: threading.Event | None = None

    def apply_votes(self, deltas: Mapping[str, int]) -> set[str]:
        if self.gate is not None:
            self.gate.wait(5)
        if self.fail:
            raise OSError("disk full")
        self.batches.append(dict(deltas))
        known = {pid for pid in deltas if pid in self.votes}
        for pid in known:
            self.votes[pid] = max(0, self.votes[pid] + deltas[pid])
        return known

    def priorities(self) -> list[PhonePriority]:
        return [PhonePriority(pid, pid.upper(), votes) for pid, votes in self.votes.items()]


def refusal(error: pytest.ExceptionInfo[LiveRefused]) -> Refusal:
    return error.value.refusal


def test_join_codes_are_six_random_digits_new_each_run():
    codes = {new_join_code() for _ in range(200)}
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len(codes) > 190  # random, not a counter or a constant
    runs = {LiveVoting(MemorySink([])).code for _ in range(20)}
    assert len(runs) > 15 and all(len(code) == 6 and code.isdigit() for code in runs)


def test_join_gives_a_fresh_token_and_the_dots():
    voting = LiveVoting(MemorySink(["a"]), dots=4, code="123456")
    token, dots = voting.join("123456", "10.0.0.5")
    other, _ = voting.join(" 123456 ", "10.0.0.6")
    assert dots == 4 and token != other and len(token) >= 32
    assert voting.phones_joined == 2


def test_wrong_codes_are_refused_then_throttled_per_address_until_the_window_passes():
    clock = FakeClock()
    voting = LiveVoting(MemorySink([]), code="123456", clock=clock)
    for _ in range(WRONG_CODES_ALLOWED):
        with pytest.raises(LiveRefused) as wrong:
            voting.join("000000", "10.0.0.9")
        assert refusal(wrong) is Refusal.WRONG_CODE
    with pytest.raises(LiveRefused) as throttled:
        voting.join("123456", "10.0.0.9")  # even the right code: guessing must stop here
    assert refusal(throttled) is Refusal.THROTTLED
    assert voting.join("123456", "10.0.0.10")[0]  # another phone is not held up
    clock.now += WRONG_CODE_WINDOW + 1
    assert voting.join("123456", "10.0.0.9")[0]
    assert voting.throttled_addresses() == 0  # the address is forgotten once throttling is over


@pytest.mark.parametrize("code", [None, 123456, "", "1" * 100, ["123456"]])
def test_a_malformed_code_is_invalid_or_wrong_never_a_crash(code: object):
    voting = LiveVoting(MemorySink([]), code="123456")
    with pytest.raises(LiveRefused) as refused:
        voting.join(code, "10.0.0.1")
    assert refusal(refused) in (Refusal.INVALID, Refusal.WRONG_CODE)


def test_every_operation_needs_a_token_of_this_run():
    voting = LiveVoting(MemorySink(["a"]), code="123456")
    for token in (None, "", "forged-token", 42):
        with pytest.raises(LiveRefused) as refused:
            voting.authorize(token)  # type: ignore[arg-type]
        assert refusal(refused) is Refusal.UNAUTHORIZED
        with pytest.raises(LiveRefused):
            asyncio.run(voting.place_dot(token, "a"))  # type: ignore[arg-type]
        with pytest.raises(LiveRefused):
            voting.suggest(token, "An idea")  # type: ignore[arg-type]


def test_dots_are_placed_taken_back_and_limited():
    sink = MemorySink(["a", "b"])
    voting = LiveVoting(sink, dots=3, code="123456")
    token, _ = voting.join("123456", "x")

    async def scenario() -> None:
        assert await voting.place_dot(token, "a") == 2
        assert await voting.place_dot(token, "a") == 1
        assert await voting.place_dot(token, "b") == 0
        with pytest.raises(LiveRefused) as none_left:
            await voting.place_dot(token, "b")
        assert refusal(none_left) is Refusal.NO_DOTS_LEFT
        assert await voting.take_back_dot(token, "a") == 1
        assert await voting.take_back_dot(token, "a") == 2
        with pytest.raises(LiveRefused) as not_there:
            await voting.take_back_dot(token, "a")
        assert refusal(not_there) is Refusal.NO_DOT_THERE
        rows = dict((row.id, mine) for row, mine in await voting.priorities_for(token))
        assert rows == {"a": 0, "b": 1}

    asyncio.run(scenario())
    assert sink.votes == {"a": 0, "b": 1}


def test_unknown_priorities_are_refused_and_cost_no_dot():
    voting = LiveVoting(MemorySink(["a"]), dots=1, code="123456")
    token, _ = voting.join("123456", "x")

    async def scenario() -> None:
        for bad in ("nope", "", None, 7, "x" * 500):
            with pytest.raises(LiveRefused) as refused:
                await voting.place_dot(token, bad)
            assert refusal(refused) in (Refusal.UNKNOWN_PRIORITY, Refusal.INVALID)
        with pytest.raises(LiveRefused) as take_back:
            await voting.take_back_dot(token, "nope")
        assert refusal(take_back) is Refusal.UNKNOWN_PRIORITY
        assert await voting.place_dot(token, "a") == 0

    asyncio.run(scenario())


def test_a_dot_on_a_priority_deleted_meanwhile_comes_back_to_the_phone():
    sink = MemorySink(["a", "b"])
    voting = LiveVoting(sink, dots=1, code="123456")
    token, _ = voting.join("123456", "x")

    async def scenario() -> None:
        await voting.place_dot(token, "a")
        del sink.votes["a"]  # the facilitator removed it
        with pytest.raises(LiveRefused) as gone:
            await voting.take_back_dot(token, "a")
        assert refusal(gone) is Refusal.UNKNOWN_PRIORITY
        assert await voting.place_dot(token, "b") == 0

    asyncio.run(scenario())


def test_a_phone_cannot_spend_a_dot_twice_by_sending_at_once():
    sink = MemorySink(["a"])
    voting = LiveVoting(sink, dots=3, code="123456")
    token, _ = voting.join("123456", "x")

    async def scenario() -> list[object]:
        return await asyncio.gather(*(voting.place_dot(token, "a") for _ in range(10)), return_exceptions=True)

    results = asyncio.run(scenario())
    # Three stored; the dots left count what is placed by then (all three, once they are all in).
    assert len([r for r in results if isinstance(r, int)]) == 3
    assert all(refusal_of(r) is Refusal.NO_DOTS_LEFT for r in results if not isinstance(r, int))
    assert sink.votes == {"a": 3}


def refusal_of(result: object) -> Refusal | None:
    return result.refusal if isinstance(result, LiveRefused) else None


def test_votes_arriving_together_are_written_in_one_batch():
    sink = MemorySink(["a", "b"])
    sink.gate = threading.Event()
    voting = LiveVoting(sink, dots=3, code="123456")
    tokens = [voting.join("123456", f"10.0.0.{n}")[0] for n in range(20)]

    async def scenario() -> None:
        first = asyncio.ensure_future(voting.place_dot(tokens[0], "a"))
        await asyncio.sleep(0.05)  # the first write is running (held at the gate)
        rest = [asyncio.ensure_future(voting.place_dot(token, "b")) for token in tokens[1:]]
        await asyncio.sleep(0.05)
        sink.gate.set()
        await asyncio.gather(first, *rest)

    asyncio.run(scenario())
    assert sink.votes == {"a": 1, "b": 19}
    assert sink.batches == [{"a": 1}, {"b": 19}]


def test_a_failed_write_refuses_the_vote_and_gives_the_dot_back():
    sink = MemorySink(["a"])
    voting = LiveVoting(sink, dots=1, code="123456")
    token, _ = voting.join("123456", "x")
    sink.fail = True
    with pytest.raises(LiveRefused) as refused:
        asyncio.run(voting.place_dot(token, "a"))
    assert refusal(refused) is Refusal.NOT_STORED
    sink.fail = False
    assert asyncio.run(voting.place_dot(token, "a")) == 0


def test_a_phone_sending_too_fast_is_rate_limited_and_recovers():
    clock = FakeClock()
    voting = LiveVoting(MemorySink(["a"]), code="123456", clock=clock)
    token, _ = voting.join("123456", "x")

    async def burst() -> list[object]:
        return [await _try(voting.priorities_for(token)) for _ in range(60)]

    results = asyncio.run(burst())
    assert any(refusal_of(r) is Refusal.RATE_LIMITED for r in results)
    assert not isinstance(results[0], LiveRefused)
    clock.now += 10
    assert asyncio.run(voting.priorities_for(token))


async def _try(awaitable):  # type: ignore[no-untyped-def]
    try:
        return await awaitable
    except LiveRefused as refused:
        return refused


def test_ideas_wait_in_a_queue_until_the_facilitator_takes_them():
    voting = LiveVoting(MemorySink([]), code="123456")
    token, _ = voting.join("123456", "x")
    idea = voting.suggest(token, "  More   benches\nin the park ")
    assert voting.waiting_ideas() == [idea] and idea.title == "More benches in the park"
    assert voting.suggest(token, "Bins\x00\x1b[31m emptied\u0085weekly").title == "Bins [31m emptied weekly"
    for bad in ("", "   ", "x" * 201, 5, None, "\ud800 broken", "\x00\x07"):
        with pytest.raises(LiveRefused) as refused:
            voting.suggest(token, bad)
        assert refusal(refused) is Refusal.INVALID
    for n in range(IDEAS_PER_PHONE - 2):
        voting.suggest(token, f"Idea {n}")
    with pytest.raises(LiveRefused) as full:
        voting.suggest(token, "One too many")
    assert refusal(full) is Refusal.FULL
    assert voting.take_idea(idea.id) == idea
    assert voting.take_idea(idea.id) is None
    assert idea not in voting.waiting_ideas()


def test_close_forgets_phones_throttling_and_waiting_ideas():
    voting = LiveVoting(MemorySink(["a"]), code="123456")
    token, _ = voting.join("123456", "x")
    with pytest.raises(LiveRefused):
        voting.join("999999", "10.0.0.8")
    voting.suggest(token, "Left waiting")
    left = voting.close()
    assert [idea.title for idea in left] == ["Left waiting"]
    assert voting.phones_joined == 0 and voting.waiting_ideas() == [] and voting.throttled_addresses() == 0
    with pytest.raises(LiveRefused) as stopped:
        voting.authorize(token)
    assert refusal(stopped) is Refusal.STOPPED


def test_changes_are_announced_for_the_projector():
    seen: list[str] = []
    voting = LiveVoting(MemorySink(["a"]), code="123456", changed=seen.append)
    token, _ = voting.join("123456", "x")
    asyncio.run(voting.place_dot(token, "a"))
    voting.suggest(token, "An idea")
    assert seen == ["phones", "votes", "ideas"]


@pytest.mark.parametrize("dots", [0, -1, 101, True, "3"])
def test_dots_per_phone_must_be_sensible(dots: object):
    with pytest.raises(ValueError):
        LiveVoting(MemorySink([]), dots=dots)  # type: ignore[arg-type]


def test_the_store_sink_stores_votes_durably_and_adds_accepted_ideas(tmp_path: Path):
    with SessionStore(tmp_path / "s.sqlite3", backups_dir=tmp_path / "b") as store:
        session = store.create_session("Hall", dt.date(2026, 12, 1))
        parks = store.add_priority(session.id, Priority(title="Parks", votes=2))
        sink = StoreVoteSink(store, session.id)
        assert sink.apply_votes({parks.id: 3, "gone": 1}) == {parks.id}
        assert sink.apply_votes({parks.id: -10}) == {parks.id}  # never below 0
        assert sink.apply_votes({parks.id: 4}) == {parks.id}
        added = sink.add_idea("Benches")
        assert [(p.id, p.title, p.votes) for p in sink.priorities()] == [
            (parks.id, "Parks", 4), (added.id, "Benches", 0)
        ]
    with SessionStore(tmp_path / "s.sqlite3", backups_dir=tmp_path / "b") as reopened:
        assert [p.votes for p in reopened.load_session(session.id).priorities] == [4, 0]


def test_one_write_touches_a_bounded_number_of_priorities():
    from nrp_desktop.services.live_votes import BATCH_PRIORITIES_MAX

    ids = [f"p{n}" for n in range(BATCH_PRIORITIES_MAX * 2 + 3)]
    sink = MemorySink(ids)
    sink.gate = threading.Event()
    voting = LiveVoting(sink, dots=1, code="123456")
    tokens = [voting.join("123456", f"10.0.1.{n}")[0] for n in range(len(ids) + 1)]

    async def scenario() -> None:
        first = asyncio.ensure_future(voting.place_dot(tokens[-1], ids[0]))
        await asyncio.sleep(0.05)
        rest = [asyncio.ensure_future(voting.place_dot(token, pid)) for token, pid in zip(tokens, ids, strict=False)]
        await asyncio.sleep(0.05)
        sink.gate.set()
        await asyncio.gather(first, *rest)

    asyncio.run(scenario())
    assert all(len(batch) <= BATCH_PRIORITIES_MAX for batch in sink.batches)
    assert len(sink.batches) == 4 and sink.votes[ids[0]] == 2 and sum(sink.votes.values()) == len(ids) + 1
