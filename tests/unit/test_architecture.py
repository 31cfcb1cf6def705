"""The house rules that tools can check: layer contracts and lint."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tool(name: str) -> str:
    found = Path(sys.executable).parent / name
    return str(found) if found.exists() else (shutil.which(name) or name)


def test_import_layers_hold():
    result = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean():
    result = subprocess.run(
        [_tool("ruff"), "check", "nrp_desktop", "db", "tests", "benchmarks"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_network_code_in_the_app():
    offenders = []
    for path in (ROOT / "nrp_desktop").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        for needle in ("urllib.request", "import requests", "QNetworkAccessManager", "http.client"):
            if needle in text:
                offenders.append(f"{path.relative_to(ROOT)}: {needle}")
    assert offenders == []


def test_window_start_does_not_import_heavy_modules():
    """Opening the window must not pay for SQLAlchemy, reportlab or markdown."""
    code = (
        "import sys\n"
        "from nrp_desktop.ui.app import create_application\n"
        "from nrp_desktop.ui.main_window import MainWindow\n"
        "from nrp_desktop.services.library import default_library\n"
        "app = create_application()\n"
        "window = MainWindow(default_library())\n"
        "heavy = [m for m in ('sqlalchemy', 'reportlab', 'markdown', 'pydantic') if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin",
                                 "HOME": str(ROOT / "build")})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
