"""`nrp-desktop languages`: each language the app speaks, and how much of it is translated."""

from __future__ import annotations

import argparse

from nrp_desktop.commands.common import EXIT_OK, Handlers, print_json


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> Handlers:
    from nrp_desktop.i18n import _

    languages = commands.add_parser(
        "languages", help=_("the languages of the window and the handout, and how complete each is"))
    languages.add_argument("--json", action="store_true")
    return {"languages": _languages}


def _languages(args: argparse.Namespace) -> int:
    from nrp_desktop.i18n import _, catalogue_coverage

    coverage = catalogue_coverage()
    if args.json:
        print_json([
            {"code": row.language.code, "name": row.language.english_name,
             "direction": row.language.direction, "translated": row.translated, "total": row.total}
            for row in coverage
        ])
        return EXIT_OK
    for row in coverage:
        share = 100 * row.translated // row.total if row.total else 100
        direction = _("right to left") if row.language.direction == "rtl" else _("left to right")
        print(f"{row.language.code}  {row.language.name} ({row.language.english_name}), {direction}: "
              + _("{translated} of {total} strings ({share}%)").format(
                  translated=row.translated, total=row.total, share=share))
    return EXIT_OK
