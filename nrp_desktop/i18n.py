"""The one translation catalogue: every word the app says, in the window, on the command line
and in the handout, in the person's language.

gettext catalogues (`resources/translations/<code>/LC_MESSAGES/nrp_desktop.po`, compiled to `.mo`
by the build), so the command line and the handout translate without Qt; the window reaches the
same catalogue through a QTranslator that asks this module (ui/translator.py). Plural forms come
from each catalogue's own `Plural-Forms` rule (Polish has three). Dates and numbers are formatted
for the language with Babel's CLDR data, imported only when first needed.

`pseudo` is a language for tests: every string wrapped in ⟦…⟧ and made 40% longer, so a screen
shows at once any text that bypassed the catalogue and any label too tight for a longer language.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import locale
import os
import re
from dataclasses import dataclass
from functools import cache

from nrp_desktop import paths

DOMAIN = "nrp_desktop"
LANGUAGE_ENV = "NRP_DESKTOP_LANGUAGE"
PSEUDO = "pseudo"


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself, as a person looks for it in a menu
    english_name: str
    direction: str  # "ltr" or "rtl"
    babel_locale: str  # the CLDR locale for dates and numbers


LANGUAGES: tuple[Language, ...] = (
    Language("en", "English", "English", "ltr", "en_GB"),
    Language("pl", "Polski", "Polish", "ltr", "pl_PL"),
    Language("ur", "اردو", "Urdu", "rtl", "ur_PK"),
)
_PSEUDO_LANGUAGE = Language(PSEUDO, "Pseudo", "Pseudo-language (tests)", "ltr", "en_GB")
_BY_CODE = {language.code: language for language in (*LANGUAGES, _PSEUDO_LANGUAGE)}


class UnknownLanguage(ValueError):
    def __init__(self, code: str) -> None:
        self.code = code
        known = ", ".join(language.code for language in LANGUAGES)
        super().__init__(gettext("{code} is not a language of NRP Desktop (choose one of {known})")
                         .format(code=repr(code), known=known))


def language(code: str) -> Language:
    found = _BY_CODE.get(normalise(code))
    if found is None:
        raise UnknownLanguage(code)
    return found


def normalise(code: str) -> str:
    """`ur-PK`, `ur_PK.UTF-8` and `UR` all mean `ur`."""
    return re.split(r"[-_.@]", code.strip(), maxsplit=1)[0].lower() if code.strip() else ""


def is_translated(code: str) -> bool:
    return normalise(code) in _BY_CODE


def system_language() -> str:
    """The system's language when the app speaks it, else English."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for candidate in os.environ.get(variable, "").split(":"):
            code = normalise(candidate)
            if code in _BY_CODE and code != PSEUDO:
                return code
            if code and code not in ("c", "posix"):
                break
    try:
        code = normalise(locale.getlocale()[0] or "")
    except ValueError:
        code = ""
    return code if code in _BY_CODE and code != PSEUDO else "en"


# ---------------------------------------------------------------------------------------------
# The catalogue in use.


def _pseudo(text: str) -> str:
    """Wrapped and 40% longer, keeping placeholders (%s, %n, %1, {name}) and & shortcuts intact."""
    if not text:
        return text
    padding = "·" * max(1, round(len(text) * 0.4))
    return f"⟦{text}{padding}⟧"


class _PseudoCatalogue(_gettext.NullTranslations):
    # Every text asked for, so a test can check that each is in the template too (a text
    # marked in a way the extraction does not know would reach no translator).
    asked: set[str] = set()

    def gettext(self, message: str) -> str:
        self.asked.add(message)
        return _pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        self.asked.add(msgid1)
        return _pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        self.asked.add(message)
        return _pseudo(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        self.asked.add(msgid1)
        return _pseudo(msgid1 if n == 1 else msgid2)


def pseudo_asked() -> set[str]:
    """The texts asked of the pseudo-language so far (for the tests)."""
    return _PseudoCatalogue.asked


@cache
def catalogue(code: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `code` (English and a missing file: the source texts)."""
    if code == PSEUDO:
        return _PseudoCatalogue()
    try:
        return _gettext.translation(DOMAIN, localedir=str(paths.translations_dir()), languages=[code])
    except OSError:
        return _gettext.NullTranslations()


_current = "en"


def set_language(code: str | None) -> str:
    """Speak `code` from now on (None: the environment's choice, then the system's); returns the
    code in use. An unknown code raises UnknownLanguage."""
    global _current
    if code is None:
        code = os.environ.get(LANGUAGE_ENV) or system_language()
    _current = language(code).code
    return _current


def current() -> Language:
    return _BY_CODE[_current]


def gettext(message: str) -> str:
    return catalogue(_current).gettext(message)


_ = gettext


def ngettext(singular: str, plural: str, count: int) -> str:
    """The form for `count` by the language's own plural rule; `{n}` in it is the formatted count."""
    return catalogue(_current).ngettext(singular, plural, count).replace("{n}", format_number(count))


def pgettext(context: str, message: str) -> str:
    return catalogue(_current).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, count: int) -> str:
    found = catalogue(_current).npgettext(context, singular, plural, count)
    return found.replace("{n}", format_number(count))


def translate_in(code: str, message: str) -> str:
    """`message` in the language `code`, whatever the current one (the handout's own language)."""
    return catalogue(language(code).code).gettext(message)


@dataclass(frozen=True)
class Speaker:
    """One language's words, dates and numbers, whatever the current language is: the handout
    speaks its own (the session's), and is built off the window's thread, so it never changes
    the language the window speaks."""

    code: str

    @property
    def language(self) -> Language:
        return _BY_CODE[self.code]

    @property
    def rtl(self) -> bool:
        return self.language.direction == "rtl"

    def gettext(self, message: str) -> str:
        return catalogue(self.code).gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        found = catalogue(self.code).ngettext(singular, plural, count)
        return found.replace("{n}", format_number(count, self.code))

    def format_date(self, day: dt.date, style: str = "long") -> str:
        return format_date(day, style, self.code)

    def format_number(self, value: float) -> str:
        return format_number(value, self.code)


def speaker(code: str | None = None) -> Speaker:
    """The words of `code` (None: the current language). An unknown code raises UnknownLanguage."""
    return Speaker(language(code).code if code else _current)


FIRST_STRONG_ISOLATE = "\u2068"
POP_DIRECTIONAL_ISOLATE = "\u2069"


def isolate(text: str) -> str:
    """`text` (a person's words, a title) set apart for insertion into a translated sentence: in
    Unicode isolates it takes its own direction from its first strong letter and cannot disturb
    the sentence around it, so an English title's "?" stays at its end inside an Urdu line."""
    if not text:
        return text
    return f"{FIRST_STRONG_ISOLATE}{text}{POP_DIRECTIONAL_ISOLATE}"


def N_(message: str) -> str:
    """Marks a text for the catalogue where it is defined; it is translated where it is shown."""
    return message


# ---------------------------------------------------------------------------------------------
# Dates and numbers for the language.


def format_date(day: dt.date, style: str = "long", code: str | None = None) -> str:
    """`day` as the language writes it ("1 December 2026", "1 grudnia 2026", "1 دسمبر 2026")."""
    chosen = language(code) if code else current()
    try:
        from babel.dates import format_date as babel_format_date
    except ImportError:  # a build without Babel still says the date, in ISO form
        return day.isoformat()
    return str(babel_format_date(day, format=style, locale=chosen.babel_locale))


def format_number(value: float, code: str | None = None) -> str:
    chosen = language(code) if code else current()
    try:
        from babel.numbers import format_decimal
    except ImportError:
        return f"{value:,}"
    return str(format_decimal(value, locale=chosen.babel_locale))


# ---------------------------------------------------------------------------------------------
# How complete each catalogue is (the build writes the counts beside the compiled catalogues).


@dataclass(frozen=True)
class Coverage:
    language: Language
    translated: int
    total: int


def catalogue_coverage() -> list[Coverage]:
    import json

    index_path = paths.translations_dir() / "catalogue.json"
    try:
        index = json.loads(index_path.read_text(encoding="utf-8"))
        total = int(index["total"])
        translated = {str(code): int(count) for code, count in index["translated"].items()}
    except (OSError, ValueError, KeyError, TypeError):
        total, translated = 0, {}
    return [
        Coverage(language, total if language.code == "en" else translated.get(language.code, 0), total)
        for language in LANGUAGES
    ]
