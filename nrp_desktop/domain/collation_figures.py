"""The figures of a collation (contract 5.2 `collate --json`), and how they are counted.

Two sources give these figures: the council database computes them in SQL
(`storage/council_collation.py`), and the laptop computes them here from its own sessions
(`figures_from_sessions`). Both follow the same rules, written down once here, so the same
sessions give the same figures from either:

- a session counts when its neighbourhood matches (folded: case and outer spaces aside) and its
  date is within `since`…`until` (both inclusive);
- compass: per domain, the mean of the sessions' agreed scores and how many sessions rated it;
- votes per domain: the votes of every priority tagged with that domain (a priority tagged with
  two domains counts for both);
- priorities: grouped when their titles say the same once folded (`title_key`, the key the
  laptop's collation groups by), votes summed, with the number of sessions that raised it; the
  title shown is the one from the session that gave it most votes (then the higher ranked, then
  the earlier session); best first: most votes, then the best rank any session gave it, then
  the key;
- actions by status (agreed, started, done, dropped) over the counted priorities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.session import ACTION_AGREED, ACTION_STATUSES, Session
from nrp_desktop.domain.text import stems


@lru_cache(maxsize=65_536)  # titles repeat (carried over, raised in many halls): publish keys each
def title_key(title: str) -> str:
    """What a priority's title says once folded: its meaningful words' stems, sorted (titles with
    no meaningful word fall back to the folded title itself, marked so the two never meet)."""
    words = sorted(set(stems(title)))
    return " ".join(words) if words else "=" + title.strip().casefold()


def title_choice(votes: int, rank: int, date: dt.date, session_id: str, title: str) -> str:
    """A text whose order (code point order) is the order in which a group of priorities picks
    the title it shows: most votes, then the higher rank, then the earlier session, then the
    session id. The title itself follows a \x01 (a character no text of a session holds)."""
    return f"{2_147_483_647 - votes:010d}{rank:04d}{date:%Y%m%d}{session_id}\x01{title}"


def title_from_choice(choice: str) -> str:
    return choice.split("\x01", 1)[1]


def domain_mask(domains: Iterable[str]) -> int:
    """The domains as bits: bit n is DOMAIN_SLUGS[n]."""
    return sum(1 << DOMAIN_SLUGS.index(slug) for slug in set(domains) if slug in DOMAIN_SLUGS)


def neighbourhood_key(neighbourhood: str) -> str:
    return neighbourhood.strip().casefold()


def action_status(action: object) -> str:
    """The action's status (contract 5.1); actions from before it are `agreed`."""
    status = getattr(action, "status", None) or ACTION_AGREED
    return status if status in ACTION_STATUSES else ACTION_AGREED


@dataclass(frozen=True)
class CollationFilter:
    neighbourhood: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None

    @property
    def neighbourhood_key(self) -> str | None:
        return None if self.neighbourhood is None else neighbourhood_key(self.neighbourhood)

    def admits(self, session: Session) -> bool:
        if self.neighbourhood is not None and neighbourhood_key(session.neighbourhood) != self.neighbourhood_key:
            return False
        if self.since is not None and session.date < self.since:
            return False
        return not (self.until is not None and session.date > self.until)


@dataclass(frozen=True)
class RatingFigure:
    total: int  # the sum of the scores
    n: int  # how many sessions rated the domain

    @property
    def mean(self) -> float | None:
        return round(self.total / self.n, 4) if self.n else None


@dataclass(frozen=True)
class PriorityFigure:
    key: str
    title: str
    votes: int
    sessions: int
    best_rank: int  # 1 = some session's top priority


@dataclass(frozen=True)
class CollationFigures:
    sessions: int
    participants: int | None  # None: no session counted heads
    ratings: dict[str, RatingFigure]  # every domain, in the framework's order
    domain_votes: dict[str, int]  # every domain, in the framework's order
    priorities: tuple[PriorityFigure, ...]  # best first
    actions: dict[str, int]  # every status in ACTION_STATUSES

    def as_json(self) -> dict[str, object]:
        """The shape of `collate --json` (contract 5.2), with `actions` by status added."""
        return {
            "sessions": self.sessions,
            "participants": self.participants,
            "ratings": {slug: {"mean": r.mean, "n": r.n} for slug, r in self.ratings.items()},
            "domain_votes": dict(self.domain_votes),
            "priorities": [
                {"title": p.title, "votes": p.votes, "sessions": p.sessions} for p in self.priorities
            ],
            "actions": dict(self.actions),
        }


def priority_order(figure: PriorityFigure) -> tuple[int, int, str]:
    return (-figure.votes, figure.best_rank, figure.key)


def make_figures(
    sessions: int,
    participants: int | None,
    ratings: dict[str, tuple[int, int]],
    domain_votes: dict[str, int],
    priorities: Iterable[PriorityFigure],
    actions: dict[str, int],
) -> CollationFigures:
    """Figures with every domain and status present (zero where nothing counted)."""
    return CollationFigures(
        sessions=sessions,
        participants=participants,
        ratings={slug: RatingFigure(*ratings.get(slug, (0, 0))) for slug in DOMAIN_SLUGS},
        domain_votes={slug: int(domain_votes.get(slug, 0)) for slug in DOMAIN_SLUGS},
        priorities=tuple(sorted(priorities, key=priority_order)),
        actions={status: int(actions.get(status, 0)) for status in ACTION_STATUSES},
    )


def figures_from_sessions(sessions: Iterable[Session], where: CollationFilter | None = None) -> CollationFigures:
    """The figures of the sessions that `where` admits, counted in Python (the laptop's source)."""
    where = where or CollationFilter()
    counted = sorted((s for s in sessions if where.admits(s)), key=lambda s: (s.date, s.id))
    heads = [s.participants for s in counted if s.participants is not None]
    ratings: dict[str, tuple[int, int]] = {}
    domain_votes: dict[str, int] = {}
    actions: dict[str, int] = {}
    # key → [votes, session ids, best rank, (sort key of the shown title, title)]
    groups: dict[str, list] = {}  # type: ignore[type-arg]
    for session in counted:
        for slug, value in session.ratings.items():
            total, n = ratings.get(slug, (0, 0))
            ratings[slug] = (total + value, n + 1)
        for rank, priority in enumerate(session.priorities, start=1):
            for slug in dict.fromkeys(priority.domains):
                domain_votes[slug] = domain_votes.get(slug, 0) + priority.votes
            for action in priority.actions:
                status = action_status(action)
                actions[status] = actions.get(status, 0) + 1
            key = title_key(priority.title)
            shown = title_choice(priority.votes, rank, session.date, session.id, priority.title)
            group = groups.setdefault(key, [0, set(), rank, shown])
            group[0] += priority.votes
            group[1].add(session.id)
            group[2] = min(group[2], rank)
            group[3] = min(group[3], shown)
    return make_figures(
        sessions=len(counted),
        participants=sum(heads) if heads else None,
        ratings=ratings,
        domain_votes=domain_votes,
        priorities=(
            PriorityFigure(key=key, title=title_from_choice(g[3]), votes=g[0], sessions=len(g[1]), best_rank=g[2])
            for key, g in groups.items()
        ),
        actions=actions,
    )
