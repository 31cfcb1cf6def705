"""One rule set (issue 10, item 4): the session file's models decide what the file, the store, the
editor's save path and the command line accept, and an import of many files is all or nothing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import EXAMPLE_SESSION, write_session_document

from nrp_desktop.domain.session import Priority, Session
from nrp_desktop.services.session_file import SessionFileError, parse_session_bytes, session_to_json
from nrp_desktop.services.sessions import InvalidSessionValue, SessionStore

LESSON_SLUG_MAX = 200  # domain.session.LESSON_SLUG_MAX (spelled out so the test also runs on 0.3)


def _file_accepts(**session_fields: object) -> bool:
    document = {"format": "nrp-session", "version": 1,
                "session": {"title": "T", "date": "2026-11-23", **session_fields}}
    try:
        parse_session_bytes(json.dumps(document).encode(), "t.nrpsession")
    except SessionFileError:
        return False
    return True


def _store_accepts(store: SessionStore, session: Session) -> bool:
    try:
        store.save_session(session)
    except InvalidSessionValue:
        return False
    return True


@pytest.mark.parametrize(
    "tag", ["en", "ur-PK", "x-klingon", "i-klingon", "zh-Hant-TW", "e", "en_GB", "en-", "a" * 36, "12"]
)
def test_file_and_store_agree_on_language_tags(tmp_path: Path, tag: str):
    with SessionStore(tmp_path / "s.sqlite3", backups_dir=tmp_path / "b") as store:
        session = Session(title="T", date=dt.date(2026, 11, 23), language=tag)
        assert _store_accepts(store, session) == _file_accepts(language=tag), tag
        # and the field edit the editor makes
        created = store.create_session("Edited", dt.date(2026, 11, 23))
        try:
            store.update_session_fields(created.id, language=tag)
            edit_accepted = True
        except InvalidSessionValue:
            edit_accepted = False
        assert edit_accepted == _file_accepts(language=tag), tag


def test_file_and_store_agree_on_lesson_slug_length(tmp_path: Path):
    for length in (LESSON_SLUG_MAX, LESSON_SLUG_MAX + 1):
        slug = "l" * length
        session = Session(title="T", date=dt.date(2026, 11, 23),
                          priorities=[Priority(title="P", lessons=[slug])])
        with SessionStore(tmp_path / f"s{length}.sqlite3", backups_dir=tmp_path / "b") as store:
            accepted = _store_accepts(store, session)
        assert accepted == _file_accepts(priorities=[{"title": "P", "lessons": [slug]}]), length


@pytest.mark.parametrize("field", ["notes", "venue", "facilitator", "title"])
def test_the_editor_save_path_refuses_control_characters_in_any_text(tmp_path: Path, field: str):
    with SessionStore(tmp_path / "s.sqlite3", backups_dir=tmp_path / "b") as store:
        session = store.create_session("Evening", dt.date(2026, 11, 23))
        with pytest.raises(InvalidSessionValue) as refused:
            store.update_session_fields(session.id, **{field: "pasted \x07 bell and \x1b[31m escape"})
        assert refused.value.field == f"session.{field}"
        assert "control character" in str(refused.value)
        # Nothing was stored, so the session still exports.
        session_to_json(store.load_session(session.id), None)


def test_the_editor_save_path_refuses_control_characters_in_priority_notes(tmp_path: Path):
    with SessionStore(tmp_path / "s.sqlite3", backups_dir=tmp_path / "b") as store:
        session = store.create_session("Evening", dt.date(2026, 11, 23))
        priority = store.add_priority(session.id, Priority(title="Street lights"))
        priority.notes = "a\x00b"
        with pytest.raises(InvalidSessionValue, match=r"priority.notes: contains a control character"):
            store.update_priority(session.id, priority)
        assert store.load_session(session.id).priorities[0].notes == ""
        session_to_json(store.load_session(session.id), None)


def test_a_batch_is_stored_whole_or_not_at_all(tmp_path: Path):
    with SessionStore(tmp_path / "s.sqlite3", backups_dir=tmp_path / "b") as store:
        good = Session(title="Good", date=dt.date(2026, 11, 23))
        bad = Session(title="Bad", date=dt.date(2026, 11, 23), notes="bell \x07")
        with pytest.raises(InvalidSessionValue, match=r"session\.notes"):
            store.save_sessions([good, bad])
        assert store.list_sessions() == []


def test_import_of_a_private_use_language_tag_stores_both_files(tmp_path: Path, cli):
    good = tmp_path / "good.nrpsession"
    good.write_bytes(EXAMPLE_SESSION.read_bytes())
    odd = write_session_document(tmp_path / "odd.nrpsession", language="x-klingon")
    result = cli("import", str(good), str(odd), "--json")
    assert result.returncode == 0, result.stderr
    stored = cli("sessions", "--json")
    assert len(json.loads(stored.stdout)) == 2


def test_import_refused_by_a_rule_names_file_and_place_and_stores_nothing(tmp_path: Path, cli):
    good = tmp_path / "good.nrpsession"
    good.write_bytes(EXAMPLE_SESSION.read_bytes())
    odd = write_session_document(tmp_path / "odd.nrpsession", notes="pasted \u0007 bell")
    result = cli("import", str(good), str(odd))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "odd.nrpsession" in result.stderr and "session.notes" in result.stderr
    assert json.loads(cli("sessions", "--json").stdout) == []


def test_a_session_the_store_refuses_is_refused_by_import_naming_the_file(tmp_path: Path, cli,
                                                                        monkeypatch: pytest.MonkeyPatch):
    """Should the store ever hold a stricter rule than the file reader, the command line still
    names the file and stores nothing (exit 2, never 'unexpected fault')."""
    from nrp_desktop.services import sessions

    real_check = sessions.check_session

    def stricter(session: Session) -> Session:
        if session.title == "An evening":
            raise InvalidSessionValue([sessions.FieldProblem("session.title", "is refused here")])
        return real_check(session)

    monkeypatch.setattr(sessions, "check_session", stricter)
    good = tmp_path / "good.nrpsession"
    good.write_bytes(EXAMPLE_SESSION.read_bytes())
    odd = write_session_document(tmp_path / "odd.nrpsession")
    result = cli("import", str(good), str(odd))
    assert result.returncode == 2, result.stderr
    assert result.stderr == "nrp-desktop: odd.nrpsession: session.title: is refused here\n"
    monkeypatch.setattr(sessions, "check_session", real_check)
    assert json.loads(cli("sessions", "--json").stdout) == []
