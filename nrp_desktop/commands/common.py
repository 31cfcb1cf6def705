"""What every command shares: exit codes, the bad-input error, JSON output, argument types."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

EXIT_OK = 0
EXIT_FAULT = 1
EXIT_BAD_INPUT = 2

Handler = Callable[[argparse.Namespace], int]
Handlers = dict[str, Handler]


class BadInput(Exception):
    """The user's input is wrong; the message says what and where, in one line."""


class CommandFailed(Exception):
    """The command cannot go on for a reason the user can act on (a damaged database, say);
    reported in plain words with exit status 1 and no traceback."""


def print_json(value: Any) -> None:
    import json

    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value
