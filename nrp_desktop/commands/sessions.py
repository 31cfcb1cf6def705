"""Commands about stored sessions: import, export (file or CSV), sessions."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from nrp_desktop.commands.common import (
    EXIT_OK,
    BadInput,
    Handlers,
    checked_output,
    print_json,
    say,
)
from nrp_desktop.i18n import _, ngettext

if TYPE_CHECKING:
    from nrp_desktop.services.sessions import SessionStore


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> Handlers:
    importing = commands.add_parser("import", help="store session files; prints the stored ids")
    importing.add_argument("files", metavar="FILE", nargs="+", type=Path)
    importing.add_argument("--replace", action="store_true",
                           help="replace stored sessions that have the same id")
    importing.add_argument("--json", action="store_true")

    exporting = commands.add_parser("export", help="write a stored session as a file")
    exporting.add_argument("session_id", metavar="ID")
    exporting.add_argument("-o", "--output", metavar="FILE", required=True)
    exporting.add_argument("--csv", action="store_true", help="one row per priority, for spreadsheets")

    listing = commands.add_parser("sessions", help="list stored sessions")
    listing.add_argument("--json", action="store_true")
    return {"import": _import, "export": _export, "sessions": _sessions}


@contextmanager
def open_store(read_only: bool = False) -> Iterator[SessionStore]:
    """The user's session store (`read_only` for commands that only read: no backup is taken,
    so they work on a full disk). A database that cannot be used (too new, damaged, not ours)
    raises a known failure with a plain message, which the command line prints as one line."""
    from nrp_desktop import paths
    from nrp_desktop.services.sessions import SessionStore

    paths.ensure_data_dir()
    store = SessionStore(read_only=read_only)
    try:
        yield store
    finally:
        store.close()


def _known_lessons() -> set[str]:
    from nrp_desktop.services.library import default_library

    return {lesson.slug for lesson in default_library().library.lessons}


def _import(args: argparse.Namespace) -> int:
    from nrp_desktop.services.session_file import read_session_file, unknown_follows_warning
    from nrp_desktop.services.sessions import InvalidSessionValue

    known = _known_lessons()
    parsed = []
    # Every file is read and checked before anything is stored: one bad file stores nothing.
    for path in args.files:
        parsed.append(read_session_file(path, known))
    first_file: dict[str, Path] = {}
    for path, item in zip(args.files, parsed, strict=True):
        if item.session.id in first_file:
            raise BadInput(_("import: {first} and {second} hold the same session (id {id})").format(
                first=first_file[item.session.id].name, second=path.name, id=item.session.id))
        first_file[item.session.id] = path
    with open_store() as store:
        if not args.replace:
            for path, item in zip(args.files, parsed, strict=True):
                if store.session_exists(item.session.id):
                    raise BadInput(_(
                        "import: {file}: the session {title} (id {id}) is already stored; use "
                        "--replace to replace it").format(
                            file=path.name, title=repr(item.session.title), id=item.session.id))
        # A session may follow one stored here or one in the same batch; any other is kept
        # and named once.
        known_ids = store.session_ids() | set(first_file)
        for item in parsed:
            warning = unknown_follows_warning(item.session, known_ids)
            if warning:
                item.warnings.append(warning)
        # One transaction for the whole batch, checked whole first by the store's rules (the
        # file's): all of the files are stored, or none.
        try:
            stored = store.save_sessions([item.session for item in parsed])
        except InvalidSessionValue as error:
            path = args.files[error.index or 0]
            raise BadInput(f"{path.name or path}: {error.message}") from None
    if args.json:
        print_json([
            {"id": session.id, "title": session.title, "warnings": item.warnings}
            for session, item in zip(stored, parsed, strict=True)
        ])
    else:
        for session, item in zip(stored, parsed, strict=True):
            say(session.id)
            for warning in item.warnings:
                say("  " + _("warning: {warning}").format(warning=warning))
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from nrp_desktop.services.library import default_library
    from nrp_desktop.services.session_csv import write_session_csv
    from nrp_desktop.services.session_file import SessionFileError, write_session_file
    from nrp_desktop.services.sessions import SessionNotFound
    from nrp_desktop.storage.files import FileWriteError

    example = "session.csv" if args.csv else "session.nrpsession"
    target = checked_output(args.output, "export", example=example)
    with open_store(read_only=True) as store:
        try:
            session = store.load_session(args.session_id)
        except SessionNotFound:
            raise BadInput(_("export: no stored session has the id {id} (see `nrp-desktop "
                             "sessions`)").format(id=repr(args.session_id))) from None
    library = default_library().library
    try:
        if args.csv:
            titles = {lesson.slug: lesson.title for lesson in library.lessons}
            write_session_csv(session, target, titles)
        else:
            write_session_file(session, target, library.version)
    except (FileWriteError, SessionFileError) as error:
        raise BadInput(f"export: {error}") from None
    say(str(target))
    return EXIT_OK


def _sessions(args: argparse.Namespace) -> int:
    with open_store(read_only=True) as store:
        summaries = store.list_sessions()
    if args.json:
        print_json([
            {"id": s.id, "title": s.title, "date": s.date.isoformat(), "priorities": s.priorities}
            for s in summaries
        ])
    elif not summaries:
        say(_("No sessions are stored yet."))
    else:
        for s in summaries:
            # A line break in a title is shown as \n, so it cannot forge a row of the listing.
            count = ngettext("{n} priority", "{n} priorities", s.priorities)
            say(f"{s.id}  {s.date.isoformat()}  {count:>14}  {s.title}")
    return EXIT_OK
