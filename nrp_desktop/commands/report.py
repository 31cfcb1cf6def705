"""The handout command (contract.md §3): `nrp-desktop report FILE.nrpsession -o OUT.pdf`
(the file is read, never stored) or `nrp-desktop report --session ID -o OUT.pdf` for a stored
session; both take `[--large-print] [--paper a4|letter] [--language CODE]` (contract 5.3: the
handout's language; by default the session's own `language` when the app speaks it, else the
command line's)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from nrp_desktop.commands.common import EXIT_OK, BadInput, Handlers, checked_output, complain, say
from nrp_desktop.i18n import _

if TYPE_CHECKING:
    from nrp_desktop.domain.session import Session


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> Handlers:
    report = commands.add_parser(
        "report", help="the printable handout (PDF) for a session file, without storing it"
    )
    report.add_argument("file", metavar="FILE.nrpsession", nargs="?",
                        help="the session file to print")
    report.add_argument("--session", metavar="ID", help="a stored session instead of a file")
    report.add_argument("-o", "--output", metavar="OUT.pdf", required=True,
                        help="where to write the PDF, or an accessible HTML file when it ends "
                             "in .html (replaced whole, never half-written)")
    report.add_argument("--large-print", action="store_true",
                        help="body text 16 pt with more space, for people with low vision")
    report.add_argument("--paper", choices=("a4", "letter"), default="a4",
                        help="paper size (default: a4)")
    report.add_argument("--short", action="store_true",
                        help="the one- or two-page \"What we decided and what happens next\" "
                             "instead of the full handout")
    report.add_argument("--language", dest="handout_language", metavar="CODE",
                        help="the handout's language: en, ur or pl (default: the session's own "
                             "language when translated, else the command line's)")
    return {"report": _report}


def _stored_session(session_id: str) -> Session:
    from nrp_desktop.commands.sessions import open_store
    from nrp_desktop.services.sessions import SessionNotFound

    with open_store(read_only=True) as store:
        try:
            return store.load_session(session_id)
        except SessionNotFound:
            raise BadInput(_("report: no stored session has the id {id} (see `nrp-desktop "
                             "sessions`)").format(id=repr(session_id))) from None


def _previous_session(session: Session) -> Session | None:
    """The stored session that `session` follows, for "Since last time"; None when it follows
    none or that one is not stored (a file's report never creates the database)."""
    from nrp_desktop import paths

    if session.follows is None or not paths.user_db_path().exists():
        return None
    from nrp_desktop.commands.sessions import open_store
    from nrp_desktop.services.followup import previous_session

    with open_store() as store:
        return previous_session(store, session)


def _report(args: argparse.Namespace) -> int:
    if args.file and args.session:
        raise BadInput(_("report: give either a session file or --session ID, not both"))
    if not args.file and not args.session:
        raise BadInput(_("report: give the session file to print (FILE.nrpsession) or --session ID"))
    from nrp_desktop import i18n

    if args.handout_language:
        try:
            i18n.language(args.handout_language)
        except i18n.UnknownLanguage as problem:
            raise BadInput(f"report: --language: {problem}") from None
    from nrp_desktop.domain.handout import HandoutOptions
    from nrp_desktop.services.handout import handout_html, handout_pdf
    from nrp_desktop.services.library import default_library
    from nrp_desktop.services.session_file import read_session_file
    from nrp_desktop.storage.files import FileWriteError, atomic_write_bytes

    source = Path(args.file) if args.file else None
    target = checked_output(args.output, "report", inputs=[source] if source else [],
                            example="handout.pdf")
    library = default_library().library
    if source is None:
        session = _stored_session(args.session)
    else:
        parsed = read_session_file(source, {lesson.slug for lesson in library.lessons})
        for warning in parsed.warnings:
            complain(_("warning: {warning}").format(warning=warning))
        session = parsed.session
    options = HandoutOptions(paper=args.paper, large_print=args.large_print, short=args.short)
    previous = _previous_session(session)
    if target.suffix.lower() in (".html", ".htm"):  # for screen readers (contract 5.5)
        content = handout_html(session, library, language=args.handout_language).encode("utf-8")
    else:
        content = handout_pdf(session, library, options, previous=previous,
                              language=args.handout_language)
    try:
        atomic_write_bytes(target, content)
    except FileWriteError as error:
        raise BadInput(f"report: {error}") from None
    say(_("Handout written to {path}").format(path=target))
    return EXIT_OK
