"""The command line (contract.md §3): `nrp-desktop` and `python -m nrp_desktop`.

With no command it opens the window. Exit status: 0 done; 2 bad input or usage (one plain line on
standard error); 1 an unexpected fault (the log file holds the details).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import NoReturn

from nrp_desktop import __version__, i18n, paths
from nrp_desktop.commands import COMMAND_MODULES
from nrp_desktop.commands.common import EXIT_BAD_INPUT, EXIT_FAULT, Handlers, complain
from nrp_desktop.errors import KnownFailure, as_known_failure, describe_failure

log = logging.getLogger(__name__)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # usage, then one line saying what is wrong; exit 2
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: {message}\n")


def build_parser() -> tuple[argparse.ArgumentParser, Handlers]:
    parser = _Parser(
        prog="nrp-desktop",
        description="NRP Desktop: the learning of the Neighbourhood Resilience Programme, offline.",
    )
    parser.add_argument("--version", action="version", version=f"NRP Desktop {__version__}")
    parser.add_argument(
        "--data-dir", metavar="DIR",
        help=f"keep sessions, backups and logs in DIR (or set {paths.DATA_DIR_ENV})",
    )
    parser.add_argument(
        "--language", metavar="CODE",
        help="the language of the window and the messages: en, ur or pl "
             f"(or set {i18n.LANGUAGE_ENV}; default: the system's when translated, else English)",
    )
    parser.add_argument(
        "--smoke-test", action="store_true",
        help="open the main window, wait until it is painted once, and exit",
    )
    parser.add_argument(
        "--screenshots", metavar="DIR", help="render every main screen at 1280×800 into DIR"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    handlers: Handlers = {}
    for module_name in COMMAND_MODULES:
        handlers.update(importlib.import_module(module_name).register(commands))
    return parser, handlers


def _run_gui(args: argparse.Namespace) -> int:
    import os

    from nrp_desktop.ui.app import run

    return run(smoke_test=args.smoke_test, screenshots_dir=args.screenshots,
               open_files=getattr(args, "open_files", None),
               language_given=bool(args.language or os.environ.get(i18n.LANGUAGE_ENV)))


# Global options that take a value: they may come before a list of session files.
_GLOBAL_VALUE_OPTIONS = ("--data-dir", "--language")


def _session_files_only(argv: Sequence[str]) -> list[str] | None:
    """The files, when the command line is session files (perhaps after global options)."""
    split = _global_options_and_files(argv)
    return split[1] if split else None


def _global_options_and_files(argv: Sequence[str]) -> tuple[list[str], list[str]] | None:
    """(the global options, the files) when the command line is session files, perhaps after
    global options: what a file manager passes when a facilitator double-clicks one
    (`nrp-desktop %f`), or `nrp-desktop --data-dir D FILE.nrpsession`."""
    options: list[str] = []
    rest = list(argv)
    while rest and rest[0].startswith("--"):
        name = rest[0].split("=", 1)[0]
        if name not in _GLOBAL_VALUE_OPTIONS:
            return None
        if "=" in rest[0]:
            options.append(rest.pop(0))
        elif len(rest) >= 2:
            options += [rest.pop(0), rest.pop(0)]
        else:
            return None
    if rest and all(arg.lower().endswith(".nrpsession") and not arg.startswith("-") for arg in rest):
        return options, rest
    return None


def _language_asked(arguments: Sequence[str]) -> str | None:
    """`--language CODE` from the command line before it is parsed, so that the help and the
    parser's own messages are already in that language."""
    for index, argument in enumerate(arguments):
        if argument == "--language" and index + 1 < len(arguments):
            return arguments[index + 1]
        if argument.startswith("--language="):
            return argument.partition("=")[2]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        i18n.set_language(_language_asked(arguments))
    except i18n.UnknownLanguage as problem:
        print(f"nrp-desktop: --language: {problem}", file=sys.stderr)
        return EXIT_BAD_INPUT
    parser, handlers = build_parser()
    files_only = _global_options_and_files(arguments)
    args = parser.parse_args(files_only[0] if files_only else arguments)
    args.open_files = files_only[1] if files_only else None
    if args.data_dir:
        paths.set_data_dir(args.data_dir)
    from nrp_desktop.app_logging import setup_logging

    # A log that cannot be written (a full disk, a read-only folder) never stops a command.
    log_path = setup_logging()
    try:
        if args.command is None:
            return _run_gui(args)
        return handlers[args.command](args)
    except KnownFailure as problem:
        if problem.exit_status != EXIT_BAD_INPUT:
            log.error("%s", problem)
        complain(problem.message)
        return problem.exit_status
    except KeyboardInterrupt:
        return EXIT_FAULT
    except BrokenPipeError:  # output piped into `head` and the like: nothing more to say
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAULT
    except Exception as error:
        # A full disk met below the code that knows the file is a known failure too.
        known = as_known_failure(error, paths.data_dir())
        if known is not None:
            log.warning("%s", known, exc_info=error)
            complain(known.message)
            return known.exit_status
        log.exception("unexpected fault in %s", args.command or "the window")
        from nrp_desktop import app_logging

        complain(describe_failure(error, log_path if app_logging.log_problem is None else None))
        return EXIT_FAULT
