"""Types: mypy as configured in pyproject.toml, held by a ratchet that only tightens."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RATCHET = Path(__file__).with_name("mypy_ratchet.json")
_ERROR = re.compile(r"^nrp_desktop/(?P<part>[A-Za-z_]+)(?:/|\.py:)[^:]*:\d+: error:", re.MULTILINE)


def test_mypy_errors_do_not_grow() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-color-output", "--no-error-summary"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert "error: " not in result.stderr, result.stderr
    found = Counter(match["part"] for match in _ERROR.finditer(result.stdout))
    allowed = {part: count for part, count in json.loads(RATCHET.read_text()).items()
               if not part.startswith("_")}
    grown = {part: (count, allowed.get(part, 0)) for part, count in found.items()
             if count > allowed.get(part, 0)}
    assert not grown, (
        "mypy errors beyond the ratchet (found, allowed): "
        f"{grown}\n{result.stdout}"
    )
