"""Commands about stored sessions: import, export (file or CSV), sessions."""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from nrp_desktop.commands.common import EXIT_OK, BadInput, CommandFailed, Handlers, print_json

if TYPE_CHECKING:
    from nrp_desktop.services.sessions import SessionStore


def register(commands: argparse._SubParsersAction) -> Handlers:
    importing = commands.add_parser("import", help="store session files; prints the stored ids")
    importing.add_argument("files", metavar="FILE", nargs="+", type=Path)
    importing.add_argument("--replace", action="store_true",
                           help="replace stored sessions that have the same id")
    importing.add_argument("--json", action="store_true")

    exporting = commands.add_parser("export", help="write a stored session as a file")
    exporting.add_argument("session_id", metavar="ID")
    exporting.add_argument("-o", "--output", metavar="FILE", type=Path, required=True)
    exporting.add_argument("--csv", action="store_true", help="one row per priority, for spreadsheets")

    listing = commands.add_parser("sessions", help="list stored sessions")
    listing.add_argument("--json", action="store_true")
    return {"import": _import, "export": _export, "sessions": _sessions}


@contextmanager
def open_store() -> Iterator[SessionStore]:
    """The user's session store; a database that cannot be used is reported in plain words."""
    from nrp_desktop import paths
    from nrp_desktop.services.sessions import DatabaseDamaged, DatabaseTooNew, SessionStore, UserDatabaseError

    paths.ensure_data_dir()
    try:
        store = SessionStore()
    except DatabaseTooNew as error:
        raise BadInput(str(error)) from None
    except DatabaseDamaged as error:
        raise CommandFailed(str(error)) from None
    except UserDatabaseError as error:
        raise CommandFailed(str(error)) from None
    try:
        yield store
    finally:
        store.close()


def _known_lessons() -> set[str]:
    from nrp_desktop.services.library import default_library

    return {lesson.slug for lesson in default_library().library.lessons}


def _import(args: argparse.Namespace) -> int:
    from nrp_desktop.services.session_file import (
        SessionFileError,
        read_session_file,
        unknown_follows_warning,
    )

    known = _known_lessons()
    parsed = []
    # Every file is checked before anything is stored: one bad file stores nothing.
    for path in args.files:
        try:
            parsed.append(read_session_file(path, known))
        except SessionFileError as error:
            raise BadInput(str(error)) from None
    ids = [item.session.id for item in parsed]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise BadInput(f"import: two of the files hold the same session (id {sorted(duplicates)[0]})")
    with open_store() as store:
        if not args.replace:
            for item in parsed:
                if store.session_exists(item.session.id):
                    raise BadInput(
                        f"import: the session {item.session.title!r} (id {item.session.id}) is already "
                        "stored; use --replace to replace it"
                    )
        # A session may follow one stored here or one in the same batch; any other is kept
        # and named once.
        known_ids = store.session_ids() | set(ids)
        for item in parsed:
            warning = unknown_follows_warning(item.session, known_ids)
            if warning:
                item.warnings.append(warning)
        stored = [store.save_session(item.session) for item in parsed]
    if args.json:
        print_json([
            {"id": session.id, "title": session.title, "warnings": item.warnings}
            for session, item in zip(stored, parsed, strict=True)
        ])
    else:
        for session, item in zip(stored, parsed, strict=True):
            print(session.id)
            for warning in item.warnings:
                print(f"  warning: {warning}")
    return EXIT_OK


def _export(args: argparse.Namespace) -> int:
    from nrp_desktop.services.library import default_library
    from nrp_desktop.services.session_csv import write_session_csv
    from nrp_desktop.services.session_file import SessionFileError, write_session_file
    from nrp_desktop.services.sessions import SessionNotFound
    from nrp_desktop.storage.files import FileWriteError

    with open_store() as store:
        try:
            session = store.load_session(args.session_id)
        except SessionNotFound:
            raise BadInput(f"export: no stored session has the id {args.session_id!r} "
                           "(see `nrp-desktop sessions`)") from None
    library = default_library().library
    try:
        if args.csv:
            titles = {lesson.slug: lesson.title for lesson in library.lessons}
            write_session_csv(session, args.output, titles)
        else:
            write_session_file(session, args.output, library.version)
    except (FileWriteError, SessionFileError) as error:
        raise BadInput(f"export: {error}") from None
    print(args.output)
    return EXIT_OK


def _sessions(args: argparse.Namespace) -> int:
    with open_store() as store:
        summaries = store.list_sessions()
    if args.json:
        print_json([
            {"id": s.id, "title": s.title, "date": s.date.isoformat(), "priorities": s.priorities}
            for s in summaries
        ])
    elif not summaries:
        print("No sessions are stored yet.")
    else:
        for s in summaries:
            print(f"{s.id}  {s.date.isoformat()}  {s.priorities:>3} priorities  {s.title}")
    return EXIT_OK
