"""Follow-up sessions and the history of a group (contract.md §5.1): the use cases behind
`nrp-desktop follow-up` and `history`, and the editor's "New follow-up session…" (no Qt).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from nrp_desktop.domain.followup import Chain, ChainEntry, FollowUp, follow_up_of, walk_chain
from nrp_desktop.domain.session import Session
from nrp_desktop.services.sessions import SessionNotFound, SessionStore

__all__ = ["History", "SessionNotFound", "create_follow_up", "history", "previous_session"]


def create_follow_up(store: SessionStore, earlier_id: str, title: str, date: dt.date) -> FollowUp:
    """Store a new session following the stored session `earlier_id` (one transaction).
    SessionNotFound when there is none; InvalidSessionValue for a bad title or date."""
    earlier = store.load_session(earlier_id)
    made = follow_up_of(earlier, title, date)
    stored = store.save_session(made.session)
    return FollowUp(stored, made.carried_priorities, made.carried_actions)


@dataclass(frozen=True)
class History:
    entries: tuple[ChainEntry, ...]  # oldest first
    chain: Chain


def history(store: SessionStore, session_id: str) -> History:
    """The chain of stored sessions `session_id` belongs to, oldest first, each with its compass
    and how many of its actions are in each state. SessionNotFound when it is not stored."""
    try:
        chain = walk_chain(store.follow_links(), session_id)
    except KeyError:
        raise SessionNotFound(session_id) from None
    entries = tuple(ChainEntry.of(store.load_session(uid)) for uid in chain.ids)
    return History(entries, chain)


def previous_session(store: SessionStore, session: Session) -> Session | None:
    """The stored session this one follows, or None (none named, or not stored here)."""
    if session.follows is None or session.follows == session.id:
        return None
    try:
        return store.load_session(session.follows)
    except SessionNotFound:
        return None
