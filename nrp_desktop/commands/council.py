"""Commands for the council database (contract 5.2): council-db upgrade, publish, collate."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from nrp_desktop.commands.common import EXIT_OK, BadInput, Handlers, iso_date, print_json
from nrp_desktop.i18n import _, ngettext

if TYPE_CHECKING:
    from nrp_desktop.domain.collation_figures import CollationFigures


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> Handlers:
    council = commands.add_parser("council-db", help="set up the council database (PostgreSQL)")
    actions = council.add_subparsers(dest="council_action", metavar="ACTION", required=True)
    upgrade = actions.add_parser("upgrade", help="create or upgrade the council database's schema")
    upgrade.add_argument("--to", metavar="URL", required=True,
                         help="e.g. postgresql://nrp_owner@council.example/nrp (no password in it)")

    publish = commands.add_parser("publish", help="copy stored sessions into the council database")
    publish.add_argument("ids", metavar="ID", nargs="*")
    publish.add_argument("--all", action="store_true", help="every stored session")
    publish.add_argument("--changed", action="store_true",
                        help="only sessions new or changed since they were last published there")
    publish.add_argument("--to", metavar="URL", required=True)
    publish.add_argument("--json", action="store_true")

    collate = commands.add_parser("collate", help="the collation of many sessions")
    collate.add_argument("--from", dest="source", metavar="URL",
                         help="computed by the council database (default: this laptop's sessions)")
    collate.add_argument("--neighbourhood", metavar="TEXT")
    collate.add_argument("--since", metavar="DATE", type=iso_date)
    collate.add_argument("--until", metavar="DATE", type=iso_date)
    collate.add_argument("--json", action="store_true")
    collate.add_argument("-o", "--output", metavar="OUT", type=Path, help="OUT.pdf or OUT.csv")
    return {"council-db": _council_db, "publish": _publish, "collate": _collate}


def _council_db(args: argparse.Namespace) -> int:
    from nrp_desktop.services.council import CouncilDatabase, CouncilDatabaseError

    try:
        with CouncilDatabase(args.to) as database:
            before, after = database.upgrade()
    except CouncilDatabaseError as error:
        raise BadInput(f"council-db upgrade: {error}") from None
    if before == after:
        print(f"{database.target}: the council schema is up to date ({after})")
    else:
        print(f"{database.target}: council schema {before or 'none'} → {after}")
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    from nrp_desktop.commands.sessions import open_store
    from nrp_desktop.services.council import CouncilDatabaseError, changed_session_ids, publish_sessions
    from nrp_desktop.services.sessions import SessionNotFound

    if sum((bool(args.ids), args.all, args.changed)) != 1:
        raise BadInput(_("publish: name the sessions (ID…), or give --all or --changed (one of them)"))
    try:
        with open_store() as store:
            ids = None if args.all else changed_session_ids(store, args.to) if args.changed else args.ids
            results = publish_sessions(store, ids, args.to)
    except SessionNotFound as missing:
        raise BadInput(_("publish: no stored session has the id {id} (see `nrp-desktop sessions`); "
                         "nothing was sent").format(id=repr(missing.session_id))) from None
    except CouncilDatabaseError as error:
        raise BadInput(f"publish: {error}") from None
    if args.json:
        print_json([{"id": result.id, "status": result.status} for result in results])
    elif not results:
        print(_("Nothing to publish."))
    else:
        for result in results:
            print(f"{result.id}  {result.status}")
    return EXIT_OK


def _collate(args: argparse.Namespace) -> int:
    from nrp_desktop.domain.collation_figures import CollationFilter
    from nrp_desktop.services.council import CouncilDatabaseError

    if args.since and args.until and args.since > args.until:
        raise BadInput(_("collate: --since is after --until"))
    suffix = args.output.suffix.lower() if args.output else ""
    if args.output and suffix not in (".pdf", ".csv"):
        raise BadInput(_("collate: -o {path}: the file must end in .pdf or .csv").format(path=args.output))
    where = CollationFilter(args.neighbourhood, args.since, args.until)
    try:
        if args.source is None:
            from nrp_desktop.commands.sessions import open_store

            with open_store() as store:
                figures, report = _figures(where, suffix, source=store)
        else:
            figures, report = _figures(where, suffix, url=args.source)
    except CouncilDatabaseError as error:
        raise BadInput(f"collate: {error}") from None
    if args.output:
        _write(args.output, suffix, figures, report)
    if args.json:
        print_json(figures.as_json())
    elif args.output:
        print(args.output)
    else:
        _print_figures(figures)
    return EXIT_OK


def _figures(where, suffix: str, **source):  # type: ignore[no-untyped-def]
    from nrp_desktop.services.council import collate, collate_report

    if suffix == ".pdf":
        return collate_report(where, **source)
    return collate(where, **source), None


def _write(path: Path, suffix: str, figures: CollationFigures, report) -> None:  # type: ignore[no-untyped-def]
    from nrp_desktop.storage.files import FileWriteError

    try:
        if suffix == ".csv":
            from nrp_desktop.services.council import write_figures_csv

            write_figures_csv(figures, path)
        else:
            from nrp_desktop.services.council import write_report_pdf

            write_report_pdf(report, path)
    except FileWriteError as error:
        raise BadInput(f"collate: {error}") from None


def _print_figures(figures: CollationFigures) -> None:
    from nrp_desktop.domain.domains import domain_by_slug

    sessions = ngettext("{n} session", "{n} sessions", figures.sessions)
    people = _("participants not counted") if figures.participants is None else \
        ngettext("{n} participant", "{n} participants", figures.participants)
    print(f"{sessions}, {people}")
    for slug, rating in figures.ratings.items():
        name = _(domain_by_slug(slug).name)
        mean = _("not rated") if rating.mean is None else \
            _("{mean} (from {n})").format(mean=f"{rating.mean:.2f}", n=rating.n)
        votes = ngettext("{n} vote", "{n} votes", figures.domain_votes[slug])
        print("  " + _("{domain}: compass {mean}, {votes}").format(domain=name, mean=mean, votes=votes))
    print(_("Actions: {counts}").format(
        counts=", ".join(f"{count} {status}" for status, count in figures.actions.items())))
    for rank, priority in enumerate(figures.priorities, start=1):
        votes = ngettext("{n} vote", "{n} votes", priority.votes)
        sessions = ngettext("{n} session", "{n} sessions", priority.sessions)
        print(f"{rank:>4}. {priority.title}  ({votes}, {sessions})")
