"""The read-only content database: load the library, and search it.

Opened read-only and immutable: the app never writes to the install folder, and a missing or
damaged file is reported once, in plain words, naming the file.
"""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path
from typing import Any

from nrp_desktop.domain.content import (
    DOCUMENT_TYPES,
    SEARCH_KIND,
    ContentLibrary,
    SearchHit,
    document_from_data,
    make_link,
)
from nrp_desktop.domain.everyday import EverydayWord, alternatives_for
from nrp_desktop.domain.glossary import GlossaryEntry
from nrp_desktop.domain.text import fold_with_offsets, is_stop_word, stem, words
from nrp_desktop.storage.errors import ContentDatabaseError

__all__ = ["ContentDatabase", "ContentDatabaseError", "make_snippet"]

SNIPPET_WORDS_BEFORE = 8
SNIPPET_LENGTH = 180


# Whole accounts first: a case study or lesson that matches beats a tool card quoting it.
_KIND_BOOST = (
    "CASE kind WHEN 'case-study' THEN 1.6 WHEN 'lesson' THEN 1.3 WHEN 'domain' THEN 1.1 "
    "WHEN 'page' THEN 1.0 ELSE 0.8 END"
)


def _fts_query(
    terms: list[str], operator: str, prefix: bool, alternatives: list[list[str]] | None = None
) -> str:
    """An FTS5 query: each term as a folded word or a stem, or as one of the content's words an
    everyday word stands for (`alternatives[i]` for `terms[i]`: "damp" → "poor housing"); with
    `prefix`, the last term (the one still being typed) also matches words that begin with it."""
    parts = []
    for position, term in enumerate(terms):
        star = "*" if prefix and position == len(terms) - 1 else ""
        quoted = term.replace('"', '""')
        stemmed = stem(term).replace('"', '""')
        options = [f'"{quoted}"{star}', f'stems : "{stemmed}"{star}']
        for phrase in (alternatives[position] if alternatives else []):
            phrase_words = words(phrase)
            if phrase_words:
                options.append('"' + " ".join(phrase_words) + '"')
                options.append('stems : "' + " ".join(stem(w) for w in phrase_words) + '"')
        parts.append("(" + " OR ".join(options) + ")")
    return f" {operator} ".join(parts)


# Whole words before prefixes ("bus" before "business"), all words before any word.
_STRATEGIES = (("AND", False), ("AND", True), ("OR", True))


class ContentDatabase:
    def __init__(self, path: Path) -> None:
        from sqlalchemy import create_engine, event

        self.path = Path(path)
        if not self.path.is_file():
            raise ContentDatabaseError(
                f"The content database is missing: {self.path}. Reinstall NRP Desktop."
            )
        # SQLAlchemy passes "uri=true" on to sqlite3; immutable: never a journal or lock file.
        self._engine = create_engine(
            f"sqlite+pysqlite:///file:{self.path.as_posix()}?mode=ro&immutable=1&uri=true",
            connect_args={"check_same_thread": False},
        )

        @event.listens_for(self._engine, "connect")
        def _query_only(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.execute("PRAGMA query_only = ON")

        # (kind, slug) → (title, text, folded text, source offset of each folded character)
        self._texts_by_document: dict[tuple[str, str], tuple[str, str, str, list[int]]] | None = None
        self._everyday: tuple[EverydayWord, ...] | None = None
        self._lock = threading.Lock()
        self.version = self._read_version()

    def _read_version(self) -> str:
        from sqlalchemy.exc import DatabaseError

        try:
            with self._engine.connect() as connection:
                row = connection.exec_driver_sql(
                    "SELECT value FROM meta WHERE key = 'content_version'"
                ).first()
                connection.exec_driver_sql("SELECT count(*) FROM search_index").first()
        except DatabaseError as error:
            raise ContentDatabaseError(
                f"The content database is damaged: {self.path} ({error.orig}). Reinstall NRP Desktop."
            ) from None
        if row is None:
            raise ContentDatabaseError(
                f"The content database is damaged: {self.path} (no content version). "
                "Reinstall NRP Desktop."
            )
        return str(row[0])

    def close(self) -> None:
        self._engine.dispose()

    def load_library(self) -> ContentLibrary:
        from sqlalchemy.exc import DatabaseError

        grouped: dict[str, list[Any]] = {kind: [] for kind in DOCUMENT_TYPES}
        try:
            with self._engine.connect() as connection:
                rows = connection.exec_driver_sql(
                    "SELECT kind, data, html FROM documents ORDER BY kind, sort_key, title"
                ).all()
                glossary_rows = connection.exec_driver_sql(
                    "SELECT term, meaning, forms FROM glossary ORDER BY term"
                ).all()
        except DatabaseError as error:
            raise ContentDatabaseError(
                f"The content database is damaged: {self.path} ({error.orig})."
            ) from None
        everyday = self.everyday_words()
        for kind, data, html in rows:
            grouped[kind].append(document_from_data(kind, json.loads(data), html))
        glossary = tuple(
            GlossaryEntry(term, meaning, tuple(json.loads(forms))) for term, meaning, forms in glossary_rows
        )
        return ContentLibrary(
            version=self.version,
            case_studies=tuple(grouped["case-study"]),
            domains=tuple(grouped["domain"]),
            pages=tuple(grouped["page"]),
            lessons=tuple(grouped["lesson"]),
            tool_steps=tuple(grouped["tool-step"]),
            tool_cards=tuple(grouped["tool-card"]),
            tool_players=tuple(grouped["tool-player"]),
            glossary=glossary,
            everyday_words=everyday,
        )

    def everyday_words(self) -> tuple[EverydayWord, ...]:
        """The reviewed list of residents' everyday words, read once."""
        from sqlalchemy.exc import DatabaseError

        with self._lock:
            if self._everyday is None:
                try:
                    with self._engine.connect() as connection:
                        rows = connection.exec_driver_sql(
                            "SELECT said, means, domains FROM everyday_words ORDER BY position"
                        ).all()
                except DatabaseError as error:
                    raise ContentDatabaseError(
                        f"The content database is damaged: {self.path} ({error.orig})."
                    ) from None
                self._everyday = tuple(
                    EverydayWord(tuple(json.loads(a)), tuple(json.loads(b)), tuple(json.loads(c)))
                    for a, b, c in rows
                )
            return self._everyday

    def _texts(self) -> dict[tuple[str, str], tuple[str, str, str, list[int]]]:
        """Every document's title and searchable text, folded once, for snippets."""
        with self._lock:
            if self._texts_by_document is None:
                with self._engine.connect() as connection:
                    rows = connection.exec_driver_sql(
                        "SELECT kind, slug, title, plain_text FROM documents"
                    ).all()
                self._texts_by_document = {
                    (kind, slug): (title, text, *fold_with_offsets(text))
                    for kind, slug, title, text in rows
                }
            return self._texts_by_document

    def search(self, query: str, limit: int = 20, kinds: tuple[str, ...] = ()) -> list[SearchHit]:
        """Documents matching every word of `query` (or, failing that, any word), best first."""
        query_words = words(query)
        covered = alternatives_for(query_words, self.everyday_words())
        kept = [(w, c) for w, c in zip(query_words, covered, strict=True) if not is_stop_word(w)]
        kept = kept or list(zip(query_words, covered, strict=True))
        if not kept:
            return []
        terms = [word for word, _entries in kept]
        alternatives = [[phrase for entry in entries for phrase in entry.means] for _w, entries in kept]
        # The snippet marks the content's words too, so "damp" shows where "housing" was found.
        marked = terms + sorted({w for phrases in alternatives for p in phrases for w in words(p)})
        rows: list[Any] = []
        kind_filter = ""
        params: list[Any] = []
        if kinds:
            kind_filter = f" AND kind IN ({', '.join('?' for _ in kinds)})"
            params = list(kinds)
        sql = (
            "SELECT kind, slug, title, bm25(search_index, 0, 0, 10.0, 1.0, 0.6) * "
            + _KIND_BOOST + " AS rank "
            "FROM search_index WHERE search_index MATCH ?" + kind_filter +
            " ORDER BY rank LIMIT ?"
        )
        seen: set[tuple[str, str]] = set()
        with self._engine.connect() as connection:
            for operator, prefix in _STRATEGIES:
                if operator == "OR" and (rows or len(terms) == 1):
                    break
                found = connection.exec_driver_sql(
                    sql, (_fts_query(terms, operator, prefix, alternatives), *params, limit)
                ).all()
                for row in found:
                    if (row[0], row[1]) not in seen and len(rows) < limit:
                        seen.add((row[0], row[1]))
                        rows.append(row)
        texts = self._texts()
        hits = []
        for kind, slug, _folded_title, rank in rows:
            title, text, folded, offsets = texts.get((kind, slug), (slug, "", "", []))
            snippet, spans = make_snippet(text, marked, folded, offsets)
            hits.append(
                SearchHit(
                    kind=SEARCH_KIND[kind],
                    slug=slug,
                    title=title,
                    snippet=snippet,
                    link=make_link(kind, slug),
                    score=round(-float(rank), 4),
                    spans=spans,
                )
            )
        return hits


def _best_match(pattern: re.Pattern[str], folded: str) -> re.Match[str] | None:
    """The match whose neighbourhood holds the most different query words (so "mystery
    shopping" shows the place where both words are, not the first "shop")."""
    matches = list(pattern.finditer(folded))
    if not matches:
        return None
    best, best_count = matches[0], 0
    for index, match in enumerate(matches):
        window_end = match.start() + SNIPPET_LENGTH // 2
        seen = {m.group(1) for m in matches[index:] if m.start() < window_end}
        if len(seen) > best_count:
            best, best_count = match, len(seen)
    return best


def make_snippet(
    text: str, terms: list[str], folded: str | None = None, offsets: list[int] | None = None
) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A short extract of `text` around the first matching word, and the matches' ranges in it."""
    if folded is None or offsets is None:
        folded, offsets = fold_with_offsets(text)
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(term) for term in terms) + r")\w*", re.UNICODE
    )
    first = _best_match(pattern, folded)
    if first is None:
        snippet = text[:SNIPPET_LENGTH]
        return (snippet + ("…" if len(text) > SNIPPET_LENGTH else "")), ()
    start_source = offsets[first.start()]
    # Back up a few words so the match reads in context.
    before = text[:start_source].split(" ")
    start = max(0, start_source - len(" ".join(before[-SNIPPET_WORDS_BEFORE:])) - 1)
    start = 0 if start <= 1 else start
    end = min(len(text), start + SNIPPET_LENGTH)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    snippet = text[start:end].strip()
    lead = text[start:end].find(snippet)
    spans = []
    for match in pattern.finditer(folded):
        begin = offsets[match.start()] - start - lead
        finish = offsets[match.end() - 1] + 1 - start - lead
        if begin >= 0 and finish <= len(snippet):
            spans.append((begin, finish))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    shifted = tuple((b + len(prefix), f + len(prefix)) for b, f in spans)
    return prefix + snippet + suffix, shifted
