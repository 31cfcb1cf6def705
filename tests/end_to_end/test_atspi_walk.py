"""The accessible tree as a screen reader (Orca) reads it: the real window on an Xvfb display and
its own D-Bus session bus (dbus-run-session), with Qt's AT-SPI bridge on; a walker on the system
Python (python3-pyatspi, from `scripts/setup.sh --test`) opens every screen from the navigation
through AT-SPI and fails on any shown interactive object without a name. Missing tools fail."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_evening_xvfb import start_xvfb

HERE = Path(__file__).parent
SYSTEM_PYTHON = "/usr/bin/python3"
PAGE_TITLES = {
    "Library": "The library: what nine neighbourhoods learned",
    "Workshop session": "What has the group decided?",
    "Handout": "Print a handout for the group",
    "Compare halls": "Compare sessions from several halls",
}


def test_every_shown_interactive_object_has_a_name(tmp_path: Path, stored_sessions, isolated_data_dir):
    if shutil.which("dbus-run-session") is None:
        pytest.fail("dbus-run-session is missing: run `bash scripts/setup.sh --test`")
    check = subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True, text=True)
    if check.returncode != 0:
        pytest.fail(f"python3-pyatspi is missing ({check.stderr.strip()}): run `bash scripts/setup.sh --test`")

    server, display = start_xvfb()
    report_file = tmp_path / "walk.json"
    # The app in the background; the walker once the app says it is ready; the bus (and the
    # accessibility bus it starts) ends with the script.
    script = (
        f'"{sys.executable}" "{HERE / "atspi_app.py"}" > "{tmp_path / "app.log"}" 2>&1 & app=$!\n'
        f'for i in $(seq 600); do grep -q ready "{tmp_path / "app.log"}" && break; sleep 0.1; done\n'
        f'"{SYSTEM_PYTHON}" "{HERE / "atspi_walker.py"}" > "{report_file}"; code=$?\n'
        'kill $app; wait $app 2>/dev/null; exit $code\n'
    )
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb", "QT_ACCESSIBILITY": "1",
           "QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "NRP_DESKTOP_DATA_DIR": str(isolated_data_dir),
           "NO_AT_BRIDGE": "0"}
    env.pop("WAYLAND_DISPLAY", None)
    env.pop("DBUS_SESSION_BUS_ADDRESS", None)
    try:
        result = subprocess.run(["dbus-run-session", "--", "bash", "-c", script], env=env,
                                capture_output=True, text=True, timeout=240)
    finally:
        server.terminate()
        server.wait(10)
    log = (tmp_path / "app.log").read_text(encoding="utf-8", errors="replace")
    assert result.returncode == 0, result.stdout + result.stderr + log
    report = json.loads(report_file.read_text(encoding="utf-8"))
    screens = {screen["screen"]: screen for screen in report["screens"]}
    assert list(screens) == ["Library", "Explore what worked", "Compass", "Workshop session", "Handout",
                             "Compare halls"]
    for name, screen in screens.items():
        print(f"{name}: {screen['interactive']} interactive objects, {len(screen['unnamed'])} unnamed")
        assert screen["selected"], f"{name} was not selected through AT-SPI"
        assert screen["interactive"] > 10, f"{name}: the walk found almost nothing"
    # Selecting a navigation item through AT-SPI switched the screen (its title is shown).
    for name, title in PAGE_TITLES.items():
        assert title in screens[name]["labels"], f"{name}: {screens[name]['labels'][:8]}"
        others = [other for other in screens if other != name]
        assert all(title not in screens[other]["labels"] for other in others)
    unnamed = {name: screen["unnamed"] for name, screen in screens.items() if screen["unnamed"]}
    assert not unnamed, json.dumps(unnamed, indent=1)
