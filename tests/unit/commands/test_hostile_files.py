"""A corpus of hostile session files through `import` and `report` (issue 10): markup in titles,
control characters, huge counts (within the contract's limits and beyond), and odd file types.
Each is accepted or refused with the right exit status and one plain line, never a hang, and a
refused file stores nothing (checked in the database's rows)."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from conftest import run_cli, write_session_document

MARKUP_TITLE = 'x<b>y</b><img src="/dev/zero">'
TEN_MB = 10 * 1024 * 1024


def stored_rows(data: Path) -> dict[str, int]:
    """Rows in the session database's tables (all zero when there is no database yet)."""
    database = data / "sessions.sqlite3"
    tables = ("sessions", "priorities", "session_groups", "actions")
    if not database.exists():
        return dict.fromkeys(tables, 0)
    connection = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        return {table: connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in tables}
    finally:
        connection.close()


NOTHING = dict.fromkeys(("sessions", "priorities", "session_groups", "actions"), 0)


def _refused_in_one_line(result) -> None:
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("nrp-desktop: "), result.stderr
    assert "Traceback" not in result.stderr and "\x1b" not in result.stderr


def _raw_document(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- content: accepted exactly as carried, or refused whole -------------------------------------


def test_markup_in_titles_is_stored_as_plain_text(cli, tmp_path: Path, isolated_data_dir: Path):
    path = write_session_document(
        tmp_path / "markup.nrpsession", title=MARKUP_TITLE, groups=["<i>Table</i>"],
        priorities=[{"title": "<script>alert(1)</script>", "group": "<i>Table</i>",
                     "actions": [{"what": "<a href='file:///etc/passwd'>x</a>"}]}])
    result = cli("import", str(path), "--json")
    assert result.returncode == 0, result.stderr
    [imported] = json.loads(result.stdout)
    assert imported["title"] == MARKUP_TITLE
    assert stored_rows(isolated_data_dir) == {"sessions": 1, "priorities": 1, "session_groups": 1,
                                              "actions": 1}
    pdf = tmp_path / "markup.pdf"
    assert cli("report", str(path), "-o", str(pdf)).returncode == 0
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize("place, fields", [
    ("session.title", {"title": "bell \u0007 here"}),
    ("session.notes", {"notes": "escape \u001b[2J clears the screen"}),
    ("session.venue", {"venue": "nul \u0000 byte"}),
    ("session.priorities[0].title", {"priorities": [{"title": "\u001b]0;owned\u0007"}]}),
    ("session.priorities[0].actions[0].who", {"priorities": [{"title": "P", "actions": [
        {"what": "w", "who": "del \u007f"}]}]}),
    ("session.groups[0]", {"groups": ["tab\u000bvertical"]}),
    ("session.title", {"title": "broken \ud800 surrogate"}),
])
def test_control_characters_are_refused_whole(cli, tmp_path: Path, isolated_data_dir: Path,
                                              place: str, fields: dict):
    path = write_session_document(tmp_path / "controls.nrpsession", **fields)
    for command in (["import", str(path)], ["report", str(path), "-o", str(tmp_path / "c.pdf")]):
        result = cli(*command)
        _refused_in_one_line(result)
        assert place in result.stderr, result.stderr
    assert stored_rows(isolated_data_dir) == NOTHING
    assert not (tmp_path / "c.pdf").exists()


def test_a_bidi_override_in_a_title_is_kept_but_never_reaches_the_terminal_raw(cli, tmp_path: Path):
    title = "Budget \u202egnp.exe"
    path = write_session_document(tmp_path / "bidi.nrpsession", title=title)
    assert cli("import", str(path)).returncode == 0
    listing = cli("sessions")
    assert "\u202e" not in listing.stdout and "\\u202e" in listing.stdout
    assert json.loads(cli("sessions", "--json").stdout)[0]["title"] == title


def test_the_largest_counts_the_contract_allows_are_stored(cli, tmp_path: Path, isolated_data_dir: Path):
    groups = [f"Table {n}" for n in range(40_000)]
    priorities = [{"title": f"Priority {n}", "group": groups[n],
                   "actions": [{"what": f"Action {n}.{a}"} for a in range(40)]} for n in range(500)]
    path = write_session_document(tmp_path / "large.nrpsession", groups=groups, priorities=priorities)
    assert path.stat().st_size < TEN_MB
    result = cli("import", str(path))
    assert result.returncode == 0, result.stderr
    assert stored_rows(isolated_data_dir) == {"sessions": 1, "priorities": 500,
                                              "session_groups": 40_000, "actions": 20_000}


@pytest.mark.parametrize("what, fields, words", [
    ("501 priorities", {"priorities": [{"title": f"P{n}"} for n in range(501)]}, "at most 500"),
    ("a duplicate group", {"groups": ["A", "B", "A"]}, "listed twice"),
    ("votes past the bound", {"priorities": [{"title": "P", "votes": 10**7}]}, "at most"),
    ("participants past 10000", {"participants": 10_001}, "0 to 10000"),
    ("a 201-character title", {"title": "t" * 201}, "at most 200"),
    ("notes past 20000", {"notes": "n" * 20_001}, "at most 20000"),
])
def test_counts_beyond_the_contract_are_refused_whole(cli, tmp_path: Path, isolated_data_dir: Path,
                                                      what: str, fields: dict, words: str):
    path = write_session_document(tmp_path / "beyond.nrpsession", **fields)
    result = cli("import", str(path))
    _refused_in_one_line(result)
    assert words in result.stderr, (what, result.stderr)
    assert stored_rows(isolated_data_dir) == NOTHING


@pytest.mark.parametrize("what, text, words", [
    ("deep nesting", '{"format": "nrp-session", "version": 1, "session": ' + "[" * 100_000 + "]" * 100_000 + "}",
     "nested too deeply"),
    ("a 5000-digit number", '{"format": "nrp-session", "version": 1, "session": {"title": "T", '
     '"date": "2026-11-23", "participants": ' + "9" * 5000 + "}}", "more than 100 digits"),
    ("NaN", '{"format": "nrp-session", "version": 1, "session": {"title": "T", "date": "2026-11-23", '
     '"participants": NaN}}', "not valid JSON"),
    ("a repeated key", '{"format": "nrp-session", "version": 1, "version": 1, "session": {}}', "appears twice"),
])
def test_malformed_json_is_refused_in_one_line(cli, tmp_path: Path, isolated_data_dir: Path,
                                               what: str, text: str, words: str):
    path = _raw_document(tmp_path / "malformed.nrpsession", text)
    for command in (["import", str(path)], ["report", str(path), "-o", str(tmp_path / "m.pdf")]):
        result = cli(*command)
        _refused_in_one_line(result)
        assert words in result.stderr, (what, result.stderr)
    assert stored_rows(isolated_data_dir) == NOTHING


# --- odd file types: refused before they are read, never a hang ---------------------------------


def _odd_file(kind: str, folder: Path) -> Path:
    path = folder / f"{kind}.nrpsession"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "folder":
        path.mkdir()
    elif kind == "link-to-dev-zero":
        path.symlink_to("/dev/zero")
    elif kind == "dangling-link":
        path.symlink_to(folder / "nowhere")
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "binary":
        path.write_bytes(bytes(range(256)) * 64)
    elif kind == "over-10-mb":
        with path.open("wb") as handle:
            handle.truncate(TEN_MB + 1)  # sparse: refused by its size, before it is read
    elif kind == "utf-16":
        path.write_bytes(json.dumps({"format": "nrp-session"}).encode("utf-16"))
    return path


ODD_KINDS = ["fifo", "folder", "link-to-dev-zero", "dangling-link", "empty", "binary", "over-10-mb",
             "utf-16"]
EXPECTED_WORDS = {
    "fifo": "it is a pipe", "folder": "it is a folder", "link-to-dev-zero": "it is a device",
    "dangling-link": "cannot read the file", "empty": "the file is empty",
    "binary": "not UTF-8", "over-10-mb": "too large", "utf-16": "not UTF-8",
}


@pytest.mark.skipif(os.name != "posix", reason="FIFOs and /dev/zero are POSIX")
@pytest.mark.parametrize("kind", ODD_KINDS)
def test_odd_file_types_are_refused_without_blocking(cli, tmp_path: Path, isolated_data_dir: Path,
                                                    kind: str):
    path = _odd_file(kind, tmp_path)
    for command in (["import", str(path)], ["report", str(path), "-o", str(tmp_path / "odd.pdf")]):
        # A FIFO goes to a child process with a time limit: one that blocked would fail the
        # test, not hang the run.
        result = run_cli(*command, timeout=30) if kind == "fifo" else cli(*command)
        _refused_in_one_line(result)
        assert EXPECTED_WORDS[kind] in result.stderr, result.stderr
        assert path.name in result.stderr
    assert stored_rows(isolated_data_dir) == NOTHING
    assert not (tmp_path / "odd.pdf").exists()


def test_one_odd_file_in_a_batch_stores_nothing(cli, tmp_path: Path, isolated_data_dir: Path):
    good = write_session_document(tmp_path / "good.nrpsession")
    folder = _odd_file("folder", tmp_path)
    result = cli("import", str(good), str(folder))
    _refused_in_one_line(result)
    assert stored_rows(isolated_data_dir) == NOTHING
