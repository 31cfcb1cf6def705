"""SessionStore: every edit, stored exactly; every bad value refused with nothing written."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from nrp_desktop.domain.session import PRIORITIES_MAX, Action, Priority, Session
from nrp_desktop.services.sessions import (
    InvalidSessionValue,
    PriorityNotFound,
    SessionNotFound,
    SessionStore,
    replace_fields,
)


class FakeClock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 23, 18, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, seconds: float = 60) -> None:
        self.now += dt.timedelta(seconds=seconds)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def store(clock: FakeClock) -> Iterator[SessionStore]:
    opened = SessionStore(clock=clock)  # the isolated data folder of conftest
    yield opened
    opened.close()


def full_session() -> Session:
    return Session(
        title="  محلے کی بیٹھک — Spotkanie mieszkańców 🏘️  ",
        date=dt.date(2026, 11, 23),
        venue="Świetlica, ul. Źródlana 5",
        neighbourhood="حي الزهور",
        facilitator="Łucja 👩🏽‍🦱",
        participants=23,
        language="ur-PK",
        notes="\n  Przerwa na herbatę ☕ o 19:30. שלום. مرحبا بالجميع  \n",
        ratings={"social-connectedness": 2, "governance-systems": 7, "cultural-coherence": 1},
        groups=["میز 1", "Stół 2 🪑"],
        priorities=[
            Priority(
                title="  بزرگ پڑوسی تنہا ہیں ",
                description="Odkąd zlikwidowano autobus 🚌, starsi sąsiedzi nie wychodzą.",
                domains=["social-connectedness", "environmental-conditions", "social-connectedness"],
                votes=14,
                group="میز 1",
                lessons=["lesson-one", "a-slug-nobody-knows"],
                actions=[Action("  Zapytać radę o minibus ", "Two volunteers", "przed świętami"),
                         Action("لکھیں خط کونسل کو")],
                notes="RTL ‏עברית‏ and emoji 🧓🏾",
            ),
            Priority(title="Rubbish in the alleys", votes=0, group="Stół 2 🪑"),
            Priority(title="Nobody asks us", domains=["governance-systems"], votes=1_000_000),
        ],
    )


def expected_stored(session: Session) -> Session:
    """What the store keeps: text trimmed of outer spaces, each domain once; nothing else."""
    stored = dataclasses.replace(
        session,
        title=session.title.strip(),
        notes=session.notes.strip(),
        priorities=[
            dataclasses.replace(
                p,
                title=p.title.strip(),
                domains=list(dict.fromkeys(p.domains)),
                actions=[Action(a.what.strip(), a.who.strip(), a.when.strip()) for a in p.actions],
            )
            for p in session.priorities
        ],
    )
    stored.ratings = {slug: session.ratings[slug] for slug in
                      ("social-connectedness", "cultural-coherence", "governance-systems")}
    return stored


def snapshot(store: SessionStore) -> list[Any]:
    """Everything stored, including when each session was last edited."""
    return [(summary, store.load_session(summary.id)) for summary in store.list_sessions()] + [
        store.last_open_session_id()
    ]


# --- sessions ---------------------------------------------------------------------------------


def test_a_full_session_round_trips_exactly_in_any_script(store: SessionStore):
    original = full_session()
    stored = store.save_session(original)
    loaded = store.load_session(original.id)
    assert loaded == stored == expected_stored(original)
    assert loaded.priorities[0].title == "بزرگ پڑوسی تنہا ہیں"
    assert loaded.facilitator == "Łucja 👩🏽‍🦱"
    assert loaded.priorities[0].lessons == ["lesson-one", "a-slug-nobody-knows"]


def test_reopening_the_store_gives_back_the_same_session(store: SessionStore, clock: FakeClock):
    stored = store.save_session(full_session())
    store.close()
    with SessionStore(clock=clock) as reopened:
        assert reopened.load_session(stored.id) == stored


def test_save_session_replaces_the_whole_session_and_keeps_its_creation_time(
    store: SessionStore, clock: FakeClock
):
    original = store.save_session(full_session())
    clock.advance(3600)
    replacement = Session(id=original.id, title="Replaced", date=dt.date(2026, 1, 1),
                          priorities=[Priority(title="Only one")])
    store.save_session(replacement)
    loaded = store.load_session(original.id)
    assert loaded.title == "Replaced" and [p.title for p in loaded.priorities] == ["Only one"]
    assert loaded.ratings == {} and loaded.groups == []
    [summary] = store.list_sessions()
    assert summary.updated_at == clock.now


def test_replacing_the_open_session_keeps_it_remembered_as_open(store: SessionStore):
    stored = store.save_session(full_session())
    store.set_last_open_session(stored.id)
    store.save_session(dataclasses.replace(stored, title="Re-imported"))
    assert store.last_open_session_id() == stored.id


def test_create_list_and_load(store: SessionStore, clock: FakeClock):
    older = store.create_session("Autumn meeting", dt.date(2026, 10, 1), venue="Library")
    clock.advance()
    newer = store.create_session("Winter meeting", "2026-12-01", participants=0, language="pl")
    clock.advance()
    same_day_later = store.create_session("Winter, second table", dt.date(2026, 12, 1))
    store.add_priority(older.id, Priority(title="One"))
    store.add_priority(older.id, Priority(title="Two"))
    summaries = store.list_sessions()
    assert [s.id for s in summaries] == [same_day_later.id, newer.id, older.id]
    assert [s.priorities for s in summaries] == [0, 0, 2]
    assert summaries[2].title == "Autumn meeting" and summaries[2].date == dt.date(2026, 10, 1)
    loaded = store.load_session(newer.id)
    assert (loaded.participants, loaded.language, loaded.date) == (0, "pl", dt.date(2026, 12, 1))
    assert store.load_session(older.id).venue == "Library"


def test_missing_sessions_and_priorities_are_named(store: SessionStore):
    with pytest.raises(SessionNotFound, match="no-such-id"):
        store.load_session("no-such-id")
    with pytest.raises(SessionNotFound):
        store.set_votes("no-such-id", "p", 1)
    with pytest.raises(SessionNotFound):
        store.delete_session("no-such-id")
    session = store.create_session("Here", dt.date(2026, 1, 1))
    with pytest.raises(PriorityNotFound, match="no-such-priority"):
        store.set_votes(session.id, "no-such-priority", 1)
    with pytest.raises(PriorityNotFound):
        store.update_priority(session.id, Priority(title="Never added"))
    with pytest.raises(PriorityNotFound):
        store.remove_priority(session.id, "no-such-priority")


def test_update_session_fields_and_rename(store: SessionStore, clock: FakeClock):
    session = store.create_session("Draft", dt.date(2026, 1, 1))
    clock.advance()
    store.update_session_fields(session.id, venue="  Salle des fêtes ", participants=12,
                                notes="مرحبا", date=dt.date(2026, 2, 2))
    store.rename_session(session.id, " Évaluation du quartier ")
    loaded = store.load_session(session.id)
    assert (loaded.title, loaded.venue, loaded.participants, loaded.notes, loaded.date) == (
        "Évaluation du quartier", "Salle des fêtes", 12, "مرحبا", dt.date(2026, 2, 2)
    )
    assert store.list_sessions()[0].updated_at == clock.now
    store.update_session_fields(session.id, participants=None)
    assert store.load_session(session.id).participants is None


def test_ratings_are_set_changed_and_cleared(store: SessionStore):
    session = store.create_session("Compass", dt.date(2026, 1, 1))
    store.set_rating(session.id, "economic-resources", 2)
    store.set_rating(session.id, "social-connectedness", 5)
    store.set_rating(session.id, "economic-resources", 6)
    store.set_rating(session.id, "social-connectedness", None)
    assert store.load_session(session.id).ratings == {"economic-resources": 6}


def test_several_ratings_are_stored_all_or_none(store: SessionStore):
    session = store.create_session("Compass", dt.date(2026, 1, 1))
    store.set_ratings(session.id, {"economic-resources": 2, "social-connectedness": 5})
    with pytest.raises(InvalidSessionValue, match="cultural-coherence"):
        store.set_ratings(session.id, {"economic-resources": 3, "cultural-coherence": 9})
    assert store.load_session(session.id).ratings == {"economic-resources": 2,
                                                      "social-connectedness": 5}


def test_a_tally_of_several_priorities_is_stored_all_or_none(store: SessionStore):
    session = store.create_session("Dots", dt.date(2026, 1, 1))
    first, second = (store.add_priority(session.id, Priority(title=t)).id for t in "AB")
    store.set_many_votes(session.id, {first: 3, second: 4})
    with pytest.raises(PriorityNotFound):
        store.set_many_votes(session.id, {first: 10, "no-such-priority": 1})
    with pytest.raises(InvalidSessionValue):
        store.set_many_votes(session.id, {first: 10, second: -1})
    assert [p.votes for p in store.load_session(session.id).priorities] == [3, 4]


def test_groups_and_the_priorities_that_lose_theirs(store: SessionStore):
    session = store.create_session("Tables", dt.date(2026, 1, 1))
    store.set_groups(session.id, [" Table 1 ", "Table 2"])
    kept = store.add_priority(session.id, Priority(title="A", group="Table 1"))
    orphan = store.add_priority(session.id, Priority(title="B", group="Table 2"))
    cleared = store.set_groups(session.id, ["Table 1", "Table 3"])
    assert cleared == {orphan.id: "Table 2"}
    loaded = store.load_session(session.id)
    assert loaded.groups == ["Table 1", "Table 3"]
    assert [(p.id, p.group) for p in loaded.priorities] == [(kept.id, "Table 1"), (orphan.id, None)]


def test_delete_session(store: SessionStore):
    kept = store.create_session("Kept", dt.date(2026, 1, 1))
    doomed = store.save_session(full_session())
    store.delete_session(doomed.id)
    assert [s.id for s in store.list_sessions()] == [kept.id]
    with pytest.raises(SessionNotFound):
        store.load_session(doomed.id)


def test_the_last_open_session_is_remembered_across_restarts(store: SessionStore, clock: FakeClock):
    session = store.create_session("Open me", dt.date(2026, 1, 1))
    assert store.last_open_session_id() is None
    store.set_last_open_session(session.id)
    store.close()
    with SessionStore(clock=clock) as reopened:
        assert reopened.last_open_session_id() == session.id
        reopened.set_last_open_session(None)
        assert reopened.last_open_session_id() is None
        with pytest.raises(SessionNotFound):
            reopened.set_last_open_session("gone")


# --- priorities -------------------------------------------------------------------------------


@pytest.fixture
def ranked(store: SessionStore) -> tuple[str, list[str]]:
    """A session with priorities A, B, C, D in that order."""
    session = store.create_session("Ranking", dt.date(2026, 1, 1))
    ids = [store.add_priority(session.id, Priority(title=t)).id for t in "ABCD"]
    return session.id, ids


def titles(store: SessionStore, session_id: str) -> str:
    return "".join(p.title for p in store.load_session(session_id).priorities)


def test_add_priority_at_an_index(store: SessionStore, ranked: tuple[str, list[str]]):
    session_id, _ = ranked
    store.add_priority(session_id, Priority(title="X"), index=0)
    store.add_priority(session_id, Priority(title="Y"), index=3)
    store.add_priority(session_id, Priority(title="Z"), index=6)
    assert titles(store, session_id) == "XABYCDZ"


def test_remove_and_re_add_restores_the_ranking(store: SessionStore, ranked: tuple[str, list[str]]):
    session_id, ids = ranked
    store.update_priority(session_id, Priority(id=ids[1], title="B", votes=4, domains=["economic-resources"],
                                               lessons=["x"], actions=[Action("Do")]))
    before = store.load_session(session_id)
    removed, index = store.remove_priority(session_id, ids[1])
    assert index == 1 and removed == before.priorities[1]
    assert titles(store, session_id) == "ACD"
    store.add_priority(session_id, removed, index)
    assert store.load_session(session_id) == before


def test_move_priority(store: SessionStore, ranked: tuple[str, list[str]]):
    session_id, ids = ranked
    store.move_priority(session_id, ids[0], 3)
    assert titles(store, session_id) == "BCDA"
    store.move_priority(session_id, ids[3], 0)
    assert titles(store, session_id) == "DBCA"
    store.move_priority(session_id, ids[2], 2)
    assert titles(store, session_id) == "DBCA"


def test_reorder_priorities_by_votes(store: SessionStore, ranked: tuple[str, list[str]]):
    session_id, ids = ranked
    for priority_id, votes in zip(ids, (1, 7, 3, 5), strict=True):
        store.set_votes(session_id, priority_id, votes)
    by_votes = sorted(store.load_session(session_id).priorities, key=lambda p: -p.votes)
    store.reorder_priorities(session_id, [p.id for p in by_votes])
    loaded = store.load_session(session_id)
    assert [(p.title, p.votes) for p in loaded.priorities] == [("B", 7), ("D", 5), ("C", 3), ("A", 1)]


def test_update_priority_replaces_fields_domains_lessons_and_actions(
    store: SessionStore, ranked: tuple[str, list[str]]
):
    session_id, ids = ranked
    store.set_groups(session_id, ["Table 1"])
    first = store.load_session(session_id).priorities[2]
    store.update_priority(session_id, replace_fields(
        first, title=" Streets feel unsafe 🌙 ", domains=["environmental-conditions"], lessons=["a", "b"],
        actions=[Action("Walk the streets", "Ola", "Friday")], group="Table 1", notes="n", votes=9,
    ))
    second = replace_fields(store.load_session(session_id).priorities[2], domains=["governance-systems"],
                            lessons=["c"], actions=[], group=None)
    stored = store.update_priority(session_id, second)
    loaded = store.load_session(session_id).priorities[2]
    assert loaded == stored
    assert (loaded.id, loaded.title, loaded.domains, loaded.lessons, loaded.actions, loaded.group) == (
        ids[2], "Streets feel unsafe 🌙", ["governance-systems"], ["c"], [], None
    )
    assert (loaded.votes, loaded.notes) == (9, "n")
    assert titles(store, session_id) == "ABStreets feel unsafe 🌙D"


def test_set_votes_marks_the_session_edited(store: SessionStore, clock: FakeClock,
                                            ranked: tuple[str, list[str]]):
    session_id, ids = ranked
    clock.advance(600)
    store.set_votes(session_id, ids[3], 12)
    assert store.load_session(session_id).priorities[3].votes == 12
    assert store.list_sessions()[0].updated_at == clock.now


# --- refusals ---------------------------------------------------------------------------------

MEGABYTES = "x" * 3_000_000
BROKEN = "half an emoji \ud83d"  # a lone surrogate, as a broken paste can give

Refusal = Callable[[SessionStore, str, list[str]], Any]
REFUSALS: list[tuple[str, Refusal, str]] = [
    ("empty title", lambda s, sid, ids: s.rename_session(sid, "   "), "session.title"),
    ("megabytes of notes", lambda s, sid, ids: s.update_session_fields(sid, notes=MEGABYTES), "session.notes"),
    ("broken character", lambda s, sid, ids: s.update_session_fields(sid, venue=BROKEN), "session.venue"),
    ("not text", lambda s, sid, ids: s.update_session_fields(sid, facilitator=42), "session.facilitator"),
    ("bad date", lambda s, sid, ids: s.update_session_fields(sid, date="next Tuesday"), "session.date"),
    ("datetime for date", lambda s, sid, ids: s.update_session_fields(
        sid, date=dt.datetime(2026, 1, 1)), "session.date"),
    ("negative head count", lambda s, sid, ids: s.update_session_fields(sid, participants=-1),
     "session.participants"),
    ("language", lambda s, sid, ids: s.update_session_fields(sid, language="English please"),
     "session.language"),
    ("unknown field", lambda s, sid, ids: s.update_session_fields(sid, names="Ann, Bob"), "session.names"),
    ("rating too high", lambda s, sid, ids: s.set_rating(sid, "economic-resources", 8),
     "session.ratings.economic-resources"),
    ("rating not whole", lambda s, sid, ids: s.set_rating(sid, "economic-resources", 2.5),
     "session.ratings.economic-resources"),
    ("unknown domain rating", lambda s, sid, ids: s.set_rating(sid, "happiness", 3), "session.ratings.happiness"),
    ("group twice", lambda s, sid, ids: s.set_groups(sid, ["T1", " T1 "]), "session.groups[1]"),
    ("empty group", lambda s, sid, ids: s.set_groups(sid, ["T1", ""]), "session.groups[1]"),
    ("negative votes", lambda s, sid, ids: s.set_votes(sid, ids[0], -1), "priority.votes"),
    ("absurd votes", lambda s, sid, ids: s.set_votes(sid, ids[0], 10**12), "priority.votes"),
    ("votes as text", lambda s, sid, ids: s.set_votes(sid, ids[0], "7"), "priority.votes"),
    ("votes as bool", lambda s, sid, ids: s.set_votes(sid, ids[0], True), "priority.votes"),
    ("empty priority title", lambda s, sid, ids: s.add_priority(sid, Priority(title=" ")), "priority.title"),
    ("huge description", lambda s, sid, ids: s.update_priority(
        sid, Priority(id=ids[0], title="A", description=MEGABYTES)), "priority.description"),
    ("unknown domain", lambda s, sid, ids: s.update_priority(
        sid, Priority(id=ids[0], title="A", domains=["social-connectedness", "weather"])),
     "priority.domains[1]"),
    ("group not in session", lambda s, sid, ids: s.update_priority(
        sid, Priority(id=ids[0], title="A", group="Table 9")), "priority.group"),
    ("action without what", lambda s, sid, ids: s.update_priority(
        sid, Priority(id=ids[0], title="A", actions=[Action("ok"), Action("  ", who="me")])),
     "priority.actions[1].what"),
    ("empty lesson slug", lambda s, sid, ids: s.add_priority(sid, Priority(title="L", lessons=[""])),
     "priority.lessons[0]"),
    ("duplicate priority id", lambda s, sid, ids: s.add_priority(sid, Priority(id=ids[1], title="Copy")),
     "priority.id"),
    ("index out of range", lambda s, sid, ids: s.add_priority(sid, Priority(title="Far"), index=9),
     "priority.index"),
    ("move out of range", lambda s, sid, ids: s.move_priority(sid, ids[0], 2), "priority.index"),
    ("reorder missing one", lambda s, sid, ids: s.reorder_priorities(sid, [ids[0]]), "session.priorities"),
    ("reorder with a stranger", lambda s, sid, ids: s.reorder_priorities(sid, [ids[0], "stranger"]),
     "session.priorities"),
]


@pytest.mark.parametrize(("operation", "field"), [(r[1], r[2]) for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])
def test_bad_values_are_refused_naming_the_field_with_nothing_written(
    store: SessionStore, clock: FakeClock, operation: Refusal, field: str
):
    session = store.create_session("Workshop", dt.date(2026, 1, 1))
    store.set_groups(session.id, ["T1"])
    ids = [store.add_priority(session.id, Priority(title=t, actions=[Action("keep me")])).id for t in "AB"]
    store.set_last_open_session(session.id)
    before = snapshot(store)
    clock.advance()  # a refused edit must not even mark the session as edited
    with pytest.raises(InvalidSessionValue) as refused:
        operation(store, session.id, ids)
    assert refused.value.field == field
    assert str(refused.value).startswith(f"{field}: ")
    assert isinstance(refused.value, ValueError)
    assert snapshot(store) == before


def test_a_session_is_refused_whole_listing_every_problem(store: SessionStore):
    bad = Session(
        title="",
        date=dt.date(2026, 1, 1),
        participants=-3,
        ratings={"social-connectedness": 0},
        groups=["A"],
        priorities=[Priority(title="Fine"), Priority(title="x" * 201, votes=-2, group="B")],
    )
    bad.priorities.append(Priority(id=bad.priorities[0].id, title="Same id"))
    with pytest.raises(InvalidSessionValue) as refused:
        store.save_session(bad)
    assert {p.field for p in refused.value.problems} == {
        "session.title", "session.participants", "session.ratings.social-connectedness",
        "session.priorities[1].title", "session.priorities[1].votes", "session.priorities[1].group",
        "session.priorities[2].id",
    }
    assert store.list_sessions() == []


def test_a_session_holds_at_most_the_limit_of_priorities(store: SessionStore):
    stored = store.save_session(Session(title="Full", date=dt.date(2026, 1, 1),
                                        priorities=[Priority(title=f"P{i}") for i in range(PRIORITIES_MAX)]))
    with pytest.raises(InvalidSessionValue, match=f"at most {PRIORITIES_MAX}"):
        store.add_priority(stored.id, Priority(title="One too many"))
    assert len(store.load_session(stored.id).priorities) == PRIORITIES_MAX


def test_bad_create_session_stores_nothing(store: SessionStore):
    with pytest.raises(InvalidSessionValue) as refused:
        store.create_session("", dt.date(2026, 1, 1), venue="v" * 201)
    assert [p.field for p in refused.value.problems] == ["session.title", "session.venue"]
    assert store.list_sessions() == []


def test_accepted_text_is_kept_exactly_at_the_limits(store: SessionStore):
    title = "ę" * 200
    session = store.create_session(f"  {title}\t", dt.date(2026, 1, 1), notes="🙂" * 20_000)
    loaded = store.load_session(session.id)
    assert loaded.title == title and loaded.notes == "🙂" * 20_000
    priority = store.add_priority(session.id, Priority(title="ا" * 200, description="\u200f" + "ב" * 4999))
    assert store.load_session(session.id).priorities[0] == priority
    assert priority.description == "\u200f" + "ב" * 4999
