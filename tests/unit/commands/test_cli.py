"""The command line of contract.md §3 that the foundation serves."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from nrp_desktop import __version__


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_content_info_json():
    result = run_cli("content-info", "--json")
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert set(info) == {"content_version", "neighbourhoods", "domains", "lessons", "case_study_words"}
    assert info["neighbourhoods"] == 9
    assert info["domains"] == 5
    assert info["lessons"] >= 25
    assert info["case_study_words"] > 3000


def test_search_json_shape_and_ranking():
    result = run_cli("search", "alleyway", "--limit", "3", "--json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert len(hits) <= 3
    assert all(set(hit) == {"kind", "slug", "title", "snippet"} for hit in hits)
    assert "st-georges-preston" in [hit["slug"] for hit in hits]


def test_search_text_output():
    result = run_cli("search", "debt", "advice")
    assert result.returncode == 0
    assert "Central Southport" in result.stdout


def test_suggest_json_shape():
    result = run_cli("suggest", "Nobody knows where to get help with debt", "--domain",
                     "economic-resources", "--json")
    assert result.returncode == 0, result.stderr
    suggestions = json.loads(result.stdout)
    assert suggestions
    assert set(suggestions[0]) == {"slug", "title", "domains", "neighbourhoods", "score"}
    assert any("Central Southport" in name for s in suggestions for name in s["neighbourhoods"])


def test_suggest_nothing_rather_than_a_poor_match():
    result = run_cli("suggest", "the weather was nice", "--json")
    assert result.returncode == 0
    assert json.loads(result.stdout) == []


def test_unknown_option_and_command_exit_2():
    for args in (["--no-such-option"], ["no-such-command"], ["search", "x", "--limit", "zero"],
                 ["suggest", "x", "--domain", "weather"]):
        result = run_cli(*args)
        assert result.returncode == 2, args
        assert "usage:" in result.stderr
        assert "Traceback" not in result.stderr


def test_missing_content_database_is_one_plain_message(tmp_path: Path):
    missing = tmp_path / "gone.sqlite3"
    result = run_cli("content-info", env={"NRP_DESKTOP_CONTENT_DB": str(missing)})
    assert result.returncode == 1
    assert str(missing) in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_damaged_content_database_is_one_plain_message(tmp_path: Path):
    damaged = tmp_path / "damaged.sqlite3"
    damaged.write_bytes(b"this is not a database" * 100)
    result = run_cli("search", "debt", env={"NRP_DESKTOP_CONTENT_DB": str(damaged)})
    assert result.returncode == 1
    assert str(damaged) in result.stderr and "damaged" in result.stderr
    assert "Traceback" not in result.stderr


def test_data_dir_option_and_environment(tmp_path: Path):
    chosen = tmp_path / "chosen"
    result = run_cli("--data-dir", str(chosen), "content-info")
    assert result.returncode == 0
    assert (chosen / "logs" / "nrp-desktop.log").is_file()
    from_env = tmp_path / "from-env"
    result = run_cli("content-info", env={"NRP_DESKTOP_DATA_DIR": str(from_env)})
    assert (from_env / "logs" / "nrp-desktop.log").is_file()


def test_smoke_test_offscreen(tmp_path: Path):
    result = run_cli("--smoke-test", env={"QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr
    assert "smoke test passed" in (Path(tmp_path / "data" / "logs" / "nrp-desktop.log").read_text())


def test_screenshots_render_every_screen(tmp_path: Path):
    folder = tmp_path / "shots"
    result = run_cli("--screenshots", str(folder), env={"QT_QPA_PLATFORM": "offscreen"}, timeout=120)
    assert result.returncode == 0, result.stderr
    names = {path.stem for path in folder.glob("*.png")}
    assert {"library", "case-study", "lesson", "library-search"} <= names
    from PySide6.QtGui import QImage

    image = QImage(str(folder / "case-study.png"))
    assert (image.width(), image.height()) == (1280, 800)
