"""The collation's printout: a `Collation` → what the PDF carries → PDF bytes.

The snapshot is taken of the collation as the facilitator has decided it so far: confirmed
merges count as one priority, undecided proposals are counted apart (and the PDF says how many
are left to decide).
"""

from __future__ import annotations

from nrp_desktop.domain.collation import (
    CollatedAction,
    CollatedPriority,
    CollatedSession,
    CollationReport,
    HallVotes,
    TableVotes,
)
from nrp_desktop.domain.handout import PaperSize
from nrp_desktop.services.collate import Collation, PriorityGroup, hall_name


def hall_votes(group: PriorityGroup) -> tuple[HallVotes, ...]:
    """The group's votes per hall, halls in the order the sessions were given."""
    votes: dict[str, int] = {}
    titles: dict[str, list[str]] = {}
    for member in group.members:
        votes[member.hall] = votes.get(member.hall, 0) + member.priority.votes
        titles.setdefault(member.hall, [])
        if member.priority.title not in titles[member.hall]:
            titles[member.hall].append(member.priority.title)
    return tuple(HallVotes(hall, votes[hall], tuple(titles[hall])) for hall in votes)


def collation_report(collation: Collation) -> CollationReport:
    priorities = tuple(
        CollatedPriority(
            rank=rank,
            title=group.title,
            votes=group.votes,
            by_hall=hall_votes(group),
            domains=tuple(group.domains),
            merged=len(group.members) > 1,
            actions=tuple(CollatedAction(*action) for action in group.actions_with_status),
            by_table=tuple(
                TableVotes(hall, table, votes) for (hall, table), votes in group.table_votes.items()
            ),
        )
        for rank, group in enumerate(collation.ranked(), start=1)
    )
    sessions = tuple(
        CollatedSession(
            title=session.title,
            date=session.date,
            hall=hall_name(session),
            participants=session.participants,
            ratings=dict(session.ratings),
            priorities=len(session.priorities),
        )
        for session in collation.sessions
    )
    return CollationReport(sessions, priorities, undecided_proposals=len(collation.proposals))


def collation_pdf(collation: Collation, paper: PaperSize = "a4") -> bytes:
    from nrp_desktop.reports.collation import build_collation_pdf

    return build_collation_pdf(collation_report(collation), paper)
