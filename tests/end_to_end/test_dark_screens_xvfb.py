"""Every screen of the real window in View ▸ Appearance ▸ Dark, in a real X window (xcb, on
Xvfb) at 1366×768 (issue 16, item 4): each screen is dark (its page), carries light text, and
has no button cut short. The screenshots are in the folder printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import start_xvfb
from PySide6.QtGui import QImage

DRIVER = Path(__file__).with_name("screens_under_xvfb.py")


def _lightness_shares(png: str, window: list[int]) -> tuple[float, float]:
    """The shares of the window's pixels that are dark (lightness < 70) and light (> 180)."""
    image = QImage(png)
    x0, y0, width, height = window
    dark = light = total = 0
    for y in range(max(0, y0), min(image.height(), y0 + height), 4):
        for x in range(max(0, x0), min(image.width(), x0 + width), 4):
            lightness = image.pixelColor(x, y).lightness()
            dark += lightness < 70
            light += lightness > 180
            total += 1
    return dark / total, light / total


def test_every_screen_in_dark_at_1366_by_768(tmp_path: Path, isolated_data_dir: Path):
    from conftest import _second_hall_session, store_sessions

    from nrp_desktop.services.examples import example_session

    store_sessions(example_session(), _second_hall_session())
    out = tmp_path / "screens"
    server, display = start_xvfb("1366x768")
    try:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb",
               "NRP_DESKTOP_DATA_DIR": str(isolated_data_dir)}
        env.pop("WAYLAND_DISPLAY", None)
        result = subprocess.run([sys.executable, str(DRIVER), str(out), "--dark"], env=env,
                                capture_output=True, text=True, timeout=120)
    finally:
        server.terminate()
        server.wait(10)
    print(f"\nscreenshots in dark at 1366x768: {out}")
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads((out / "screens.json").read_text(encoding="utf-8"))
    assert report["dark"] and report["platform"] == "xcb"
    assert {shot["name"]: shot["clipped"] for shot in report["shots"] if shot["clipped"]} == {}
    for shot in report["shots"]:
        dark, light = _lightness_shares(shot["png"], report["window"])
        # The handout's page preview is paper (print stays light); the rest of it is dark.
        least_dark = 0.35 if shot["name"] == "handout" else 0.6
        assert dark >= least_dark, (shot["name"], dark)
        assert light >= 0.003, (shot["name"], light)  # its words, in light text
