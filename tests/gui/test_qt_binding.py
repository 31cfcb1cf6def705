"""The Qt binding in use survives long use.

PySide6 6.12.0 on Python 3.11 drops a reference to None on every call that returns nothing; after
about 25,000 such calls the process dies ("none_dealloc"). pyproject.toml excludes that release;
this test fails if a release with the same fault is ever installed again.
"""

from __future__ import annotations

import os
import subprocess
import sys

LONG_USE = """
import sys
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication([])
label = QLabel()
before = sys.getrefcount(None)
for _ in range(60_000):
    label.setText("x")
    label.isVisible()
print(sys.getrefcount(None) - before)
"""


def test_sixty_thousand_calls_keep_none_alive():
    result = subprocess.run([sys.executable, "-c", LONG_USE], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 1000
