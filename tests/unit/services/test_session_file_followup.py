"""Contract §5.1 in the session file: follow-up links and the state of actions."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from nrp_desktop.services.session_file import (
    SessionFileError,
    parse_session_bytes,
    session_to_json,
    unknown_follows_warning,
)

EARLIER = "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"
LATER = "7c1d2e3f-4a5b-4c6d-8e7f-901a2b3c4d5e"
ACTION_ID = "aaaaaaaa-1111-4222-8333-444444444444"
PRIORITY_ID = "bbbbbbbb-1111-4222-8333-444444444444"
EARLIER_PRIORITY = "cccccccc-1111-4222-8333-444444444444"

FOLLOW_UP = {
    "format": "nrp-session",
    "version": 1,
    "session": {
        "id": LATER,
        "title": "Three months on",
        "date": "2027-02-17",
        "follows": EARLIER,
        "priorities": [
            {"title": "First", "votes": 1},
            {"title": "Second"},
            {
                "id": PRIORITY_ID,
                "title": "Back alleys full of rubbish",
                "carried_from": EARLIER_PRIORITY,
                "actions": [
                    {
                        "id": ACTION_ID,
                        "what": "Ask the council about a clean-up day",
                        "who": "Two volunteers",
                        "when": "Before Christmas",
                        "status": "started",
                        "progress": "Asked twice; a date in March 🧹 — ملاحظات",
                        "updated": "2027-02-10",
                        "carried_from": EARLIER,
                    },
                    {"what": "Map the dark corners", "status": "done"},
                    {"what": "An old one, no state"},
                ],
            },
        ],
    },
}


def parse(document: dict) -> object:
    return parse_session_bytes(json.dumps(document, ensure_ascii=False).encode(), "f.nrpsession")


def test_every_new_field_is_read():
    parsed = parse(FOLLOW_UP)
    session = parsed.session
    assert session.follows == EARLIER
    priority = session.priorities[2]
    assert priority.carried_from == EARLIER_PRIORITY
    first, second, third = priority.actions
    assert (first.id, first.status, first.progress, first.updated.isoformat(), first.carried_from) == (
        ACTION_ID, "started", "Asked twice; a date in March 🧹 — ملاحظات", "2027-02-10", EARLIER,
    )
    assert second.status == "done" and second.carried_from is None and second.updated is None
    assert third.status == "agreed", "agreed is the default"
    assert parsed.warnings == []


def test_a_round_trip_keeps_every_new_field_exactly():
    parsed = parse(FOLLOW_UP)
    written = json.loads(session_to_json(parsed.session, content_version=None))["session"]
    assert written["follows"] == EARLIER
    priority = written["priorities"][2]
    assert priority["carried_from"] == EARLIER_PRIORITY
    assert priority["actions"][0] == FOLLOW_UP["session"]["priorities"][2]["actions"][0]
    # An action that had no id got one when read, and keeps it through the next round trip.
    made_id = priority["actions"][1]["id"]
    again = parse({**FOLLOW_UP, "session": written}).session
    assert again.priorities[2].actions[1].id == made_id
    assert json.loads(session_to_json(again, None))["session"] == written


def test_an_older_file_without_the_new_fields_still_opens(tmp_path: Path):
    example = Path(__file__).resolve().parents[3].parent / "shared" / "examples" / "session-example.nrpsession"
    parsed = parse_session_bytes(example.read_bytes(), example.name)
    assert parsed.session.follows is None
    actions = [a for p in parsed.session.priorities for a in p.actions]
    assert actions and all(a.status == "agreed" and a.id for a in actions)
    assert len({a.id for a in actions}) == len(actions)


def test_an_unknown_status_is_refused_with_its_place():
    document = copy.deepcopy(FOLLOW_UP)
    document["session"]["priorities"][2]["actions"][0]["status"] = "finished"
    with pytest.raises(SessionFileError) as refused:
        parse(document)
    assert str(refused.value) == (
        "f.nrpsession: session.priorities[2].actions[0].status: "
        "must be one of agreed, started, done, dropped"
    )


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("progress", "x" * 1001, "must be at most 1000 characters (it has 1001)"),
        ("updated", "10/02/2027", "must be a date written YYYY-MM-DD"),
        ("carried_from", "yesterday", "must be a UUID"),
        ("id", 7, "must be a UUID (text), not a number"),
        ("status", 3, "must be one of agreed, started, done, dropped"),
    ],
)
def test_bad_action_fields_are_refused_with_their_place(field: str, value: object, reason: str):
    document = copy.deepcopy(FOLLOW_UP)
    document["session"]["priorities"][2]["actions"][0][field] = value
    with pytest.raises(SessionFileError) as refused:
        parse(document)
    assert refused.value.place == f"session.priorities[2].actions[0].{field}"
    assert reason in refused.value.reason


def test_two_actions_with_one_id_are_refused():
    document = copy.deepcopy(FOLLOW_UP)
    document["session"]["priorities"][0]["actions"] = [{"id": ACTION_ID, "what": "Twin"}]
    with pytest.raises(SessionFileError) as refused:
        parse(document)
    assert refused.value.place == "session.priorities[2].actions[0].id"
    assert "session.priorities[0].actions[0]" in refused.value.reason


def test_a_bad_follows_is_refused_but_an_unknown_one_is_kept_with_one_warning():
    document = copy.deepcopy(FOLLOW_UP)
    document["session"]["follows"] = "last time"
    with pytest.raises(SessionFileError) as refused:
        parse(document)
    assert refused.value.place == "session.follows"
    session = parse(FOLLOW_UP).session
    warning = unknown_follows_warning(session, {LATER})
    assert warning is not None and warning.startswith("session.follows:") and EARLIER in warning
    assert unknown_follows_warning(session, {EARLIER}) is None
