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
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import (
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QUndoGroup, QUndoStack

from nrp_desktop.domain.session import (
    Action,
    Priority,
    Session,
    SessionSummary,
    new_id,
)
from nrp_desktop.services.changes import SessionChanges
from nrp_desktop.services.sessions import (
    ActionNotFound,
    InvalidSessionValue,
    PriorityNotFound,
    SessionNotFound,
    SessionStore,
)
from nrp_desktop.ui.document import commands
from nrp_desktop.ui.document.priority_models import PriorityTableModel
from nrp_desktop.ui.document.store_writer import StoreWriter
from nrp_desktop.ui.document.store_writes import StoreWrites
from nrp_desktop.ui.document.texts import default_session_title, plain_message

log = logging.getLogger(__name__)


class SessionDocument(StoreWrites, QObject):
    """The open session: the store, the in-memory copy, the undo history and the models."""

    session_opened = Signal(object)  # Session | None (a new session, or none, is open)
    fields_changed = Signal()  # title, date, venue … of the open session
    groups_changed = Signal()
    ratings_changed = Signal()
    priority_changed = Signal(str)  # a priority's own fields (not its place, not its votes) changed
    priorities_changed = Signal()  # any change to the list: added, removed, moved, votes, fields
    sessions_listed = Signal()  # sessions were added, deleted or opened: list them again
    summary_changed = Signal()  # the open session's title, date or count of priorities changed
    refused = Signal(str, str)  # field, plain message: an edit was refused, nothing written
    failed = Signal(str)  # an edit could not be written (the disk, a vanished session)
    _write_behind_failed = Signal(object)  # from the store writer's thread: the exception
    # Once per operation (an edit, an undo or redo, opening, importing, deleting): what it
    # changed, as one SessionChanges. The main window hands it to every screen.
    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store: SessionStore | None = None
        # Phone votes are written behind the GUI thread (store_writer.py); every other use of
        # the store waits for those writes first, through the `store` property.
        self.writer = StoreWriter(on_failure=self._write_behind_failed.emit)
        self._write_behind_failed.connect(self._handle_write_behind_failure, Qt.ConnectionType.QueuedConnection)
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

    @property
    def store(self) -> SessionStore | None:
        """The session store, once every write still queued behind the GUI thread is made (so a
        read sees them, and a write comes after them)."""
        self.writer.wait_idle()
        return self._store

    @store.setter
    def store(self, store: SessionStore | None) -> None:
        self.writer.wait_idle()
        self._store = store

    def wait_for_writes(self) -> None:
        """Return once every write-behind write is made (before the store closes)."""
        self.writer.wait_idle()

    @Slot(object)
    def _handle_write_behind_failure(self, error: BaseException) -> None:
        """A write made behind the GUI thread failed: what the window shows no longer matches
        what is stored. Say so (as for any edit that could not be saved), show the stored truth,
        and drop the undo history, whose steps were built on what was not stored."""
        from nrp_desktop.ui.failures import failure_line

        with self.operation():
            self.writer.wait_idle()  # the writes queued after it are refused, not made
            self.failed.emit(f"This change could not be saved: {failure_line(error, 'saving the change')}")
            stack = self.undo_stack
            if stack is not None:
                stack.clear()
            self.writer.recover()
            self.reload()

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

    def create_session(self, title: str, date: dt.date, warm_up: bool = False, **fields: Any) -> Session:
        """A new session, opened. Warm-up work made before any session was named (compass
        scores, a priority from the tool: `ensure_open_session`) went into a session started
        by itself; the session the facilitator names first is that one, named, so nothing done
        in the warm-up is left behind. `warm_up`: this is such a session started by itself."""
        with self.operation():
            store = self.require_store()
            earlier = self.warm_up_session()
            if earlier is not None:
                store.update_session_fields(earlier.id, title=title, date=date, **fields)
                session_id = earlier.id
            else:
                session_id = store.create_session(title, date, **fields).id
            store.set_warm_up_session(session_id if warm_up else None)
            self.sessions_listed.emit()
            return self.open_session(session_id)

    def warm_up_session(self) -> Session | None:
        """The session started by itself for warm-up work, while nobody has named it yet (a
        title typed in its details makes it the facilitator's own)."""
        store = self.store
        session_id = store.warm_up_session_id() if store is not None else None
        if store is None or session_id is None:
            return None
        session = store.load_session(session_id)
        if session.title != default_session_title(session.date):
            store.set_warm_up_session(None)
            return None
        return session

    def has_warm_up_work(self, session: Session | None) -> bool:
        return session is not None and bool(session.ratings or session.priorities)

    def move_warm_up_into(self, target_id: str) -> bool:
        """Move the warm-up session's compass scores (they replace the target's for those domains)
        and priorities into the stored session `target_id`, and delete the warm-up session.
        True when something moved."""
        with self.operation():
            store = self.require_store()
            earlier = self.warm_up_session()
            if earlier is None or earlier.id == target_id:
                return False
            target = store.load_session(target_id)
            ratings = {**target.ratings, **earlier.ratings}  # tonight's scores, just made
            taken = {priority.id for priority in target.priorities}
            moved = [dataclasses.replace(priority, id=priority.id if priority.id not in taken else new_id(),
                                         group=priority.group if priority.group in target.groups else None)
                     for priority in earlier.priorities]
            store.save_session(dataclasses.replace(target, ratings=ratings,
                                                   priorities=[*target.priorities, *moved]))
            if store.tool_choices(target_id) is None:  # the tool's choices go along too
                store.set_tool_choices(target_id, store.tool_choices(earlier.id))
            store.delete_session(earlier.id)
            store.set_warm_up_session(None)
            self.forget_history(earlier.id)
            if self.session_id == earlier.id:
                self._show(None)
            self.forget_history(target_id)  # its stored copy changed outside the undo history
            self.sessions_listed.emit()
            return True

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
            self.create_session(default_session_title(today), today, warm_up=True)
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
        self.undo_group.setActiveStack(self._stacks[session.id] if session else None)  # type: ignore[arg-type]  # None: no stack active (Qt allows it)
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
            except Exception as error:  # the disk, the database: say so (and log it), keep working
                from nrp_desktop.ui.failures import failure_line

                self.failed.emit(f"This change could not be saved: {failure_line(error, 'saving the change')}")
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

    def _list_changed(self) -> None:
        self.priorities_changed.emit()
        self.summary_changed.emit()  # the count of priorities shown in the session list


# ------------------------------------------------------------------------------------------------


