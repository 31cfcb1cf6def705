"""The session file (contract.md §2) and the CSV export: reading, refusing, writing, round trips."""

from __future__ import annotations

import builtins
import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
from conftest import EXAMPLE_SESSION

from nrp_desktop.domain.session import Action, Priority, Session, session_problems
from nrp_desktop.services.session_csv import (
    CSV_HEADER,
    sessions_to_csv,
    write_session_csv,
    write_sessions_csv,
)
from nrp_desktop.services.session_file import (
    MAX_FILE_BYTES,
    MAX_NESTING,
    SessionFileError,
    parse_session_bytes,
    read_session_file,
    session_to_json,
    write_session_file,
)
from nrp_desktop.storage.files import FileWriteError

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "session_files"
GOOD_FILES = sorted((FIXTURES / "good").glob("*.nrpsession"))
EXPECTED_MESSAGES: dict[str, str] = json.loads(
    (FIXTURES / "bad" / "expected-messages.json").read_text(encoding="utf-8")
)


def example_document() -> dict:
    return json.loads(EXAMPLE_SESSION.read_text(encoding="utf-8"))


def parse_document(document: object, name: str = "example.nrpsession"):
    return parse_session_bytes(json.dumps(document, ensure_ascii=False).encode("utf-8"), name)


def refusal(document: object) -> str:
    with pytest.raises(SessionFileError) as caught:
        parse_document(document)
    return str(caught.value)


def round_trip(session: Session) -> Session:
    text = session_to_json(session, "content-1")
    return parse_session_bytes(text.encode("utf-8"), "round-trip.nrpsession").session


def multilingual_session() -> Session:
    return Session(
        title="Zażółć gęślą jaźń — spotkanie",
        date=dt.date(2026, 12, 1),
        venue="مسجد کا ہال",
        neighbourhood="حي النخيل",
        facilitator="Łukasz 🧑‍🤝‍🧑",
        participants=23,
        language="pl",
        notes="Pierwsza linia\nدوسری لائن\n🎉",
        ratings={"economic-resources": 2, "social-connectedness": 6},
        groups=["Stół 1", "میز ۲"],
        priorities=[
            Priority(
                title="بچوں کے کھیلنے کی جگہ",
                description="Dzieci nie mają gdzie się bawić 🛝",
                domains=["environmental-conditions", "social-connectedness"],
                votes=9,
                group="میز ۲",
                lessons=["a-lesson", "another-lesson"],
                actions=[Action(what="اكتب إلى المجلس", who="Zofia", when="przed świętami")],
                notes="ملاحظة",
            ),
            Priority(title="🚌 Autobus nr 7", votes=0, group="Stół 1"),
            Priority(title="Ostatni", domains=["governance-systems"], votes=4),
        ],
    )


# --- Reading good files ---------------------------------------------------------------------


def test_example_parses_with_every_field():
    parsed = read_session_file(EXAMPLE_SESSION)
    session = parsed.session
    assert parsed.warnings == []
    assert parsed.content_version is None
    assert parsed.exported_at == "2026-11-18T20:41:00Z"
    assert session.id == "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"
    assert session.title == "Residents' evening: what would make our streets better?"
    assert session.date == dt.date(2026, 11, 18)
    assert session.participants == 17
    assert session.language == "en"
    assert session.groups == ["Table 1", "Table 2"]
    assert session.ratings == {
        "social-connectedness": 3,
        "cultural-coherence": 5,
        "economic-resources": 2,
        "environmental-conditions": 2,
        "governance-systems": 3,
    }
    assert [p.votes for p in session.priorities] == [11, 8, 6, 4]
    assert [p.group for p in session.priorities] == ["Table 1", "Table 2", "Table 2", "Table 1"]
    first, second, third, _ = session.priorities
    assert first.title == "Back alleys full of rubbish and fly-tipping"
    assert first.actions == [
        Action("Ask the council about a community clean-up day", "Two volunteers from Table 1",
               "Before Christmas")
    ]
    assert second.actions == [
        Action("Find out which advice services are open locally and when", "Link worker", "")
    ]
    assert third.domains == ["social-connectedness", "environmental-conditions"]
    assert len({p.id for p in session.priorities}) == 4  # missing ids are given fresh ones
    assert session_problems(session) == []


@pytest.mark.parametrize("path", GOOD_FILES, ids=lambda path: path.name)
def test_good_files_parse_and_survive_a_round_trip(path: Path, tmp_path: Path):
    parsed = read_session_file(path)
    assert session_problems(parsed.session) == []
    written = tmp_path / "again.nrpsession"
    write_session_file(parsed.session, written, parsed.content_version)
    again = read_session_file(written)
    assert again.session == parsed.session
    assert again.content_version == parsed.content_version
    assert again.warnings == []


def test_text_is_kept_as_typed_in_any_script_and_trimmed():
    session = read_session_file(FIXTURES / "good" / "many-scripts.nrpsession").session
    assert session.title == "Spotkanie mieszkańców: żółć, gęślą jaźń"
    assert session.venue == "مسجد کا ہال، پچھلا کمرہ"
    assert session.facilitator == "فاطمة الزهراء"
    assert session.notes == "Line one\nLine two\twith a tab 🎉\n\n   keeps inner spaces"
    assert session.language == "ur-PK"
    assert session.participants == 0
    assert session.groups == ["Stół 1", "میز ۲", "🍵 table"]
    assert [p.title for p in session.priorities] == ["ہمارے بچوں کے لیے کھیل کا میدان", "😀😀😀", "Ostatni"]
    assert session.priorities[0].actions[0] == Action("اكتب رسالة إلى المجلس", "Zofia", "przed świętami")
    assert session.priorities[0].id == "11111111-2222-4333-8444-555555555555"
    assert session.priorities[1].votes == 1_000_000


def test_minimal_file_gets_defaults():
    parsed = read_session_file(FIXTURES / "good" / "minimal.nrpsession")
    session = parsed.session
    assert (session.title, session.date, session.priorities) == ("Coffee morning", dt.date(2027, 1, 9), [])
    assert (session.venue, session.participants, session.language, session.ratings) == ("", None, "en", {})
    assert len(session.id) == 36


def test_null_means_absent_for_optional_fields():
    session = read_session_file(FIXTURES / "good" / "null-optionals.nrpsession").session
    assert session.ratings == {"cultural-coherence": 4}  # a null rating is "not rated"
    assert session.language == "en"
    assert session.participants is None
    priority = session.priorities[0]
    assert (priority.votes, priority.group, priority.domains, priority.actions) == (0, None, [], [])


def test_unknown_fields_are_ignored_with_a_warning_naming_the_place():
    parsed = read_session_file(FIXTURES / "good" / "unknown-fields.nrpsession")
    assert sorted(parsed.warnings) == [
        "session.priorities[0].actions[0].done: unknown field, ignored",
        "session.priorities[2].colour: unknown field, ignored",
        "session.weather: unknown field, ignored",
        "signature: unknown field, ignored",
    ]
    plain = read_session_file(EXAMPLE_SESSION).session
    for priority, fresh in zip(parsed.session.priorities, plain.priorities, strict=True):
        priority.id = fresh.id  # the example's priorities carry no ids: each reading makes new ones
    assert parsed.session == plain


def test_unknown_lesson_slugs_are_kept_and_reported():
    document = example_document()
    document["session"]["priorities"][1]["lessons"] = ["known-lesson", "gone-lesson"]
    parsed = parse_session_bytes(json.dumps(document).encode(), "f.nrpsession", {"known-lesson"})
    assert parsed.session.priorities[1].lessons == ["known-lesson", "gone-lesson"]
    assert parsed.warnings == [
        "session.priorities[1].lessons[1]: 'gone-lesson' is not a lesson in this app's content; "
        "the link is kept"
    ]
    # Without the list of known lessons nothing is checked or reported.
    assert parse_session_bytes(json.dumps(document).encode(), "f.nrpsession").warnings == []


def test_a_domain_or_lesson_listed_twice_is_kept_once_with_a_warning():
    document = example_document()
    document["session"]["priorities"][0]["domains"] = ["economic-resources", "economic-resources"]
    parsed = parse_document(document)
    assert parsed.session.priorities[0].domains == ["economic-resources"]
    assert parsed.warnings == [
        "session.priorities[0].domains: a domain listed more than once is kept once"
    ]


def test_ids_are_read_in_one_spelling():
    document = example_document()
    document["session"]["id"] = "0B6F3A52-8D1E-4C1B-9A8E-2F6F0D7C4E11"
    assert parse_document(document).session.id == "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"


# --- Refusing bad files ---------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(EXPECTED_MESSAGES))
def test_bad_files_are_refused_with_the_expected_line(name: str):
    with pytest.raises(SessionFileError) as caught:
        read_session_file(FIXTURES / "bad" / name)
    message = str(caught.value)
    assert message == EXPECTED_MESSAGES[name]
    assert "\n" not in message
    assert caught.value.source == name


def test_every_bad_fixture_has_an_expected_message():
    on_disk = {path.name for path in (FIXTURES / "bad").glob("*.nrpsession")}
    assert on_disk == set(EXPECTED_MESSAGES)


def test_the_contract_example_message_word_for_word():
    document = example_document()
    document["session"]["priorities"][3]["votes"] = -1
    assert refusal(document) == (
        "example.nrpsession: session.priorities[3].votes: must be a whole number, 0 or more"
    )


@pytest.mark.parametrize("votes", [True, False, 1.0, "4", None, [4], {"n": 4}])
def test_votes_must_be_a_whole_number_and_never_a_boolean(votes: object):
    document = example_document()
    document["session"]["priorities"][3]["votes"] = votes
    if votes is None:  # null is "not given", so 0 dot votes
        assert parse_document(document).session.priorities[3].votes == 0
    else:
        assert refusal(document).endswith("session.priorities[3].votes: must be a whole number, 0 or more")


def test_a_newer_version_is_refused_for_that_reason_whatever_else_it_holds():
    for version in (2, 17):
        message = refusal({"format": "nrp-session", "version": version, "session": "new shape"})
        assert "made by a newer version of NRP Desktop" in message
        assert message.startswith("example.nrpsession: version: ")


def test_several_problems_are_counted_in_one_line():
    document = example_document()
    document["session"]["title"] = ""
    document["session"]["participants"] = -5
    document["session"]["priorities"][0]["votes"] = -1
    assert refusal(document) == (
        "example.nrpsession: session.title: must not be empty (and 2 more problems)"
    )


def test_whitespace_only_file_is_empty():
    with pytest.raises(SessionFileError, match=r"^blank\.nrpsession: the file is empty$"):
        parse_session_bytes(b" \r\n\t ", "blank.nrpsession")


def test_deep_nesting_beyond_what_python_can_parse_is_refused_cleanly():
    data = b"[" * 200_000 + b"]" * 200_000
    with pytest.raises(SessionFileError, match="nested too deeply"):
        parse_session_bytes(data, "deep.nrpsession")


def test_deep_nesting_in_an_unknown_field_is_refused_beyond_the_limit():
    def nested(levels: int) -> object:
        value: object = 1
        for _ in range(levels):
            value = {"x": value}
        return value

    document = example_document()
    document["session"]["extra"] = nested(MAX_NESTING - 2)  # file and session make two levels
    assert parse_document(document).warnings == ["session.extra: unknown field, ignored"]
    document["session"]["extra"] = nested(MAX_NESTING - 1)
    assert refusal(document) == (
        f"example.nrpsession: the file's JSON is nested too deeply (more than {MAX_NESTING} levels)"
    )


def test_huge_numbers_are_refused_cleanly():
    document = EXAMPLE_SESSION.read_bytes().replace(b'"votes": 8,', b'"votes": ' + b"9" * 5000 + b",")
    with pytest.raises(SessionFileError, match="a number with more than 100 digits"):
        parse_session_bytes(document, "big.nrpsession")


def test_missing_file_names_the_reason(tmp_path: Path):
    with pytest.raises(SessionFileError) as caught:
        read_session_file(tmp_path / "nowhere.nrpsession")
    assert str(caught.value) == "nowhere.nrpsession: cannot read the file: No such file or directory"


# --- The 10 MB limit ------------------------------------------------------------------------


def test_bytes_over_the_limit_are_refused_before_parsing():
    data = b"{" + b" " * MAX_FILE_BYTES  # would be a JSON error if it were parsed
    with pytest.raises(SessionFileError) as caught:
        parse_session_bytes(data, "big.nrpsession")
    assert str(caught.value) == (
        "big.nrpsession: the file is too large (10.0 MB); session files are at most 10 MB"
    )


def test_a_large_file_is_refused_without_being_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    huge = tmp_path / "huge.nrpsession"
    with huge.open("wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: 2 GB on paper, nothing on disk
    real_open = builtins.open
    opened: list[str] = []

    def watching_open(file, *args, **kwargs):
        opened.append(os.fspath(file) if isinstance(file, str | os.PathLike) else str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", watching_open)
    with pytest.raises(SessionFileError, match=r"too large \(2048\.0 MB\)"):
        read_session_file(huge)
    assert str(huge) not in opened


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs a POSIX /dev/zero")
def test_a_source_that_never_ends_is_refused_before_it_is_read():
    # /dev/zero reports size 0 and never ends: only regular files are read at all.
    with pytest.raises(SessionFileError, match="it is a device"):
        read_session_file("/dev/zero")


# --- Writing --------------------------------------------------------------------------------


def test_written_file_has_the_contract_shape_and_omits_empty_optionals():
    session = Session(
        title="  Short  ",
        date=dt.date(2026, 5, 4),
        priorities=[Priority(title="B"), Priority(title="A", votes=3)],
    )
    text = session_to_json(session, None, "9.9.9", exported_at=dt.datetime(2026, 5, 4, 12, 30, tzinfo=dt.UTC))
    document = json.loads(text)
    assert document == {
        "format": "nrp-session",
        "version": 1,
        "exported_at": "2026-05-04T12:30:00Z",
        "app_version": "9.9.9",
        "session": {
            "id": session.id,
            "title": "Short",
            "date": "2026-05-04",
            "language": "en",
            "priorities": [
                {"id": session.priorities[0].id, "title": "B", "votes": 0},
                {"id": session.priorities[1].id, "title": "A", "votes": 3},
            ],
        },
    }
    assert list(document) == ["format", "version", "exported_at", "app_version", "session"]


def test_round_trip_keeps_every_field_and_the_order_across_scripts(tmp_path: Path):
    session = multilingual_session()
    path = tmp_path / "wielojęzyczny — کثیر لسانی.nrpsession"
    write_session_file(session, path, "content-2026.11")
    parsed = read_session_file(path)
    assert parsed.session == session
    assert [p.title for p in parsed.session.priorities] == ["بچوں کے کھیلنے کی جگہ", "🚌 Autobus nr 7", "Ostatni"]
    assert parsed.content_version == "content-2026.11"
    # Raw UTF-8, not \u escapes: the file stays readable in any text editor.
    assert "Zażółć gęślą jaźń" in path.read_text(encoding="utf-8")
    # A second round trip writes the same session text.
    first = json.loads(path.read_text(encoding="utf-8"))
    second = json.loads(session_to_json(parsed.session, "content-2026.11"))
    assert first["session"] == second["session"]


def test_example_round_trip_keeps_everything():
    session = read_session_file(EXAMPLE_SESSION).session
    assert round_trip(session) == session


def test_writing_a_session_that_breaks_a_rule_is_refused_and_writes_nothing(tmp_path: Path):
    path = tmp_path / "bad.nrpsession"
    path.write_text("old contents", encoding="utf-8")
    session = multilingual_session()
    session.priorities[1].group = "Table 9"
    with pytest.raises(SessionFileError) as caught:
        write_session_file(session, path, None)
    assert str(caught.value) == (
        "cannot export the session 'Zażółć gęślą jaźń — spotkanie': session.priorities[1].group: "
        "'Table 9' is not one of the session's groups"
    )
    assert path.read_text(encoding="utf-8") == "old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["bad.nrpsession"]


def test_writing_into_a_missing_folder_says_so(tmp_path: Path):
    with pytest.raises(FileWriteError, match="does not exist"):
        write_session_file(multilingual_session(), tmp_path / "no" / "x.nrpsession", None)


# --- CSV ------------------------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM that tells spreadsheets it is UTF-8
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_csv_has_a_header_and_one_row_per_priority(tmp_path: Path):
    session = read_session_file(EXAMPLE_SESSION).session
    session.priorities[0].lessons = ["alley-gating", "missing-lesson"]
    path = tmp_path / "example.csv"
    write_session_csv(session, path, {"alley-gating": "Gating and greening the alleys"})
    rows = read_csv(path)
    assert rows[0] == list(CSV_HEADER)
    assert len(rows) == 1 + 4
    records = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
    assert [r["Rank"] for r in records] == ["1", "2", "3", "4"]
    assert [r["Votes"] for r in records] == ["11", "8", "6", "4"]
    first = records[0]
    assert first["Session id"] == "0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11"
    assert first["Session"] == "Residents' evening: what would make our streets better?"
    assert first["Date"] == "2026-11-18"
    assert first["Venue"] == "Church hall, back room"
    assert first["Neighbourhood"] == "Our estate"
    assert first["Priority"] == "Back alleys full of rubbish and fly-tipping"
    assert first["Domains"] == "Environmental conditions"
    assert first["Group"] == "Table 1"
    assert first["Actions"] == (
        "Ask the council about a community clean-up day — Two volunteers from Table 1 — Before Christmas"
    )
    assert first["Linked lessons"] == "Gating and greening the alleys; missing-lesson"
    assert records[1]["Actions"] == "Find out which advice services are open locally and when — Link worker"
    assert records[2]["Domains"] == "Social connectedness; Environmental conditions"
    assert records[3]["Actions"] == ""


def test_csv_keeps_every_script_and_line_breaks(tmp_path: Path):
    session = multilingual_session()
    session.priorities[2].description = "ignored in CSV"
    session.priorities[2].actions = [Action(what="Dwie\nlinie, \"cudzysłów\"", who="علی")]
    path = tmp_path / "many.csv"
    write_session_csv(session, path, {"a-lesson": "Lekcja pierwsza"})
    rows = read_csv(path)
    assert len(rows) == 4
    assert rows[1][6] == "بچوں کے کھیلنے کی جگہ"
    assert rows[1][11] == "Lekcja pierwsza; another-lesson"
    assert rows[2][6] == "🚌 Autobus nr 7"
    assert rows[3][10] == "Dwie\nlinie, \"cudzysłów\" — علی"


def test_csv_cells_that_look_like_formulas_are_made_text():
    session = Session(
        title="=HYPERLINK(\"http://example.com\")",
        date=dt.date(2026, 1, 1),
        venue="+44 hall",
        neighbourhood="@home",
        priorities=[
            Priority(title="-5 degrees in the flats", actions=[Action(what="=1+1", who="@me")]),
            Priority(title="Plain title", votes=2),
        ],
    )
    rows = list(csv.reader(io.StringIO(sessions_to_csv([session], {}), newline="")))
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Session"] == "'=HYPERLINK(\"http://example.com\")"
    assert first["Venue"] == "'+44 hall"
    assert first["Neighbourhood"] == "'@home"
    assert first["Priority"] == "'-5 degrees in the flats"
    assert first["Actions"] == "'=1+1 — @me"
    assert rows[2][6] == "Plain title"
    assert rows[2][7] == "2"


def test_csv_of_several_sessions_keeps_session_then_rank_order(tmp_path: Path):
    example = read_session_file(EXAMPLE_SESSION).session
    other = multilingual_session()
    path = tmp_path / "all.csv"
    write_sessions_csv([example, other], path, {})
    rows = read_csv(path)[1:]
    assert [(row[0], row[5]) for row in rows] == [
        *((example.id, str(rank)) for rank in range(1, 5)),
        *((other.id, str(rank)) for rank in range(1, 4)),
    ]


def test_csv_of_a_session_without_priorities_is_the_header_alone():
    session = Session(title="Empty evening", date=dt.date(2026, 1, 2))
    assert sessions_to_csv([session], {}) == ",".join(CSV_HEADER) + "\r\n"


def test_importing_the_modules_does_not_load_pydantic():
    # They may be imported while the window opens; pydantic is loaded on the first file read.
    import subprocess
    import sys

    code = (
        "import sys, nrp_desktop.services.session_file, nrp_desktop.services.session_csv;"
        "print('pydantic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_refusal_stays_one_line_when_the_place_holds_a_line_break():
    # Found by the fuzz test: a rating under the "domain" "\n".
    import datetime as dt

    from nrp_desktop.domain.session import Session
    from nrp_desktop.services.session_file import SessionFileError, session_to_json

    session = Session(title="0", date=dt.date(2000, 1, 1), ratings={"\n": 0})
    with pytest.raises(SessionFileError) as caught:
        session_to_json(session, "content-1")
    assert "\n" not in str(caught.value)
    assert "unknown domain" in str(caught.value)
