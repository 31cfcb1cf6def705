"""Compile the translation catalogues: `<code>/LC_MESSAGES/nrp_desktop.po` → `.mo`, and a small
index of how much of the app each language translates (read by `nrp-desktop languages`).

Run by the build (setup.py) like the content database; by hand after editing a `.po` file:

    python db/build_translations.py [SOURCE_DIR [TARGET_DIR]]

The `.po` sources stay editable with the usual translators' tools (Poedit, Lokalize, Weblate);
`scripts/update_translations.py` refreshes them from the code.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

DOMAIN = "nrp_desktop"
ROOT = Path(__file__).resolve().parents[1]


def _key(message) -> tuple[str | None, str]:
    """A message as gettext finds it: its context and its (singular) msgid. A plural message is
    one string of the app, however many forms its language has."""
    return message.context, message.id[0] if isinstance(message.id, tuple) else message.id


def _message_ids(catalog) -> set[tuple[str | None, str]]:
    return {_key(message) for message in catalog if message.id}  # no id: the header


def _is_translated(message, plural_forms: int) -> bool:
    """Translated in full: not fuzzy, and every form the language needs written (Polish has
    three plural forms; a plural with only two of them written is not translated)."""
    if message.fuzzy:
        return False
    if isinstance(message.id, tuple):
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        return len(strings) >= plural_forms and all(strings[:plural_forms])
    return bool(message.string)


def build_translations(source: Path, target: Path) -> dict[str, object]:
    """Compile every language under `source` into `target`; returns the index it writes."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    template = source / f"{DOMAIN}.pot"
    with template.open("rb") as handle:
        total_ids = _message_ids(read_po(handle))
    languages: dict[str, int] = {}
    for po_path in sorted(source.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        code = po_path.parts[-3]
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=code)
        translated = {_key(message) for message in catalog
                      if message.id and _is_translated(message, catalog.num_plurals)}
        languages[code] = len(translated & total_ids)
        # Only what is translated in full is compiled: a plural missing a form would show an
        # empty text for the counts that need it; gettext falls back to English instead.
        for message in [m for m in catalog if m.id and not _is_translated(m, catalog.num_plurals)]:
            catalog.delete(message.id, context=message.context)
        mo_path = target / code / "LC_MESSAGES" / f"{DOMAIN}.mo"
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        partial = mo_path.with_suffix(".mo.partial")
        with partial.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        partial.replace(mo_path)
    index = {"total": len(total_ids), "translated": languages}
    target.mkdir(parents=True, exist_ok=True)
    (target / "catalogue.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    return index


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else ROOT / "resources" / "translations"
    target = Path(argv[1]) if len(argv) > 1 else source
    index = build_translations(source, target)
    print(f"translations: {index['total']} strings; translated: {index['translated']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
