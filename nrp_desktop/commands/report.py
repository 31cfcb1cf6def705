"""The handout command: `nrp-desktop report FILE.nrpsession -o OUT.pdf [--large-print]
[--paper a4|letter]` (contract.md §3). The session file is read, never stored."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from nrp_desktop.commands.common import EXIT_OK, BadInput, Handlers


def register(commands: argparse._SubParsersAction) -> Handlers:
    report = commands.add_parser(
        "report", help="the printable handout (PDF) for a session file, without storing it"
    )
    report.add_argument("file", metavar="FILE.nrpsession", nargs="?",
                        help="the session file to print")
    report.add_argument("-o", "--output", metavar="OUT.pdf", required=True,
                        help="where to write the PDF (replaced whole, never half-written)")
    report.add_argument("--large-print", action="store_true",
                        help="body text 16 pt with more space, for people with low vision")
    report.add_argument("--paper", choices=("a4", "letter"), default="a4",
                        help="paper size (default: a4)")
    return {"report": _report}


def _checked_output(text: str, source: Path) -> Path:
    """The output path, refused early (before any work) when it cannot be written."""
    target = Path(text).expanduser()
    folder = target.parent
    if target.is_dir():
        raise BadInput(f"report: cannot write {target}: it is a folder; give a file name "
                       "such as handout.pdf")
    if not folder.is_dir():
        raise BadInput(f"report: cannot write {target}: the folder {folder} does not exist")
    if target.exists() and target.resolve() == source.resolve():
        raise BadInput(f"report: {target} is the session file itself; choose another name "
                       "for the PDF")
    return target


def _report(args: argparse.Namespace) -> int:
    if not args.file:
        raise BadInput("report: give the session file to print (FILE.nrpsession)")
    from nrp_desktop.domain.handout import HandoutOptions
    from nrp_desktop.services.handout import handout_pdf
    from nrp_desktop.services.library import default_library
    from nrp_desktop.services.session_file import SessionFileError, read_session_file
    from nrp_desktop.storage.files import FileWriteError, atomic_write_bytes

    source = Path(args.file)
    target = _checked_output(args.output, source)
    library = default_library().library
    try:
        parsed = read_session_file(source, {lesson.slug for lesson in library.lessons})
    except SessionFileError as error:
        raise BadInput(str(error)) from None
    for warning in parsed.warnings:
        print(f"nrp-desktop: warning: {warning}", file=sys.stderr)
    options = HandoutOptions(paper=args.paper, large_print=args.large_print)
    pdf = handout_pdf(parsed.session, library, options)
    try:
        atomic_write_bytes(target, pdf)
    except FileWriteError as error:
        raise BadInput(f"report: {error}") from None
    print(f"Handout written to {target}")
    return EXIT_OK
