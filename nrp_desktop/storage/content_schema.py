"""Schema of the read-only content database, shared by the build (db/) and the reader."""

from __future__ import annotations

from sqlalchemy import Column, Integer, MetaData, PrimaryKeyConstraint, Table, Text

CONTENT_SCHEMA_VERSION = 2  # 2: the glossary and everyday-words tables

metadata = MetaData()

meta = Table(
    "meta",
    metadata,
    Column("key", Text, primary_key=True),
    Column("value", Text, nullable=False),
)

documents = Table(
    "documents",
    metadata,
    Column("kind", Text, nullable=False),
    Column("slug", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("sort_key", Integer, nullable=False),
    Column("html", Text, nullable=False),
    Column("plain_text", Text, nullable=False),  # for search snippets, in the source's own letters
    Column("data", Text, nullable=False),  # the front matter as JSON
    PrimaryKeyConstraint("kind", "slug"),
)

glossary = Table(
    "glossary",
    metadata,
    Column("term", Text, primary_key=True),
    Column("meaning", Text, nullable=False),
    Column("forms", Text, nullable=False),  # JSON list of other spellings
)

everyday_words = Table(
    "everyday_words",
    metadata,
    Column("position", Integer, primary_key=True),  # the order of the source list
    Column("said", Text, nullable=False),  # JSON list
    Column("means", Text, nullable=False),  # JSON list
    Column("domains", Text, nullable=False),  # JSON list
)

# Text is folded (lower case, accents removed, ł → l) before it is indexed, so the tokenizer
# needs no diacritic rules of its own; `stems` holds the stemmed words for "lonely" ~ "loneliness".
CREATE_SEARCH_INDEX = (
    "CREATE VIRTUAL TABLE search_index USING fts5("
    "kind UNINDEXED, slug UNINDEXED, title, body, stems, "
    "tokenize = 'unicode61 remove_diacritics 0')"
)
