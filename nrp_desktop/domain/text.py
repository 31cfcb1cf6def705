"""Text rules shared by the content build, search and suggestions: folding, words and stems."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Letters that Unicode does not decompose into a base letter plus an accent.
_SPECIAL_FOLDS = {
    "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ħ": "h", "ı": "i",
    "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d",
    "’": "'", "‘": "'",
}
_WORD = re.compile(r"\w+", re.UNICODE)


@lru_cache(maxsize=8192)
def fold_char(char: str) -> str:
    """One character folded for matching: lower case, no accents ("Ł" → "l", "é" → "e")."""
    if char in _SPECIAL_FOLDS:
        return _SPECIAL_FOLDS[char]
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.casefold()


def fold(text: str) -> str:
    """Text folded for matching, so "Łódź" and "lodz" meet."""
    if text.isascii():
        return text.lower()
    return "".join(fold_char(char) for char in text)


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each folded character, the index of its source character."""
    if text.isascii():
        return text.lower(), list(range(len(text)))
    folded: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        piece = fold_char(char)
        folded.append(piece)
        offsets.extend([index] * len(piece))
    return "".join(folded), offsets


def words(text: str) -> list[str]:
    """The folded words of a text, in order."""
    return _WORD.findall(fold(text))


_STOP_WORDS = frozenset(
    {
        "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be",
        "been", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
        "have", "how", "i", "if", "in", "into", "is", "it", "its", "just", "more", "most",
        "much", "my", "no", "not", "of", "on", "or", "our", "out", "over", "so", "some",
        "such", "than", "that", "the", "their", "them", "then", "there", "these", "they",
        "this", "to", "too", "up", "us", "very", "was", "we", "were", "what", "when", "where",
        "which", "who", "why", "will", "with", "would", "you", "your", "get", "got"
    }
)


def is_stop_word(word: str) -> bool:
    return word in _STOP_WORDS


# Suffixes stripped repeatedly, longest first. Deliberately simple: both sides of every match go
# through the same rules, so "lonely", "loneliness" and "lone" all become "lone".
_SUFFIXES = (
    "ational", "ations", "ation", "nesses", "ness", "ments", "ment", "ities", "ity", "ingly",
    "ating", "ated", "ates", "ate", "ions", "ion", "ings", "ing", "edly", "ied", "ies", "ed", "ly",
    "ers", "er", "es", "s", "ful", "ive", "al",
)


@lru_cache(maxsize=16_384)  # people's words repeat: publishing 1,000 sessions stems 230,000
def stem(word: str) -> str:
    """A crude stem of a folded word: enough to bring together the forms people type."""
    previous = None
    while previous != word and len(word) > 3:
        previous = word
        for suffix in _SUFFIXES:
            if not word.endswith(suffix) or len(word) - len(suffix) < 3:
                continue
            if suffix == "s" and word.endswith(("ss", "us", "is")):
                continue
            word = word[: -len(suffix)]
            if suffix in ("ies", "ied"):
                word += "y"
            break
        if word.endswith("i") and len(word) > 4:
            word = word[:-1] + "y"
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
        word = word[:-1]  # "shopping" → "shopp" → "shop"
    if word.endswith("e") and len(word) > 3:
        word = word[:-1]  # "house" and "housing" meet at "hous"
    return word


def stems(text: str) -> list[str]:
    """The stems of the meaningful words of a text, in order."""
    return [stem(word) for word in words(text) if not is_stop_word(word)]


# Characters that must never reach a terminal or a one-line listing raw: C0 and C1 controls (ESC
# starts terminal escape sequences, a line break forges a row), DEL, the Unicode line and paragraph
# separators, and the bidi embeddings, overrides and isolates that can make text read backwards.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_controls(text: str) -> str:
    """Text with every control character shown as an escape (`\\n`, `\\x1b`, `\\u202e`), so text
    from a file or a person can be printed on one line without acting on the terminal."""
    def shown(match: re.Match[str]) -> str:
        char = match.group()
        if char in _NAMED_ESCAPES:
            return _NAMED_ESCAPES[char]
        code = ord(char)
        return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"

    return _UNPRINTABLE.sub(shown, text)
