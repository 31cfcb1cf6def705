import datetime as dt

from conftest import sample_session

from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.services.collate import collate, confirm


def _session(venue: str, *priorities: Priority) -> Session:
    return sample_session(*priorities, title=f"Evening at {venue}", date=dt.date(2026, 11, 18),
                          venue=venue)


def test_same_titles_group_and_votes_sum():
    first = _session("Church hall", Priority("Fly-tipping in the back alleys", votes=11,
                                             domains=["environmental-conditions"]),
                     Priority("Help with debt", votes=3))
    second = _session("Library", Priority("fly tipping in the BACK alley", votes=4,
                                          actions=[Action("Ask the council")]))
    collation = collate([first, second])
    ranked = collation.ranked()
    top = ranked[0]
    assert top.votes == 15
    assert top.halls == ["Church hall", "Library"]
    assert top.title == "Fly-tipping in the back alleys"
    assert top.domains == ["environmental-conditions"]
    assert top.actions == [("Library", "Ask the council", "", "")]
    assert ranked[1].votes == 3
    assert collation.proposals == []


def test_similar_titles_are_proposed_and_wait_for_confirmation():
    first = _session("Church hall", Priority("Older neighbours are lonely", votes=6))
    second = _session("Library", Priority("Lonely older people on the estate", votes=5))
    collation = collate([first, second])
    assert len(collation.proposals) == 1
    # Until confirmed, each stands alone.
    assert [g.votes for g in collation.ranked()] == [6, 5]
    confirm(collation, collation.proposals[0], accept=True)
    assert [g.votes for g in collation.ranked()] == [11]


def test_refused_proposal_splits():
    first = _session("A", Priority("Older neighbours are lonely", votes=6))
    second = _session("B", Priority("Lonely older people on the estate", votes=5))
    collation = collate([first, second])
    confirm(collation, collation.proposals[0], accept=False)
    assert collation.proposals == []
    assert sorted(g.votes for g in collation.ranked()) == [5, 6]


def test_unrelated_titles_stay_apart_and_any_script_works():
    first = _session("A", Priority("پارک میں روشنی نہیں ہے", votes=2), Priority("Brak ławek w parku", votes=1))
    second = _session("B", Priority("Buses after six", votes=2))
    collation = collate([first, second])
    assert len(collation.ranked()) == 3
    assert collation.proposals == []
