"""Collating sessions from several halls: priorities brought together, votes summed.

Priorities whose titles say the same thing once folded (case, accents, punctuation, word forms)
are grouped at once. Priorities whose titles only share most of their meaningful words are
*proposed* as a group: the facilitator confirms each proposal before it counts as one.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from nrp_desktop.domain.domains import DOMAIN_SLUGS
from nrp_desktop.domain.session import Priority, Session, action_status_counts
from nrp_desktop.domain.text import stems

# Share of the shorter title's meaningful words that the longer one also has, to propose a merge.
SIMILARITY_THRESHOLD = 0.6


@dataclass(frozen=True)
class Raised:
    """One priority as one session raised it."""

    session_id: str
    hall: str  # how the session is named in a collation: its venue, neighbourhood or title
    rank: int  # 1 = the group's top priority in that session
    priority: Priority


@dataclass
class PriorityGroup:
    members: list[Raised]
    confirmed: bool = True  # False: a proposal waiting for the facilitator

    @property
    def title(self) -> str:
        """The title as the session that gave it most votes wrote it."""
        best = max(self.members, key=lambda raised: (raised.priority.votes, -raised.rank))
        return best.priority.title

    @property
    def votes(self) -> int:
        return sum(raised.priority.votes for raised in self.members)

    @property
    def halls(self) -> list[str]:
        return list(dict.fromkeys(raised.hall for raised in self.members))

    @property
    def domains(self) -> list[str]:
        found = {slug for raised in self.members for slug in raised.priority.domains}
        return [slug for slug in DOMAIN_SLUGS if slug in found]

    @property
    def lessons(self) -> list[str]:
        return list(dict.fromkeys(s for raised in self.members for s in raised.priority.lessons))

    @property
    def actions(self) -> list[tuple[str, str, str, str]]:
        """(hall, what, who, when) for every action of every member."""
        return [row[:4] for row in self.actions_with_status]

    @property
    def actions_with_status(self) -> list[tuple[str, str, str, str, str]]:
        """(hall, what, who, when, status) for every action of every member."""
        return [
            (raised.hall, action.what, action.who, action.when, action.status)
            for raised in self.members
            for action in raised.priority.actions
        ]

    @property
    def action_counts(self) -> dict[str, int]:
        """How many of the members' actions are in each state (every state named)."""
        return action_status_counts([a for raised in self.members for a in raised.priority.actions])

    @property
    def table_votes(self) -> dict[tuple[str, str], int]:
        """(hall, table) → the dots counted at that table, summed over the members."""
        counts: dict[tuple[str, str], int] = {}
        for raised in self.members:
            for table, votes in raised.priority.table_votes.items():
                counts[(raised.hall, table)] = counts.get((raised.hall, table), 0) + votes
        return counts


@dataclass
class Collation:
    sessions: list[Session]
    groups: list[PriorityGroup] = field(default_factory=list)

    @property
    def proposals(self) -> list[PriorityGroup]:
        return [group for group in self.groups if not group.confirmed]

    def ranked(self) -> list[PriorityGroup]:
        """Confirmed groups and unconfirmed members as groups of their own, most votes first."""
        result: list[PriorityGroup] = []
        for group in self.groups:
            if group.confirmed:
                result.append(group)
            else:
                result.extend(PriorityGroup([member]) for member in group.members)
        return sorted(result, key=lambda g: (-g.votes, min(m.rank for m in g.members), g.title.casefold()))


def hall_name(session: Session) -> str:
    return session.venue.strip() or session.neighbourhood.strip() or session.title.strip()


def _key(title: str) -> frozenset[str]:
    return frozenset(stems(title))


def _similarity(first: frozenset[str], second: frozenset[str]) -> float:
    if not first or not second:
        return 0.0
    return len(first & second) / min(len(first), len(second))


def collate(sessions: list[Session]) -> Collation:
    """Group the priorities of `sessions`: same titles together, similar ones proposed."""
    exact: dict[frozenset[str] | str, PriorityGroup] = {}
    for session in sessions:
        hall = hall_name(session)
        for rank, priority in enumerate(session.priorities, start=1):
            raised = Raised(session.id, hall, rank, priority)
            key: frozenset[str] | str = _key(priority.title) or priority.title.strip().casefold()
            exact.setdefault(key, PriorityGroup([])).members.append(raised)

    groups = list(exact.values())
    keys = list(exact.keys())
    merged_into: dict[int, int] = {}
    proposals: list[PriorityGroup] = []
    for i in range(len(groups)):
        if i in merged_into:
            continue
        key_i = keys[i]
        similar = [
            j for j in range(i + 1, len(groups))
            if j not in merged_into
            and isinstance(key_i, frozenset)
            and isinstance(key_j := keys[j], frozenset)
            and _similarity(key_i, key_j) >= SIMILARITY_THRESHOLD
        ]
        if similar:
            members = list(groups[i].members)
            for j in similar:
                merged_into[j] = i
                members.extend(groups[j].members)
            proposals.append(PriorityGroup(members, confirmed=False))
            merged_into[i] = i
    result = [group for index, group in enumerate(groups) if index not in merged_into] + proposals
    return Collation(list(sessions), result)


def confirm(collation: Collation, group: PriorityGroup, accept: bool) -> None:
    """The facilitator's answer to a proposal: accepted, it counts as one priority; refused,
    its members stand alone."""
    if group not in collation.groups or group.confirmed:
        return
    if accept:
        group.confirmed = True
        return
    index = collation.groups.index(group)
    collation.groups[index : index + 1] = [PriorityGroup([member]) for member in group.members]
