"""What goes on a printed handout, as plain data (contract.md §4).

The handout service fills these from a session and the bundled content; the PDF builder in
`nrp_desktop.reports.handout` only lays them out. Keeping the choice of lessons here, away from
the layout, lets the preview, the command line and the tests agree on what is printed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from nrp_desktop.domain.since_last_time import SinceLastTime

# Where a priority's lessons came from: linked by the group by hand, or suggested by the app.
LessonSource = Literal["linked", "suggested"]
PaperSize = Literal["a4", "letter"]
PAPER_SIZES: tuple[str, ...] = ("a4", "letter")


@dataclass(frozen=True)
class HandoutLesson:
    slug: str
    title: str
    summary: str  # one paragraph, plain text
    neighbourhoods: tuple[str, ...]  # titles of the case studies the lesson draws on


@dataclass(frozen=True)
class HandoutAction:
    what: str
    who: str = ""
    when: str = ""


@dataclass(frozen=True)
class HandoutPriority:
    rank: int  # 1 for the group's first priority
    title: str
    description: str = ""
    votes: int = 0
    domains: tuple[str, ...] = ()  # domain slugs, in the order the group gave them
    group: str | None = None  # the table group that raised it
    actions: tuple[HandoutAction, ...] = ()
    lessons: tuple[HandoutLesson, ...] = ()
    lessons_source: LessonSource | None = None  # None: no lesson fits, and the handout says so
    # Slugs of lessons the group linked that this edition of the content does not have (the
    # handout says so, in its own language).
    missing_lessons: tuple[str, ...] = ()


@dataclass(frozen=True)
class RankedAction:
    """One row of "What happens next": an action with the priority it serves."""

    rank: int
    priority_title: str
    action: HandoutAction


@dataclass(frozen=True)
class ProgrammeNote:
    """The closing section: what the programme was and where its learning comes from.

    Every word comes from the bundled content (sanitised HTML), never from the layout code.
    """

    title: str
    about_html: str  # what the programme was, from the programme page
    neighbourhoods: tuple[str, ...]  # the case studies the lessons are drawn from
    sources_html: str = ""  # how the content was written, from the "about this content" page
    content_version: str = ""


@dataclass(frozen=True)
class HandoutData:
    title: str
    date: dt.date
    venue: str = ""
    neighbourhood: str = ""
    facilitator: str = ""
    participants: int | None = None  # a head count; the handout never lists names
    language: str = "en"  # the handout's language (i18n code): its own words, dates, direction
    ratings: dict[str, int] = field(default_factory=dict)  # domain slug → 1…7; missing = unrated
    priorities: tuple[HandoutPriority, ...] = ()
    programme: ProgrammeNote | None = None
    since_last_time: SinceLastTime | None = None  # a follow-up session's review (contract §5.1)

    @property
    def actions(self) -> tuple[RankedAction, ...]:
        return tuple(
            RankedAction(priority.rank, priority.title, action)
            for priority in self.priorities
            for action in priority.actions
        )


@dataclass(frozen=True)
class HandoutOptions:
    paper: PaperSize = "a4"
    large_print: bool = False  # body text 16 pt or more, with more space, for low vision
    # The one- or two-page "What we decided and what happens next" instead of the full handout.
    short: bool = False

    def __post_init__(self) -> None:
        if self.paper not in PAPER_SIZES:
            raise ValueError(f"paper must be one of {', '.join(PAPER_SIZES)}, not {self.paper!r}")
