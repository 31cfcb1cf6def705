"""import, export, export --csv and sessions: contract.md §3 shapes and exit codes."""

from __future__ import annotations

import csv
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from conftest import EXAMPLE_ID, EXAMPLE_SESSION, run_cli


def test_import_list_export_round_trip(tmp_path: Path):
    result = run_cli("import", str(EXAMPLE_SESSION), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        {"id": EXAMPLE_ID, "title": "Residents' evening: what would make our streets better?", "warnings": []}
    ]
    listed = json.loads(run_cli("sessions", "--json").stdout)
    assert listed == [{"id": EXAMPLE_ID, "title": "Residents' evening: what would make our streets better?",
                       "date": "2026-11-18", "priorities": 4}]
    exported = tmp_path / "out.nrpsession"
    result = run_cli("export", EXAMPLE_ID, "-o", str(exported))
    assert result.returncode == 0, result.stderr
    original = json.loads(EXAMPLE_SESSION.read_text(encoding="utf-8"))["session"]
    again = json.loads(exported.read_text(encoding="utf-8"))
    assert again["format"] == "nrp-session" and again["version"] == 1
    assert [p["title"] for p in again["session"]["priorities"]] == [p["title"] for p in original["priorities"]]
    assert again["session"]["ratings"] == original["ratings"]
    assert again["session"]["groups"] == original["groups"]


def test_import_twice_needs_replace_and_never_duplicates():
    assert run_cli("import", str(EXAMPLE_SESSION)).returncode == 0
    again = run_cli("import", str(EXAMPLE_SESSION))
    assert again.returncode == 2
    assert "--replace" in again.stderr and "Traceback" not in again.stderr
    assert run_cli("import", str(EXAMPLE_SESSION), "--replace").returncode == 0
    assert len(json.loads(run_cli("sessions", "--json").stdout)) == 1


def test_bad_file_is_refused_whole_naming_the_place(tmp_path: Path):
    document = json.loads(EXAMPLE_SESSION.read_text(encoding="utf-8"))
    document["session"]["priorities"][3]["votes"] = -1
    bad = tmp_path / "bad.nrpsession"
    bad.write_text(json.dumps(document), encoding="utf-8")
    result = run_cli("import", str(EXAMPLE_SESSION), str(bad))
    assert result.returncode == 2
    assert "session.priorities[3].votes" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    # One bad file stores nothing, not even the good one beside it.
    assert json.loads(run_cli("sessions", "--json").stdout) == []


def test_newer_version_is_refused(tmp_path: Path):
    document = json.loads(EXAMPLE_SESSION.read_text(encoding="utf-8"))
    document["version"] = 2
    newer = tmp_path / "newer.nrpsession"
    newer.write_text(json.dumps(document), encoding="utf-8")
    result = run_cli("import", str(newer))
    assert result.returncode == 2
    assert "made by a newer version of NRP Desktop" in result.stderr


def test_unknown_lesson_is_kept_and_warned(tmp_path: Path):
    document = json.loads(EXAMPLE_SESSION.read_text(encoding="utf-8"))
    document["session"]["priorities"][0]["lessons"] = ["resident-led-enquiries", "from-a-later-edition"]
    path = tmp_path / "later.nrpsession"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = run_cli("import", str(path), "--json")
    assert result.returncode == 0, result.stderr
    (imported,) = json.loads(result.stdout)
    assert any("from-a-later-edition" in warning for warning in imported["warnings"])
    exported = tmp_path / "again.nrpsession"
    run_cli("export", imported["id"], "-o", str(exported))
    lessons = json.loads(exported.read_text(encoding="utf-8"))["session"]["priorities"][0]["lessons"]
    assert lessons == ["resident-led-enquiries", "from-a-later-edition"]


def test_export_csv_has_a_row_per_priority(tmp_path: Path):
    run_cli("import", str(EXAMPLE_SESSION))
    target = tmp_path / "out.csv"
    result = run_cli("export", EXAMPLE_ID, "--csv", "-o", str(target))
    assert result.returncode == 0, result.stderr
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert [row["Priority"] for row in rows][:2] == [
        "Back alleys full of rubbish and fly-tipping", "Nobody knows where to get help with debt"]
    assert rows[0]["Votes"] == "11" and rows[0]["Group"] == "Table 1"


def test_export_errors_are_plain(tmp_path: Path):
    run_cli("import", str(EXAMPLE_SESSION))
    missing = run_cli("export", "no-such-id", "-o", str(tmp_path / "x.nrpsession"))
    assert missing.returncode == 2 and "no stored session" in missing.stderr
    unwritable = run_cli("export", EXAMPLE_ID, "-o", str(tmp_path / "no" / "such" / "x.nrpsession"))
    assert unwritable.returncode == 2 and "does not exist" in unwritable.stderr
    assert not (tmp_path / "no").exists()


def test_too_new_database_is_refused_and_untouched(isolated_data_dir: Path):
    assert run_cli("import", str(EXAMPLE_SESSION)).returncode == 0
    database = isolated_data_dir / "sessions.sqlite3"
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA user_version = 99")
    connection.close()
    before = database.read_bytes()
    result = run_cli("sessions")
    assert result.returncode == 2
    assert "newer version of NRP Desktop" in result.stderr
    assert database.read_bytes() == before


def test_import_killed_midway_stores_whole_or_nothing(tmp_path: Path, isolated_data_dir: Path):
    document = json.loads(EXAMPLE_SESSION.read_text(encoding="utf-8"))
    template = document["session"]["priorities"][0]
    document["session"]["priorities"] = [
        {**template, "title": f"Priority number {n}", "id": None} for n in range(500)
    ]
    for priority in document["session"]["priorities"]:
        del priority["id"]
    big = tmp_path / "big.nrpsession"
    big.write_text(json.dumps(document), encoding="utf-8")
    rng = random.Random(7)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for _ in range(6):
        child = subprocess.Popen([sys.executable, "-m", "nrp_desktop", "import", "--replace", str(big)],
                                 env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.3, 1.2))
        child.send_signal(signal.SIGKILL)
        child.wait()
        listed = json.loads(run_cli("sessions", "--json").stdout)
        assert listed in ([], [{"id": EXAMPLE_ID, "title": document["session"]["title"],
                                "date": "2026-11-18", "priorities": 500}])
    with sqlite3.connect(isolated_data_dir / "sessions.sqlite3") as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_report_for_a_stored_session(tmp_path: Path):
    from pypdf import PdfReader

    run_cli("import", str(EXAMPLE_SESSION))
    target = tmp_path / "stored.pdf"
    result = run_cli("report", "--session", EXAMPLE_ID, "-o", str(target), "--paper", "letter")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(target)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "Back alleys full of rubbish and fly-tipping" in text
    assert round(float(reader.pages[0].mediabox.width)) == 612  # US Letter
    missing = run_cli("report", "--session", "no-such-id", "-o", str(tmp_path / "x.pdf"))
    assert missing.returncode == 2 and "no stored session" in missing.stderr
    assert not (tmp_path / "x.pdf").exists()
    both = run_cli("report", str(EXAMPLE_SESSION), "--session", EXAMPLE_ID, "-o", str(tmp_path / "y.pdf"))
    assert both.returncode == 2
