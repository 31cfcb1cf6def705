"""The session file (`.nrpsession`, format version 1, contract.md §2): reading and writing.

Reading refuses a file whole, with one line naming the place and the rule
(`example.nrpsession: session.priorities[3].votes: must be a whole number, 0 or more`), or returns
a Session that passes every rule in `domain.session`. The steps, cheapest first: size (before
anything is read), UTF-8, JSON syntax and nesting, the format name and version (so a newer file is
refused for that reason, not for fields this version does not know), then the fields themselves
with pydantic, and finally `session_problems()` for the rules that span fields (groups).

pydantic is imported on first use, not at start-up: the models are built in `_file_model()`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import re
import stat
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nrp_desktop import __version__
from nrp_desktop.domain.domains import DOMAIN_SLUGS, is_domain
from nrp_desktop.domain.session import (
    ACTION_AGREED,
    ACTION_PROGRESS_MAX,
    ACTION_WHAT_MAX,
    DEFAULT_LANGUAGE,
    GROUP_NAME_MAX,
    LESSON_SLUG_MAX,
    PRIORITIES_MAX,
    PRIORITY_TEXT_MAX,
    PRIORITY_TITLE_MAX,
    SESSION_NOTES_MAX,
    SESSION_TITLE_MAX,
    SHORT_TEXT_MAX,
    Action,
    Priority,
    Session,
    check_language,
    check_participants,
    check_rating,
    check_status,
    check_text,
    check_votes,
    session_problems,
)
from nrp_desktop.errors import BadInput
from nrp_desktop.storage.files import atomic_write_text

__all__ = [
    "FILE_EXTENSION",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "ParsedSessionFile",
    "SessionFileError",
    "parse_session_bytes",
    "read_session_file",
    "session_rule_problems",
    "session_to_json",
    "unknown_follows_warning",
    "write_session_file",
]

FORMAT_NAME = "nrp-session"
FORMAT_VERSION = 1
FILE_EXTENSION = ".nrpsession"
MAX_FILE_BYTES = 10 * 1024 * 1024  # "files larger than 10 MB are refused before they are parsed"
# A version-1 file is six levels deep (file, session, priorities, priority, actions, action);
# the margin leaves room for later additions while keeping every later walk shallow.
MAX_NESTING = 64
MAX_NUMBER_DIGITS = 100  # no field needs more; Python refuses ints over 4300 digits anyway
MAX_WARNINGS = 100

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")


class SessionFileError(BadInput):
    """The file was refused (or the session cannot be written); the message is one plain line.

    `source` is the file's name, `place` where in it (e.g. `session.priorities[3].votes`, or ""
    for the file as a whole) and `reason` the rule it breaks.
    """

    def __init__(self, source: str, place: str, reason: str) -> None:
        self.source = source
        self.place = place
        self.reason = reason
        parts = [part for part in (source, place, reason) if part]
        # One line, always: a place or value from the file may hold a line break.
        super().__init__(": ".join(parts).replace("\r", "\\r").replace("\n", "\\n"))

    @property
    def message(self) -> str:
        return str(self)


@dataclass(frozen=True)
class ParsedSessionFile:
    session: Session
    warnings: list[str] = field(default_factory=list)
    content_version: str | None = None
    app_version: str | None = None
    exported_at: str | None = None


# ---------------------------------------------------------------------------------------------
# Reading


def read_session_file(
    path: str | os.PathLike[str], known_lessons: set[str] | None = None
) -> ParsedSessionFile:
    """Read and check one session file; SessionFileError (prefixed with the file's name) if refused.

    `known_lessons`: the slugs of the bundled lessons; a linked slug outside it is kept and
    reported in `warnings`. None skips that check.
    """
    source = Path(path).name or str(path)
    try:
        # Only a regular file is read: a FIFO would block for ever, a device never end. Checked
        # before opening (stat follows symbolic links), and again on the opened descriptor, which
        # is opened non-blocking, in case the name was swapped for a FIFO in between.
        _refuse_unless_regular(source, os.stat(path).st_mode)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(descriptor, "rb") as handle:
            status = os.fstat(handle.fileno())
            _refuse_unless_regular(source, status.st_mode)
            if status.st_size > MAX_FILE_BYTES:
                raise _too_large(source, status.st_size)
            # Read at most one byte past the limit: a file that grew since stat() is still
            # refused without being read whole.
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        reason = error.strerror or str(error)
        raise SessionFileError(source, "", f"cannot read the file: {reason}") from None
    return parse_session_bytes(data, source, known_lessons)


def _refuse_unless_regular(source: str, mode: int) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        kind = "a folder"
    elif stat.S_ISFIFO(mode):
        kind = "a pipe (FIFO)"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "a device"
    elif stat.S_ISSOCK(mode):
        kind = "a socket"
    else:
        kind = "not a regular file"
    raise SessionFileError(source, "", f"cannot read it: it is {kind}, not a session file")


def parse_session_bytes(
    data: bytes, source_name: str, known_lessons: set[str] | None = None
) -> ParsedSessionFile:
    """Check the bytes of a session file; SessionFileError (prefixed with `source_name`) if refused."""
    if len(data) > MAX_FILE_BYTES:
        raise _too_large(source_name, len(data))
    document = _decode_json(data, source_name)
    _check_format_and_version(document, source_name)
    model = _validate(document, source_name)
    warnings: list[str] = []
    _collect_unknown_fields(model, "", warnings)
    session = _to_session(model.session, source_name, warnings)
    if known_lessons is not None:
        for index, priority in enumerate(session.priorities):
            for lesson_index, slug in enumerate(priority.lessons):
                if slug not in known_lessons:
                    warnings.append(
                        f"session.priorities[{index}].lessons[{lesson_index}]: {_quote(slug)} is "
                        "not a lesson in this app's content; the link is kept"
                    )
    problems = session_problems(session)
    if problems:
        raise _refusal(source_name, _split_problems(problems))
    if len(warnings) > MAX_WARNINGS:
        hidden = len(warnings) - MAX_WARNINGS
        warnings = [*warnings[:MAX_WARNINGS], f"… and {hidden} more warnings"]
    return ParsedSessionFile(
        session=session,
        warnings=warnings,
        content_version=model.content_version,
        app_version=model.app_version,
        exported_at=model.exported_at,
    )


def _too_large(source: str, size: int) -> SessionFileError:
    megabytes = size / (1024 * 1024)
    limit = MAX_FILE_BYTES // (1024 * 1024)
    return SessionFileError(
        source, "", f"the file is too large ({megabytes:.1f} MB); session files are at most {limit} MB"
    )


class _DuplicateKeyObject(dict):  # type: ignore[type-arg]
    """A JSON object in which a key appeared twice; the walk in _check_nesting reports it."""

    duplicate_key: str = ""


class _NumberTooLong(ValueError):
    pass


def _object_from_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    seen: set[str] = set()
    marked = _DuplicateKeyObject(result)
    for key, _value in pairs:
        if key in seen:
            marked.duplicate_key = key
            break
        seen.add(key)
    return marked


def _parse_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _NumberTooLong(text[:20])
    return int(text)


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _decode_json(data: bytes, source: str) -> Any:
    offset = 0
    if data.startswith(b"\xef\xbb\xbf"):
        data, offset = data[3:], 3  # a byte-order mark, as Windows Notepad saves UTF-8: harmless
    if not data.strip():
        raise SessionFileError(source, "", "the file is empty")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise SessionFileError(
            source,
            "",
            f"the file is not UTF-8 text (an invalid byte, 0x{byte:02X}, "
            f"at byte offset {error.start + offset})",
        ) from None
    try:
        document = json.loads(
            text,
            object_pairs_hook=_object_from_pairs,
            parse_int=_parse_int,
            parse_constant=_refuse_constant,
        )
    except json.JSONDecodeError as error:
        detail = error.msg[:1].lower() + error.msg[1:]
        if detail.endswith(" at"):  # "Unterminated string starting at": the place follows
            detail = detail.removesuffix(" at") + " here"
        raise SessionFileError(
            source,
            "",
            f"the file is not valid JSON (line {error.lineno}, column {error.colno}: {detail})",
        ) from None
    except RecursionError:
        raise _too_deep(source) from None
    except _NumberTooLong:
        raise SessionFileError(
            source, "", f"the file holds a number with more than {MAX_NUMBER_DIGITS} digits"
        ) from None
    except ValueError as error:  # NaN or Infinity, refused by _refuse_constant
        raise SessionFileError(source, "", f"the file is not valid JSON ({error})") from None
    _check_nesting(document, source)
    return document


def _too_deep(source: str) -> SessionFileError:
    return SessionFileError(
        source, "", f"the file's JSON is nested too deeply (more than {MAX_NESTING} levels)"
    )


def _check_nesting(document: Any, source: str) -> None:
    """Refuse nesting beyond MAX_NESTING and repeated keys; iterative, so it cannot overflow."""
    stack: list[tuple[Any, int, tuple[str | int, ...]]] = [(document, 1, ())]
    while stack:
        node, depth, place = stack.pop()
        if isinstance(node, dict):
            if depth > MAX_NESTING:
                raise _too_deep(source)
            if isinstance(node, _DuplicateKeyObject):
                raise SessionFileError(
                    source,
                    _place(place),
                    f"the key {_quote(node.duplicate_key)} appears twice in the same object",
                )
            stack.extend((value, depth + 1, (*place, key)) for key, value in node.items())
        elif isinstance(node, list):
            if depth > MAX_NESTING:
                raise _too_deep(source)
            stack.extend((value, depth + 1, (*place, index)) for index, value in enumerate(node))


def _check_format_and_version(document: Any, source: str) -> None:
    if not isinstance(document, dict):
        raise SessionFileError(
            source, "", f"the file must hold one JSON object, not {_kind(document)}"
        )
    not_ours = f'must be "{FORMAT_NAME}" (this is not an NRP Desktop session file)'
    if "format" not in document:
        raise SessionFileError(source, "format", f"is missing; it {not_ours}")
    found = document["format"]
    if found != FORMAT_NAME:
        shown = _quote(found) if isinstance(found, str) else _kind(found)
        raise SessionFileError(source, "format", f"{not_ours}, not {shown}")
    if "version" not in document:
        raise SessionFileError(source, "version", "is missing; it must be a whole number")
    version = document["version"]
    if isinstance(version, bool) or not isinstance(version, int):
        raise SessionFileError(source, "version", f"must be a whole number, not {_kind(version)}")
    if version > FORMAT_VERSION:
        raise SessionFileError(
            source,
            "version",
            f"the file was made by a newer version of NRP Desktop (format version {version}; "
            f"this version reads format version {FORMAT_VERSION}): update NRP Desktop to open it",
        )
    if version < FORMAT_VERSION:
        raise SessionFileError(source, "version", f"must be {FORMAT_VERSION}, not {version}")


# ---------------------------------------------------------------------------------------------
# Field rules, used as pydantic "before" validators. Each returns the clean value or raises
# _Invalid, which becomes a PydanticCustomError carrying the plain-words reason.


class _Invalid(ValueError):
    pass


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _quote(value: object, limit: int = 60) -> str:
    """A value for a message: quoted, escaped (so the message stays one line), and cut short."""
    text = str(value)
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def _clean_text(value: Any, maximum: int, required: bool) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"must be text, not {_kind(value)}")
    text = value.strip()
    reason = check_text(text, maximum, required=required)
    if reason:
        raise _Invalid(reason)
    return text


def _required_text(maximum: int) -> Callable[[Any], str]:
    return lambda value: _clean_text(value, maximum, required=True)


def _optional_text(maximum: int) -> Callable[[Any], str]:
    return lambda value: "" if value is None else _clean_text(value, maximum, required=False)


def _optional_label(maximum: int) -> Callable[[Any], str | None]:
    """For optional text where absent and empty mean the same: None."""

    def validate(value: Any) -> str | None:
        if value is None:
            return None
        return _clean_text(value, maximum, required=False) or None

    return validate


def _whole_number(rule: Callable[[Any], str | None]) -> Callable[[Any], Any]:
    def validate(value: Any) -> Any:
        reason = rule(value)
        if reason:
            raise _Invalid(reason)
        return value

    return validate


def _votes(value: Any) -> int:
    return 0 if value is None else _whole_number(check_votes)(value)


def _optional_uuid(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid(f"must be a UUID (text), not {_kind(value)}")
    try:
        # One spelling for one id, so an import finds the stored session whatever the case.
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise _Invalid(f"must be a UUID such as '0b6f3a52-8d1e-4c1b-9a8e-2f6f0d7c4e11', not {_quote(value)}") from None


def _iso_date(value: Any) -> dt.date:
    if not isinstance(value, str):
        raise _Invalid(f"must be a date written YYYY-MM-DD, not {_kind(value)}")
    text = value.strip()
    if not _ISO_DATE.fullmatch(text):
        raise _Invalid(f"must be a date written YYYY-MM-DD, not {_quote(value)}")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise _Invalid(f"{_quote(text)} is not a real date") from None


def _optional_iso_date(value: Any) -> dt.date | None:
    return None if value is None else _iso_date(value)


def _status(value: Any) -> str:
    if value is None:
        return ACTION_AGREED
    text = value.strip() if isinstance(value, str) else value
    reason = check_status(text)
    if reason:
        raise _Invalid(reason)
    return str(text)


def _timestamp(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _Invalid(f"must be an ISO 8601 date and time, not {_kind(value)}")
    text = value.strip()
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        raise _Invalid(
            f"must be an ISO 8601 date and time such as '2026-11-23T14:05:00Z', not {_quote(value)}"
        ) from None
    return text


def _language(value: Any) -> str:
    if value is None:
        return DEFAULT_LANGUAGE
    if not isinstance(value, str):
        raise _Invalid(f"must be a language tag (text), not {_kind(value)}")
    text = value.strip()
    if not text:
        return DEFAULT_LANGUAGE
    reason = check_language(text)
    if reason:
        raise _Invalid(reason)
    return text


def _domain(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(f"must be a domain slug (text), not {_kind(value)}")
    if not is_domain(value):
        raise _Invalid(
            f"{_quote(value)} is not one of the five domains ({', '.join(DOMAIN_SLUGS)})"
        )
    return value


def _rating(value: Any) -> int | None:
    return None if value is None else _whole_number(check_rating)(value)


def _participants(value: Any) -> int | None:
    return None if value is None else _whole_number(check_participants)(value)


def _list_or_empty(value: Any) -> Any:
    return [] if value is None else value


def _object_or_empty(value: Any) -> Any:
    return {} if value is None else value


# ---------------------------------------------------------------------------------------------
# The pydantic models: the shape of a version-1 file.


@functools.cache
def _file_model() -> Any:
    from typing import Annotated

    from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
    from pydantic_core import PydanticCustomError

    def rule(check: Callable[[Any], Any]) -> Any:
        def validate(value: Any) -> Any:
            try:
                return check(value)
            except _Invalid as error:
                # The reason travels in the context, so braces in it are never read as a template.
                raise PydanticCustomError("nrp", "{reason}", {"reason": str(error)}) from None

        return BeforeValidator(validate)

    # Unknown fields are kept by pydantic ("allow") only so they can be named in warnings.
    config = ConfigDict(strict=True, extra="allow")

    class ActionModel(BaseModel):
        model_config = config
        what: Annotated[str, rule(_required_text(ACTION_WHAT_MAX))]
        who: Annotated[str, rule(_optional_text(SHORT_TEXT_MAX))] = ""
        when: Annotated[str, rule(_optional_text(SHORT_TEXT_MAX))] = ""
        # Contract §5.1: the state of an action, and where it came from.
        id: Annotated[str | None, rule(_optional_uuid)] = None
        status: Annotated[str, rule(_status)] = ACTION_AGREED
        progress: Annotated[str, rule(_optional_text(ACTION_PROGRESS_MAX))] = ""
        updated: Annotated[dt.date | None, rule(_optional_iso_date)] = None
        carried_from: Annotated[str | None, rule(_optional_uuid)] = None

    class PriorityModel(BaseModel):
        model_config = config
        id: Annotated[str | None, rule(_optional_uuid)] = None
        title: Annotated[str, rule(_required_text(PRIORITY_TITLE_MAX))]
        description: Annotated[str, rule(_optional_text(PRIORITY_TEXT_MAX))] = ""
        domains: Annotated[list[Annotated[str, rule(_domain)]], rule(_list_or_empty)] = []
        votes: Annotated[int, rule(_votes)] = 0
        group: Annotated[str | None, rule(_optional_label(GROUP_NAME_MAX))] = None
        lessons: Annotated[
            list[Annotated[str, rule(_required_text(LESSON_SLUG_MAX))]], rule(_list_or_empty)
        ] = []
        actions: Annotated[list[ActionModel], rule(_list_or_empty)] = []
        notes: Annotated[str, rule(_optional_text(PRIORITY_TEXT_MAX))] = ""
        carried_from: Annotated[str | None, rule(_optional_uuid)] = None

    class SessionModel(BaseModel):
        model_config = config
        id: Annotated[str | None, rule(_optional_uuid)] = None
        title: Annotated[str, rule(_required_text(SESSION_TITLE_MAX))]
        date: Annotated[dt.date, rule(_iso_date)]
        venue: Annotated[str, rule(_optional_text(SHORT_TEXT_MAX))] = ""
        neighbourhood: Annotated[str, rule(_optional_text(SHORT_TEXT_MAX))] = ""
        facilitator: Annotated[str, rule(_optional_text(SHORT_TEXT_MAX))] = ""
        participants: Annotated[int | None, rule(_participants)] = None
        language: Annotated[str, rule(_language)] = DEFAULT_LANGUAGE
        notes: Annotated[str, rule(_optional_text(SESSION_NOTES_MAX))] = ""
        ratings: Annotated[
            dict[Annotated[str, rule(_domain)], Annotated[int | None, rule(_rating)]],
            rule(_object_or_empty),
        ] = {}
        groups: Annotated[
            list[Annotated[str, rule(_required_text(GROUP_NAME_MAX))]], rule(_list_or_empty)
        ] = []
        priorities: Annotated[
            list[PriorityModel], rule(_list_or_empty), Field(max_length=PRIORITIES_MAX)
        ] = []
        follows: Annotated[str | None, rule(_optional_uuid)] = None

    class FileModel(BaseModel):
        model_config = config
        format: str
        version: int
        exported_at: Annotated[str | None, rule(_timestamp)] = None
        app_version: Annotated[str | None, rule(_optional_label(SHORT_TEXT_MAX))] = None
        content_version: Annotated[str | None, rule(_optional_label(SHORT_TEXT_MAX))] = None
        session: SessionModel

    return FileModel


def session_rule_problems(session: Session) -> list[tuple[str, str]]:
    """Every rule of the session file that `session` breaks, as (place, reason); empty when it
    could be written to a file and read back. This is the one rule set: the store applies it to
    every whole session it saves (import, restore), the command line to what it imports; the
    editor's single-field edits go through the same domain rules the models call."""
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "session": _session_document(session)}
    problems = _model_problems(_file_model(), document)
    return problems or _split_problems(session_problems(session))


def _model_problems(model: Any, document: dict[str, Any]) -> list[tuple[str, str]]:
    from pydantic import ValidationError

    try:
        model.model_validate(document)
    except ValidationError as error:
        return [(_place(problem["loc"]), _reason(problem)) for problem in error.errors()]
    return []


def _validate(document: dict[str, Any], source: str) -> Any:
    from pydantic import ValidationError

    try:
        return _file_model().model_validate(document)
    except ValidationError as error:
        problems = [(_place(problem["loc"]), _reason(problem)) for problem in error.errors()]
        raise _refusal(source, problems) from None


def _refusal(source: str, problems: list[tuple[str, str]]) -> SessionFileError:
    place, reason = problems[0]
    if len(problems) > 1:
        more = len(problems) - 1
        reason += f" (and {more} more problem{'s' if more > 1 else ''})"
    return SessionFileError(source, place, reason)


def _split_problems(problems: list[str]) -> list[tuple[str, str]]:
    """session_problems() lines as (place, reason); their places are built from field names, so
    the first ": " is where the reason begins."""
    return [(place, reason) for place, _, reason in (p.partition(": ") for p in problems)]


def _place(location: Iterable[str | int]) -> str:
    place = ""
    for part in location:
        if isinstance(part, int):
            place += f"[{part}]"
        elif part != "[key]":  # pydantic's marker for a dict key: the key is already in the place
            place = _join(place, part)
    return place


def _reason(problem: Any) -> str:
    kind = problem["type"]
    context = problem.get("ctx") or {}
    found = _kind(problem.get("input"))
    if kind == "nrp":
        return str(context["reason"])
    if kind == "missing":
        return "is required"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"must be an object {{…}}, not {found}"
    if kind == "list_type":
        return f"must be a list […], not {found}"
    if kind == "string_type":
        return f"must be text, not {found}"
    if kind == "too_long":
        return f"must have at most {context.get('max_length')} items"
    return str(problem.get("msg", "is not valid")).splitlines()[0]


def _collect_unknown_fields(model: Any, place: str, warnings: list[str]) -> None:
    from pydantic import BaseModel

    for key in model.model_extra or {}:
        warnings.append(f"{_join(place, key)}: unknown field, ignored")
    for name in type(model).model_fields:
        value = getattr(model, name)
        child = _join(place, name)
        if isinstance(value, BaseModel):
            _collect_unknown_fields(value, child, warnings)
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    _collect_unknown_fields(item, f"{child}[{index}]", warnings)


def _join(place: str, key: str) -> str:
    """The place of `key` inside the object at `place` (already formatted by _place)."""
    if _PLAIN_KEY.fullmatch(key):
        return f"{place}.{key}" if place else key
    return f"{place}[{_quote(key)}]"


def _dedupe(values: list[str], place: str, what: str, warnings: list[str]) -> list[str]:
    unique = list(dict.fromkeys(values))
    if len(unique) != len(values):
        warnings.append(f"{place}: a {what} listed more than once is kept once")
    return unique


def _to_session(model: Any, source: str, warnings: list[str]) -> Session:
    priorities: list[Priority] = []
    first_place_of_id: dict[str, str] = {}
    for index, item in enumerate(model.priorities):
        place = f"session.priorities[{index}]"
        priority = Priority(
            title=item.title,
            description=item.description,
            domains=_dedupe(item.domains, f"{place}.domains", "domain", warnings),
            votes=item.votes,
            group=item.group,
            lessons=_dedupe(item.lessons, f"{place}.lessons", "lesson", warnings),
            actions=[_to_action(a) for a in item.actions],
            notes=item.notes,
            carried_from=item.carried_from,
        )
        if item.id is not None:
            if item.id in first_place_of_id:
                raise SessionFileError(
                    source, f"{place}.id", f"the same id as {first_place_of_id[item.id]}"
                )
            first_place_of_id[item.id] = place
            priority.id = item.id
        priorities.append(priority)
    session = Session(
        title=model.title,
        date=model.date,
        venue=model.venue,
        neighbourhood=model.neighbourhood,
        facilitator=model.facilitator,
        participants=model.participants,
        language=model.language,
        notes=model.notes,
        ratings={slug: rating for slug, rating in model.ratings.items() if rating is not None},
        groups=list(model.groups),
        priorities=priorities,
        follows=model.follows,
    )
    if model.id is not None:
        session.id = model.id
    return session


def _to_action(model: Any) -> Action:
    action = Action(
        what=model.what,
        who=model.who,
        when=model.when,
        status=model.status,
        progress=model.progress,
        updated=model.updated,
        carried_from=model.carried_from,
    )
    if model.id is not None:
        action.id = model.id  # else the new id made above: stored, it stays the action's id
    return action


def unknown_follows_warning(session: Session, known_session_ids: set[str]) -> str | None:
    """The one warning for a session that follows a session not in `known_session_ids` (the
    link is kept all the same: the earlier session may live on another laptop)."""
    if session.follows is None or session.follows in known_session_ids:
        return None
    return (
        f"session.follows: the session {session.follows} is not stored on this computer; "
        "the link is kept"
    )


# ---------------------------------------------------------------------------------------------
# Writing


def session_to_json(
    session: Session,
    content_version: str | None,
    app_version: str | None = __version__,
    exported_at: dt.datetime | None = None,
) -> str:
    """The session as the text of a version-1 file (priorities in ranking order, ids included).

    SessionFileError if the result would be refused on reading, so an export never produces a
    file that NRP Desktop will not open again.
    """
    cannot_export = f"cannot export the session {_quote(session.title)}"
    problems = session_problems(session)
    if problems:
        raise _refusal(cannot_export, _split_problems(problems))
    moment = (exported_at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": moment.replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if app_version:
        document["app_version"] = app_version
    if content_version:
        document["content_version"] = content_version
    document["session"] = _session_document(session)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    try:
        parse_session_bytes(text.encode("utf-8", errors="surrogatepass"), "")
    except SessionFileError as error:  # a rule of the file format that the domain does not know
        raise SessionFileError(cannot_export, error.place, error.reason) from None
    return text


def write_session_file(
    session: Session,
    path: str | os.PathLike[str],
    content_version: str | None,
    app_version: str | None = __version__,
) -> Path:
    """Write the session as a `.nrpsession` file, atomically: the old file or the whole new one.

    SessionFileError if the session breaks a rule; storage.files.FileWriteError if the file
    cannot be written.
    """
    return atomic_write_text(path, session_to_json(session, content_version, app_version))


def _session_document(session: Session) -> dict[str, Any]:
    document: dict[str, Any] = {
        "id": session.id,
        "title": session.title.strip(),
        "date": session.date.isoformat(),
    }
    for name in ("venue", "neighbourhood", "facilitator"):
        _put_text(document, name, getattr(session, name))
    if session.participants is not None:
        document["participants"] = session.participants
    document["language"] = session.language or DEFAULT_LANGUAGE
    _put_text(document, "notes", session.notes)
    ratings = {slug: session.ratings[slug] for slug in DOMAIN_SLUGS if slug in session.ratings}
    # Any slug that is not a domain is kept, so the check in session_to_json names it.
    ratings.update({slug: value for slug, value in session.ratings.items() if slug not in ratings})
    if ratings:
        document["ratings"] = ratings
    if session.groups:
        document["groups"] = [group.strip() for group in session.groups]
    if session.follows is not None:
        document["follows"] = session.follows
    document["priorities"] = [_priority_document(p) for p in session.priorities]
    return document


def _priority_document(priority: Priority) -> dict[str, Any]:
    document: dict[str, Any] = {"id": priority.id, "title": priority.title.strip()}
    if priority.carried_from is not None:
        document["carried_from"] = priority.carried_from
    _put_text(document, "description", priority.description)
    if priority.domains:
        document["domains"] = list(priority.domains)
    document["votes"] = priority.votes
    if priority.group is not None and priority.group.strip():
        document["group"] = priority.group.strip()
    if priority.lessons:
        document["lessons"] = list(priority.lessons)
    if priority.actions:
        actions = []
        for action in priority.actions:
            entry: dict[str, Any] = {"id": action.id, "what": action.what.strip()}
            _put_text(entry, "who", action.who)
            _put_text(entry, "when", action.when)
            entry["status"] = action.status
            _put_text(entry, "progress", action.progress)
            if action.updated is not None:
                entry["updated"] = action.updated.isoformat()
            if action.carried_from is not None:
                entry["carried_from"] = action.carried_from
            actions.append(entry)
        document["actions"] = actions
    _put_text(document, "notes", priority.notes)
    return document


def _put_text(document: dict[str, Any], name: str, value: str) -> None:
    if value and value.strip():
        document[name] = value.strip()
