"""Follow-up sessions, the chain of a group's sessions, and the state of actions as durable
service operations (contract §5.1); each table's dots (issue 12.8)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from pathlib import Path

import pytest

from nrp_desktop.domain.followup import ActionState, SessionLink, walk_chain
from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.services.collate import collate
from nrp_desktop.services.collation_pdf import collation_report
from nrp_desktop.services.followup import create_follow_up, history, previous_session
from nrp_desktop.services.session_csv import sessions_to_csv
from nrp_desktop.services.sessions import (
    ActionNotFound,
    InvalidSessionValue,
    SessionNotFound,
    SessionStore,
)

TODAY = dt.date(2027, 2, 17)


@pytest.fixture
def store(tmp_path: Path):
    moment = dt.datetime(2027, 2, 17, 19, 30, tzinfo=dt.UTC)
    with SessionStore(tmp_path / "s.sqlite3", backups_dir=tmp_path / "b", clock=lambda: moment) as opened:
        yield opened


def first_evening() -> Session:
    return Session(
        title="First evening", date=dt.date(2026, 11, 18), venue="Church hall", neighbourhood="Our estate",
        facilitator="Link worker", participants=17, language="pl", groups=["Table 1", "Table 2"],
        ratings={"social-connectedness": 3, "economic-resources": 2},
        priorities=[
            Priority("Alleys", group="Table 1", domains=["environmental-conditions"], votes=11, actions=[
                Action("Ask the council", "Two volunteers", "Before Christmas", status="started"),
                Action("Map the dark corners", status="done"),
            ]),
            Priority("Debt advice", votes=8, actions=[Action("Find advice services", status="dropped")]),
            Priority("Bus route", votes=6),
            Priority("Lonely neighbours", votes=4, actions=[Action("Tea morning")]),
        ],
    )


def test_a_follow_up_carries_the_open_actions_with_their_ids(store: SessionStore):
    earlier = store.save_session(first_evening())
    made = create_follow_up(store, earlier.id, "Three months on", TODAY)
    assert (made.carried_priorities, made.carried_actions) == (2, 2)
    later = store.load_session(made.session.id)
    assert later.follows == earlier.id
    assert (later.venue, later.neighbourhood, later.language, later.groups) == (
        "Church hall", "Our estate", "pl", ["Table 1", "Table 2"],
    )
    assert later.ratings == {} and later.participants is None
    assert [p.title for p in later.priorities] == ["Alleys", "Lonely neighbours"]
    alleys = later.priorities[0]
    assert alleys.carried_from == earlier.priorities[0].id and alleys.id != earlier.priorities[0].id
    assert alleys.votes == 0 and alleys.group == "Table 1"
    [carried] = alleys.actions
    assert carried.id == earlier.priorities[0].actions[0].id
    assert (carried.status, carried.carried_from) == ("started", earlier.id)
    # Carried again, an action keeps naming the session where it was first agreed.
    again = create_follow_up(store, later.id, "Six months on", dt.date(2027, 5, 1)).session
    assert again.priorities[0].actions[0].carried_from == earlier.id
    assert again.priorities[0].carried_from == alleys.id
    assert previous_session(store, later).id == earlier.id


def test_a_follow_up_of_an_unknown_session_or_with_a_bad_title_stores_nothing(store: SessionStore):
    with pytest.raises(SessionNotFound):
        create_follow_up(store, "no-such-id", "T", TODAY)
    earlier = store.save_session(first_evening())
    with pytest.raises(InvalidSessionValue):
        create_follow_up(store, earlier.id, "   ", TODAY)
    assert [s.id for s in store.list_sessions()] == [earlier.id]


def test_history_walks_the_chain_oldest_first_with_action_counts(store: SessionStore):
    earlier = store.save_session(first_evening())
    later = create_follow_up(store, earlier.id, "Three months on", TODAY).session
    store.set_action_status(later.id, later.priorities[0].actions[0].id, "done")
    found = history(store, later.id)
    assert [e.id for e in found.entries] == [earlier.id, later.id]
    assert found.entries[0].actions == {"agreed": 1, "started": 1, "done": 1, "dropped": 1}
    assert found.entries[1].actions == {"agreed": 1, "started": 0, "done": 1, "dropped": 0}
    assert found.entries[0].ratings == {"social-connectedness": 3, "economic-resources": 2}
    assert [e.id for e in history(store, earlier.id).entries] == [earlier.id, later.id]
    assert not found.chain.loop
    with pytest.raises(SessionNotFound):
        history(store, "nope")


def test_a_loop_of_follows_is_found_once_and_ends_the_walk(store: SessionStore):
    a = Session("A", dt.date(2027, 1, 1), id="aaaaaaaa-0000-4000-8000-000000000000",
                follows="bbbbbbbb-0000-4000-8000-000000000000")
    b = Session("B", dt.date(2027, 2, 1), id="bbbbbbbb-0000-4000-8000-000000000000", follows=a.id)
    store.save_session(a)
    store.save_session(b)
    found = history(store, a.id)
    assert [e.title for e in found.entries] == ["B", "A"]
    assert sorted(found.chain.loop) == sorted([a.id, b.id])


def test_the_chain_walk_handles_a_long_chain_a_loop_off_the_start_and_an_unknown_start():
    links = [SessionLink(f"s{i}", f"s{i - 1}" if i else "elsewhere", dt.date(2020, 1, 1) + dt.timedelta(i))
             for i in range(2000)]
    chain = walk_chain(links, "s1000")
    assert chain.ids[0] == "s0" and chain.ids[-1] == "s1999" and len(chain.ids) == 2000
    assert chain.unknown_start == "elsewhere" and chain.loop == ()
    # start → B → C → B: the loop does not pass through the start.
    looped = walk_chain([SessionLink("start", "B", dt.date(2020, 3, 1)), SessionLink("B", "C", dt.date(2020, 2, 1)),
                         SessionLink("C", "B", dt.date(2020, 1, 1))], "start")
    assert looped.ids == ("C", "B", "start") and looped.loop == ("B", "C")
    assert walk_chain([SessionLink("self", "self", dt.date(2020, 1, 1))], "self").loop == ("self",)


def test_action_status_and_progress_are_durable_and_restorable(store: SessionStore, tmp_path: Path):
    session = store.save_session(first_evening())
    action = session.priorities[0].actions[0]
    before = store.set_action_status(session.id, action.id, "done", "The clean-up day was in March")
    assert before == ActionState("started", "", None)
    stored = sqlite3.connect(tmp_path / "s.sqlite3").execute(
        "SELECT status, progress, updated FROM actions WHERE id = ?", (action.id,)).fetchone()
    assert stored == ("done", "The clean-up day was in March", "2027-02-17")
    assert store.set_action_progress(session.id, action.id, "In March, 30 came").status == "done"
    store.restore_action_state(session.id, action.id, before)
    back = store.load_session(session.id).priorities[0].actions[0]
    assert (back.status, back.progress, back.updated) == ("started", "", None)
    with pytest.raises(InvalidSessionValue) as refused:
        store.set_action_status(session.id, action.id, "finished")
    assert str(refused.value) == "action.status: must be one of agreed, started, done, dropped"
    with pytest.raises(InvalidSessionValue):
        store.set_action_progress(session.id, action.id, "x" * 1001)
    with pytest.raises(ActionNotFound):
        store.set_action_status(session.id, "no-such-action", "done")


def test_each_tables_dots_are_kept_shown_in_csv_and_collated(store: SessionStore):
    session = store.save_session(first_evening())
    alleys, debt = session.priorities[0].id, session.priorities[1].id
    store.add_table_dots(session.id, "Table 1", {alleys: 3, debt: 1})
    store.add_table_dots(session.id, "Table 2", {alleys: 2})
    loaded = store.load_session(session.id)
    assert loaded.priorities[0].votes == 16 and loaded.priorities[0].table_votes == {"Table 1": 3, "Table 2": 2}
    store.add_table_dots(session.id, "Table 2", {alleys: -2})  # an undo takes them back
    loaded = store.load_session(session.id)
    assert loaded.priorities[0].votes == 14 and loaded.priorities[0].table_votes == {"Table 1": 3}
    with pytest.raises(InvalidSessionValue):
        store.add_table_dots(session.id, "Table 2", {debt: -1})  # Table 2 gave it none
    assert store.load_session(session.id).priorities[1].votes == 9

    rows = list(csv.DictReader(io.StringIO(sessions_to_csv([loaded], {}))))
    assert rows[0]["Action status"] == "started; done"
    assert rows[0]["Votes by table"] == "Table 1: 3"
    assert rows[2]["Action status"] == ""

    report = collation_report(collate([loaded]))
    assert report.action_counts == {"agreed": 1, "started": 1, "done": 1, "dropped": 1}
    top = report.priorities[0]
    assert [(t.hall, t.table, t.votes) for t in top.by_table] == [("Church hall", "Table 1", 3)]
    assert [a.status for a in top.actions] == ["started", "done"]
