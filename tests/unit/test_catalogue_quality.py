"""The Polish and Urdu catalogues keep what the code relies on: every placeholder of the English
(Qt's %1, Python's %s and {name}), at most one & accelerator, the right plural rule, and Urdu in
Urdu script. msgfmt checks only the python-format strings; the Qt ones are checked here."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "resources" / "translations"
PLURAL_RULES = {
    "pl": (3, "(n==1 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2)"),
    "ur": (2, "(n != 1)"),
}
PLACEHOLDER = re.compile(r"%[1-9]|%[sd]|\{[a-z_]*\}")
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")


def _catalogue(code: str):
    with (TRANSLATIONS / code / "LC_MESSAGES" / "nrp_desktop.po").open("rb") as handle:
        return read_po(handle, locale=code)


def _pairs(message) -> list[tuple[str, str]]:
    """(English, translation) for each form; a plural form's English is the plural msgid, or the
    singular for form 0."""
    if isinstance(message.id, (list, tuple)):
        return [(message.id[0] if index == 0 else message.id[1], text)
                for index, text in enumerate(message.string)]
    return [(message.id, message.string)]


@pytest.mark.parametrize("code", sorted(PLURAL_RULES))
def test_the_header_names_the_language_its_plural_rule_and_utf8(code):
    catalogue = _catalogue(code)
    assert str(catalogue.locale) == code
    assert (catalogue.num_plurals, catalogue.plural_expr) == PLURAL_RULES[code]
    header = dict(catalogue.mime_headers)
    assert header["Content-Type"].lower() == "text/plain; charset=utf-8"


@pytest.mark.parametrize("code", sorted(PLURAL_RULES))
def test_every_translation_keeps_the_placeholders_and_one_accelerator(code):
    problems = []
    for message in _catalogue(code):
        if not message.id:
            continue
        for english, translated in _pairs(message):
            if not translated:
                continue
            english_places = Counter(PLACEHOLDER.findall(english))
            translated_places = Counter(PLACEHOLDER.findall(translated))
            # A singular form may say "one" in words where the English has none to keep.
            if english_places != translated_places and not (
                    isinstance(message.id, (list, tuple)) and set(translated_places) <= set(english_places)):
                problems.append(f"{english!r} → {translated!r}: placeholders {dict(translated_places)}")
            if translated.replace("&&", "").count("&") > 1 and "<" not in translated:
                problems.append(f"{english!r} → {translated!r}: more than one &")
    assert problems == []


def test_urdu_is_written_in_urdu_script():
    english_left = []
    for message in _catalogue("ur"):
        if not message.id:
            continue
        for english, translated in _pairs(message):
            words = PLACEHOLDER.sub("", english)
            if translated and LATIN_WORD.search(words) and not ARABIC_LETTER.search(translated):
                english_left.append(english)
    # Only paper names, and "the %s" (Urdu needs no article), may stay without Urdu letters.
    assert set(english_left) <= {"A4", "US Letter", "the %s"}
