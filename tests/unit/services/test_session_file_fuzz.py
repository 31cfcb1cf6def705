"""Fuzzing the session-file reader and writer in-process with hypothesis.

The property, for thousands of generated and mutated files: reading either returns a session that
passes every rule (and survives being written and read again unchanged), or raises
SessionFileError with one clean line. Any other exception is a failure. Writing either produces
a file that reads back equal, or refuses and leaves the target untouched.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLE_SESSION
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.session import Action, Priority, Session, session_problems
from nrp_desktop.services.session_file import (
    SessionFileError,
    parse_session_bytes,
    read_session_file,
    session_to_json,
    write_session_file,
)

EXAMPLE_BYTES = EXAMPLE_SESSION.read_bytes()
EXAMPLE = json.loads(EXAMPLE_BYTES)
SOURCE = "fuzz.nrpsession"
KNOWN_LESSONS = {"known-lesson"}

# NRP_FUZZ_SCALE=20 runs twenty times as many examples, for a deeper search before a release.
SCALE = max(1, int(os.environ.get("NRP_FUZZ_SCALE", "1")))
FUZZ = settings(
    max_examples=1200 * SCALE,
    deadline=None,
    database=None,  # no .hypothesis folder left behind; failures print their reproducing input
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def check_reading(data: bytes) -> None:
    """The property every input must meet."""
    try:
        parsed = parse_session_bytes(data, SOURCE, KNOWN_LESSONS)
    except SessionFileError as error:
        message = str(error)
        assert message.startswith(f"{SOURCE}: ")
        assert "\n" not in message and "\r" not in message
        assert len(message) < 600
        message.encode("utf-8")  # strict: nothing unprintable or unencodable leaks into it
        return
    session = parsed.session
    assert session_problems(session) == []
    assert all(isinstance(warning, str) and "\n" not in warning for warning in parsed.warnings)
    text = session_to_json(session, parsed.content_version)
    again = parse_session_bytes(text.encode("utf-8"), "again.nrpsession")
    assert again.session == session


# --- Strategies -------------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(DOMAIN_SLUGS),
    st.sampled_from(["", " ", "Table 1", "2026-11-18", "nrp-session", "known-lesson"]),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=12), children, max_size=4),
    ),
    max_leaves=6,
)


def paths_in(document: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a JSON document, as a tuple of keys and indexes (the root is ())."""
    found = [prefix]
    if isinstance(document, dict):
        for key, value in document.items():
            found.extend(paths_in(value, (*prefix, key)))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found.extend(paths_in(value, (*prefix, index)))
    return found


def container_at(document: Any, path: tuple) -> Any:
    for step in path:
        document = document[step]
    return document


@st.composite
def mutated_documents(draw: st.DrawFn) -> bytes:
    """The example with a few keys deleted, values swapped for others, unknown keys added."""
    document = copy.deepcopy(EXAMPLE)
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        places = [path for path in paths_in(document) if path]
        if not places:
            break
        path = draw(st.sampled_from(places))
        parent = container_at(document, path[:-1])
        operation = draw(st.sampled_from(["delete", "replace", "add-key", "duplicate", "spaces"]))
        if operation == "delete":
            del parent[path[-1]]
        elif operation == "replace":
            parent[path[-1]] = draw(json_values)
        elif operation == "add-key" and isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = draw(json_values)
        elif operation == "duplicate" and isinstance(parent, list):
            parent.extend([copy.deepcopy(parent[path[-1]])] * draw(st.integers(1, 3)))
        elif operation == "spaces" and isinstance(parent[path[-1]], str):
            parent[path[-1]] = " " + parent[path[-1]] + "\t"
    ensure_ascii = draw(st.booleans())
    return json.dumps(document, ensure_ascii=ensure_ascii).encode("utf-8", "surrogatepass")


@st.composite
def byte_mutations(draw: st.DrawFn) -> bytes:
    """The example's bytes with a few bytes flipped, inserted, deleted, or the end cut off."""
    data = bytearray(EXAMPLE_BYTES)
    for _ in range(draw(st.integers(min_value=1, max_value=5))):
        position = draw(st.integers(min_value=0, max_value=max(len(data) - 1, 0)))
        operation = draw(st.sampled_from(["flip", "insert", "delete", "truncate"]))
        if operation == "flip" and data:
            data[position] = draw(st.integers(0, 255))
        elif operation == "insert":
            data[position:position] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=8),
                    st.sampled_from(
                        [b"{", b"[", b"}", b"]", b",", b'"', b"\\u0000", b"\\ud800", b"null", b"-1", b"1e999"]
                    ),
                )
            )
        elif operation == "delete":
            del data[position : position + draw(st.integers(1, 16))]
        elif operation == "truncate":
            del data[position:]
    return bytes(data)


@st.composite
def deep_nesting(draw: st.DrawFn) -> bytes:
    """Brackets nested up to thousands deep, alone or inside a field of the example."""
    depth = draw(st.integers(min_value=1, max_value=5000))
    opener, closer = draw(st.sampled_from([(b"[", b"]"), (b'{"a":', b"}")]))
    inner = opener * depth + b"1" + closer * depth
    if draw(st.booleans()):
        return inner
    field = draw(st.sampled_from([b'"notes": ', b'"votes": ', b'"extra": ', b'"groups": ']))
    return EXAMPLE_BYTES.replace(b'"notes": ', field + inner + b', "notes": ', 1)


wild_texts = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1, max_size=8).map(lambda s: f"  {s} "),
    st.sampled_from(["Zażółć gęślą jaźń", "اردو متن", "مرحبا", "🎉🧑‍🤝‍🧑", "x" * 201, "=1+1"]),
)
wild_numbers = st.one_of(st.integers(min_value=-3, max_value=12), st.integers(), st.booleans())
# Text as people type it, in any script: letters, marks, digits, punctuation, symbols, spaces.
clean_texts = st.one_of(
    st.text(alphabet=st.characters(categories=("L", "M", "N", "P", "S", "Zs")), max_size=40),
    st.sampled_from(["Zażółć gęślą jaźń", " اردو متن ", "مرحبا", "🎉🧑‍🤝‍🧑", "=1+1", "Table 1"]),
)
clean_required = clean_texts.filter(lambda text: text.strip() != "")


@st.composite
def generated_sessions(draw: st.DrawFn, wild: bool | None = None) -> Session:
    """Sessions as the editor makes them ("clean") or with any values at all ("wild")."""
    if wild is None:
        wild = draw(st.booleans())
    text = wild_texts if wild else clean_texts
    required = wild_texts if wild else clean_required
    number = wild_numbers if wild else st.integers(min_value=0, max_value=100)
    groups = draw(
        st.lists(st.one_of(st.sampled_from(["Table 1", "Table 2"]), wild_texts), max_size=4)
        if wild
        else st.lists(clean_required, max_size=4, unique_by=str.strip)
    )
    group_choice = st.one_of(st.none(), st.sampled_from(groups) if groups else st.none())
    domains = st.lists(st.sampled_from(DOMAIN_SLUGS), max_size=3)
    if wild:
        group_choice = st.one_of(group_choice, wild_texts)
        domains = st.lists(st.one_of(st.sampled_from(DOMAIN_SLUGS), wild_texts), max_size=3)
    ratings = (
        st.dictionaries(st.one_of(st.sampled_from(DOMAIN_SLUGS), wild_texts), wild_numbers, max_size=5)
        if wild
        else st.dictionaries(st.sampled_from(DOMAIN_SLUGS), st.integers(1, 7), max_size=5)
    )
    actions = st.lists(st.builds(Action, what=required, who=text, when=text), max_size=2)
    priorities = st.lists(
        st.builds(
            Priority,
            title=required,
            description=text,
            domains=domains,
            votes=number,
            group=group_choice,
            lessons=st.lists(st.sampled_from(["known-lesson", "unknown-lesson"]), max_size=2),
            actions=actions,
            notes=text,
        ),
        max_size=5,
    )
    participants = st.one_of(st.none(), wild_numbers if wild else st.integers(0, 10_000))
    languages = ["en", "pl", "ur-PK", "ar", *(["en_GB", ""] if wild else [])]
    return Session(
        title=draw(required),
        date=draw(st.dates(min_value=dt.date(1, 1, 1))),
        venue=draw(text),
        neighbourhood=draw(text),
        facilitator=draw(text),
        participants=draw(participants),
        language=draw(st.sampled_from(languages)),
        notes=draw(text),
        ratings=draw(ratings),
        groups=groups,
        priorities=draw(priorities),
    )


# --- The fuzz tests ---------------------------------------------------------------------------


@settings(FUZZ, max_examples=700 * SCALE)
@given(mutated_documents())
def test_mutated_documents_are_read_or_refused_cleanly(data: bytes):
    check_reading(data)


@FUZZ
@given(byte_mutations())
def test_mutated_bytes_are_read_or_refused_cleanly(data: bytes):
    check_reading(data)


@settings(FUZZ, max_examples=600 * SCALE)
@given(st.one_of(st.binary(max_size=200), st.text(max_size=200).map(lambda s: s.encode("utf-8"))))
def test_random_bytes_are_refused_cleanly(data: bytes):
    check_reading(data)


@settings(FUZZ, max_examples=200 * SCALE)
@given(deep_nesting())
def test_deep_nesting_is_refused_cleanly(data: bytes):
    check_reading(data)


@settings(FUZZ, max_examples=300 * SCALE)
@given(generated_sessions())
def test_generated_sessions_are_exported_whole_or_refused(session: Session):
    try:
        text = session_to_json(session, "content-1")
    except SessionFileError as error:
        assert_refused_for_a_real_reason(session, error)
        return
    assert session_problems(session) == []
    check_reading(text.encode("utf-8"))
    read_back = parse_session_bytes(text.encode("utf-8"), SOURCE, KNOWN_LESSONS).session
    assert read_back == _as_stored(session)
    assert [p.id for p in read_back.priorities] == [p.id for p in session.priorities]


@settings(FUZZ, max_examples=100 * SCALE)
@given(generated_sessions())
def test_generated_sessions_are_written_whole_or_not_at_all(
    tmp_path_factory: pytest.TempPathFactory, session: Session
):
    # A fresh folder per example: a refused write leaves no file at all, not even a temporary one.
    folder = tmp_path_factory.mktemp("write", numbered=True)
    target = folder / "session.nrpsession"
    try:
        write_session_file(session, target, "content-1")
    except SessionFileError as error:
        assert_refused_for_a_real_reason(session, error)
        assert list(folder.iterdir()) == []
        return
    assert [path.name for path in folder.iterdir()] == ["session.nrpsession"]
    assert read_session_file(target, KNOWN_LESSONS).session == _as_stored(session)


def assert_refused_for_a_real_reason(session: Session, error: SessionFileError) -> None:
    assert str(error).startswith("cannot export the session ")
    assert "\n" not in str(error)
    # Refused only for a real reason: a domain rule, one that trimming the text brings out
    # ("a" and "a " become the same group), or a rule of the file format itself.
    assert (
        session_problems(session)
        or session_problems(_as_stored(session))
        or _breaks_a_file_only_rule(session)
    )


def _breaks_a_file_only_rule(session: Session) -> bool:
    """Rules the file format adds to the domain's: no control characters, a valid language tag."""
    texts = [session.title, session.venue, session.neighbourhood, session.facilitator, session.notes,
             *session.groups]
    for priority in session.priorities:
        texts += [priority.title, priority.description, priority.notes, priority.group or ""]
        texts += [part for action in priority.actions for part in (action.what, action.who, action.when)]
    control = any(
        (ord(character) < 32 and character not in "\t\n\r") or character == "\x7f"
        for text in texts
        for character in text.strip()
    )
    return control or session.language == "en_GB"


def _as_stored(session: Session) -> Session:
    """What reading the written file gives back: text trimmed, empty optionals as defaults."""
    stored = copy.deepcopy(session)
    for name in ("title", "venue", "neighbourhood", "facilitator", "notes"):
        setattr(stored, name, getattr(stored, name).strip())
    stored.language = stored.language or "en"
    stored.groups = [group.strip() for group in stored.groups]
    for priority in stored.priorities:
        priority.title = priority.title.strip()
        priority.description = priority.description.strip()
        priority.notes = priority.notes.strip()
        priority.group = priority.group.strip() if priority.group and priority.group.strip() else None
        priority.domains = list(dict.fromkeys(priority.domains))
        priority.lessons = list(dict.fromkeys(priority.lessons))
        for action in priority.actions:
            action.what, action.who, action.when = (action.what.strip(), action.who.strip(), action.when.strip())
    return stored


@settings(FUZZ, max_examples=150 * SCALE)
@given(generated_sessions(wild=False))
def test_sessions_as_the_editor_makes_them_are_always_exported(session: Session):
    text = session_to_json(session, None)
    assert parse_session_bytes(text.encode("utf-8"), SOURCE).session == _as_stored(session)


def test_the_unmodified_example_passes_the_property():
    # Guards the fuzz tests against a check_reading that refuses everything.
    check_reading(EXAMPLE_BYTES)
    assert len(parse_session_bytes(EXAMPLE_BYTES, SOURCE).session.priorities) == 4


def test_the_mutators_produce_both_accepted_and_refused_files():
    outcomes: set[str] = set()

    @settings(FUZZ, max_examples=100 * SCALE)
    @given(mutated_documents())
    def record(data: bytes) -> None:
        try:
            parse_session_bytes(data, SOURCE)
            outcomes.add("accepted")
        except SessionFileError:
            outcomes.add("refused")

    record()
    assert outcomes == {"accepted", "refused"}


def test_fixture_folder_of_bad_files_all_refused_by_the_property():
    bad = Path(__file__).resolve().parents[2] / "fixtures" / "session_files" / "bad"
    for path in sorted(bad.glob("*.nrpsession")):
        with pytest.raises(SessionFileError):
            parse_session_bytes(path.read_bytes(), SOURCE)
