"""How the session document applies an edit: the store first, then memory and the models, and
what changed noted for every screen. The undo commands (`commands.py`) call these; they are
a part of `SessionDocument`, kept apart so the document reads as what it offers.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from nrp_desktop.domain.followup import ActionState
from nrp_desktop.domain.session import Priority, check_votes
from nrp_desktop.services.changes import SessionChanges
from nrp_desktop.services.session_checks import check_single


class StoreWrites:
    """The `apply_*` half of SessionDocument (mixed into it)."""

    def apply_insert_priority(self, priority: Priority, index: int) -> Priority:
        session = self.require_session()
        stored = self.require_store().add_priority(session.id, priority, index)
        self.priorities.insert_row(index, stored)
        self._note(SessionChanges(added_priorities=(stored.id,)))
        self._list_changed()
        return stored

    def apply_remove_priority(self, priority_id: str) -> tuple[Priority, int]:
        session = self.require_session()
        removed, index = self.require_store().remove_priority(session.id, priority_id)
        self.priorities.remove_row(self.index_of(priority_id))
        self._list_changed()
        return removed, index

    def apply_move_priority(self, priority_id: str, new_index: int) -> None:
        session = self.require_session()
        self.require_store().move_priority(session.id, priority_id, new_index)
        self.priorities.move_row(self.index_of(priority_id), new_index)
        self.priorities_changed.emit()

    def apply_order(self, ordered_ids: Sequence[str]) -> None:
        session = self.require_session()
        self.require_store().reorder_priorities(session.id, ordered_ids)
        self.priorities.set_order(ordered_ids)
        self.priorities_changed.emit()

    def apply_votes(self, priority_id: str, votes: int) -> None:
        self.apply_many_votes({priority_id: votes})

    def apply_many_votes(
        self, votes: Mapping[str, int], *, write_behind: bool = False
    ) -> concurrent.futures.Future[None] | None:
        """Votes of one or more priorities, stored in one transaction, then shown. With
        `write_behind` (phone votes, which come in bursts) they are shown at once and stored by
        the store writer's thread: the future is done once they are on disk (a failure is then
        reported by `failed`, and the stored truth shown again)."""
        session = self.require_session()
        durable = None
        if write_behind:
            for count in votes.values():  # refused here, as the store would, before anything shows
                check_single("priority.votes", check_votes(count))
            for priority_id in votes:
                self.require_priority(priority_id)
            store = self._store  # not `require_store()`: that would wait for the writes queued
            if store is None:
                raise RuntimeError("the session database is not open yet")
            session_id, stored = session.id, dict(votes)
            durable = self.writer.submit(lambda: store.set_many_votes(session_id, stored))
        else:
            self.require_store().set_many_votes(session.id, votes)
        rows = {priority.id: row for row, priority in enumerate(session.priorities)}
        for priority_id, count in votes.items():
            session.priorities[rows[priority_id]].votes = count
        self.priorities.votes_updated([rows[priority_id] for priority_id in votes])
        # Not `priority_changed`: what listens to it (the detail pane, the lesson suggestions,
        # the actions) shows no votes, and re-laying the detail pane out for each batch of phone
        # votes cost the GUI thread ~30 ms. The counts are shown from `priorities_changed`.
        self.priorities_changed.emit()
        return durable

    def apply_table_dots(self, table: str, counts: Mapping[str, int]) -> None:
        """Dots counted at one table (negative: taken back), added to each priority's votes
        and to that table's own count, in one transaction; then shown."""
        session = self.require_session()
        self.require_store().add_table_dots(session.id, table, counts)
        for priority_id, count in counts.items():
            if not count:
                continue
            priority = self.require_priority(priority_id)
            priority.votes += count
            at_table = priority.table_votes.get(table, 0) + count
            priority.table_votes = {**priority.table_votes, table: at_table}
            if not at_table:
                del priority.table_votes[table]
            self.priorities.priority_updated(self.index_of(priority_id))
            self.priority_changed.emit(priority_id)
        self.priorities_changed.emit()

    def apply_priority(self, priority: Priority) -> Priority:
        session = self.require_session()
        stored = self.require_store().update_priority(session.id, priority)
        row = self.index_of(stored.id)
        session.priorities[row] = stored
        self.priorities.priority_updated(row)
        self.priority_changed.emit(stored.id)
        self.priorities_changed.emit()
        return stored

    def apply_action_state(self, action_id: str, status: str | None, progress: str | None) -> None:
        session = self.require_session()
        store = self.require_store()
        if status is not None:
            store.set_action_status(session.id, action_id, status, progress)
        elif progress is not None:
            store.set_action_progress(session.id, action_id, progress)
        self._reload_action(action_id)

    def restore_action_state(self, action_id: str, state: ActionState) -> None:
        session = self.require_session()
        self.require_store().restore_action_state(session.id, action_id, state)
        self._reload_action(action_id)

    def _reload_action(self, action_id: str) -> None:
        """Show the action as stored (its state and date), then tell."""
        session = self.require_session()
        priority, action = self.require_action(action_id)
        stored = self.require_store().load_session(session.id)
        for fresh in (a for p in stored.priorities for a in p.actions if a.id == action_id):
            # A new object, so the models that hold the old one see that it changed.
            row = next(i for i, held in enumerate(priority.actions) if held.id == action_id)
            priority.actions[row] = dataclasses.replace(
                action, status=fresh.status, progress=fresh.progress, updated=fresh.updated)
        self.priorities.priority_updated(self.index_of(priority.id))
        self.priority_changed.emit(priority.id)
        self.priorities_changed.emit()

    def apply_session_fields(self, **fields: Any) -> None:
        session = self.require_session()
        self.require_store().update_session_fields(session.id, **fields)
        for name, value in fields.items():
            setattr(session, name, value.strip() if isinstance(value, str) else value)
        if isinstance(session.date, str):
            session.date = dt.date.fromisoformat(session.date)
        self.fields_changed.emit()
        if "title" in fields or "date" in fields:
            self.summary_changed.emit()

    def apply_groups(self, groups: Sequence[str]) -> dict[str, str]:
        session = self.require_session()
        cleared = self.require_store().set_groups(session.id, groups)
        session.groups = [name.strip() for name in groups]
        for priority_id in cleared:
            self.require_priority(priority_id).group = None
            self.priorities.priority_updated(self.index_of(priority_id))
            self.priority_changed.emit(priority_id)
        self.groups_changed.emit()
        if cleared:
            self.priorities_changed.emit()
        return cleared

    def apply_ratings(self, ratings: dict[str, int]) -> None:
        """Make the stored ratings exactly `ratings` in one transaction, then tell once."""
        session = self.require_session()
        before = dict(session.ratings)
        changed = {slug: ratings.get(slug) for slug in sorted(set(before) | set(ratings))
                   if before.get(slug) != ratings.get(slug)}
        if changed:
            self.require_store().set_ratings(session.id, changed)
        session.ratings = dict(ratings)
        self.ratings_changed.emit()
