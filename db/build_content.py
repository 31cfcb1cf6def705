"""Validate the content sources and compile them into the read-only content database.

Run by the package build (setup.py) during `pip install`, and by hand while writing content:

    python db/build_content.py [SOURCE_DIR] [TARGET.sqlite3]

Every problem is reported as `FILE:LINE: rule`, all of them at once, and nothing is written
unless every source is valid. The database is written to a temporary file and renamed into place.

Beside the problems, the build lists review warnings: sentences about what happened that use
sequence words ("then", "after that", "started with" …), because the fact base rarely gives the
order of events. Whoever edits the content checks each against the facts and marks it as checked
(`<!-- sequence-checked: reason -->` in Markdown, `# sequence-checked: reason` in front matter).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import sqlite3
import sys
import tomllib
import typing
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
if str(ROOT / "db") not in sys.path:
    sys.path.insert(0, str(ROOT / "db"))

from markdown_pipeline import render_markdown  # noqa: E402

from nrp_desktop.domain.content import (  # noqa: E402
    DOCUMENT_TYPES,
    REQUIRED_SECTIONS,
    SOURCE_FOLDERS,
    document_from_data,
    split_link,
)
from nrp_desktop.domain.domains import DOMAIN_SLUGS  # noqa: E402
from nrp_desktop.domain.everyday import EverydayWord  # noqa: E402
from nrp_desktop.domain.glossary import GlossaryEntry, acronyms  # noqa: E402
from nrp_desktop.domain.text import fold, stems, words  # noqa: E402

GLOSSARY_FILE = "glossary.toml"
EVERYDAY_WORDS_FILE = "everyday-words.toml"
SLUG_RULE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FRONT_MATTER_FENCE = "+++"
GENERATED_FIELDS = {"html", "word_count"}
# Fields whose values name other documents, and the kind they must resolve to.
REFERENCE_FIELDS = {
    "domains": "domain",
    "neighbourhoods": "case-study",
    "lessons": "lesson",
}


@dataclass(frozen=True)
class ContentProblem:
    path: Path
    line: int
    rule: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.rule}"


class ContentBuildError(Exception):
    def __init__(self, problems: list[ContentProblem]) -> None:
        self.problems = problems
        lines = "\n".join(str(problem) for problem in problems)
        super().__init__(f"{len(problems)} problem(s) in the content sources:\n{lines}")


@dataclass
class ParsedSource:
    kind: str
    path: Path
    text: str
    front: dict[str, typing.Any]
    body: str
    body_line: int  # line number of the body's first line in the file


def _line_of(text: str, needle: str, default: int = 1) -> int:
    index = text.find(needle)
    return text.count("\n", 0, index) + 1 if index >= 0 else default


def _parse_source(kind: str, path: Path, problems: list[ContentProblem]) -> ParsedSource | None:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problems.append(ContentProblem(path, 1, f"not valid UTF-8 ({error.reason})"))
        return None
    lines = text.split("\n")
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        problems.append(ContentProblem(path, 1, "must start with a '+++' front-matter line"))
        return None
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        problems.append(ContentProblem(path, 1, "front matter has no closing '+++' line"))
        return None
    try:
        front = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as error:
        match = re.search(r"line (\d+)", str(error))
        line = int(match.group(1)) + 1 if match else 1
        problems.append(ContentProblem(path, line, f"front matter is not valid TOML: {error}"))
        return None
    return ParsedSource(kind, path, text, front, "\n".join(lines[end + 1 :]), end + 2)


def _type_problem(value: typing.Any, expected: typing.Any) -> str | None:
    """What is wrong with `value` for a dataclass field of type `expected`, or None."""
    origin = typing.get_origin(expected)
    if expected is str:
        return None if isinstance(value, str) and value.strip() else "must be non-empty text"
    if expected is bool:
        return None if isinstance(value, bool) else "must be true or false"
    if expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else "must be a whole number"
    if origin is tuple:
        item_type = typing.get_args(expected)[0]
        if not isinstance(value, list):
            return "must be a list"
        if item_type is str:
            bad = [v for v in value if not isinstance(v, str) or not v.strip()]
            return "every item must be non-empty text" if bad else None
        return None
    return None


def _check_front_matter(source: ParsedSource, problems: list[ContentProblem]) -> None:
    cls = DOCUMENT_TYPES[source.kind]
    hints = typing.get_type_hints(cls)
    wanted = [f.name for f in dataclasses.fields(cls) if f.name not in GENERATED_FIELDS]
    for name in wanted:
        line = _line_of(source.text, f"\n{name}", 1)
        if name not in source.front:
            problems.append(ContentProblem(source.path, 1, f"front matter needs '{name}'"))
            continue
        problem = _type_problem(source.front[name], hints[name])
        if problem:
            problems.append(ContentProblem(source.path, line, f"'{name}' {problem}"))
    for name in source.front:
        if name not in wanted:
            line = _line_of(source.text, f"\n{name}", 1)
            problems.append(ContentProblem(source.path, line, f"unknown field '{name}'"))
    slug = source.front.get("slug")
    if isinstance(slug, str):
        if not SLUG_RULE.match(slug):
            rule = f"slug {slug!r} must be lower-case words joined by hyphens"
            problems.append(ContentProblem(source.path, 2, rule))
        elif slug != source.path.stem:
            rule = f"slug {slug!r} must equal the file name {source.path.stem!r}"
            problems.append(ContentProblem(source.path, 2, rule))
    if source.kind == "tool-card":
        _check_examples(source, problems)


def _check_examples(source: ParsedSource, problems: list[ContentProblem]) -> None:
    examples = source.front.get("examples")
    line = _line_of(source.text, "[[examples]]")
    if not isinstance(examples, list) or not examples:
        problems.append(ContentProblem(source.path, line, "a card needs at least one [[examples]] table"))
        return
    for index, example in enumerate(examples):
        where = f"examples[{index}]"
        if not isinstance(example, dict):
            problems.append(ContentProblem(source.path, line, f"{where} must be a table"))
            continue
        for name in ("neighbourhood", "actions", "challenges", "impacts"):
            if name not in example:
                problems.append(ContentProblem(source.path, line, f"{where} needs '{name}'"))
        for name in example:
            if name not in ("neighbourhood", "actions", "challenges", "impacts"):
                problems.append(ContentProblem(source.path, line, f"{where} has unknown field '{name}'"))
        for name in ("actions", "challenges", "impacts"):
            value = example.get(name, [])
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(ContentProblem(source.path, line, f"{where}.{name} must be a list of text"))


def _check_sections(source: ParsedSource, problems: list[ContentProblem]) -> None:
    required = REQUIRED_SECTIONS.get(source.kind, ())
    found = [
        (source.body_line + number, line[3:].strip())
        for number, line in enumerate(source.body.split("\n"))
        if line.startswith("## ")
    ]
    titles = [title for _, title in found]
    for title in required:
        if title not in titles:
            problems.append(ContentProblem(source.path, source.body_line, f"missing section '## {title}'"))
    present = [title for title in titles if title in required]
    if present != [title for title in required if title in present]:
        rule = "sections must come in the order: " + ", ".join(required)
        problems.append(ContentProblem(source.path, source.body_line, rule))
    raw_html = re.search(r"<[a-zA-Z/][^>]*>", source.body)
    if raw_html:
        line = source.body_line + source.body[: raw_html.start()].count("\n")
        problems.append(ContentProblem(source.path, line, "raw HTML is not allowed; write Markdown"))


def _to_document(source: ParsedSource, html: str, plain: str) -> typing.Any:
    values = {name: value for name, value in source.front.items() if name not in GENERATED_FIELDS}
    if "word_count" in {f.name for f in dataclasses.fields(DOCUMENT_TYPES[source.kind])}:
        values["word_count"] = len(plain.split())
    return document_from_data(source.kind, values, html)


def _references(source: ParsedSource) -> list[tuple[str, str, str]]:
    """(field, kind, slug) for every reference the front matter makes."""
    refs: list[tuple[str, str, str]] = []
    for name, kind in REFERENCE_FIELDS.items():
        value = source.front.get(name)
        if isinstance(value, list):
            refs.extend((name, kind, slug) for slug in value if isinstance(slug, str))
    for example in source.front.get("examples", []) if source.kind == "tool-card" else []:
        if isinstance(example, dict) and isinstance(example.get("neighbourhood"), str):
            refs.append(("examples.neighbourhood", "case-study", example["neighbourhood"]))
    return refs


def load_glossary(source_dir: Path, problems: list[ContentProblem]) -> tuple[GlossaryEntry, ...]:
    """The glossary entries of `glossary.toml`; every problem with them is added to `problems`."""
    path = source_dir / GLOSSARY_FILE
    if not path.is_file():
        problems.append(ContentProblem(path, 0, "the glossary file is missing"))
        return ()
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problems.append(ContentProblem(path, 1, f"not valid TOML: {error}"))
        return ()
    entries: list[GlossaryEntry] = []
    seen: dict[str, str] = {}
    for index, item in enumerate(data.get("entry", [])):
        term = item.get("term") if isinstance(item, dict) else None
        line = _line_of(text, f'"{term}"') if isinstance(term, str) else 1
        meaning = item.get("meaning") if isinstance(item, dict) else None
        forms = item.get("forms", []) if isinstance(item, dict) else []
        if not isinstance(term, str) or not term.strip():
            problems.append(ContentProblem(path, line, f"entry[{index}] needs a 'term'"))
            continue
        if not isinstance(meaning, str) or not meaning.strip():
            problems.append(ContentProblem(path, line, f"'{term}' needs a 'meaning'"))
            continue
        if "<" in meaning or ">" in meaning:
            problems.append(ContentProblem(path, line, f"'{term}': the meaning is plain text, no markup"))
        if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
            problems.append(ContentProblem(path, line, f"'{term}': 'forms' must be a list of text"))
            continue
        unknown = set(item) - {"term", "meaning", "forms"}
        if unknown:
            problems.append(ContentProblem(path, line, f"'{term}' has unknown field(s) {sorted(unknown)}"))
        for form in (term, *forms):
            if form in seen:
                problems.append(ContentProblem(path, line, f"'{form}' is already a form of '{seen[form]}'"))
            seen[form] = term
        entries.append(GlossaryEntry(term.strip(), " ".join(meaning.split()), tuple(forms)))
    if not entries:
        problems.append(ContentProblem(path, 1, "the glossary has no [[entry]] tables"))
    return tuple(entries)


def load_everyday_words(source_dir: Path, problems: list[ContentProblem]) -> tuple[EverydayWord, ...]:
    """The reviewed everyday words of `everyday-words.toml`; problems are added to `problems`."""
    path = source_dir / EVERYDAY_WORDS_FILE
    if not path.is_file():
        problems.append(ContentProblem(path, 0, "the everyday-words file is missing"))
        return ()
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problems.append(ContentProblem(path, 1, f"not valid TOML: {error}"))
        return ()
    entries: list[EverydayWord] = []
    for index, item in enumerate(data.get("word", [])):
        said = item.get("said") if isinstance(item, dict) else None
        first = said[0] if isinstance(said, list) and said and isinstance(said[0], str) else ""
        line = _line_of(text, f'"{first}"') if first else 1
        where = f"word[{index}]" + (f" ({first!r})" if first else "")
        fields = {}
        for name in ("said", "means", "domains"):
            value = item.get(name, [] if name == "domains" else None) if isinstance(item, dict) else None
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(ContentProblem(path, line, f"{where}: '{name}' must be a list of text"))
                value = []
            elif name != "domains" and not value:
                problems.append(ContentProblem(path, line, f"{where}: '{name}' needs at least one entry"))
            fields[name] = tuple(v.strip() for v in value)
        unknown = set(item) - {"said", "means", "domains"} if isinstance(item, dict) else set()
        if unknown:
            problems.append(ContentProblem(path, line, f"{where} has unknown field(s) {sorted(unknown)}"))
        for domain in fields["domains"]:
            if domain not in DOMAIN_SLUGS:
                problems.append(ContentProblem(path, line, f"{where}: unknown domain {domain!r}"))
        if fields["said"] and fields["means"]:
            entries.append(EverydayWord(fields["said"], fields["means"], fields["domains"]))
    if not entries:
        problems.append(ContentProblem(path, 1, "the everyday-words file has no [[word]] tables"))
    return tuple(entries)


def _check_everyday_words_are_in_the_content(
    source_dir: Path, entries: tuple[EverydayWord, ...], texts: list[str], problems: list[ContentProblem]
) -> None:
    """A mapping may only point to words the content really contains: nothing is promised that
    search cannot then find."""
    path = source_dir / EVERYDAY_WORDS_FILE
    source = path.read_text(encoding="utf-8") if path.is_file() else ""
    everything = " " + " ".join(" ".join(words(text)) for text in texts) + " "
    for entry in entries:
        for phrase in entry.means:
            if f" {' '.join(words(phrase))} " not in everything:
                rule = f"{phrase!r} (for {entry.said[0]!r}) does not occur in the content"
                problems.append(ContentProblem(path, _line_of(source, f'"{phrase}"'), rule))


_CODE_SPAN = re.compile(r"`[^`]*`")
_HTML_COMMENT = re.compile(r"<!--.*?-->")
_TOML_COMMENT = re.compile(r'(["\]],?)\s+#.*$')  # a comment after a closing quote or bracket
# Front-matter fields that hold names of other things, not text a reader sees.
_NOT_PROSE_FIELDS = {"slug", "sources", "domains", "neighbourhoods", "lessons", "colour", "mark"}


def _prose_lines(source: ParsedSource) -> list[tuple[int, str]]:
    """(line number, text) of every line a reader sees: front-matter text and the body, without
    code spans and without the Sources section (which names sources by their short names)."""
    lines = source.text.split("\n")
    result: list[tuple[int, str]] = []
    in_front = True
    in_sources = False
    current_field = ""
    for number, line in enumerate(lines, start=1):
        if number == 1:
            continue
        if in_front and line.strip() == FRONT_MATTER_FENCE:
            in_front = False
            continue
        if in_front:
            match = re.match(r"^([a-z_]+)\s*=", line)
            if match:
                current_field = match.group(1)
            elif line.startswith("[["):
                current_field = ""
            if current_field in _NOT_PROSE_FIELDS:
                continue
            result.append((number, _TOML_COMMENT.sub(r"\1", line)))
            continue
        if line.startswith("## "):
            in_sources = line[3:].strip() == "Sources"
            continue
        if not in_sources:
            result.append((number, _CODE_SPAN.sub("", _HTML_COMMENT.sub("", line))))
    return result


def _check_acronyms(
    source: ParsedSource, glossary: tuple[GlossaryEntry, ...], problems: list[ContentProblem]
) -> None:
    known = {form for entry in glossary for form in entry.all_forms}
    for number, line in _prose_lines(source):
        for word in acronyms(line):
            if word not in known:
                rule = f"'{word}' looks like an acronym but has no entry in {GLOSSARY_FILE}"
                problems.append(ContentProblem(source.path, number, rule))


# Words that put events in an order. The facts rarely give the order (nrp-facts.md §6 item 8).
SEQUENCE_WORDS = re.compile(
    r"\b(then|after that|afterwards|(?<!looks )(?<!look )(?<!looked )after|before|later|next step|"
    r"started with|started by|began with)\b|\bfirst\b.*\bthen\b",
    re.IGNORECASE,
)
SEQUENCE_CHECKED = re.compile(r"(<!--\s*sequence-checked:\s*\S.*?-->|#\s*sequence-checked:\s*\S)")
# Prompts and facilitator guidance say what to do, not what happened: they are not checked.
_PROMPT_FIELDS = {"questions", "try_this", "title", "number", "order", "keywords"}
_NARRATIVE_KINDS = {"case-study", "domain", "page", "lesson", "tool-card", "tool-player"}


@dataclass(frozen=True)
class SequenceWarning:
    path: Path
    line: int
    word: str
    sentence: str

    def __str__(self) -> str:
        return (
            f"{self.path}:{self.line}: warning: '{self.word}' orders events; check it against the "
            f"facts, then mark it '<!-- sequence-checked: reason -->': {self.sentence}"
        )


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def sequence_warnings(source_dir: Path) -> list[SequenceWarning]:
    """Every unchecked sentence about what happened that uses a sequence word."""
    warnings: list[SequenceWarning] = []
    for kind, folder in SOURCE_FOLDERS.items():
        if kind not in _NARRATIVE_KINDS:
            continue
        for path in sorted((source_dir / folder).glob("*.md")):
            problems: list[ContentProblem] = []
            source = _parse_source(kind, path, problems)
            if source is None:
                continue
            warnings.extend(_sequence_warnings_in(source))
    return warnings


def _sequence_warnings_in(source: ParsedSource) -> list[SequenceWarning]:
    lines = source.text.split("\n")
    # A marker counts for its own line and for the whole paragraph it sits in.
    paragraph_of: dict[int, int] = {}
    paragraph = 0
    for number, line in enumerate(lines, start=1):
        if not line.strip() or line.strip() == FRONT_MATTER_FENCE:
            paragraph += 1
        paragraph_of[number] = paragraph
    checked_paragraphs = {
        paragraph_of[number] for number, line in enumerate(lines, start=1) if SEQUENCE_CHECKED.search(line)
    }
    prompt_lines = set()
    current_field = ""
    for number, line in enumerate(lines[: source.body_line - 1], start=1):
        match = re.match(r"^([a-z_]+)\s*=", line)
        if match:
            current_field = match.group(1)
        if current_field in _PROMPT_FIELDS:
            prompt_lines.add(number)
    found: list[SequenceWarning] = []
    for number, text in _prose_lines(source):
        if number in prompt_lines or paragraph_of.get(number) in checked_paragraphs:
            continue
        for sentence in _sentences(re.sub(r"<!--.*?-->", "", text)):
            match = SEQUENCE_WORDS.search(sentence)
            if match:
                word = (match.group(1) or "first … then").lower()
                found.append(SequenceWarning(source.path, number, word, sentence.strip()))
    return found


def content_version(source_dir: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted([*source_dir.rglob("*.md"), *source_dir.rglob("*.toml")]):
        digest.update(path.relative_to(source_dir).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_CASE_STUDY_LINK = re.compile(r"\[([^\]]+)\]\(case-study:([a-z0-9-]+)\)")


def _check_neighbourhood_names(
    source: ParsedSource, titles: dict[typing.Any, typing.Any], problems: list[ContentProblem]
) -> None:
    """One spelling per neighbourhood: a link to a case study reads as the case study's title."""
    for match in _CASE_STUDY_LINK.finditer(source.body):
        title = titles.get(match.group(2))
        if isinstance(title, str) and match.group(1) != title:
            line = source.body_line + source.body[: match.start()].count("\n")
            rule = f"link text {match.group(1)!r} must be the case study's title {title!r}"
            problems.append(ContentProblem(source.path, line, rule))


class ContentSources(typing.NamedTuple):
    documents: list[typing.Any]  # (source, document, plain text) for every valid source
    problems: list[ContentProblem]
    glossary: tuple[GlossaryEntry, ...]
    everyday_words: tuple[EverydayWord, ...]


def load_sources(source_dir: Path) -> ContentSources:
    """Parse and validate every source: the documents, every problem found, the glossary and the
    everyday words."""
    problems: list[ContentProblem] = []
    glossary = load_glossary(source_dir, problems)
    everyday = load_everyday_words(source_dir, problems)
    parsed: list[ParsedSource] = []
    for kind, folder in SOURCE_FOLDERS.items():
        directory = source_dir / folder
        files = sorted(directory.glob("*.md")) if directory.is_dir() else []
        if not files:
            problems.append(ContentProblem(directory, 0, f"no {kind} sources found"))
        for path in files:
            source = _parse_source(kind, path, problems)
            if source is not None:
                parsed.append(source)

    known: dict[tuple[str, str], Path] = {}
    for source in parsed:
        slug = source.front.get("slug")
        if isinstance(slug, str):
            key = (source.kind, slug)
            if key in known:
                problems.append(ContentProblem(source.path, 2, f"slug {slug!r} is also used by {known[key]}"))
            known[key] = source.path
    known_slugs = {(kind, slug) for kind, slug in known} | {("domain", s) for s in DOMAIN_SLUGS}

    titles = {
        source.front.get("slug"): source.front.get("title")
        for source in parsed
        if source.kind == "case-study"
    }
    documents = []
    for source in parsed:
        _check_neighbourhood_names(source, titles, problems)
        _check_front_matter(source, problems)
        _check_sections(source, problems)
        _check_acronyms(source, glossary, problems)
        for name, kind, slug in _references(source):
            if (kind, slug) not in known_slugs:
                line = _line_of(source.text, f'"{slug}"')
                problems.append(ContentProblem(source.path, line, f"'{name}' names unknown {kind} {slug!r}"))
        rendered = render_markdown(source.body, glossary)
        for link in rendered.links:
            parts = split_link(link)
            if parts and parts not in known_slugs:
                line = _line_of(source.text, f"({link})")
                problems.append(ContentProblem(source.path, line, f"link to unknown {parts[0]} {parts[1]!r}"))
        for link in rendered.dropped_links:
            line = _line_of(source.text, f"({link})")
            rule = f"link {link!r} is not internal (use case-study:, lesson:, domain: or page:)"
            problems.append(ContentProblem(source.path, line, rule))
        if not any(p.path == source.path for p in problems):
            documents.append((source, _to_document(source, rendered.html, rendered.plain_text), rendered.plain_text))

    for kind_domain in DOMAIN_SLUGS:
        if ("domain", kind_domain) not in known:
            problems.append(ContentProblem(source_dir / "domains", 0, f"domain {kind_domain!r} has no page"))
    numbers: dict[int, Path] = {}
    for source in parsed:
        if source.kind == "lesson" and isinstance(source.front.get("number"), int):
            number = source.front["number"]
            if number in numbers:
                rule = f"lesson number {number} is also used by {numbers[number]}"
                problems.append(ContentProblem(source.path, _line_of(source.text, "number"), rule))
            numbers[number] = source.path
    searchable = [_search_text(document, plain) for _source, document, plain in documents]
    _check_everyday_words_are_in_the_content(source_dir, everyday, searchable, problems)
    return ContentSources(documents, problems, glossary, everyday)


def _sort_key(document: typing.Any) -> int:
    return int(getattr(document, "number", 0) or getattr(document, "order", 0) or 0)


def _search_text(document: typing.Any, plain: str) -> str:
    """Everything a search should find a document by: summary and card texts as well as the body."""
    parts = [getattr(document, name, "") for name in ("summary", "short", "prompt", "topic", "place")]
    parts += list(getattr(document, "questions", ())) + list(getattr(document, "try_this", ()))
    for example in getattr(document, "examples", ()):
        parts += list(example.actions) + list(example.challenges) + list(example.impacts)
    parts.append(plain)
    return " ".join(part for part in parts if part)


def write_database(
    documents: list[typing.Any],
    target: Path,
    version: str,
    glossary: tuple[GlossaryEntry, ...] = (),
    everyday: tuple[EverydayWord, ...] = (),
) -> None:
    from sqlalchemy import create_engine, insert

    from nrp_desktop.storage.content_schema import (
        CONTENT_SCHEMA_VERSION,
        CREATE_SEARCH_INDEX,
        meta,
        metadata,
    )
    from nrp_desktop.storage.content_schema import (
        documents as documents_table,
    )
    from nrp_desktop.storage.content_schema import (
        everyday_words as everyday_table,
    )
    from nrp_desktop.storage.content_schema import (
        glossary as glossary_table,
    )

    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(target.name + ".tmp")
    temporary.unlink(missing_ok=True)
    engine = create_engine(f"sqlite:///{temporary}")
    try:
        metadata.create_all(engine)
        with engine.begin() as connection:
            connection.exec_driver_sql(CREATE_SEARCH_INDEX)
            connection.execute(
                insert(meta),
                [
                    {"key": "content_version", "value": version},
                    {"key": "schema_version", "value": str(CONTENT_SCHEMA_VERSION)},
                ],
            )
            if glossary:
                connection.execute(
                    insert(glossary_table),
                    [
                        {"term": e.term, "meaning": e.meaning, "forms": json.dumps(list(e.forms))}
                        for e in glossary
                    ],
                )
            if everyday:
                connection.execute(
                    insert(everyday_table),
                    [
                        {
                            "position": position,
                            "said": json.dumps(list(e.said), ensure_ascii=False),
                            "means": json.dumps(list(e.means), ensure_ascii=False),
                            "domains": json.dumps(list(e.domains)),
                        }
                        for position, e in enumerate(everyday)
                    ],
                )
            for source, document, plain in documents:
                searchable = _search_text(document, plain)
                data = dataclasses.asdict(document)
                data.pop("html", None)
                connection.execute(
                    insert(documents_table).values(
                        kind=source.kind,
                        slug=document.slug,
                        title=document.title,
                        sort_key=_sort_key(document),
                        html=document.html,
                        plain_text=searchable,
                        data=json.dumps(data, ensure_ascii=False),
                    )
                )
                connection.exec_driver_sql(
                    "INSERT INTO search_index (kind, slug, title, body, stems) VALUES (?, ?, ?, ?, ?)",
                    (
                        source.kind,
                        document.slug,
                        fold(document.title),
                        fold(searchable),
                        " ".join(stems(document.title + " " + searchable)),
                    ),
                )
            connection.exec_driver_sql("INSERT INTO search_index(search_index) VALUES ('optimize')")
    finally:
        engine.dispose()
    with sqlite3.connect(temporary) as connection:
        connection.execute("VACUUM")
    connection.close()
    os.replace(temporary, target)


def build_content_database(source_dir: Path, target: Path) -> str:
    """Validate all sources and write the database; the content version. Raises ContentBuildError."""
    sources = load_sources(Path(source_dir))
    if sources.problems:
        raise ContentBuildError(sources.problems)
    version = content_version(Path(source_dir))
    write_database(sources.documents, Path(target), version, sources.glossary, sources.everyday_words)
    return version


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    source_dir = Path(args[0]) if args else ROOT / "resources" / "content"
    target = Path(args[1]) if len(args) > 1 else ROOT / "resources" / "content.sqlite3"
    try:
        version = build_content_database(source_dir, target)
    except ContentBuildError as error:
        print(error, file=sys.stderr)
        return 2
    print(f"content {version} written to {target}")
    for warning in sequence_warnings(source_dir):
        print(warning, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
