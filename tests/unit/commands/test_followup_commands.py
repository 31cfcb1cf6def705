"""`nrp-desktop follow-up` and `history` (contract §5.1): shapes, exit codes, loops."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import EXAMPLE_ID, EXAMPLE_SESSION, run_cli

A = "aaaaaaaa-0000-4000-8000-000000000000"
B = "bbbbbbbb-0000-4000-8000-000000000000"


def write(path: Path, session: dict) -> Path:
    path.write_text(json.dumps({"format": "nrp-session", "version": 1, "session": session}), encoding="utf-8")
    return path


def test_follow_up_then_history_from_the_command_line(tmp_path: Path):
    assert run_cli("import", str(EXAMPLE_SESSION)).returncode == 0
    made = run_cli("follow-up", EXAMPLE_ID, "--title", "Three months on", "--date", "2027-02-17", "--json")
    assert made.returncode == 0, made.stderr
    answer = json.loads(made.stdout)
    assert set(answer) == {"id", "follows", "carried_priorities", "carried_actions"}
    assert answer["follows"] == EXAMPLE_ID
    assert (answer["carried_priorities"], answer["carried_actions"]) == (2, 2)

    plain = run_cli("follow-up", answer["id"])
    assert plain.returncode == 0 and len(plain.stdout.split()) == 1  # just the new id

    shown = run_cli("history", answer["id"], "--json")
    assert shown.returncode == 0, shown.stderr
    chain = json.loads(shown.stdout)
    assert [entry["id"] for entry in chain] == [EXAMPLE_ID, answer["id"], plain.stdout.strip()]
    assert all(set(entry) == {"id", "title", "date", "ratings", "actions"} for entry in chain)
    assert chain[1]["title"] == "Three months on" and chain[1]["date"] == "2027-02-17"
    assert chain[0]["actions"] == {"agreed": 2, "started": 0, "done": 0, "dropped": 0}
    assert chain[0]["ratings"]["economic-resources"] == 2 and chain[1]["ratings"] == {}

    exported = tmp_path / "later.nrpsession"
    assert run_cli("export", answer["id"], "-o", str(exported)).returncode == 0
    session = json.loads(exported.read_text(encoding="utf-8"))["session"]
    assert session["follows"] == EXAMPLE_ID
    assert all(action["carried_from"] == EXAMPLE_ID and action["status"] == "agreed"
               for priority in session["priorities"] for action in priority["actions"])


def test_an_unknown_id_is_exit_2_and_one_line():
    for command in ("follow-up", "history"):
        result = run_cli(command, "no-such-session")
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "no-such-session" in result.stderr
    bad_date = run_cli("follow-up", EXAMPLE_ID, "--date", "17/02/2027")
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr


def test_a_loop_from_files_made_elsewhere_is_shown_once_and_said_once(tmp_path: Path):
    first = write(tmp_path / "a.nrpsession", {"id": A, "title": "A", "date": "2027-01-01", "follows": B})
    second = write(tmp_path / "b.nrpsession", {"id": B, "title": "B", "date": "2027-02-01", "follows": A})
    imported = run_cli("import", str(first), str(second), "--json")
    assert imported.returncode == 0, imported.stderr
    assert [item["warnings"] for item in json.loads(imported.stdout)] == [[], []]
    result = run_cli("history", A, "--json", timeout=30)
    assert result.returncode == 0, result.stderr
    assert [entry["title"] for entry in json.loads(result.stdout)] == ["B", "A"]
    assert result.stderr.count("loop") == 1 and result.stderr.count("\n") == 1


def test_a_file_following_an_unknown_session_keeps_the_link_and_says_so_once(tmp_path: Path):
    later = write(tmp_path / "later.nrpsession", {"id": A, "title": "Later", "date": "2027-01-01", "follows": B})
    imported = run_cli("import", str(later), "--json")
    assert imported.returncode == 0, imported.stderr
    [item] = json.loads(imported.stdout)
    assert len(item["warnings"]) == 1 and B in item["warnings"][0]
    out = tmp_path / "again.nrpsession"
    assert run_cli("export", A, "-o", str(out)).returncode == 0
    assert json.loads(out.read_text(encoding="utf-8"))["session"]["follows"] == B
    shown = run_cli("history", A)
    assert shown.returncode == 0 and B in shown.stdout


def test_the_report_of_a_stored_follow_up_carries_since_last_time(tmp_path: Path):
    import subprocess

    assert run_cli("import", str(EXAMPLE_SESSION)).returncode == 0
    made = json.loads(run_cli("follow-up", EXAMPLE_ID, "--title", "Three months on", "--json").stdout)
    out = tmp_path / "follow-up.pdf"
    result = run_cli("report", "--session", made["id"], "-o", str(out))
    assert result.returncode == 0, result.stderr
    text = " ".join(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())
    assert "Since last time" in text
    assert "This session follows: Residents' evening: what would make our streets better?" in text
    assert "Ask the council about a community clean-up day" in text and "Not started yet" in text
