"""Follow-up sessions (contract.md §5.1): what a new session carries from the one it follows,
and the chain of sessions a group has held, walked safely.

Plain rules, no storage: the services give them sessions and the links between them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from nrp_desktop.domain.session import (
    ACTION_STATUSES,
    Action,
    Priority,
    Session,
    action_status_counts,
    new_id,
)


@dataclass(frozen=True)
class ActionState:
    """What a status edit changes, so an undo can put it back exactly."""

    status: str
    progress: str
    updated: dt.date | None

    @classmethod
    def of(cls, action: Action) -> ActionState:
        return cls(action.status, action.progress, action.updated)


def carried_action(action: Action, earlier: Session) -> Action:
    """The same action (same id, state and words) in the follow-up; `carried_from` names the
    session where it was first agreed, which an action already carried keeps."""
    return dataclasses.replace(action, carried_from=action.carried_from or earlier.id)


def carried_priority(priority: Priority) -> Priority | None:
    """The priority as a follow-up carries it (a new id, `carried_from` its old one, no votes
    yet), or None when every action of it is done or dropped (or it has none)."""
    if not priority.open_actions:
        return None
    return Priority(
        title=priority.title,
        description=priority.description,
        domains=list(priority.domains),
        group=priority.group,
        lessons=list(priority.lessons),
        actions=list(priority.open_actions),  # replaced with carried copies by follow_up_of
        carried_from=priority.id,
    )


@dataclass(frozen=True)
class FollowUp:
    session: Session
    carried_priorities: int
    carried_actions: int


def follow_up_of(earlier: Session, title: str, date: dt.date) -> FollowUp:
    """A new session following `earlier`: the same venue, neighbourhood, groups and language,
    and every priority that still has an open action, carried with those actions."""
    priorities: list[Priority] = []
    for priority in earlier.priorities:
        carried = carried_priority(priority)
        if carried is not None:
            carried.actions = [carried_action(action, earlier) for action in carried.actions]
            priorities.append(carried)
    session = Session(
        title=title,
        date=date,
        id=new_id(),
        venue=earlier.venue,
        neighbourhood=earlier.neighbourhood,
        language=earlier.language,
        groups=list(earlier.groups),
        priorities=priorities,
        follows=earlier.id,
    )
    return FollowUp(session, len(priorities), sum(len(p.actions) for p in priorities))


def carried_actions(session: Session) -> list[tuple[Priority, Action]]:
    """The actions of a follow-up that came from an earlier session, in ranking order."""
    return [
        (priority, action)
        for priority in session.priorities
        for action in priority.actions
        if action.carried_from is not None
    ]


def session_action_counts(session: Session) -> dict[str, int]:
    """How many of the session's actions are in each state (every state named)."""
    return action_status_counts([a for p in session.priorities for a in p.actions])


# The chain ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionLink:
    """One stored session as the chain walk sees it."""

    id: str
    follows: str | None
    date: dt.date
    created_at: str = ""  # orders sessions of the same day


@dataclass(frozen=True)
class Chain:
    """The stored sessions a session belongs to, oldest first.

    `loop`: the ids that follow each other round in a circle (files made elsewhere can do
    that), each once; empty when there is none. `unknown_start`: the session the oldest stored
    one follows when it is not stored here (the link is kept), else None.
    """

    ids: tuple[str, ...]
    loop: tuple[str, ...] = ()
    unknown_start: str | None = None


def walk_chain(links: Iterable[SessionLink], start: str) -> Chain:
    """Back from `start` along `follows` to the oldest stored session, then forward to every
    stored session that follows `start` (directly or not). Each session is visited once, so a
    loop ends the walk instead of going round for ever. KeyError when `start` is not in links."""
    by_id: dict[str, SessionLink] = {link.id: link for link in links}
    if start not in by_id:
        raise KeyError(start)
    followers: dict[str, list[SessionLink]] = {}
    for link in by_id.values():
        if link.follows is not None:
            followers.setdefault(link.follows, []).append(link)

    back: list[str] = [start]
    seen = {start}
    loop: tuple[str, ...] = ()
    unknown_start: str | None = None
    current = by_id[start]
    while current.follows is not None:
        earlier = current.follows
        if earlier in seen:
            loop = tuple(back[back.index(earlier):])
            break
        if earlier not in by_id:
            unknown_start = earlier
            break
        back.append(earlier)
        seen.add(earlier)
        current = by_id[earlier]

    forward: list[SessionLink] = []
    queue = [start]
    while queue:
        for follower in sorted(followers.get(queue.pop(0), []), key=_order):
            if follower.id in seen:  # only a loop through `start`, already found going back
                continue
            seen.add(follower.id)
            forward.append(follower)
            queue.append(follower.id)
    forward.sort(key=_order)
    return Chain(
        ids=(*reversed(back), *(link.id for link in forward)),
        loop=loop,
        unknown_start=unknown_start,
    )


def _order(link: SessionLink) -> tuple[dt.date, str, str]:
    return (link.date, link.created_at, link.id)


@dataclass(frozen=True)
class ChainEntry:
    """One session of a chain as `history` shows it."""

    id: str
    title: str
    date: dt.date
    ratings: Mapping[str, int] = field(default_factory=dict)
    actions: Mapping[str, int] = field(default_factory=lambda: dict.fromkeys(ACTION_STATUSES, 0))

    @classmethod
    def of(cls, session: Session) -> ChainEntry:
        return cls(session.id, session.title, session.date, dict(session.ratings), session_action_counts(session))
