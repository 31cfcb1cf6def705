"""What goes on the printed collation of several sessions, as plain data.

The collation service fills these from a `Collation` (the sessions and the facilitator's answers
to the proposed merges); the PDF builder in `nrp_desktop.reports.collation` only lays them out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

from nrp_desktop.domain.session import ACTION_AGREED, ACTION_STATUSES

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def day_month_year(day: dt.date) -> str:
    """"18 November 2026", whatever the machine's locale (strftime would follow it)."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


# How the collation orders the priorities (issue 12.9): by the votes added up across the halls,
# or by each hall's votes per person who took part there, added up, so that a hall of 18 does
# not outweigh a hall of 14.
VoteMeasure = Literal["votes", "per_participant"]
VOTE_MEASURES: tuple[str, ...] = ("votes", "per_participant")


@dataclass(frozen=True)
class CollatedSession:
    """One session as the collation lists it, and its compass."""

    title: str
    date: dt.date
    hall: str  # how the collation names the session: its venue, neighbourhood or title
    participants: int | None = None  # a head count, never names
    ratings: dict[str, int] = field(default_factory=dict)  # domain slug → 1…7; missing = unrated
    priorities: int = 0  # how many priorities the session recorded


@dataclass(frozen=True)
class HallVotes:
    """What one hall gave a collated priority: its votes, and the words it used."""

    hall: str
    votes: int
    titles: tuple[str, ...] = ()  # the titles as that hall wrote them, in its ranking order


@dataclass(frozen=True)
class CollatedAction:
    hall: str  # the hall that agreed the action
    what: str
    who: str = ""
    when: str = ""
    status: str = ACTION_AGREED  # contract §5.1: agreed, started, done or dropped


@dataclass(frozen=True)
class TableVotes:
    """The dots one table of one hall gave a collated priority (issue 12.8)."""

    hall: str
    table: str
    votes: int


@dataclass(frozen=True)
class CollatedPriority:
    rank: int  # 1 = most votes across all the sessions
    title: str
    votes: int  # the total across the halls
    by_hall: tuple[HallVotes, ...]
    domains: tuple[str, ...] = ()  # domain slugs, in the framework's order
    # Brought together from more than one session's priority (same words, or a merge the
    # facilitator confirmed).
    merged: bool = False
    actions: tuple[CollatedAction, ...] = ()
    by_table: tuple[TableVotes, ...] = ()  # where the halls counted dots table by table

    @property
    def halls(self) -> tuple[str, ...]:
        return tuple(hall.hall for hall in self.by_hall)

    @property
    def action_counts(self) -> dict[str, int]:
        """How many of its actions are in each state (every state named)."""
        counts = dict.fromkeys(ACTION_STATUSES, 0)
        for action in self.actions:
            counts[action.status] = counts.get(action.status, 0) + 1
        return counts

    @property
    def wordings(self) -> tuple[str, ...]:
        """Every distinct title the halls used for it (the shown title first)."""
        seen = dict.fromkeys([self.title, *(t for hall in self.by_hall for t in hall.titles)])
        return tuple(seen)


@dataclass(frozen=True)
class CollationReport:
    sessions: tuple[CollatedSession, ...]
    priorities: tuple[CollatedPriority, ...]  # most votes first
    # Look-alike titles the facilitator has not decided on: counted apart until confirmed.
    undecided_proposals: int = 0

    @property
    def action_counts(self) -> dict[str, int]:
        """How many actions, over every collated priority, are in each state (all named)."""
        counts = dict.fromkeys(ACTION_STATUSES, 0)
        for priority in self.priorities:
            for action in priority.actions:
                counts[action.status] = counts.get(action.status, 0) + 1
        return counts

    @property
    def action_counts_by_hall(self) -> dict[str, dict[str, int]]:
        """Per hall (in the sessions' order), how many of the actions it agreed are in each
        state; a hall with no action has every count 0."""
        by_hall = {session.hall: dict.fromkeys(ACTION_STATUSES, 0) for session in self.sessions}
        for priority in self.priorities:
            for action in priority.actions:
                counts = by_hall.setdefault(action.hall, dict.fromkeys(ACTION_STATUSES, 0))
                counts[action.status] = counts.get(action.status, 0) + 1
        return by_hall

    @property
    def hall_participants(self) -> dict[str, int | None]:
        """The people who took part in each hall, over its sessions; None where a session of
        the hall did not count heads (or counted nobody), so no share can be taken."""
        people: dict[str, int | None] = {}
        for session in self.sessions:
            count = session.participants if session.participants else None
            if session.hall not in people:
                people[session.hall] = count
            else:
                known = people[session.hall]
                people[session.hall] = None if known is None or count is None else known + count
        return people

    @property
    def halls_without_head_count(self) -> tuple[str, ...]:
        return tuple(hall for hall, people in self.hall_participants.items() if people is None)

    @property
    def per_participant_available(self) -> bool:
        """Every hall counted its people, so votes per participant can be compared."""
        return bool(self.sessions) and not self.halls_without_head_count

    def votes_per_participant(self, priority: CollatedPriority) -> float | None:
        """Each hall's votes for the priority divided by the people who took part there,
        added over the halls; None when a hall that voted for it counted no heads."""
        people = self.hall_participants
        total = 0.0
        for hall in priority.by_hall:
            count = people.get(hall.hall)
            if count is None:
                return None
            total += hall.votes / count
        return total

    def ordered(self, measure: VoteMeasure = "votes") -> tuple[CollatedPriority, ...]:
        """The priorities in the order the measure gives, most first (raw votes, then the
        collation's own rank, break ties). Votes per participant needs every hall's head count:
        without one the order stays by raw votes (see `measure_shown`)."""
        if self.measure_shown(measure) == "votes":
            return self.priorities
        return tuple(sorted(self.priorities, key=lambda priority: (
            -(self.votes_per_participant(priority) or 0.0), -priority.votes, priority.rank)))

    def measure_shown(self, measure: VoteMeasure) -> VoteMeasure:
        if measure not in VOTE_MEASURES:
            raise ValueError(f"measure must be one of {', '.join(VOTE_MEASURES)}, not {measure!r}")
        return measure if measure == "votes" or self.per_participant_available else "votes"

    @property
    def participants(self) -> int | None:
        """Everyone who took part, over the sessions that counted heads (None: none did)."""
        counts = [s.participants for s in self.sessions if s.participants is not None]
        return sum(counts) if counts else None

    @property
    def first_date(self) -> dt.date | None:
        return min((s.date for s in self.sessions), default=None)

    @property
    def last_date(self) -> dt.date | None:
        return max((s.date for s in self.sessions), default=None)
