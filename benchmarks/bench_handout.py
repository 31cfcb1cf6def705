"""How long the handout PDF takes to build, against a bare reportlab document of the same text.

Run: .venv/bin/python benchmarks/bench_handout.py [--runs N] [--scaling-base N | --no-scaling]
The goal (issue 5): a 30-priority handout in under 0.3 s in-process, and no more than twice the
time reportlab needs to set the same words as plain paragraphs in the same fonts.
Scaling (issue 10): the handout of a session with N, 2N and 4N actions; each doubling should
about double the time (a growth ratio near 2), never square it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.handout import HandoutData, HandoutOptions
from nrp_desktop.domain.session import Action, Priority, Session

if TYPE_CHECKING:
    from reportlab.lib.styles import ParagraphStyle

URDU_TITLES = (
    "ہمارے محلے کی گلیاں صاف ہونی چاہئیں",
    "بزرگوں کے لیے بس کا راستہ دوبارہ شروع کیا جائے",
    "نوجوانوں کے لیے شام کو کھیلنے کی محفوظ جگہ",
)
POLISH_TITLES = (
    "Zażółć gęślą jaźń: więcej ławek i zieleni przy żłobku na ulicy Łąkowej",
    "Pomoc w wypełnianiu wniosków o świadczenia dla starszych sąsiadów",
)
ENGLISH_TITLES = (
    "Back alleys full of rubbish and fly-tipping, so children cannot play out and people "
    "avoid them after dark, even though the council has been told about it many times",
    "Nobody knows where to get help with debt or money worries",
    "Older neighbours are lonely since the bus route was cut and the day centre closed",
    "The council never asks us before deciding things that change our streets",
    "Young people have nowhere to go in the evenings and get moved on from the shops",
    "Damp and mould in rented homes that landlords do not fix",
    "Too few jobs nearby, and the bus to the industrial estate is too dear",
)


def long_session(priorities: int = 30, other_scripts: bool = True) -> Session:
    """A long session: long titles, Urdu and Polish text, every field filled somewhere.

    `other_scripts=False` gives the same shape in English only.
    """
    items: list[Priority] = []
    pools = (ENGLISH_TITLES, URDU_TITLES, POLISH_TITLES) if other_scripts else (ENGLISH_TITLES,)
    for index in range(priorities):
        pool = pools[index % len(pools)]
        title = pool[index % len(pool)]
        if index % 3 == 0:
            title = f"{title} (item {index + 1})"[:200]
        actions = []
        if index % 4 != 3:
            actions.append(Action(
                what="Ask the council about a community clean-up day and a skip for bulky "
                     "rubbish" if index % 3 != 1 else "کونسل سے صفائی کے دن کے بارے میں پوچھیں",
                who="Two volunteers from Table 1" if index % 3 != 2 else "Pani Małgorzata",
                when="Before Christmas" if index % 3 != 1 else "دسمبر سے پہلے",
            ))
        if index % 5 == 0:
            actions.append(Action(what="Write to the housing association", who="Link worker"))
        lessons: list[str] = []
        if index % 7 == 2:
            lessons = ["resident-led-enquiries", "no-such-lesson-anywhere"]
        items.append(Priority(
            title=title,
            description=(
                "Children cannot play out; people avoid the alleys after dark. "
                "دکانوں کے پیچھے کوڑا جمع ہو جاتا ہے۔ Zgłaszaliśmy to wiele razy."
                if index % 2 == 0 else ""
            ),
            domains=[DOMAIN_SLUGS[index % 5], DOMAIN_SLUGS[(index + 2) % 5]][: 1 + index % 2],
            votes=max(0, 40 - index),
            group=("Table 1", "میز نمبر دو", "Stół 3")[index % 3],
            lessons=lessons,
            actions=actions,
        ))
    return Session(
        title="Wieczór mieszkańców / رہائشیوں کی شام: what would make our streets better?",
        date=dt.date(2026, 11, 18),
        venue="Sala parafialna, ul. Żeromskiego 12",
        neighbourhood="Our estate",
        facilitator="Community link worker",
        participants=41,
        language="en",
        ratings={"social-connectedness": 3, "economic-resources": 2,
                 "environmental-conditions": 4},
        groups=["Table 1", "میز نمبر دو", "Stół 3"],
        priorities=items,
    )


def _bare_styles() -> tuple[ParagraphStyle, ParagraphStyle]:
    from reportlab.lib.styles import ParagraphStyle

    from nrp_desktop.reports.fonts import SANS, SANS_BOLD, register_fonts

    register_fonts()
    return (ParagraphStyle("body", fontName=SANS, fontSize=10.5, leading=14.7),
            ParagraphStyle("heading", fontName=SANS_BOLD, fontSize=13.5, leading=19))


def _bare_document(texts: list[tuple[str, ParagraphStyle]]) -> bytes:
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from nrp_desktop.reports.fonts import SANS

    buffer = io.BytesIO()
    SimpleDocTemplate(buffer, pagesize=A4, initialFontName=SANS).build(
        [Paragraph(escape(text), style) for text, style in texts])
    return buffer.getvalue()


def printed_blocks(pdf: bytes) -> list[str]:
    """Every word the handout prints (pdftotext), one string per block of lines."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode("utf-8")
    blocks = re.split(r"\n\s*\n|\f", text)
    return [" ".join(block.split()) for block in blocks if block.strip()]


def bare_printed_words_pdf(blocks: list[str]) -> bytes:
    """Every word the handout prints, as plain paragraphs in the same font: the floor to
    compare against (the goal's "bare reportlab document of the same text")."""
    body, _ = _bare_styles()
    return _bare_document([(block, body) for block in blocks])


def bare_session_words_pdf(data: HandoutData) -> bytes:
    """Only the session's own words and its lessons (no headings, no "What happens next"
    table, no closing section): a stricter floor, shown for comparison."""
    body, heading = _bare_styles()
    texts: list[tuple[str, ParagraphStyle]] = [(data.title, heading)]
    for priority in data.priorities:
        texts.append((f"{priority.rank}. {priority.title}", heading))
        texts.append((f"{priority.votes} votes", body))
        if priority.description:
            texts.append((priority.description, body))
        for action in priority.actions:
            texts.append((f"{action.what} {action.who} {action.when}", body))
        for lesson in priority.lessons:
            texts += [(lesson.title, heading), (lesson.summary, body),
                      ("; ".join(lesson.neighbourhoods), body)]
    for ranked in data.actions:
        texts.append((f"{ranked.action.what} {ranked.action.who} {ranked.action.when}", body))
    return _bare_document(texts)


def many_actions_session(actions: int, priorities: int = 1) -> Session:
    """A session whose actions are shared out over `priorities` (1: all under one priority, the
    case that grew with the square of the actions in "What happens next")."""
    items = []
    for rank in range(priorities):
        share = actions // priorities + (1 if rank < actions % priorities else 0)
        items.append(Priority(
            title=f"{ENGLISH_TITLES[rank % len(ENGLISH_TITLES)]} ({rank + 1})"[:200],
            votes=priorities - rank,
            actions=[Action(what=f"Action {rank + 1}.{index + 1}: ask the council about a "
                                 "clean-up day", who="Two volunteers", when="Before May")
                     for index in range(share)],
        ))
    return Session(title="A very long evening", date=dt.date(2026, 11, 18), priorities=items)


def scaling(base: int, library: object, engine: object) -> None:
    from nrp_desktop.reports.handout import build_handout_pdf
    from nrp_desktop.services.handout import build_handout_data

    for priorities in (1, 50):
        print(f"\nScaling, actions under {priorities} priorit{'y' if priorities == 1 else 'ies'}"
              " (one run each, CPU time):")
        previous = None
        for factor in (1, 2, 4):
            count = base * factor
            data = build_handout_data(many_actions_session(count, priorities), library, engine)
            gc.collect()
            start = time.process_time()
            pdf = build_handout_pdf(data, HandoutOptions())
            seconds = time.process_time() - start
            pages = pdf.count(b"/Type /Page\n")
            growth = f"   growth ×{seconds / previous:.2f} for ×2 actions" if previous else ""
            print(f"  {factor}x {count:6d} actions, {pages:5d} pages: {seconds:7.2f} s"
                  f"  ({seconds / count * 1000:.2f} ms an action){growth}")
            previous = seconds


def _cpu_times(builds: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """The fastest CPU time of each build over `runs` rounds, the builds taking turns.

    Taking turns spreads the machine's slow spells over every build alike, and the fastest run
    is the steadiest estimate of the work itself on a shared machine (the median wanders by
    a third from one run of this script to the next there).
    """
    for build in builds.values():
        build()  # warm-up: fonts registered, modules imported
    times: dict[str, list[float]] = {label: [] for label in builds}
    for _ in range(runs):
        for label, build in builds.items():
            gc.collect()
            start = time.process_time()
            build()
            times[label].append(time.process_time() - start)
    return {label: min(values) for label, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--scaling-base", type=int, default=2000,
                        help="actions in the smallest scaling case (default 2000)")
    parser.add_argument("--no-scaling", action="store_true", help="leave the scaling out")
    args = parser.parse_args()

    from nrp_desktop.reports.handout import build_handout_pdf
    from nrp_desktop.services.handout import build_handout_data
    from nrp_desktop.services.library import default_library
    from nrp_desktop.services.suggest import SuggestionEngine

    library = default_library().library
    engine = SuggestionEngine(library)
    for label, session in (("Urdu, Polish and English", long_session(30)),
                           ("English only", long_session(30, other_scripts=False))):
        data = build_handout_data(session, library, engine)
        lessons = sum(len(p.lessons) for p in data.priorities)
        pdf = build_handout_pdf(data, HandoutOptions())
        pages = pdf.count(b"/Type /Page\n")
        print(f"\n30 priorities, {label}: {lessons} lessons, {len(data.actions)} actions, "
              f"{pages} pages")
        blocks = printed_blocks(pdf)
        times = _cpu_times({
            "assemble": lambda s=session: build_handout_data(s, library, engine),
            "normal": lambda d=data: build_handout_pdf(d, HandoutOptions()),
            "large": lambda d=data: build_handout_pdf(d, HandoutOptions(large_print=True)),
            "bare": lambda b=blocks: bare_printed_words_pdf(b),
            "bare_session": lambda d=data: bare_session_words_pdf(d),
        }, args.runs)
        assemble, normal, large, bare, bare_session = (
            times[key] for key in ("assemble", "normal", "large", "bare", "bare_session"))
        print(f"  choosing lessons (suggestions):     {assemble * 1000:7.1f} ms")
        print(f"  handout PDF, normal print:          {normal * 1000:7.1f} ms  (goal < 300 ms)")
        print(f"  handout PDF, large print:           {large * 1000:7.1f} ms")
        print(f"  bare reportlab, every printed word: {bare * 1000:7.1f} ms")
        print(f"  ratio handout / bare:               {normal / bare:7.2f}×  (goal ≤ 2×)")
        print(f"  bare, the session's words only:     {bare_session * 1000:7.1f} ms  "
              f"(ratio {normal / bare_session:.2f}×)")
    if not args.no_scaling:
        scaling(args.scaling_base, library, engine)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
