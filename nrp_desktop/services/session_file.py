"""The session file (`.nrpsession`, format version 1, contract.md §2): reading and writing.

Reading refuses a file whole, with one line naming the place and the rule
(`example.nrpsession: session.priorities[3].votes: must be a whole number, 0 or more`), or returns
a Session that passes every rule in `domain.session`. The steps, cheapest first: size (before
anything is read), UTF-8, JSON syntax and nesting, the format name and version (so a newer file is
refused for that reason, not for fields this version does not know), then the fields themselves
with pydantic, and finally `session_problems()` for the rules that span fields (groups).

This module is the way in (read, parse, check, write); the parts live beside it:
`session_format` (name, version, limits, SessionFileError), `session_json` (the byte and JSON
checks) and `session_schema` (the field rules and pydantic models: the one rule set).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from pathlib import Path
from typing import Any

from nrp_desktop import __version__
from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.session import (
    DEFAULT_LANGUAGE,
    Action,
    Priority,
    Session,
    session_problems,
)
from nrp_desktop.services.session_format import (
    FILE_EXTENSION,
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    MAX_NESTING,
    MAX_NUMBER_DIGITS,
    MAX_WARNINGS,
    ParsedSessionFile,
    SessionFileError,
    quote,
)
from nrp_desktop.services.session_json import check_format_and_version, decode_json, too_large
from nrp_desktop.services.session_schema import (
    collect_unknown_fields,
    file_model,
    model_problems,
    refusal,
    split_problems,
    validate_document,
)
from nrp_desktop.storage.files import atomic_write_text

__all__ = [
    "FILE_EXTENSION",
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "MAX_NESTING",
    "MAX_NUMBER_DIGITS",
    "MAX_WARNINGS",
    "ParsedSessionFile",
    "SessionFileError",
    "parse_session_bytes",
    "read_session_file",
    "session_rule_problems",
    "session_to_json",
    "unknown_follows_warning",
    "write_session_file",
]

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
                raise too_large(source, status.st_size)
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
        raise too_large(source_name, len(data))
    document = decode_json(data, source_name)
    check_format_and_version(document, source_name)
    model = validate_document(document, source_name)
    warnings: list[str] = []
    collect_unknown_fields(model, "", warnings)
    session = _to_session(model.session, source_name, warnings)
    if known_lessons is not None:
        for index, priority in enumerate(session.priorities):
            for lesson_index, slug in enumerate(priority.lessons):
                if slug not in known_lessons:
                    warnings.append(
                        f"session.priorities[{index}].lessons[{lesson_index}]: {quote(slug)} is "
                        "not a lesson in this app's content; the link is kept"
                    )
    problems = session_problems(session)
    if problems:
        raise refusal(source_name, split_problems(problems))
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


def session_rule_problems(session: Session) -> list[tuple[str, str]]:
    """Every rule of the session file that `session` breaks, as (place, reason); empty when it
    could be written to a file and read back. This is the one rule set: the store applies it to
    every whole session it saves (import, restore), the command line to what it imports; the
    editor's single-field edits go through the same domain rules the models call."""
    document = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "session": _session_document(session)}
    problems = model_problems(file_model(), document)
    return problems or split_problems(session_problems(session))


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
    cannot_export = f"cannot export the session {quote(session.title)}"
    problems = session_problems(session)
    if problems:
        raise refusal(cannot_export, split_problems(problems))
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
