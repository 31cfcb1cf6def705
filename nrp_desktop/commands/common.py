"""What every command shares: exit codes, the bad-input error, output to the terminal, argument
types.

Text from a file or a person (titles, file names, messages quoting them) reaches the terminal only
through `say` and `complain`, which escape control characters: an ANSI escape in a file name or a
line break in a title never acts on the terminal or forges a row.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from nrp_desktop.domain.text import escape_controls
from nrp_desktop.errors import EXIT_BAD_INPUT, EXIT_FAULT, EXIT_OK, BadInput, KnownFailure
from nrp_desktop.i18n import N_, _

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FAULT",
    "EXIT_OK",
    "BadInput",
    "CommandFailed",
    "Handler",
    "Handlers",
    "checked_output",
    "complain",
    "positive",
    "print_json",
    "say",
]

Handler = Callable[[argparse.Namespace], int]
Handlers = dict[str, Handler]


class CommandFailed(KnownFailure):
    """The command cannot go on for a reason the user can act on; reported in plain words with
    exit status 1 and no traceback."""

    exit_status = EXIT_FAULT
    code = "command-failed"


def say(text: str) -> None:
    """One line of the command's output, with control characters escaped."""
    print(escape_controls(text))


def complain(text: str) -> None:
    """One line on standard error, `nrp-desktop: …`, with control characters escaped."""
    print(f"nrp-desktop: {escape_controls(text)}", file=sys.stderr)


def print_json(value: Any) -> None:
    """JSON on standard output; the controls JSON leaves raw (DEL, C1, bidi) become \\u escapes."""
    import json
    import re

    text = json.dumps(value, ensure_ascii=False, indent=2)
    text = re.sub("[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]",
                  lambda match: f"\\u{ord(match.group()):04x}", text)
    sys.stdout.write(text + "\n")


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def iso_date(text: str) -> dt.date:
    """An argparse type: a date written YYYY-MM-DD (the session file's spelling)."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a date written YYYY-MM-DD, not {text!r}") from None


def words_of(words: Sequence[str], command: str, name: str, hint: str) -> str:
    """The words of a positional argument as one text; BadInput naming it when there are none."""
    text = " ".join(words)
    if not text.strip():
        raise BadInput(_("{command}: {name} is empty; {hint}").format(command=command, name=name, hint=hint))
    return text


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.resolve() == second.resolve() or (
            first.exists() and second.exists() and first.samefile(second)
        )
    except OSError:
        return False


def _inside(path: Path, folder: Path) -> bool:
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except OSError:
        return False


def _protected_role(target: Path) -> str | None:
    """What of the app's own data `target` is (so it must not be written over), or None."""
    from nrp_desktop import paths

    database = paths.user_db_path()
    for suffix in ("", "-wal", "-shm", "-journal"):
        if _same_file(target, database.with_name(database.name + suffix)):
            return "NRP Desktop's session database"
    if _inside(target, paths.backups_dir()):
        return "inside NRP Desktop's backups folder"
    if _inside(target, paths.logs_dir()):
        return N_("inside NRP Desktop's logs folder")
    if _same_file(target, paths.settings_file()):
        return N_("NRP Desktop's settings file")
    if _same_file(target, paths.content_db_path()):
        return N_("NRP Desktop's bundled content")
    return None


def checked_output(text: str, command: str, inputs: Sequence[Path] = (), example: str = "out") -> Path:
    """The `-o` path, refused before any work with one plain line when it cannot or must not be
    written: empty, a folder, in a missing folder, one of the inputs, or the app's own data."""
    if not text.strip():
        raise BadInput(_("{command}: -o needs a file name, such as {example}").format(
            command=command, example=example))
    target = Path(text).expanduser()
    if text.endswith(("/", os.sep)) or target.is_dir():
        raise BadInput(_("{command}: cannot write {target}: it is a folder; give a file name "
                         "such as {example}").format(command=command, target=target, example=example))
    folder = target.parent
    if not folder.is_dir():
        raise BadInput(_("{command}: cannot write {target}: the folder {folder} does not exist")
                       .format(command=command, target=target, folder=folder))
    for source in inputs:
        if _same_file(target, source):
            raise BadInput(_("{command}: {target} is the input file itself; choose another "
                             "name for the output").format(command=command, target=target))
    role = _protected_role(target)
    if role is not None:
        raise BadInput(_("{command}: cannot write {target}: that is {role}; choose another "
                         "place for the output").format(command=command, target=target, role=_(role)))
    return target
