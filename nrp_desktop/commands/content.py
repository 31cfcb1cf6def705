"""Commands about the bundled content: content-info, search, suggest."""

from __future__ import annotations

import argparse

from nrp_desktop.commands.common import EXIT_OK, Handlers, positive, print_json, words_of
from nrp_desktop.i18n import _, format_number


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> Handlers:
    info = commands.add_parser("content-info", help="what bundled content this copy carries")
    info.add_argument("--json", action="store_true")

    search = commands.add_parser("search", help="full-text search over all bundled content")
    search.add_argument("query", metavar="QUERY", nargs="+")
    search.add_argument("--limit", type=positive, default=10)
    search.add_argument("--json", action="store_true")
    suggest = commands.add_parser("suggest", help="the lessons the app would link to a priority")
    suggest.add_argument("text", metavar="TEXT", nargs="+")
    suggest.add_argument(
        "--domain", action="append", default=[], metavar="SLUG", type=_domain_slug,
        help="a domain the priority belongs to (repeatable)",
    )
    suggest.add_argument("--limit", type=positive, default=5)
    suggest.add_argument("--json", action="store_true")
    return {"content-info": _content_info, "search": _search, "suggest": _suggest}


def _domain_slug(text: str) -> str:
    from nrp_desktop.domain.domains import DOMAIN_SLUGS

    if text not in DOMAIN_SLUGS:
        raise argparse.ArgumentTypeError(
            f"unknown domain {text!r}; use one of: {', '.join(DOMAIN_SLUGS)}"
        )
    return text


def _content_info(args: argparse.Namespace) -> int:
    from nrp_desktop.services.library import default_library

    info = default_library().info()
    if args.json:
        print_json(info.as_json())
    else:
        rows = ((_("Content version:"), info.content_version),
                (_("Neighbourhoods:"), info.neighbourhoods), (_("Domains:"), info.domains),
                (_("Lessons:"), info.lessons), (_("Case-study words:"), info.case_study_words))
        width = max(len(label) for label, _value in rows) + 2
        for label, value in rows:
            print(f"{label:<{width}}{value}")
    return EXIT_OK


def _search(args: argparse.Namespace) -> int:
    from nrp_desktop.services.library import default_library

    query = words_of(args.query, "search", "QUERY", _("give a word to look for"))
    hits = default_library().search(query, limit=args.limit)
    if args.json:
        print_json(
            [{"kind": h.kind, "slug": h.slug, "title": h.title, "snippet": h.snippet} for h in hits]
        )
    elif not hits:
        print(_("Nothing found for {query}.").format(query=repr(query)))
    else:
        for hit in hits:
            print(f"{hit.title}  [{hit.kind}: {hit.slug}]")
            print(f"    {hit.snippet}")
    return EXIT_OK


def _suggest(args: argparse.Namespace) -> int:
    from nrp_desktop.services.library import default_library
    from nrp_desktop.services.suggest import SuggestionEngine

    text = words_of(args.text, "suggest", "TEXT", _("give the priority's words"))
    suggestions = SuggestionEngine(default_library().library).suggest(
        text, args.domain, limit=args.limit
    )
    if args.json:
        print_json([suggestion.as_json() for suggestion in suggestions])
    elif not suggestions:
        print(_("No lesson fits these words well enough. Try other words, or link lessons by hand."))
    else:
        for suggestion in suggestions:
            lesson = suggestion.lesson
            score = _("score {score}").format(score=format_number(round(suggestion.score, 1)))
            print(f"{lesson.title}  [{lesson.slug}]  {score}")
            print("    " + _("from: {places}").format(places=", ".join(suggestion.neighbourhoods)))
    return EXIT_OK


