"""Refresh the translation template and every language's `.po` from the code.

    .venv/bin/python scripts/update_translations.py [--pot-only]

Extracts every marked string (ui: `tr()`; elsewhere `_()`, `N_()`, `ngettext()`…) with Babel into
`resources/translations/nrp_desktop.pot`, then merges it into each
`resources/translations/<code>/LC_MESSAGES/nrp_desktop.po` (new strings untranslated, changed
ones marked fuzzy), and compiles them (db/build_translations.py). `--pot-only` refreshes just the
template (and the compiled catalogues' counts), leaving the languages' `.po` files as they are:
the translators' own files change only when they merge.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "resources" / "translations"
TEMPLATE = TRANSLATIONS / "nrp_desktop.pot"
# How each call names its text: tr("text", "disambiguation"), _tr, QCoreApplication.translate(
# "context", "text"), gettext's own, and N_ for texts marked where they are defined.
KEYWORDS = ("tr:1,1t", "tr:1,2c,2t", "_tr", "translate:2,2t", "translate:2,3c,3t", "_", "N_", "gettext", "ngettext:1,2",
            "pgettext:1c,2", "npgettext:1c,2,3", "QT_TRANSLATE_NOOP:2", "QT_TRANSLATE_NOOP3:2,3c",
            "QT_TR_NOOP:1")


def main(argv: list[str] | None = None) -> int:
    pot_only = "--pot-only" in (sys.argv[1:] if argv is None else argv)
    pybabel = [sys.executable, "-m", "babel.messages.frontend"]
    extract = [*pybabel, "extract", "--no-default-keywords", "--sort-by-file", "--omit-header",
               "--project", "NRP Desktop", "-o", str(TEMPLATE), "--width", "100"]
    for keyword in KEYWORDS:
        extract += ["-k", keyword]
    subprocess.run([*extract, "nrp_desktop"], cwd=ROOT, check=True)
    for po_path in [] if pot_only else sorted(TRANSLATIONS.glob("*/LC_MESSAGES/nrp_desktop.po")):
        code = po_path.parts[-3]
        subprocess.run([*pybabel, "update", "-i", str(TEMPLATE), "-o", str(po_path), "-l", code,
                        "--width", "100", "--no-fuzzy-matching"], cwd=ROOT, check=True)
    sys.path.insert(0, str(ROOT / "db"))
    from build_translations import build_translations

    print(build_translations(TRANSLATIONS, TRANSLATIONS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
