"""Workshop sessions: the use cases behind the session list and the editor (no Qt).

`SessionStore` opens the user database and offers one method per edit. Each method checks its
input with the domain rules first and refuses bad values with `InvalidSessionValue` (naming the
field, e.g. "priority.votes: must be a whole number, 0 or more") before anything is written;
then it makes the edit in one short durable transaction. When a method returns, the edit is on
disk; there is no save step to forget.

Text is kept exactly as typed, in any script, trimmed of outer spaces.

Opening may raise the storage layer's `DatabaseTooNew` or `DatabaseDamaged` (re-exported here);
`DatabaseDamaged.backups` lists what `restore_backup` can put back.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from nrp_desktop import paths
from nrp_desktop.domain.followup import ActionState, SessionLink
from nrp_desktop.domain.session import (
    ACTION_PROGRESS_MAX,
    GROUP_NAME_MAX,
    PRIORITIES_MAX,
    Priority,
    Session,
    SessionSummary,
    check_status,
    check_votes,
    normal_id,
)
from nrp_desktop.services.session_checks import (
    Checker,
    FieldProblem,
    InvalidSessionValue,
    check_priority,
    check_session,
    check_single,
)
from nrp_desktop.storage import user_db, user_db_rows
from nrp_desktop.storage.user_db import (
    Backup,
    DatabaseDamaged,
    DatabaseTooNew,
    ForeignDatabase,
    UserDatabaseError,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "ActionNotFound",
    "ActionState",
    "Backup",
    "DatabaseDamaged",
    "DatabaseTooNew",
    "FieldProblem",
    "ForeignDatabase",
    "InvalidSessionValue",
    "PriorityNotFound",
    "SessionNotFound",
    "SessionStore",
    "UserDatabaseError",
    "check_session",
    "list_backups",
    "restore_backup",
]

Clock = Callable[[], dt.datetime]


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


class SessionNotFound(LookupError):
    def __init__(self, session_id: str) -> None:
        self.session_id = session_id
        super().__init__(f"There is no stored session with id {session_id!r} (it may have been deleted).")


class ActionNotFound(LookupError):
    def __init__(self, session_id: str, action_id: str) -> None:
        self.session_id = session_id
        self.action_id = action_id
        super().__init__(f"The session {session_id!r} has no action with id {action_id!r}.")


class PriorityNotFound(LookupError):
    def __init__(self, session_id: str, priority_id: str) -> None:
        self.session_id = session_id
        self.priority_id = priority_id
        super().__init__(f"The session {session_id!r} has no priority with id {priority_id!r}.")


_Method = TypeVar("_Method", bound=Callable[..., Any])


def _by_normal_id(method: _Method) -> _Method:
    """Ids are case-insensitive: the session id a method is given is looked up in lower case,
    the spelling every stored id has."""

    @functools.wraps(method)
    def with_normal_id(self: Any, session_id: Any, *args: Any, **kwargs: Any) -> Any:
        return method(self, normal_id(session_id) if isinstance(session_id, str) else session_id,
                      *args, **kwargs)

    return cast(_Method, with_normal_id)


# ---------------------------------------------------------------------------------------------


class SessionStore:
    """The facilitator's stored sessions. Not tied to a thread: each call is its own transaction.

    `path` defaults to paths.user_db_path(), `backups_dir` to paths.backups_dir(); `clock`
    (returning an aware datetime) is for tests: it dates the edits and the daily backups.
    `read_only` opens for reading only (no backup, no upgrade), so a listing works on a full disk.
    """

    def __init__(
        self,
        path: Path | None = None,
        *,
        backups_dir: Path | None = None,
        clock: Clock | None = None,
        upgrades: Sequence[user_db.Upgrade] = user_db.UPGRADES,
        read_only: bool = False,
    ) -> None:
        self._clock: Clock = clock or local_now
        self.path = Path(path) if path is not None else paths.user_db_path()
        self.backups_dir = Path(backups_dir) if backups_dir is not None else paths.backups_dir()
        self._db = user_db.UserDatabase(
            self.path, self.backups_dir, self._clock().date(), upgrades=upgrades,
            read_only=read_only,
        )

    @property
    def backup_warning(self) -> str | None:
        """Why today's backup could not be taken (the store still works), or None."""
        return self._db.backup_warning

    def back_up_if_due(self) -> Path | None:
        """Take today's backup if there is none yet (for an app left open past midnight); the
        backup written, or None. Opening the store already does this."""
        return self._db.take_daily_backup(self._clock().date())

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> SessionStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def _edit(self, session_id: str) -> Iterator[Connection]:
        """A write transaction on an existing session, marked as edited now."""
        with self._db.write() as connection:
            if not user_db_rows.touch_session(connection, session_id, self._clock()):
                raise SessionNotFound(session_id)
            yield connection

    def _priority_key(self, connection: Connection, session_id: str, priority_id: str) -> tuple[int, int]:
        found = user_db_rows.priority_key(connection, session_id, normal_id(priority_id))
        if found is None:
            raise PriorityNotFound(session_id, priority_id)
        return found

    # Sessions --------------------------------------------------------------------------------

    def list_sessions(self) -> list[SessionSummary]:
        """Every stored session, newest (by session date, then by creation) first."""
        with self._db.read() as connection:
            return user_db_rows.list_summaries(connection)

    @_by_normal_id
    def session_exists(self, session_id: str) -> bool:
        with self._db.read() as connection:
            return user_db_rows.session_exists(connection, session_id)

    def session_ids(self) -> set[str]:
        """The ids of every stored session."""
        with self._db.read() as connection:
            return user_db_rows.session_ids(connection)

    def create_session(self, title: str, date: dt.date | str, **fields: Any) -> Session:
        """A new, empty session. `fields`: venue, neighbourhood, facilitator, participants,
        language, notes."""
        checker = Checker()
        cleaned = checker.session_fields("session", {"title": title, "date": date, **fields})
        checker.raise_if_any()
        session = Session(**cleaned)
        now = self._clock()
        with self._db.write() as connection:
            user_db_rows.insert_session(connection, session, now, now)
        return session

    @_by_normal_id
    def load_session(self, session_id: str) -> Session:
        with self._db.read() as connection:
            session = user_db_rows.fetch_session(connection, session_id)
        if session is None:
            raise SessionNotFound(session_id)
        return session

    def save_session(self, session: Session) -> Session:
        """Store the whole session in one transaction, replacing any stored session with its id
        (for import). Refuses it whole, writing nothing, if any rule is broken. The session as
        stored (text trimmed)."""
        return self.save_sessions([session])[0]

    def save_sessions(self, sessions: Sequence[Session]) -> list[Session]:
        """Store several sessions (an import of many files) in one transaction: all of them, or,
        if any breaks a rule, none. The sessions as stored."""
        cleaned = []
        for index, session in enumerate(sessions):
            try:
                cleaned.append(check_session(session))
            except InvalidSessionValue as error:
                error.index = index  # which of the batch, so the caller can name its file
                raise
        now = self._clock()
        with self._db.write() as connection:
            for session in cleaned:
                created_at = user_db_rows.session_created_at(connection, session.id) or now
                user_db_rows.delete_session(connection, session.id)
                user_db_rows.insert_session(connection, session, created_at, now)
        return cleaned

    @_by_normal_id
    def delete_session(self, session_id: str) -> None:
        """Remove the session and everything in it. Copies in earlier daily backups remain until
        those backups age out (the last seven are kept)."""
        with self._db.write() as connection:
            if not user_db_rows.delete_session(connection, session_id):
                raise SessionNotFound(session_id)
            user_db_rows.forget_last_open_session(connection, session_id)
            user_db_rows.set_state(connection, _tool_key(session_id), None)
        self._db.purge_log()

    @_by_normal_id
    def update_session_fields(self, session_id: str, **fields: Any) -> None:
        """Change any of title, date, venue, neighbourhood, facilitator, participants, language,
        notes."""
        checker = Checker()
        cleaned = checker.session_fields("session", fields)
        checker.raise_if_any()
        with self._edit(session_id) as connection:
            user_db_rows.update_session_columns(connection, session_id, cleaned)

    def rename_session(self, session_id: str, title: str) -> None:
        self.update_session_fields(session_id, title=title)

    def set_rating(self, session_id: str, domain: str, value: int | None) -> None:
        """The group's compass score for a domain (1…7), or None for "not rated"."""
        self.set_ratings(session_id, {domain: value})

    @_by_normal_id
    def set_ratings(self, session_id: str, values: Mapping[str, int | None]) -> None:
        """Several compass scores (None: "not rated") in one transaction: all or none."""
        checker = Checker()
        for domain, value in values.items():
            checker.rating(f"session.ratings.{domain}", domain, value)
        checker.raise_if_any()
        with self._edit(session_id) as connection:
            for domain, value in values.items():
                user_db_rows.set_rating(connection, session_id, domain, value)

    @_by_normal_id
    def set_groups(self, session_id: str, groups: Sequence[str]) -> dict[str, str]:
        """The table groups, in order. Priorities whose group is no longer listed lose it; the
        result maps each such priority's id to the group it had (so an undo can put it back)."""
        checker = Checker()
        cleaned = checker.groups("session.groups", groups)
        checker.raise_if_any()
        with self._edit(session_id) as connection:
            user_db_rows.replace_groups(connection, session_id, cleaned)
            return user_db_rows.clear_groups_not_in(connection, session_id, cleaned)

    # Priorities ------------------------------------------------------------------------------

    @_by_normal_id
    def add_priority(self, session_id: str, priority: Priority, index: int | None = None) -> Priority:
        """Insert the priority at `index` in the ranking (None: at the end). The priority as
        stored (text trimmed)."""
        with self._edit(session_id) as connection:
            cleaned = check_priority(Checker(), priority, user_db_rows.groups(connection, session_id))
            order = user_db_rows.priority_order(connection, session_id)
            if len(order) >= PRIORITIES_MAX:
                check_single("session.priorities", f"a session holds at most {PRIORITIES_MAX} priorities")
            if any(uid == cleaned.id for _, uid in order):
                check_single("priority.id", f"{cleaned.id!r} is already in this session")
            position = len(order) if index is None else index
            if isinstance(index, bool) or not isinstance(position, int) or not 0 <= position <= len(order):
                check_single("priority.index", f"must be a whole number from 0 to {len(order)}")
            if position < len(order):
                user_db_rows.shift_positions(connection, session_id, position, 1)
            user_db_rows.insert_priority(connection, session_id, cleaned, position)
        return cleaned

    @_by_normal_id
    def update_priority(self, session_id: str, priority: Priority) -> Priority:
        """Replace the stored priority with the same id: its fields, domains, lessons and actions
        (its place in the ranking stays). The priority as stored."""
        with self._edit(session_id) as connection:
            cleaned = check_priority(Checker(), priority, user_db_rows.groups(connection, session_id))
            pk, _position = self._priority_key(connection, session_id, cleaned.id)
            user_db_rows.replace_priority(connection, pk, cleaned)
        return cleaned

    @_by_normal_id
    def remove_priority(self, session_id: str, priority_id: str) -> tuple[Priority, int]:
        """Delete the priority; what it was and where it stood, so an undo can re-add it."""
        with self._edit(session_id) as connection:
            pk, position = self._priority_key(connection, session_id, priority_id)
            removed = user_db_rows.fetch_priority(connection, pk)
            user_db_rows.delete_priority(connection, pk)
            user_db_rows.shift_positions(connection, session_id, position + 1, -1)
        return removed, position

    @_by_normal_id
    def move_priority(self, session_id: str, priority_id: str, new_index: int) -> None:
        """Move the priority to `new_index` in the ranking, the others keeping their order."""
        with self._edit(session_id) as connection:
            order = user_db_rows.priority_order(connection, session_id)
            keys = [key for key, _ in order]
            _pk, position = self._priority_key(connection, session_id, priority_id)
            if isinstance(new_index, bool) or not isinstance(new_index, int) or not 0 <= new_index < len(order):
                check_single("priority.index", f"must be a whole number from 0 to {len(order) - 1}")
            keys.insert(new_index, keys.pop(position))
            self._store_order(connection, order, keys)

    @_by_normal_id
    def reorder_priorities(self, session_id: str, ordered_ids: Sequence[str]) -> None:
        """Put the priorities in this order (e.g. ranked by votes); `ordered_ids` must name each
        of the session's priorities exactly once."""
        with self._edit(session_id) as connection:
            order = user_db_rows.priority_order(connection, session_id)
            key_of = {uid: key for key, uid in order}
            if not isinstance(ordered_ids, str):
                ordered_ids = [normal_id(uid) if isinstance(uid, str) else uid for uid in ordered_ids]
            if (
                isinstance(ordered_ids, str)
                or len(ordered_ids) != len(order)
                or set(ordered_ids) != set(key_of)
            ):
                check_single("session.priorities", "the new order must name each priority exactly once")
            self._store_order(connection, order, [key_of[uid] for uid in ordered_ids])

    @staticmethod
    def _store_order(connection: Connection, old: Sequence[tuple[int, str]], keys: Sequence[int]) -> None:
        old_keys = [key for key, _ in old]
        user_db_rows.set_positions(
            connection,
            [(key, position) for position, key in enumerate(keys) if old_keys[position] != key],
        )

    def set_votes(self, session_id: str, priority_id: str, votes: int) -> None:
        self.set_many_votes(session_id, {priority_id: votes})

    @_by_normal_id
    def set_many_votes(self, session_id: str, votes: Mapping[str, int]) -> None:
        """Votes of several priorities (a table's counted dots) in one transaction: a crash
        leaves all of them added or none."""
        for count in votes.values():
            check_single("priority.votes", check_votes(count))
        with self._edit(session_id) as connection:
            for priority_id, count in votes.items():
                pk, _position = self._priority_key(connection, session_id, priority_id)
                user_db_rows.set_votes(connection, pk, count)

    def add_table_dots(self, session_id: str, table: str, counts: Mapping[str, int]) -> None:
        """Dots counted at one table (issue 12.8): each count is added to the priority's votes
        and to that table's count, in one transaction. A negative count takes dots back (an
        undo); a total that would fall below 0 is refused, nothing written."""
        checker = Checker()
        table = checker.text("tally.table", table, GROUP_NAME_MAX, required=True)
        for count in counts.values():
            if isinstance(count, bool) or not isinstance(count, int):
                checker.add("tally.count", "must be a whole number")
        checker.raise_if_any()
        with self._edit(session_id) as connection:
            for priority_id, count in counts.items():
                if not count:
                    continue
                pk, _position = self._priority_key(connection, session_id, priority_id)
                priority = user_db_rows.fetch_priority(connection, pk)
                votes = priority.votes + count
                at_table = priority.table_votes.get(table, 0) + count
                check_single("priority.votes", check_votes(votes) or check_votes(at_table))
                user_db_rows.set_votes(connection, pk, votes)
                user_db_rows.set_table_votes(connection, pk, table, at_table)

    # Actions: their state ----------------------------------------------------------------------

    def set_action_status(
        self, session_id: str, action_id: str, status: str, progress: str | None = None
    ) -> ActionState:
        """The action's status (and, if given, its progress note), dated today when anything
        changes; one durable transaction. The state it had, so an undo can put it back."""
        return self._change_action(session_id, action_id, status=status, progress=progress)

    def set_action_progress(self, session_id: str, action_id: str, progress: str) -> ActionState:
        """The action's progress note ("you said, we did"), dated today if it changed."""
        return self._change_action(session_id, action_id, status=None, progress=progress)

    def restore_action_state(self, session_id: str, action_id: str, state: ActionState) -> ActionState:
        """Put back a state exactly as it was, date included (for undo and redo)."""
        return self._change_action(
            session_id, action_id, status=state.status, progress=state.progress, updated=state.updated,
            exact=True,
        )

    def _change_action(
        self,
        session_id: str,
        action_id: str,
        *,
        status: str | None,
        progress: str | None,
        updated: dt.date | None = None,
        exact: bool = False,
    ) -> ActionState:
        checker = Checker()
        if status is not None:
            checker.add("action.status", check_status(status))
        if progress is not None:
            progress = checker.text("action.progress", progress, ACTION_PROGRESS_MAX)
        checker.raise_if_any()
        with self._edit(session_id) as connection:
            found = user_db_rows.action_row(connection, session_id, action_id)
            if found is None:
                raise ActionNotFound(session_id, action_id)
            pk, position = found
            action = user_db_rows.fetch_priority(connection, pk).actions[position]
            before = ActionState.of(action)
            new_status = before.status if status is None else status
            new_progress = before.progress if progress is None else progress
            if exact:
                new_updated = updated
            elif (new_status, new_progress) != (before.status, before.progress):
                new_updated = self._clock().date()
            else:
                new_updated = before.updated
            user_db_rows.set_action_state(connection, pk, position, new_status, new_progress, new_updated)
        return before

    def follow_links(self) -> list[SessionLink]:
        """How every stored session links to the one it follows (for walking chains)."""
        with self._db.read() as connection:
            rows = user_db_rows.follow_links(connection)
        return [
            SessionLink(uid, follows, dt.date.fromisoformat(day), created)
            for uid, follows, day, created in rows
        ]

    # Crash recovery --------------------------------------------------------------------------

    def last_open_session_id(self) -> str | None:
        """The session that was open when the app last stopped (if it still exists)."""
        with self._db.read() as connection:
            return user_db_rows.last_open_session_id(connection)

    def set_last_open_session(self, session_id: str | None) -> None:
        session_id = None if session_id is None else normal_id(session_id)
        with self._db.write() as connection:
            if session_id is not None and not user_db_rows.session_exists(connection, session_id):
                raise SessionNotFound(session_id)
            user_db_rows.set_last_open_session(connection, session_id)

    # Warm-up work and the learning tool's choices ------------------------------------------------

    def warm_up_session_id(self) -> str | None:
        """The session started by itself for warm-up work (compass scores, a priority from the
        tool) before the facilitator named one; the session they name first becomes it."""
        with self._db.read() as connection:
            value = user_db_rows.get_state(connection, _WARM_UP_KEY)
            return value if value is not None and user_db_rows.session_exists(connection, value) else None

    def set_warm_up_session(self, session_id: str | None) -> None:
        with self._db.write() as connection:
            user_db_rows.set_state(connection, _WARM_UP_KEY, None if session_id is None else normal_id(session_id))

    def tool_choices(self, session_id: str | None) -> str | None:
        """The learning tool's choices kept with a session (None: before any session is open),
        as LearningToolState.choices_json text."""
        with self._db.read() as connection:
            return user_db_rows.get_state(connection, _tool_key(session_id))

    def set_tool_choices(self, session_id: str | None, choices: str | None) -> None:
        with self._db.write() as connection:
            user_db_rows.set_state(connection, _tool_key(session_id), choices)


_WARM_UP_KEY = "warm_up_session"


def _tool_key(session_id: str | None) -> str:
    return f"tool_choices:{normal_id(session_id) if session_id else 'before-a-session'}"


def list_backups(database_path: Path | None = None, backups_dir: Path | None = None) -> list[Backup]:
    """The backups of the session database, newest first."""
    return user_db.list_backups(database_path or paths.user_db_path(), backups_dir or paths.backups_dir())


def restore_backup(
    backup: Backup | Path, database_path: Path | None = None, clock: Clock | None = None
) -> Path | None:
    """Put a backup in place of the (damaged, closed) session database. The damaged file is kept
    beside it with a timestamped name, which is returned (None if there was none)."""
    backup_path = backup.path if isinstance(backup, Backup) else Path(backup)
    now = (clock or local_now)()
    return user_db.restore_backup(backup_path, database_path or paths.user_db_path(), now)


def replace_fields(priority: Priority, **changes: Any) -> Priority:
    """A copy of the priority with some fields changed (for an editor building update_priority
    calls); lists are copied so the original is untouched."""
    copied = dataclasses.replace(
        priority,
        domains=list(priority.domains),
        lessons=list(priority.lessons),
        actions=[dataclasses.replace(action) for action in priority.actions],
    )
    return dataclasses.replace(copied, **changes)
