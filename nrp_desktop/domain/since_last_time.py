""""Since last time" (contract.md §5.1): what a follow-up session reviews, as plain data.

Filled from the follow-up session and, when it is stored here, the session it follows; the
handout section (`reports.since_last_time`) and the review screen lay it out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.session import Session, action_status_counts


@dataclass(frozen=True)
class CarriedActionLine:
    """One action carried from an earlier session, as it stands now."""

    priority_title: str
    action_id: str
    what: str
    who: str = ""
    when: str = ""
    status: str = "agreed"
    progress: str = ""
    updated: dt.date | None = None


@dataclass(frozen=True)
class DomainChange:
    slug: str
    then: int | None  # the earlier session's score (None: not rated, or that session is unknown)
    now: int | None

    @property
    def change(self) -> int | None:
        """now − then; above 0 the group sees less to improve than last time."""
        return None if self.then is None or self.now is None else self.now - self.then


@dataclass(frozen=True)
class SinceLastTime:
    follows: str  # the earlier session's id
    previous_title: str | None = None  # None: that session is not stored on this computer
    previous_date: dt.date | None = None
    previous_ratings: dict[str, int] = field(default_factory=dict)
    ratings: dict[str, int] = field(default_factory=dict)  # today's compass
    date: dt.date | None = None  # the follow-up's own date
    actions: tuple[CarriedActionLine, ...] = ()

    @property
    def previous_known(self) -> bool:
        return self.previous_title is not None

    @property
    def domains(self) -> tuple[DomainChange, ...]:
        """Every domain, in the framework's order, with both scores."""
        return tuple(
            DomainChange(slug, self.previous_ratings.get(slug), self.ratings.get(slug))
            for slug in DOMAIN_SLUGS
        )

    @property
    def counts(self) -> dict[str, int]:
        """How many carried actions are in each state (every state named)."""
        from nrp_desktop.domain.session import Action

        return action_status_counts([Action(line.what, status=line.status) for line in self.actions])


def since_last_time(session: Session, previous: Session | None) -> SinceLastTime | None:
    """The review of a follow-up session; None when the session follows no other."""
    if session.follows is None:
        return None
    lines = tuple(
        CarriedActionLine(
            priority_title=priority.title, action_id=action.id, what=action.what, who=action.who,
            when=action.when, status=action.status, progress=action.progress, updated=action.updated,
        )
        for priority in session.priorities
        for action in priority.actions
        if action.carried_from is not None
    )
    known = previous is not None and previous.id == session.follows
    return SinceLastTime(
        follows=session.follows,
        previous_title=previous.title if known and previous else None,
        previous_date=previous.date if known and previous else None,
        previous_ratings=dict(previous.ratings) if known and previous else {},
        ratings=dict(session.ratings),
        date=session.date,
        actions=lines,
    )
