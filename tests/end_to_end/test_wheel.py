"""`pip install .` builds the content into the wheel: a user never runs a separate step."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_carries_the_content_database_and_works_installed(tmp_path: Path):
    wheels = tmp_path / "wheels"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(wheels), str(ROOT)],
        check=True, capture_output=True, cwd=tmp_path, timeout=300,
    )
    (wheel,) = wheels.glob("nrp_desktop-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "nrp_desktop/_resources/content.sqlite3" in names
    assert "nrp_desktop/_resources/fonts/DejaVuSans.ttf" in names
    assert "nrp_desktop/_resources/style/app.qss" in names
    assert not any(name.startswith("nrp_desktop/_resources/content/") for name in names)

    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
        check=True, capture_output=True, timeout=300,
    )
    env = {**os.environ, "PYTHONPATH": str(target), "NRP_DESKTOP_DATA_DIR": str(tmp_path / "data")}
    result = subprocess.run(
        [sys.executable, "-m", "nrp_desktop", "content-info", "--json"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    info = json.loads(result.stdout)
    assert (info["neighbourhoods"], info["domains"]) == (9, 5)
    assert info["lessons"] >= 25
    # The installed copy reads its own database, not the source tree's.
    probe = subprocess.run(
        [sys.executable, "-c", "from nrp_desktop import paths; print(paths.content_db_path())"],
        capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60,
    )
    assert probe.stdout.strip().startswith(str(target))
