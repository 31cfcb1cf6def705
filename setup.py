"""Build hook: compile the bundled content and ship it, with fonts and icons, inside the package.

Everything else about the package is declared in pyproject.toml. The content database is built
here, during `pip install`, so a user never runs a separate step and the wheel carries it.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
# What the running app reads from resources/ (content sources stay out: they are compiled).
RUNTIME_RESOURCES = ("fonts", "icons", "translations", "style", "examples", "live")


class BuildWithContent(build_py):
    def run(self) -> None:
        super().run()
        sys.path.insert(0, str(ROOT / "db"))
        sys.path.insert(0, str(ROOT))
        from build_content import build_content_database
        from build_translations import build_translations

        translations = ROOT / "resources" / "translations"
        if self.editable_mode:
            # An editable install reads resources/ in place (see nrp_desktop/paths.py).
            build_content_database(ROOT / "resources" / "content", ROOT / "resources" / "content.sqlite3")
            build_translations(translations, translations)
            return
        target = Path(self.build_lib) / "nrp_desktop" / "_resources"
        target.mkdir(parents=True, exist_ok=True)
        for name in RUNTIME_RESOURCES:
            source = ROOT / "resources" / name
            if source.is_dir():
                shutil.copytree(source, target / name, dirs_exist_ok=True)
        build_content_database(ROOT / "resources" / "content", target / "content.sqlite3")
        # The compiled catalogues replace their sources in the package.
        for source in (target / "translations").rglob("*.po*"):
            source.unlink()
        build_translations(translations, target / "translations")


setup(cmdclass={"build_py": BuildWithContent})
