"""Commands about follow-up sessions (contract.md §5.1): follow-up, history."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from nrp_desktop.commands.common import EXIT_OK, BadInput, Handlers, iso_date, print_json
from nrp_desktop.i18n import _

TITLE_MAX = 200  # the session title's limit (contract.md §2)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> Handlers:
    following = commands.add_parser(
        "follow-up", help="store a new session that follows a stored one; prints the new id"
    )
    following.add_argument("session_id", metavar="ID")
    following.add_argument("--title", metavar="T", help="the new session's title")
    following.add_argument("--date", metavar="YYYY-MM-DD", type=iso_date, help="default: today")
    following.add_argument("--json", action="store_true")

    showing = commands.add_parser("history", help="the chain of stored sessions a session belongs to")
    showing.add_argument("session_id", metavar="ID")
    showing.add_argument("--json", action="store_true")
    return {"follow-up": _follow_up, "history": _history}


def _unknown(command: str, session_id: str) -> BadInput:
    return BadInput(_("{command}: no stored session has the id {id} (see `nrp-desktop sessions`)")
                    .format(command=command, id=repr(session_id)))


def _default_title(earlier_title: str) -> str:
    title = f"Follow-up: {earlier_title.strip()}"
    return title if len(title) <= TITLE_MAX else title[: TITLE_MAX - 1] + "…"


def _follow_up(args: argparse.Namespace) -> int:
    from nrp_desktop.commands.sessions import open_store
    from nrp_desktop.services.followup import create_follow_up
    from nrp_desktop.services.sessions import InvalidSessionValue, SessionNotFound

    with open_store() as store:
        try:
            earlier = store.load_session(args.session_id)
        except SessionNotFound:
            raise _unknown("follow-up", args.session_id) from None
        title = args.title if args.title is not None else _default_title(earlier.title)
        date = args.date or dt.date.today()
        try:
            made = create_follow_up(store, earlier.id, title, date)
        except InvalidSessionValue as error:
            problem = error.problems[0]
            place = "--title" if problem.field == "session.title" else problem.field
            raise BadInput(f"follow-up: {place}: {problem.reason}") from None
    if args.json:
        print_json({
            "id": made.session.id,
            "follows": earlier.id,
            "carried_priorities": made.carried_priorities,
            "carried_actions": made.carried_actions,
        })
    else:
        print(made.session.id)
    return EXIT_OK


def _history(args: argparse.Namespace) -> int:
    from nrp_desktop.commands.sessions import open_store
    from nrp_desktop.domain.session import ACTION_STATUSES
    from nrp_desktop.services.followup import history
    from nrp_desktop.services.sessions import SessionNotFound

    with open_store() as store:
        try:
            found = history(store, args.session_id)
        except SessionNotFound:
            raise _unknown("history", args.session_id) from None
    if found.chain.loop:
        # Files made elsewhere can follow each other round in a circle: said once, shown once.
        circle = " → ".join((*found.chain.loop, found.chain.loop[0]))
        print("nrp-desktop: " + _("history: these sessions follow each other in a loop: {circle}; "
                                  "each is shown once").format(circle=circle), file=sys.stderr)
    if args.json:
        print_json([
            {
                "id": entry.id,
                "title": entry.title,
                "date": entry.date.isoformat(),
                "ratings": dict(entry.ratings),
                "actions": {status: entry.actions[status] for status in ACTION_STATUSES},
            }
            for entry in found.entries
        ])
        return EXIT_OK
    if found.chain.unknown_start:
        print(_("(follows {id}, a session not stored on this computer)").format(
            id=found.chain.unknown_start))
    for entry in found.entries:
        counts = ", ".join(f"{entry.actions[status]} {status}" for status in ACTION_STATUSES)
        actions = _("(actions: {counts})").format(counts=counts)
        print(f"{entry.id}  {entry.date.isoformat()}  {entry.title}  {actions}")
    return EXIT_OK
