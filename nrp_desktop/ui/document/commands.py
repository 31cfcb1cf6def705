"""Every edit of the session editor as a QUndoCommand, so Ctrl+Z undoes any of them.

A command is first run by `SessionDocument.execute()` (`run_first`), which lets a refusal
(`InvalidSessionValue`) reach the caller before anything is pushed; `QUndoStack.push()` then calls
`redo()`, which skips that first time. Later undo/redo calls go through `_guard`, which reports a
failure (a deleted session, an unwritable disk) instead of letting an exception escape into Qt.

Commands change the session only through the document's `apply_*` methods, which write through the
`SessionStore` (one durable transaction each) and update the models. Under a linear undo stack the
state at undo time is always the state the command left, so each command keeps just what it needs
to put things back.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QUndoCommand

from nrp_desktop.domain.followup import ActionState
from nrp_desktop.domain.session import Action, Priority, check_votes
from nrp_desktop.services.sessions import FieldProblem, InvalidSessionValue, replace_fields

if TYPE_CHECKING:
    from nrp_desktop.ui.document.document import SessionDocument

# Ids for QUndoCommand.id(): consecutive edits of the same text field merge into one undo step.
PRIORITY_TEXT_MERGE_ID = 1001
SESSION_FIELD_MERGE_ID = 1002
ACTION_STATE_MERGE_ID = 1003

PRIORITY_TEXT_FIELDS = ("title", "description", "notes")
FIELD_WORDS = {"title": "title", "description": "description", "notes": "notes"}


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SessionCommand(QUndoCommand):
    """One undoable edit of the open session."""

    def __init__(self, document: SessionDocument, text: str) -> None:
        super().__init__(text)
        self.document = document
        self._skip_next_redo = False

    # Subclasses say how to make the edit and how to take it back.
    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def run_first(self) -> None:
        """Make the edit now (raising if it is refused); the push that follows will not repeat it."""
        self.apply()
        self._skip_next_redo = True

    def redo(self) -> None:
        if self._skip_next_redo:
            self._skip_next_redo = False
            return
        self._guard(self.apply)

    def undo(self) -> None:
        self._guard(self.revert)

    def _guard(self, step: Callable[[], None]) -> None:
        with self.document.operation():  # an undo or redo is one operation, reported once
            try:
                step()
            except Exception as error:  # an exception must not escape into Qt's event loop
                self.document.command_failed(self, error)


# Priorities: the list ------------------------------------------------------------------------


class AddPriorityCommand(SessionCommand):
    def __init__(self, document: SessionDocument, priority: Priority, index: int | None = None) -> None:
        super().__init__(document, f"add “{_short(priority.title)}”")
        self.priority = priority
        self.index = index

    def apply(self) -> None:
        if self.index is None:
            self.index = self.document.priority_count()
        self.priority = self.document.apply_insert_priority(self.priority, self.index)

    def revert(self) -> None:
        self.document.apply_remove_priority(self.priority.id)


class RemovePriorityCommand(SessionCommand):
    """Deletes a priority; undo puts it back at its place with its actions and lessons."""

    def __init__(self, document: SessionDocument, priority_id: str) -> None:
        priority = document.priority(priority_id)
        super().__init__(document, f"delete “{_short(priority.title if priority else '')}”")
        self.priority_id = priority_id
        self.removed: Priority | None = None
        self.index = 0

    def apply(self) -> None:
        self.removed, self.index = self.document.apply_remove_priority(self.priority_id)

    def revert(self) -> None:
        assert self.removed is not None
        self.document.apply_insert_priority(self.removed, self.index)


class MovePriorityCommand(SessionCommand):
    def __init__(self, document: SessionDocument, priority_id: str, from_index: int, to_index: int) -> None:
        priority = document.priority(priority_id)
        super().__init__(
            document, f"move “{_short(priority.title if priority else '')}” to {to_index + 1}"
        )
        self.priority_id = priority_id
        self.from_index = from_index
        self.to_index = to_index

    def apply(self) -> None:
        self.document.apply_move_priority(self.priority_id, self.to_index)

    def revert(self) -> None:
        self.document.apply_move_priority(self.priority_id, self.from_index)


class ReorderPrioritiesCommand(SessionCommand):
    def __init__(
        self, document: SessionDocument, new_order: Sequence[str], text: str = "reorder the priorities"
    ) -> None:
        super().__init__(document, text)
        self.old_order = document.priority_ids()
        self.new_order = list(new_order)

    def apply(self) -> None:
        self.document.apply_order(self.new_order)

    def revert(self) -> None:
        self.document.apply_order(self.old_order)


class RankByVotesCommand(ReorderPrioritiesCommand):
    """Most votes first; priorities with equal votes keep their present order."""

    def __init__(self, document: SessionDocument) -> None:
        ranked = sorted(document.priorities_in_order(), key=lambda priority: -priority.votes)
        super().__init__(document, [priority.id for priority in ranked], "rank by votes")


# Votes -----------------------------------------------------------------------------------------


class SetVotesCommand(SessionCommand):
    def __init__(self, document: SessionDocument, priority_id: str, votes: int) -> None:
        priority = document.require_priority(priority_id)
        super().__init__(document, f"votes for “{_short(priority.title)}”: {votes}")
        self.priority_id = priority_id
        self.old_votes = priority.votes
        self.new_votes = votes

    def apply(self) -> None:
        self.document.apply_votes(self.priority_id, self.new_votes)

    def revert(self) -> None:
        self.document.apply_votes(self.priority_id, self.old_votes)


class AddTallyCommand(SessionCommand):
    """Dots counted at one table, added to each priority's votes in one undoable step."""

    def __init__(self, document: SessionDocument, counts: Mapping[str, int], table: str) -> None:
        dots = sum(counts.values())
        super().__init__(document, f"add {dots} dots from {table}")
        self.table = table
        self.old_votes: dict[str, int] = {}
        self.new_votes: dict[str, int] = {}
        problems: list[FieldProblem] = []
        for priority_id, count in counts.items():
            if count == 0:
                continue
            priority = document.require_priority(priority_id)
            reason = check_votes(count) or check_votes(priority.votes + count)
            if reason:
                problems.append(FieldProblem("priority.votes", f"{reason} (for “{_short(priority.title)}”)"))
            self.old_votes[priority_id] = priority.votes
            self.new_votes[priority_id] = priority.votes + count
        if problems:
            raise InvalidSessionValue(problems)

        # Each table's own count is kept beside the total (issue 12.8).
        self.counts = {pid: new - self.old_votes[pid] for pid, new in self.new_votes.items()}

    def apply(self) -> None:
        self.document.apply_table_dots(self.table, self.counts)

    def revert(self) -> None:
        self.document.apply_table_dots(self.table, {pid: -count for pid, count in self.counts.items()})


# One priority's own fields ----------------------------------------------------------------------


class _PriorityChangeCommand(SessionCommand):
    """Changes some fields of one priority (read fresh from the document, so nothing else moves)."""

    def __init__(self, document: SessionDocument, priority_id: str, text: str) -> None:
        super().__init__(document, text)
        self.priority_id = priority_id

    def _change(self, **changes: Any) -> Priority:
        current = self.document.require_priority(self.priority_id)
        return self.document.apply_priority(replace_fields(current, **changes))


class EditPriorityTextCommand(_PriorityChangeCommand):
    """The title, description or notes; typing runs in one field merge into one undo step."""

    def __init__(self, document: SessionDocument, priority_id: str, field: str, value: str) -> None:
        if field not in PRIORITY_TEXT_FIELDS:
            raise ValueError(f"not a priority text field: {field}")
        priority = document.require_priority(priority_id)
        super().__init__(document, priority_id, f"edit the {FIELD_WORDS[field]} of “{_short(priority.title)}”")
        self.field = field
        self.old_value: str = getattr(priority, field)
        self.new_value = value

    def apply(self) -> None:
        stored = self._change(**{self.field: self.new_value})
        self.new_value = getattr(stored, self.field)

    def revert(self) -> None:
        self._change(**{self.field: self.old_value})

    def id(self) -> int:
        return PRIORITY_TEXT_MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (
            isinstance(other, EditPriorityTextCommand)
            and other.priority_id == self.priority_id
            and other.field == self.field
        ):
            return False
        self.new_value = other.new_value
        if self.new_value == self.old_value:
            self.setObsolete(True)  # typed and then typed back: nothing to undo
        return True


class SetPriorityDomainsCommand(_PriorityChangeCommand):
    def __init__(self, document: SessionDocument, priority_id: str, domains: Sequence[str]) -> None:
        priority = document.require_priority(priority_id)
        super().__init__(document, priority_id, f"change the domains of “{_short(priority.title)}”")
        self.old_domains = list(priority.domains)
        self.new_domains = list(domains)

    def apply(self) -> None:
        self._change(domains=list(self.new_domains))

    def revert(self) -> None:
        self._change(domains=list(self.old_domains))


class SetPriorityGroupCommand(_PriorityChangeCommand):
    def __init__(self, document: SessionDocument, priority_id: str, group: str | None) -> None:
        priority = document.require_priority(priority_id)
        super().__init__(document, priority_id, f"set the table of “{_short(priority.title)}”")
        self.old_group = priority.group
        self.new_group = group

    def apply(self) -> None:
        self._change(group=self.new_group)

    def revert(self) -> None:
        self._change(group=self.old_group)


class AddActionCommand(_PriorityChangeCommand):
    def __init__(self, document: SessionDocument, priority_id: str, action: Action) -> None:
        super().__init__(document, priority_id, f"add the action “{_short(action.what)}”")
        self.action = action
        self.index = len(document.require_priority(priority_id).actions)

    def apply(self) -> None:
        actions = list(self.document.require_priority(self.priority_id).actions)
        actions.insert(self.index, dataclasses.replace(self.action))
        self._change(actions=actions)

    def revert(self) -> None:
        actions = list(self.document.require_priority(self.priority_id).actions)
        del actions[self.index]
        self._change(actions=actions)


class EditActionCommand(_PriorityChangeCommand):
    def __init__(self, document: SessionDocument, priority_id: str, index: int, action: Action) -> None:
        priority = document.require_priority(priority_id)
        super().__init__(document, priority_id, f"edit the action “{_short(action.what)}”")
        self.index = index
        self.old_action = dataclasses.replace(priority.actions[index])
        self.new_action = dataclasses.replace(action)

    def _put(self, action: Action) -> None:
        actions = list(self.document.require_priority(self.priority_id).actions)
        actions[self.index] = dataclasses.replace(action)
        self._change(actions=actions)

    def apply(self) -> None:
        self._put(self.new_action)

    def revert(self) -> None:
        self._put(self.old_action)


class RemoveActionCommand(_PriorityChangeCommand):
    def __init__(self, document: SessionDocument, priority_id: str, index: int) -> None:
        priority = document.require_priority(priority_id)
        self.removed = dataclasses.replace(priority.actions[index])
        super().__init__(document, priority_id, f"remove the action “{_short(self.removed.what)}”")
        self.index = index

    def apply(self) -> None:
        actions = list(self.document.require_priority(self.priority_id).actions)
        del actions[self.index]
        self._change(actions=actions)

    def revert(self) -> None:
        actions = list(self.document.require_priority(self.priority_id).actions)
        actions.insert(self.index, dataclasses.replace(self.removed))
        self._change(actions=actions)


class LinkLessonCommand(_PriorityChangeCommand):
    def __init__(self, document: SessionDocument, priority_id: str, slug: str, lesson_title: str = "") -> None:
        super().__init__(document, priority_id, f"link the lesson “{_short(lesson_title or slug)}”")
        self.slug = slug

    def apply(self) -> None:
        lessons = list(self.document.require_priority(self.priority_id).lessons)
        if self.slug not in lessons:
            lessons.append(self.slug)
        self._change(lessons=lessons)

    def revert(self) -> None:
        lessons = [s for s in self.document.require_priority(self.priority_id).lessons if s != self.slug]
        self._change(lessons=lessons)


class UnlinkLessonCommand(_PriorityChangeCommand):
    def __init__(self, document: SessionDocument, priority_id: str, slug: str, lesson_title: str = "") -> None:
        super().__init__(document, priority_id, f"remove the lesson “{_short(lesson_title or slug)}”")
        self.slug = slug
        lessons = document.require_priority(priority_id).lessons
        self.index = lessons.index(slug) if slug in lessons else len(lessons)

    def apply(self) -> None:
        lessons = [s for s in self.document.require_priority(self.priority_id).lessons if s != self.slug]
        self._change(lessons=lessons)

    def revert(self) -> None:
        lessons = list(self.document.require_priority(self.priority_id).lessons)
        lessons.insert(min(self.index, len(lessons)), self.slug)
        self._change(lessons=lessons)


# The session ------------------------------------------------------------------------------------


SESSION_FIELD_WORDS = {
    "title": "title", "date": "date", "venue": "venue", "neighbourhood": "neighbourhood",
    "facilitator": "facilitator", "participants": "head count", "language": "language",
    "notes": "session notes",
}


class EditSessionFieldsCommand(SessionCommand):
    """Title, date, venue, neighbourhood, facilitator, head count, language or notes."""

    def __init__(self, document: SessionDocument, **fields: Any) -> None:
        session = document.require_session()
        names = ", ".join(SESSION_FIELD_WORDS.get(name, name) for name in fields)
        super().__init__(document, f"edit the session {names}")
        self.old_fields = {name: getattr(session, name) for name in fields}
        self.new_fields = dict(fields)

    def apply(self) -> None:
        self.document.apply_session_fields(**self.new_fields)
        session = self.document.require_session()
        self.new_fields = {name: getattr(session, name) for name in self.new_fields}

    def revert(self) -> None:
        self.document.apply_session_fields(**self.old_fields)

    def id(self) -> int:
        return SESSION_FIELD_MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, EditSessionFieldsCommand) or set(other.new_fields) != set(self.new_fields):
            return False
        self.new_fields = dict(other.new_fields)
        if self.new_fields == self.old_fields:
            self.setObsolete(True)
        return True


class SetGroupsCommand(SessionCommand):
    """The table groups; undo also gives back the group of priorities that lost theirs."""

    def __init__(self, document: SessionDocument, groups: Sequence[str], text: str = "change the table groups") -> None:
        super().__init__(document, text)
        self.old_groups = list(document.require_session().groups)
        self.new_groups = list(groups)
        self.cleared: dict[str, str] = {}

    def apply(self) -> None:
        self.cleared = self.document.apply_groups(self.new_groups)

    def revert(self) -> None:
        self.document.apply_groups(self.old_groups)
        for priority_id, group in self.cleared.items():
            current = self.document.require_priority(priority_id)
            self.document.apply_priority(replace_fields(current, group=group))


class RenameGroupCommand(SessionCommand):
    """Renames a table group and moves its priorities to the new name."""

    def __init__(self, document: SessionDocument, old_name: str, new_name: str) -> None:
        super().__init__(document, f"rename the table “{_short(old_name)}” to “{_short(new_name)}”")
        self.old_name = old_name
        self.new_name = new_name.strip()

    def _rename(self, before: str, after: str) -> None:
        groups = list(self.document.require_session().groups)
        position = groups.index(before)
        # Both names are listed while priorities move over, so none ever loses its group.
        self.document.apply_groups([*groups[: position + 1], after, *groups[position + 1 :]])
        for priority in self.document.priorities_in_order():
            if priority.group == before:
                self.document.apply_priority(replace_fields(priority, group=after))
        self.document.apply_groups([after if name == before else name for name in groups])

    def apply(self) -> None:
        groups = self.document.require_session().groups
        if self.new_name in groups:
            raise InvalidSessionValue([FieldProblem("session.groups", f"{self.new_name!r} is already a table")])
        self._rename(self.old_name, self.new_name)

    def revert(self) -> None:
        self._rename(self.new_name, self.old_name)


class SetRatingsCommand(SessionCommand):
    """The compass: the group's score per domain (a domain left out is not rated)."""

    def __init__(self, document: SessionDocument, ratings: Mapping[str, int | None]) -> None:
        super().__init__(document, "change the compass ratings")
        self.old_ratings = dict(document.require_session().ratings)
        self.new_ratings = {slug: value for slug, value in ratings.items() if value is not None}

    def apply(self) -> None:
        self.document.apply_ratings(dict(self.new_ratings))

    def revert(self) -> None:
        self.document.apply_ratings(dict(self.old_ratings))


# The state of an action (contract.md §5.1) ---------------------------------------------------------


STATUS_WORDS = {"agreed": "agreed", "started": "started", "done": "done", "dropped": "dropped"}


class SetActionStateCommand(SessionCommand):
    """An action's status and progress note, as the group marks it; undo puts back the state it
    had, its date included. Consecutive edits of one action's note merge into one step."""

    def __init__(self, document: SessionDocument, action_id: str, status: str | None,
                 progress: str | None) -> None:
        _priority, action = document.require_action(action_id)
        words = STATUS_WORDS.get(status or "", "")
        text = (f"mark “{_short(action.what)}” {words}" if status is not None and status != action.status
                else f"note progress on “{_short(action.what)}”")
        super().__init__(document, text)
        self.action_id = action_id
        self.status = status
        self.progress = progress
        self.old_state: ActionState = ActionState.of(action)
        self.new_state: ActionState | None = None

    def apply(self) -> None:
        if self.new_state is None:  # the first time: the store dates the change
            self.document.apply_action_state(self.action_id, self.status, self.progress)
            _priority, action = self.document.require_action(self.action_id)
            self.new_state = ActionState.of(action)
        else:
            self.document.restore_action_state(self.action_id, self.new_state)

    def revert(self) -> None:
        self.document.restore_action_state(self.action_id, self.old_state)

    def id(self) -> int:
        return ACTION_STATE_MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not (isinstance(other, SetActionStateCommand) and other.action_id == self.action_id
                and other.status is None and self.status is None):
            return False
        self.new_state = other.new_state
        return True
