"""The open workshop session and the Qt item models the session editor shows.

`SessionDocument` is the one object that talks to the `SessionStore`: views never run SQL, and
models ask the document. Every edit goes through an undo command (session_commands.py): the
document's request methods (`add_priority`, `set_votes`, …) build the command and run it; the
command calls the document's `apply_*` methods, which write through the store (one durable
transaction each) and update the in-memory session and the models. A refused edit
(`InvalidSessionValue`) writes nothing and is reported by `refused(field, message)`.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import html
import json
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from enum import IntEnum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QUndoGroup, QUndoStack

from nrp_desktop.domain.content import ContentLibrary, Lesson, make_link
from nrp_desktop.domain.domains import domain_by_slug, is_domain
from nrp_desktop.domain.followup import ActionState
from nrp_desktop.domain.session import (
    Action,
    Priority,
    Session,
    SessionSummary,
    new_id,
)
from nrp_desktop.domain.text import fold
from nrp_desktop.services.changes import SessionChanges
from nrp_desktop.services.sessions import (
    ActionNotFound,
    InvalidSessionValue,
    PriorityNotFound,
    SessionNotFound,
    SessionStore,
)
from nrp_desktop.services.suggest import Suggestion
from nrp_desktop.ui.session import commands
from nrp_desktop.ui.widgets.delegates import RICH_TEXT_ROLE
from nrp_desktop.ui.widgets.plain_text import plain_tooltip

log = logging.getLogger(__name__)

AnyIndex = QModelIndex | QPersistentModelIndex
PRIORITY_MIME_TYPE = "application/x-nrp-priority-id"


class Role(IntEnum):
    PRIORITY_ID = Qt.ItemDataRole.UserRole + 40
    SLUG = Qt.ItemDataRole.UserRole + 41
    LINK = Qt.ItemDataRole.UserRole + 42
    BUTTON_TEXT = Qt.ItemDataRole.UserRole + 43  # the one-click button a row offers
    BUTTON_ENABLED = Qt.ItemDataRole.UserRole + 44
    SESSION_ID = Qt.ItemDataRole.UserRole + 45
    VOTES = Qt.ItemDataRole.UserRole + 46


# Plain words for the places InvalidSessionValue names ("priority.actions[0].what").
FIELD_NAMES = {
    "title": "The title",
    "description": "The description",
    "notes": "The notes",
    "votes": "The votes",
    "domains": "The domains",
    "group": "The table",
    "lessons": "The linked lessons",
    "what": "“What needs doing”",
    "who": "“Who”",
    "when": "“By when”",
    "date": "The date",
    "venue": "The venue",
    "neighbourhood": "The neighbourhood",
    "facilitator": "The facilitator",
    "participants": "The head count",
    "language": "The language",
    "groups": "The table groups",
    "priorities": "The list of priorities",
    "index": "The place in the ranking",
}


def field_leaf(field: str) -> str:
    """"priority.actions[0].what" → "what"."""
    leaf = field.rsplit(".", 1)[-1]
    return leaf.split("[", 1)[0]


def plain_message(field: str, reason: str) -> str:
    """A refusal in plain words: "The title must not be empty."."""
    name = FIELD_NAMES.get(field_leaf(field), field)
    if field.startswith("session.") and field_leaf(field) in ("title", "notes"):
        name = f"The session {field_leaf(field)}"
    if field_leaf(field) == "title" and reason == "must not be empty":
        if field.startswith("session."):
            return "A session needs a title: type a few words. Until then it keeps its old title."
        return "A priority needs a title: type a few words. Until then it keeps its old title."
    sentence = f"{name} {reason}"
    return sentence if sentence.endswith((".", "?", "!")) else sentence + "."


def marks_html(domains: Sequence[str]) -> str:
    """Each domain's letter on its light tint: colour and mark together, never colour alone."""
    return "&nbsp;".join(
        f'<span style="background-color:{d.tint}; color:#1A1A1A;">&nbsp;<b>{d.mark}</b>&nbsp;</span>'
        for d in (domain_by_slug(slug) for slug in domains if is_domain(slug))
    )


def marks_text(domains: Sequence[str]) -> str:
    return " ".join(domain_by_slug(slug).mark for slug in domains if is_domain(slug))


def domain_names(domains: Sequence[str]) -> str:
    return ", ".join(domain_by_slug(slug).name for slug in domains if is_domain(slug))


def votes_text(votes: int) -> str:
    return "1 vote" if votes == 1 else f"{votes} votes"


def default_session_title(day: dt.date) -> str:
    return f"Workshop {day.day} {day.strftime('%B %Y')}"


class SessionDocument(QObject):
    """The open session: the store, the in-memory copy, the undo history and the models."""

    session_opened = Signal(object)  # Session | None (a new session, or none, is open)
    fields_changed = Signal()  # title, date, venue … of the open session
    groups_changed = Signal()
    ratings_changed = Signal()
    priority_changed = Signal(str)  # a priority's own fields (not its place) changed
    priorities_changed = Signal()  # any change to the list: added, removed, moved, votes, fields
    sessions_listed = Signal()  # sessions were added, deleted or opened: list them again
    summary_changed = Signal()  # the open session's title, date or count of priorities changed
    refused = Signal(str, str)  # field, plain message: an edit was refused, nothing written
    failed = Signal(str)  # an edit could not be written (the disk, a vanished session)
    # Once per operation (an edit, an undo or redo, opening, importing, deleting): what it
    # changed, as one SessionChanges. The main window hands it to every screen.
    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store: SessionStore | None = None
        self.session: Session | None = None
        self.undo_group = QUndoGroup(self)
        self._stacks: dict[str, QUndoStack] = {}  # one undo history per session, for this run
        self._depth = 0  # operations running (nested ones report with the outermost)
        self._pending: SessionChanges | None = None
        # The detailed signals above serve the editor's own models; each also marks what the
        # running operation changed. Connected first, so the marks are made before anything else.
        self.session_opened.connect(lambda _session: self._note(SessionChanges(opened=True)))
        self.fields_changed.connect(lambda: self._note(SessionChanges(fields=True)))
        self.groups_changed.connect(lambda: self._note(SessionChanges(groups=True)))
        self.ratings_changed.connect(lambda: self._note(SessionChanges(ratings=True)))
        self.priority_changed.connect(lambda _id: self._note(SessionChanges(priorities=True)))
        self.priorities_changed.connect(lambda: self._note(SessionChanges(priorities=True)))
        self.sessions_listed.connect(lambda: self._note(SessionChanges(stored_sessions=True)))
        self.summary_changed.connect(lambda: self._note(SessionChanges(stored_sessions=True)))
        self.priorities = PriorityTableModel(self)

    # Operations and what they changed --------------------------------------------------------

    @contextmanager
    def operation(self) -> Iterator[None]:
        """Run one operation: whatever it changes is reported once, by `changed`, at its end."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
            if self._depth == 0:
                self._report()

    def _note(self, changes: SessionChanges) -> None:
        self._pending = changes if self._pending is None else self._pending | changes
        if self._depth == 0:  # a change outside any operation is one by itself
            self._report()

    def _report(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            self.changed.emit(pending.with_session(self.session_id))

    # Opening and closing -----------------------------------------------------------------

    def attach_store(self, store: SessionStore) -> None:
        with self.operation():
            self.store = store
            self.sessions_listed.emit()

    def require_store(self) -> SessionStore:
        if self.store is None:
            raise RuntimeError("the session database is not open yet")
        return self.store

    @property
    def session_id(self) -> str | None:
        return self.session.id if self.session else None

    def list_sessions(self) -> list[SessionSummary]:
        return self.store.list_sessions() if self.store else []

    def open_session(self, session_id: str, remember: bool = True) -> Session:
        """Load the session and make it the open one (remembered for crash recovery)."""
        with self.operation():
            store = self.require_store()
            session = store.load_session(session_id)
            if remember:
                store.set_last_open_session(session.id)
            self._show(session)
            return session

    def create_session(self, title: str, date: dt.date, **fields: Any) -> Session:
        with self.operation():
            session = self.require_store().create_session(title, date, **fields)
            self.sessions_listed.emit()
            return self.open_session(session.id)

    def close_session(self, forget: bool = True) -> None:
        with self.operation():
            if forget and self.store is not None:
                self.store.set_last_open_session(None)
            self._show(None)

    def delete_session(self, session_id: str) -> Session:
        """Delete a stored session; what it held, so it can be put back while the app runs."""
        with self.operation():
            store = self.require_store()
            kept = store.load_session(session_id)
            store.delete_session(session_id)
            if session_id == self.session_id:
                self._show(None)
                store.set_last_open_session(None)
            self.forget_history(session_id)
            self.sessions_listed.emit()
            return kept

    def ensure_open_session(self) -> Session:
        """The open session, starting one for today if none is open."""
        if self.session is None:
            today = dt.date.today()
            self.create_session(default_session_title(today), today)
        return self.require_session()

    def add_priority_copy(self, priority: Priority) -> bool:
        """Add a copy of a priority made elsewhere (the learning tool) to the open session,
        starting a session for today if none is open. Undoable."""
        if self.store is None:
            return False
        with self.operation():
            session = self.ensure_open_session()
            fresh = dataclasses.replace(
                priority,
                id=priority.id if session.priority(priority.id) is None else new_id(),
                group=priority.group if priority.group in session.groups else None,
                domains=list(priority.domains), lessons=list(priority.lessons),
                actions=[dataclasses.replace(action) for action in priority.actions],
            )
            return self.add_priority(fresh)

    def set_open_ratings(self, ratings: Mapping[str, int]) -> bool:
        """The compass scores of the open session (starting a session for today if none is
        open; a domain left out is not rated). Undoable."""
        if self.store is None:
            return False
        with self.operation():
            self.ensure_open_session()
            return self.set_ratings(dict(ratings))

    def session_replaced(self, session_id: str, open_it: bool = False, remember: bool = True) -> None:
        """A stored session was written from outside the editor (an import): forget its undo
        history, list the sessions again, and show the new copy if it is open (or `open_it`)."""
        with self.operation():
            was_open = session_id == self.session_id
            self.forget_history(session_id)
            self.sessions_listed.emit()
            if was_open or open_it:
                self.open_session(session_id, remember=remember)

    def follow_the_store(self) -> bool:
        """Show the stored copy of the open session if something outside this window (the
        command line's `import --replace`, another copy of the app) changed it; True if so."""
        if self.session is None or self.store is None:
            return False
        try:
            stored = self.store.load_session(self.session.id)
        except SessionNotFound:
            self.reload()  # deleted meanwhile: nothing is open now
            return True
        if stored == self.session:
            return False
        self.session_replaced(stored.id)
        return True

    def forget_history(self, session_id: str) -> None:
        """Drop a session's undo history (its stored copy was replaced from outside, e.g. by an
        import, so the old steps no longer fit it)."""
        stack = self._stacks.pop(session_id, None)
        if stack is not None:
            self.undo_group.removeStack(stack)
            stack.deleteLater()

    def restore_session(self, session: Session) -> Session:
        with self.operation():
            stored = self.require_store().save_session(session)
            self.sessions_listed.emit()
            return self.open_session(stored.id)

    def reload(self) -> None:
        """Read the open session again from the store (after a failed write)."""
        with self.operation():
            if self.session is None or self.store is None:
                return
            try:
                session = self.store.load_session(self.session.id)
            except SessionNotFound:
                self._show(None)
                self.sessions_listed.emit()
                return
            self._show(session)

    def _show(self, session: Session | None) -> None:
        self.priorities.beginResetModel()
        self.session = session
        self.priorities.endResetModel()
        if session is not None and session.id not in self._stacks:
            stack = QUndoStack(self)
            self.undo_group.addStack(stack)
            self._stacks[session.id] = stack
        self.undo_group.setActiveStack(self._stacks[session.id] if session else None)
        self.session_opened.emit(session)
        self.priorities_changed.emit()
        self.sessions_listed.emit()

    @property
    def undo_stack(self) -> QUndoStack | None:
        return self.undo_group.activeStack()

    # Reading the open session ---------------------------------------------------------------

    def require_session(self) -> Session:
        if self.session is None:
            raise SessionNotFound("(no session is open)")
        return self.session

    def priorities_in_order(self) -> list[Priority]:
        return list(self.session.priorities) if self.session else []

    def priority_ids(self) -> list[str]:
        return [priority.id for priority in self.priorities_in_order()]

    def priority_count(self) -> int:
        return len(self.session.priorities) if self.session else 0

    def priority(self, priority_id: str) -> Priority | None:
        return self.session.priority(priority_id) if self.session else None

    def require_priority(self, priority_id: str) -> Priority:
        priority = self.priority(priority_id)
        if priority is None:
            raise PriorityNotFound(self.session_id or "", priority_id)
        return priority

    def index_of(self, priority_id: str) -> int:
        return self.priority_ids().index(priority_id)

    def snapshot(self) -> Session | None:
        """A copy of the open session that callers may keep or change freely."""
        return copy.deepcopy(self.session)

    # Running edits ----------------------------------------------------------------------------

    def execute(self, make_command: Callable[[], commands.SessionCommand]) -> bool:
        """Build and run one edit and put it on the undo stack; False (and `refused` or `failed`
        emitted) when it was refused or could not be written: then nothing was written."""
        with self.operation():
            if self.session is None or self.undo_stack is None:
                self.failed.emit("No session is open. Start a new session or open one first.")
                return False
            try:
                command = make_command()
                command.run_first()
            except InvalidSessionValue as error:
                problem = error.problems[0]
                self.refused.emit(problem.field, plain_message(problem.field, problem.reason))
                return False
            except (SessionNotFound, PriorityNotFound) as error:
                self.failed.emit(str(error))
                self.reload()
                return False
            except Exception as error:  # the disk, the database: say so, keep working
                log.exception("an edit could not be saved")
                self.failed.emit(f"This change could not be saved: {error}")
                self.reload()
                return False
            self.undo_stack.push(command)
            return True

    def command_failed(self, command: commands.SessionCommand, error: Exception) -> None:
        """An undo or redo could not be made; show the truth from the store and say so."""
        with self.operation():
            log.error("undo/redo of %r failed: %s", command.text(), error)
            self.failed.emit(f"Could not {command.text()}: {error}")
            stack = self.undo_stack
            if stack is not None:
                QTimer.singleShot(0, stack, stack.clear)  # its commands no longer match what is stored
            self.reload()

    # Requests (each one undoable edit) ---------------------------------------------------------

    def add_priority(self, priority: Priority, index: int | None = None) -> bool:
        return self.execute(lambda: commands.AddPriorityCommand(self, priority, index))

    def remove_priority(self, priority_id: str) -> bool:
        return self.execute(lambda: commands.RemovePriorityCommand(self, priority_id))

    def move_priority(self, priority_id: str, new_index: int) -> bool:
        old_index = self.index_of(priority_id)
        if new_index == old_index or not 0 <= new_index < self.priority_count():
            return False
        return self.execute(lambda: commands.MovePriorityCommand(self, priority_id, old_index, new_index))

    def rank_by_votes(self) -> bool:
        ranked = sorted(self.priorities_in_order(), key=lambda priority: -priority.votes)
        if [p.id for p in ranked] == self.priority_ids():
            return False
        return self.execute(lambda: commands.RankByVotesCommand(self))

    def set_votes(self, priority_id: str, votes: int) -> bool:
        if self.priority(priority_id) and self.require_priority(priority_id).votes == votes:
            return True
        return self.execute(lambda: commands.SetVotesCommand(self, priority_id, votes))

    def change_votes(self, priority_id: str, delta: int) -> bool:
        priority = self.priority(priority_id)
        if priority is None:
            return False
        votes = priority.votes + delta
        if votes < 0:
            return False  # nothing to take away: a quiet no-op, not an error
        return self.set_votes(priority_id, votes)

    def add_tally(self, counts: dict[str, int], table: str) -> bool:
        if not any(counts.values()):
            return False
        return self.execute(lambda: commands.AddTallyCommand(self, counts, table))

    def edit_priority_text(self, priority_id: str, field: str, value: str) -> bool:
        priority = self.priority(priority_id)
        if priority is not None and getattr(priority, field) == value:
            return True
        return self.execute(lambda: commands.EditPriorityTextCommand(self, priority_id, field, value))

    def set_priority_domains(self, priority_id: str, domains: Sequence[str]) -> bool:
        return self.execute(lambda: commands.SetPriorityDomainsCommand(self, priority_id, domains))

    def set_priority_group(self, priority_id: str, group: str | None) -> bool:
        priority = self.priority(priority_id)
        if priority is not None and priority.group == group:
            return True
        return self.execute(lambda: commands.SetPriorityGroupCommand(self, priority_id, group))

    def add_action(self, priority_id: str, action: Action) -> bool:
        return self.execute(lambda: commands.AddActionCommand(self, priority_id, action))

    def edit_action(self, priority_id: str, index: int, action: Action) -> bool:
        return self.execute(lambda: commands.EditActionCommand(self, priority_id, index, action))

    def remove_action(self, priority_id: str, index: int) -> bool:
        return self.execute(lambda: commands.RemoveActionCommand(self, priority_id, index))

    def link_lesson(self, priority_id: str, slug: str, title: str = "") -> bool:
        priority = self.priority(priority_id)
        if priority is not None and slug in priority.lessons:
            return True
        return self.execute(lambda: commands.LinkLessonCommand(self, priority_id, slug, title))

    def unlink_lesson(self, priority_id: str, slug: str, title: str = "") -> bool:
        priority = self.priority(priority_id)
        if priority is not None and slug not in priority.lessons:
            return True
        return self.execute(lambda: commands.UnlinkLessonCommand(self, priority_id, slug, title))

    def set_action_state(self, action_id: str, status: str | None = None,
                         progress: str | None = None) -> bool:
        """Mark an action agreed, started, done or dropped and/or note its progress: one
        undoable, durable edit."""
        found = self.action(action_id)
        if found is not None:
            action = found[1]
            same_status = status is None or status == action.status
            if same_status and (progress is None or progress.strip() == action.progress):
                return True
        return self.execute(lambda: commands.SetActionStateCommand(self, action_id, status, progress))

    def action(self, action_id: str) -> tuple[Priority, Action] | None:
        """The priority holding the action with this id, and the action."""
        session = self.session
        if session is None:
            return None
        for priority in session.priorities:
            for action in priority.actions:
                if action.id == action_id:
                    return priority, action
        return None

    def require_action(self, action_id: str) -> tuple[Priority, Action]:
        found = self.action(action_id)
        if found is None:
            raise ActionNotFound(self.session_id or "", action_id)
        return found

    def edit_session_fields(self, **fields: Any) -> bool:
        session = self.session
        if session is not None and all(getattr(session, name, object()) == value for name, value in fields.items()):
            return True
        return self.execute(lambda: commands.EditSessionFieldsCommand(self, **fields))

    def set_groups(self, groups: Sequence[str], text: str = "change the table groups") -> bool:
        return self.execute(lambda: commands.SetGroupsCommand(self, groups, text))

    def rename_group(self, old_name: str, new_name: str) -> bool:
        return self.execute(lambda: commands.RenameGroupCommand(self, old_name, new_name))

    def set_ratings(self, ratings: dict[str, int | None]) -> bool:
        session = self.session
        if session is not None and session.ratings == {k: v for k, v in ratings.items() if v is not None}:
            return True
        return self.execute(lambda: commands.SetRatingsCommand(self, ratings))

    # Applying edits: the store first, then memory and models -----------------------------------

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

    def apply_many_votes(self, votes: Mapping[str, int]) -> None:
        """Votes of one or more priorities, stored in one transaction, then shown."""
        session = self.require_session()
        self.require_store().set_many_votes(session.id, votes)
        for priority_id, count in votes.items():
            self.require_priority(priority_id).votes = count
            self.priorities.priority_updated(self.index_of(priority_id))
            self.priority_changed.emit(priority_id)
        self.priorities_changed.emit()

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

    def _list_changed(self) -> None:
        self.priorities_changed.emit()
        self.summary_changed.emit()  # the count of priorities shown in the session list


# ------------------------------------------------------------------------------------------------


class PriorityTableModel(QAbstractTableModel):
    """The open session's priorities in ranking order: title (editable), votes, domains, table;
    the rank is the vertical header (a row's place, not a property of the priority). Rows are
    dragged to reorder; a drop or moveRows() becomes one undoable move."""

    TITLE, VOTES, DOMAINS, GROUP = range(4)
    HEADERS = ("Priority", "Votes", "Domains", "Table")

    def __init__(self, document: SessionDocument) -> None:
        super().__init__(document)
        self.document = document
        self._bold: QFont | None = None

    @property
    def _rows(self) -> list[Priority]:
        session = self.document.session
        return session.priorities if session is not None else []

    def priority_at(self, row: int) -> Priority:
        return self._rows[row]

    def row_of(self, priority_id: str) -> int:
        for row, priority in enumerate(self._rows):
            if priority.id == priority_id:
                return row
        return -1

    # Reading -----------------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and 0 <= section < len(self.HEADERS) and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self._rows):
            if role == Qt.ItemDataRole.DisplayRole:
                return str(section + 1)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("Rank %d in the group's ranking (1 matters most)") % (section + 1)
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        priority = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == self.TITLE:
                # Every action done: the group sees at a glance what it achieved (contract 5.1).
                return self.tr("%s — achieved") % priority.title if priority.achieved else priority.title
            if column == self.VOTES:
                return str(priority.votes)
            if column == self.DOMAINS:
                return marks_text(priority.domains)
            if column == self.GROUP:
                return priority.group or ""
        if role == Qt.ItemDataRole.EditRole and column == self.TITLE:
            return priority.title
        if role == RICH_TEXT_ROLE and column == self.DOMAINS:
            return marks_html(priority.domains)
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == self.DOMAINS:
                return domain_names(priority.domains) or self.tr("No domain chosen yet")
            if column == self.VOTES and priority.table_votes:
                # The dots each table gave it (issue 12.8).
                return plain_tooltip(
                    " · ".join(f"{table}: {count}" for table, count in priority.table_votes.items()))
            return plain_tooltip(priority.description or priority.title)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            parts = [f"{index.row() + 1}. {priority.title}", votes_text(priority.votes)]
            if priority.achieved:
                parts.append(self.tr("achieved"))
            if priority.domains:
                parts.append(domain_names(priority.domains))
            if priority.group:
                parts.append(priority.group)
            return ", ".join(parts)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == self.VOTES:
            return self._CENTRE
        if role == Qt.ItemDataRole.FontRole and column == self.VOTES:
            if self._bold is None:
                self._bold = QFont()
                self._bold.setBold(True)
            return self._bold
        if role == Role.PRIORITY_ID:
            return priority.id
        if role == Role.VOTES:
            return priority.votes
        return None

    # Computed once: flags() and data() run for every cell painted, and enum arithmetic is slow.
    _ROW_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
    _TITLE_FLAGS = _ROW_FLAGS | Qt.ItemFlag.ItemIsEditable
    _CENTRE = int(Qt.AlignmentFlag.AlignCenter)

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # drops land between rows, never on one
        return self._TITLE_FLAGS if index.column() == self.TITLE else self._ROW_FLAGS

    # Editing (each an undoable command through the document) ---------------------------------

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != self.TITLE:
            return False
        if not isinstance(value, str):
            return False
        return self.document.edit_priority_text(self._rows[index.row()].id, "title", value)

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [PRIORITY_MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        ids = []
        for index in indexes:
            if index.isValid():
                priority_id = self._rows[index.row()].id
                if priority_id not in ids:
                    ids.append(priority_id)
        data.setData(PRIORITY_MIME_TYPE, json.dumps(ids).encode("utf-8"))
        return data

    @staticmethod
    def dragged_ids(data: QMimeData) -> list[str]:
        if not data.hasFormat(PRIORITY_MIME_TYPE):
            return []
        try:
            ids = json.loads(bytes(data.data(PRIORITY_MIME_TYPE).data()).decode("utf-8"))
        except (ValueError, UnicodeDecodeError):
            return []
        return [value for value in ids if isinstance(value, str)] if isinstance(ids, list) else []

    def canDropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                        parent: AnyIndex) -> bool:
        ids = self.dragged_ids(data)
        return action == Qt.DropAction.MoveAction and len(ids) == 1 and self.row_of(ids[0]) >= 0

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: AnyIndex) -> bool:
        if action == Qt.DropAction.IgnoreAction:
            return True
        if not self.canDropMimeData(data, action, row, column, parent):
            return False
        source = self.row_of(self.dragged_ids(data)[0])
        if row < 0:
            row = parent.row() if parent.isValid() else self.rowCount()
        return self._move_to_gap(source, row)

    def moveRows(self, sourceParent: AnyIndex, sourceRow: int, count: int,
                 destinationParent: AnyIndex, destinationChild: int) -> bool:
        if sourceParent.isValid() or destinationParent.isValid() or count != 1:
            return False
        if not 0 <= sourceRow < self.rowCount() or not 0 <= destinationChild <= self.rowCount():
            return False
        return self._move_to_gap(sourceRow, destinationChild)

    def _move_to_gap(self, source: int, gap: int) -> bool:
        """Move row `source` into the gap before row `gap` (counted before the move)."""
        new_index = gap - 1 if gap > source else gap
        if new_index == source:
            return False
        return self.document.move_priority(self._rows[source].id, new_index)

    # Changes made by the document (after the store has them) ----------------------------------

    def insert_row(self, row: int, priority: Priority) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, priority)
        self.endInsertRows()
        self._ranks_changed(row + 1)

    def remove_row(self, row: int) -> None:
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[row]
        self.endRemoveRows()
        self._ranks_changed(row)

    def move_row(self, row: int, new_row: int) -> None:
        if row == new_row:
            return
        destination = new_row + 1 if new_row > row else new_row
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._rows.insert(new_row, self._rows.pop(row))
        self.endMoveRows()
        self._ranks_changed(min(row, new_row), max(row, new_row))

    def set_order(self, ordered_ids: Sequence[str]) -> None:
        self.layoutAboutToBeChanged.emit()
        old_ids = [priority.id for priority in self._rows]
        by_id = {priority.id: priority for priority in self._rows}
        self._rows[:] = [by_id[priority_id] for priority_id in ordered_ids]
        new_row = {priority_id: row for row, priority_id in enumerate(ordered_ids)}
        for index in self.persistentIndexList():
            if index.isValid():
                moved = new_row[old_ids[index.row()]]
                self.changePersistentIndex(index, self.index(moved, index.column()))
        self.layoutChanged.emit()
        self._ranks_changed(0)

    def priority_updated(self, row: int) -> None:
        self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def _ranks_changed(self, first: int, last: int | None = None) -> None:
        last = self.rowCount() - 1 if last is None else last
        if 0 <= first <= last < self.rowCount():
            self.headerDataChanged.emit(Qt.Orientation.Vertical, first, last)


class _PriorityPartModel:
    """Shared by the models that show one part of the selected priority."""

    document: SessionDocument
    priority_id: str | None

    def current_priority(self) -> Priority | None:
        return self.document.priority(self.priority_id) if self.priority_id else None


class ActionListModel(QAbstractTableModel, _PriorityPartModel):
    """The actions of one priority: what, who, by when, each editable in place."""

    WHAT, WHO, WHEN, STATE = range(4)
    HEADERS = ("What", "Who", "By when", "State")
    NAMES = ("What needs doing", "Who", "By when", "State")  # spoken by screen readers
    FIELDS = ("what", "who", "when", "status")
    STATE_WORDS = {"agreed": "Agreed", "started": "Started", "done": "Done", "dropped": "Dropped"}

    def __init__(self, document: SessionDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.priority_id = None
        self._actions: list[Action] = []
        document.priority_changed.connect(self._on_priority_changed)
        document.session_opened.connect(lambda _session: self.set_priority(None))

    def set_priority(self, priority_id: str | None) -> None:
        self.beginResetModel()
        self.priority_id = priority_id
        priority = self.current_priority()
        self._actions = list(priority.actions) if priority else []
        self.endResetModel()

    def _on_priority_changed(self, priority_id: str) -> None:
        if priority_id == self.priority_id:
            priority = self.current_priority()
            if priority is None or priority.actions != self._actions:
                self.set_priority(priority_id)

    def action(self, row: int) -> Action:
        return self._actions[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._actions)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.HEADERS):
                return self.tr(self.HEADERS[section])
            if orientation == Qt.Orientation.Vertical:
                return section + 1
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._actions):
            return None
        action = self._actions[index.row()]
        value = getattr(action, self.FIELDS[index.column()])
        if index.column() == self.STATE:  # read-only here: the state bar under the table sets it
            value = self.tr(self.STATE_WORDS.get(action.status, action.status))
            if role == Qt.ItemDataRole.ToolTipRole and action.progress:
                return plain_tooltip(f"{value}: {action.progress}")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return value
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(value)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.NAMES[index.column()]}: {value or 'not given'}"
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.column() == self.STATE:
            return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEditable

    def setData(self, index: AnyIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not isinstance(value, str):
            return False
        if self.priority_id is None:
            return False
        action = self._actions[index.row()]
        if index.column() == self.STATE:
            return False
        field = self.FIELDS[index.column()]
        if getattr(action, field) == value:
            return True
        changed = Action(**{**vars(action), field: value})
        return self.document.edit_action(self.priority_id, index.row(), changed)


def lesson_neighbourhoods(library: ContentLibrary | None, lesson: Lesson) -> tuple[str, ...]:
    return library.neighbourhood_titles(lesson.neighbourhoods) if library else ()


NEIGHBOURHOODS_SHOWN = 3  # more than this and a row says "and N more" (the tooltip has all)


def neighbourhoods_text(neighbourhoods: Sequence[str]) -> str:
    # "; " between them: the names themselves hold commas ("Old Swan, Liverpool").
    if len(neighbourhoods) <= NEIGHBOURHOODS_SHOWN:
        return "; ".join(neighbourhoods)
    shown = "; ".join(neighbourhoods[:NEIGHBOURHOODS_SHOWN])
    return f"{shown} and {len(neighbourhoods) - NEIGHBOURHOODS_SHOWN} more"


def lesson_html(lesson: Lesson, neighbourhoods: Sequence[str]) -> str:
    if lesson.programme_wide:
        where = f"Across the whole programme ({len(neighbourhoods)} neighbourhoods)" if neighbourhoods else (
            "Across the whole programme")
    else:
        where = "From: " + html.escape(neighbourhoods_text(neighbourhoods)) if neighbourhoods else ""
    marks = marks_html(lesson.domains)
    second = " &nbsp; ".join(part for part in (marks, where) if part)
    return f"<b>{lesson.number}. {html.escape(lesson.title)}</b><br>{second}"


def lesson_tooltip(lesson: Lesson, neighbourhoods: Sequence[str]) -> str:
    where = f"\n\nFrom: {'; '.join(neighbourhoods)}" if neighbourhoods else ""
    return f"{lesson.summary}{where}"


def lesson_accessible(lesson: Lesson, neighbourhoods: Sequence[str], button: str) -> str:
    where = f" From {'; '.join(neighbourhoods)}." if neighbourhoods else ""
    return f"Lesson {lesson.number}: {lesson.title}.{where} {button}"


class LessonLinkModel(QAbstractListModel, _PriorityPartModel):
    """The lessons linked by hand to one priority, in the order they were linked."""

    def __init__(self, document: SessionDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.library: ContentLibrary | None = None
        self.priority_id = None
        self._slugs: list[str] = []
        document.priority_changed.connect(self._on_priority_changed)
        document.session_opened.connect(lambda _session: self.set_priority(None))

    def set_library(self, library: ContentLibrary) -> None:
        self.beginResetModel()
        self.library = library
        self.endResetModel()

    def set_priority(self, priority_id: str | None) -> None:
        self.beginResetModel()
        self.priority_id = priority_id
        priority = self.current_priority()
        self._slugs = list(priority.lessons) if priority else []
        self.endResetModel()

    def _on_priority_changed(self, priority_id: str) -> None:
        if priority_id == self.priority_id:
            priority = self.current_priority()
            if priority is None or priority.lessons != self._slugs:
                self.set_priority(priority_id)

    def slug(self, row: int) -> str:
        return self._slugs[row]

    def lesson(self, row: int) -> Lesson | None:
        return self.library.lesson(self._slugs[row]) if self.library else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._slugs)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._slugs):
            return None
        slug = self._slugs[index.row()]
        lesson = self.lesson(index.row())
        neighbourhoods = lesson_neighbourhoods(self.library, lesson) if lesson else ()
        if role == Qt.ItemDataRole.DisplayRole:
            if lesson is None:
                return self.tr("Lesson “%s” (not in this version of the library)") % slug
            return f"{lesson.number}. {lesson.title}"
        if role == RICH_TEXT_ROLE:
            if lesson is None:
                return html.escape(self.tr("Lesson “%s” (not in this version of the library)") % slug)
            return lesson_html(lesson, neighbourhoods)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(lesson_tooltip(lesson, neighbourhoods) if lesson else slug)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            if lesson is None:
                return f"Unknown lesson {slug}. Press Delete to remove the link."
            return lesson_accessible(lesson, neighbourhoods, "Press Enter to read it, Delete to remove the link.")
        if role == Role.SLUG:
            return slug
        if role == Role.LINK:
            return make_link("lesson", slug)
        if role == Role.BUTTON_TEXT:
            return self.tr("Remove")
        if role == Role.BUTTON_ENABLED:
            return True
        return None


class SuggestionModel(QAbstractListModel):
    """The lessons that fit a priority's words and domains, best first, each with where it
    comes from; the row's button links it with one click."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._suggestions: list[Suggestion] = []
        self.button_text = "Link"

    def set_suggestions(self, suggestions: Sequence[Suggestion]) -> None:
        if [s.lesson.slug for s in suggestions] == [s.lesson.slug for s in self._suggestions]:
            self._suggestions = list(suggestions)
            return  # the same lessons in the same order: keep the view (and its focus) still
        self.beginResetModel()
        self._suggestions = list(suggestions)
        self.endResetModel()

    def suggestion(self, row: int) -> Suggestion:
        return self._suggestions[row]

    def slugs(self) -> list[str]:
        return [s.lesson.slug for s in self._suggestions]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._suggestions)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._suggestions):
            return None
        suggestion = self._suggestions[index.row()]
        lesson = suggestion.lesson
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{lesson.number}. {lesson.title}"
        if role == RICH_TEXT_ROLE:
            return lesson_html(lesson, suggestion.neighbourhoods)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(lesson_tooltip(lesson, suggestion.neighbourhoods))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return lesson_accessible(lesson, suggestion.neighbourhoods, "Press Enter to link it to this priority.")
        if role == Role.SLUG:
            return lesson.slug
        if role == Role.LINK:
            return make_link("lesson", lesson.slug)
        if role == Role.BUTTON_TEXT:
            return self.tr(self.button_text)
        if role == Role.BUTTON_ENABLED:
            return True
        return None


class LessonPickerModel(QAbstractListModel):
    """Every lesson in the library, for linking one by hand; those already linked say so."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library: ContentLibrary | None = None
        self._lessons: list[Lesson] = []
        self._neighbourhoods: list[tuple[str, ...]] = []
        self._search_text: list[str] = []
        self._linked: frozenset[str] = frozenset()

    def set_library(self, library: ContentLibrary) -> None:
        self.beginResetModel()
        self.library = library
        self._lessons = sorted(library.lessons, key=lambda lesson: lesson.number)
        self._neighbourhoods = [lesson_neighbourhoods(library, lesson) for lesson in self._lessons]
        self._search_text = [
            fold(" ".join((str(lesson.number), lesson.title, " ".join(lesson.keywords), " ".join(where))))
            for lesson, where in zip(self._lessons, self._neighbourhoods, strict=True)
        ]
        self.endResetModel()

    def set_linked(self, slugs: Sequence[str]) -> None:
        linked = frozenset(slugs)
        if linked != self._linked:
            self._linked = linked
            if self._lessons:
                self.dataChanged.emit(self.index(0), self.index(len(self._lessons) - 1))

    def lesson(self, row: int) -> Lesson:
        return self._lessons[row]

    def search_text(self, row: int) -> str:
        return self._search_text[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._lessons)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._lessons):
            return None
        lesson = self._lessons[index.row()]
        neighbourhoods = self._neighbourhoods[index.row()]
        linked = lesson.slug in self._linked
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{lesson.number}. {lesson.title}"
        if role == RICH_TEXT_ROLE:
            return lesson_html(lesson, neighbourhoods)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(lesson_tooltip(lesson, neighbourhoods))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            action = "Already linked." if linked else "Press Enter to link it to this priority."
            return lesson_accessible(lesson, neighbourhoods, action)
        if role == Role.SLUG:
            return lesson.slug
        if role == Role.LINK:
            return make_link("lesson", lesson.slug)
        if role == Role.BUTTON_TEXT:
            return self.tr("Linked ✓") if linked else self.tr("Link")
        if role == Role.BUTTON_ENABLED:
            return not linked
        return None


class LessonFilterProxy(QSortFilterProxyModel):
    """Lessons whose number, title, keywords or neighbourhoods hold every typed word."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._words: tuple[str, ...] = ()

    def set_filter_text(self, text: str) -> None:
        words = tuple(fold(text).split())
        if words == self._words:
            return
        if hasattr(self, "beginFilterChange"):  # Qt ≥ 6.9
            self.beginFilterChange()
            self._words = words
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self._words = words
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if not self._words:
            return True
        model = self.sourceModel()
        if not isinstance(model, LessonPickerModel):
            return True
        text = model.search_text(source_row)
        return all(word in text for word in self._words)


class SessionListModel(QAbstractListModel):
    """The stored sessions, newest first, for the session chooser."""

    def __init__(self, document: SessionDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._sessions: list[SessionSummary] = []

    def refresh(self) -> None:
        sessions = self.document.list_sessions()
        if sessions == self._sessions:
            return
        self.beginResetModel()
        self._sessions = sessions
        self.endResetModel()

    def patch_open_session(self) -> None:
        """Show the open session's new title or count without reading every session again (a
        new date may change the order, so that does read them all)."""
        session = self.document.session
        row = self.row_of(session.id) if session else -1
        if session is None or row < 0 or self._sessions[row].date != session.date:
            self.refresh()
            return
        self._sessions[row] = dataclasses.replace(
            self._sessions[row], title=session.title, priorities=len(session.priorities))
        self.dataChanged.emit(self.index(row), self.index(row))

    def summary(self, row: int) -> SessionSummary:
        return self._sessions[row]

    def row_of(self, session_id: str | None) -> int:
        for row, summary in enumerate(self._sessions):
            if summary.id == session_id:
                return row
        return -1

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._sessions)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._sessions):
            return None
        summary = self._sessions[index.row()]
        count = "1 priority" if summary.priorities == 1 else f"{summary.priorities} priorities"
        day = f"{summary.date.day} {summary.date.strftime('%b %Y')}"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{summary.title} — {day} ({count})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(f"{summary.title}\n{summary.date.isoformat()} · {count}")
        if role == Role.SESSION_ID:
            return summary.id
        return None
