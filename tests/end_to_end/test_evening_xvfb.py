"""The whole evening in a real X window (xcb, on an Xvfb display this test starts at 1366×768):
from the library to the saved handout and the exported file, with a screenshot of each step
kept as a test artefact (the folder is printed). Xvfb missing is a failure, not a skip: it is
installed by `scripts/setup.sh --test`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import pdf_text, start_xvfb

DRIVER = Path(__file__).with_name("evening_under_xvfb.py")


def test_the_evening_in_a_real_window(tmp_path: Path, isolated_data_dir: Path):
    out = tmp_path / "evening"
    server, display = start_xvfb()
    try:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
               "NRP_DESKTOP_DATA_DIR": str(isolated_data_dir)}
        env.pop("WAYLAND_DISPLAY", None)
        result = subprocess.run([sys.executable, str(DRIVER), str(out)], env=env, capture_output=True,
                                text=True, timeout=90)
    finally:
        server.terminate()
        server.wait(10)
    print(f"\nscreenshots of the evening: {out}")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((out / "evening.json").read_text(encoding="utf-8"))
    assert report["platform"] == "xcb" and report["screen"] == [1366, 768]
    assert report["window"][0] <= 1366 and report["window"][1] <= 768, "the window fits the screen"

    text = pdf_text(Path(report["pdf"]).read_bytes())
    for title in (report["session_title"], report["typed_priority"], report["card_priority"]):
        assert title in text
    exported = json.loads(Path(report["export"]).read_text(encoding="utf-8"))["session"]
    assert exported["title"] == report["session_title"]
    assert [p["title"] for p in exported["priorities"]] == [report["typed_priority"], report["card_priority"]]
    assert exported["priorities"][0]["votes"] == 5
    assert exported["ratings"] == {"social-connectedness": 5}

    assert report["steps"] == ["library", "library-search", "new-session", "tool-cards", "tool-priority",
                               "compass", "session", "projector", "handout", "exported"]
    for shot in report["screenshots"]:
        assert Path(shot).stat().st_size > 10_000, f"{shot} looks empty"
