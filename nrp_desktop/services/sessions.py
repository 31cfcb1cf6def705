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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

from nrp_desktop import paths
from nrp_desktop.domain.domains import is_domain
from nrp_desktop.domain.followup import ActionState, SessionLink
from nrp_desktop.domain.session import (
    ACTION_PROGRESS_MAX,
    ACTION_WHAT_MAX,
    GROUP_NAME_MAX,
    ID_MAX,
    LANGUAGE_TAG_MAX,
    LESSON_SLUG_MAX,
    PRIORITIES_MAX,
    PRIORITY_TEXT_MAX,
    PRIORITY_TITLE_MAX,
    SESSION_NOTES_MAX,
    SESSION_TITLE_MAX,
    SHORT_TEXT_MAX,
    Action,
    Priority,
    Session,
    SessionSummary,
    check_domains,
    check_language,
    check_participants,
    check_rating,
    check_status,
    check_text,
    check_votes,
    normal_id,
)
from nrp_desktop.errors import BadInput
from nrp_desktop.storage import user_db
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
    "ForeignDatabase",
    "InvalidSessionValue",
    "PriorityNotFound",
    "SessionNotFound",
    "SessionStore",
    "UserDatabaseError",
    "list_backups",
    "restore_backup",
]

Clock = Callable[[], dt.datetime]
SESSION_FIELDS = user_db.SESSION_COLUMNS  # what create_session / update_session_fields accept


def local_now() -> dt.datetime:
    return dt.datetime.now().astimezone()


@dataclass(frozen=True)
class FieldProblem:
    field: str  # e.g. "session.title", "priority.actions[0].what"
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class InvalidSessionValue(ValueError, BadInput):
    """Refused input; nothing was written. `problems` names each field and what is wrong."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = list(problems)
        self.index: int | None = None  # in save_sessions: the position of the refused session
        super().__init__("; ".join(str(problem) for problem in self.problems))

    @property
    def field(self) -> str:
        """The first field refused (where an editor puts its message)."""
        return self.problems[0].field


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


# ---------------------------------------------------------------------------------------------
# Checking and cleaning input. Each `_Checker` method records a problem and returns the cleaned
# value, so one pass finds every problem of a whole session.


class _Checker:
    def __init__(self) -> None:
        self.problems: list[FieldProblem] = []

    def add(self, field: str, reason: str | None) -> None:
        if reason:
            self.problems.append(FieldProblem(field, reason))

    def raise_if_any(self) -> None:
        if self.problems:
            raise InvalidSessionValue(self.problems)

    def text(self, field: str, value: Any, maximum: int, required: bool = False) -> str:
        if not isinstance(value, str):
            self.add(field, "must be text")
            return ""
        # The same rule as the session file's (length, control characters, broken characters).
        self.add(field, check_text(value, maximum, required))
        return value.strip()

    def identifier(self, field: str, value: Any) -> str:
        cleaned = self.text(field, value, ID_MAX, required=True)
        if cleaned != value:
            self.add(field, "must not begin or end with spaces")
        return normal_id(cleaned)

    def date(self, field: str, value: Any) -> dt.date:
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        elif isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        self.add(field, "must be a date, such as 2026-11-23")
        return dt.date.min

    def language(self, field: str, value: Any) -> str:
        cleaned = self.text(field, value, LANGUAGE_TAG_MAX, required=True)
        if cleaned:
            self.add(field, check_language(cleaned))
        return cleaned

    def participants(self, field: str, value: Any) -> int | None:
        self.add(field, check_participants(value))
        return cast("int | None", value)

    def votes(self, field: str, value: Any) -> int:
        self.add(field, check_votes(value))
        return cast(int, value)

    def rating(self, field: str, domain: Any, value: Any) -> None:
        self.add(field, self.domain_reason(domain) or (None if value is None else check_rating(value)))

    @staticmethod
    def domain_reason(domain: Any) -> str | None:
        return None if isinstance(domain, str) and is_domain(domain) else check_domains([str(domain)])

    def groups(self, field: str, values: Any) -> list[str]:
        if not isinstance(values, (list, tuple)):
            self.add(field, "must be a list of group names")
            return []
        cleaned: list[str] = []
        seen: set[str] = set()  # a set, not a scan of the list: a file may hold 40,000 groups
        for index, value in enumerate(values):
            name = self.text(f"{field}[{index}]", value, GROUP_NAME_MAX, required=True)
            if name and name in seen:
                self.add(f"{field}[{index}]", f"{name!r} is listed twice")
            seen.add(name)
            cleaned.append(name)
        return cleaned

    def session_fields(self, prefix: str, fields: dict[str, Any]) -> dict[str, Any]:
        cleaned: dict[str, Any] = {}
        for name, value in fields.items():
            field = f"{prefix}.{name}"
            if name == "title":
                cleaned[name] = self.text(field, value, SESSION_TITLE_MAX, required=True)
            elif name == "date":
                cleaned[name] = self.date(field, value)
            elif name in ("venue", "neighbourhood", "facilitator"):
                cleaned[name] = self.text(field, value, SHORT_TEXT_MAX)
            elif name == "participants":
                cleaned[name] = self.participants(field, value)
            elif name == "language":
                cleaned[name] = self.language(field, value)
            elif name == "notes":
                cleaned[name] = self.text(field, value, SESSION_NOTES_MAX)
            else:
                self.add(field, f"is not a session field (they are: {', '.join(SESSION_FIELDS)})")
        return cleaned

    def priority(self, prefix: str, priority: Any, groups: Sequence[str]) -> Priority:
        if not isinstance(priority, Priority):
            self.add(prefix, "must be a Priority")
            return Priority(title="")
        domains: list[str] = []
        if not isinstance(priority.domains, (list, tuple)):
            self.add(f"{prefix}.domains", "must be a list of domain slugs")
        else:
            for index, slug in enumerate(priority.domains):
                self.add(f"{prefix}.domains[{index}]", self.domain_reason(slug))
                if slug not in domains:  # a domain named twice is still one domain
                    domains.append(slug)
        group = priority.group
        if group is not None:
            group = self.text(f"{prefix}.group", group, GROUP_NAME_MAX) or None
            if group is not None and group not in groups:
                self.add(f"{prefix}.group", f"{group!r} is not one of the session's groups")
        lessons: list[str] = []
        if not isinstance(priority.lessons, (list, tuple)):
            self.add(f"{prefix}.lessons", "must be a list of lesson slugs")
        else:
            lessons = [
                self.text(f"{prefix}.lessons[{index}]", slug, LESSON_SLUG_MAX, required=True)
                for index, slug in enumerate(priority.lessons)
            ]
        actions: list[Action] = []
        if not isinstance(priority.actions, (list, tuple)):
            self.add(f"{prefix}.actions", "must be a list of actions")
        else:
            for index, action in enumerate(priority.actions):
                place = f"{prefix}.actions[{index}]"
                if not isinstance(action, Action):
                    self.add(place, "must be an Action")
                    continue
                actions.append(self.action(place, action))
        return Priority(
            id=self.identifier(f"{prefix}.id", priority.id),
            title=self.text(f"{prefix}.title", priority.title, PRIORITY_TITLE_MAX, required=True),
            description=self.text(f"{prefix}.description", priority.description, PRIORITY_TEXT_MAX),
            domains=domains,
            votes=self.votes(f"{prefix}.votes", priority.votes),
            group=group,
            lessons=lessons,
            actions=actions,
            notes=self.text(f"{prefix}.notes", priority.notes, PRIORITY_TEXT_MAX),
            carried_from=self.optional_identifier(f"{prefix}.carried_from", priority.carried_from),
            table_votes=self.table_votes(f"{prefix}.table_votes", priority.table_votes),
        )

    def table_votes(self, field: str, values: Any) -> dict[str, int]:
        if not isinstance(values, dict):
            self.add(field, "must map table names to dots")
            return {}
        cleaned: dict[str, int] = {}
        for name, count in values.items():
            table = self.text(f"{field}[{name!r}]", name, GROUP_NAME_MAX, required=True)
            cleaned[table] = self.votes(f"{field}[{name!r}]", count)
        return cleaned

    def action(self, place: str, action: Action) -> Action:
        self.add(f"{place}.status", check_status(action.status))
        updated = action.updated
        if updated is not None and (
            not isinstance(updated, dt.date) or isinstance(updated, dt.datetime)
        ):
            self.add(f"{place}.updated", "must be a date, such as 2027-02-10")
        return Action(
            what=self.text(f"{place}.what", action.what, ACTION_WHAT_MAX, required=True),
            who=self.text(f"{place}.who", action.who, SHORT_TEXT_MAX),
            when=self.text(f"{place}.when", action.when, SHORT_TEXT_MAX),
            id=self.identifier(f"{place}.id", action.id),
            status=action.status,
            progress=self.text(f"{place}.progress", action.progress, ACTION_PROGRESS_MAX),
            updated=updated,
            carried_from=self.optional_identifier(f"{place}.carried_from", action.carried_from),
        )

    def optional_identifier(self, field: str, value: Any) -> str | None:
        return None if value is None else self.identifier(field, value)

    def session(self, session: Any) -> Session:
        if not isinstance(session, Session):
            self.add("session", "must be a Session")
            self.raise_if_any()
        fields = self.session_fields(
            "session", {name: getattr(session, name) for name in SESSION_FIELDS}
        )
        ratings: dict[str, int] = {}
        if not isinstance(session.ratings, dict):
            self.add("session.ratings", "must map domain slugs to ratings")
        else:
            for slug, value in session.ratings.items():
                self.add(f"session.ratings.{slug}", self.domain_reason(slug) or check_rating(value))
                ratings[slug] = value
        groups = self.groups("session.groups", session.groups)
        priorities: list[Priority] = []
        if not isinstance(session.priorities, (list, tuple)):
            self.add("session.priorities", "must be a list of priorities")
        else:
            if len(session.priorities) > PRIORITIES_MAX:
                self.add("session.priorities", f"must have at most {PRIORITIES_MAX} items")
            seen: set[str] = set()
            for index, priority in enumerate(session.priorities):
                cleaned = self.priority(f"session.priorities[{index}]", priority, groups)
                if cleaned.id in seen:
                    self.add(f"session.priorities[{index}].id", f"{cleaned.id!r} is used twice")
                seen.add(cleaned.id)
                priorities.append(cleaned)
        return Session(
            id=self.identifier("session.id", session.id),
            follows=self.optional_identifier("session.follows", session.follows),
            ratings=ratings,
            groups=groups,
            priorities=priorities,
            **fields,
        )


def check_session(session: Session) -> Session:
    """The session as it would be stored (text trimmed, ids in lower case), or
    InvalidSessionValue naming every problem. The rules are the session file's (its pydantic
    models), so the store, the editor and the command line accept exactly what a file may hold."""
    from nrp_desktop.services.session_file import session_rule_problems

    checker = _Checker()
    cleaned = checker.session(session)
    checker.raise_if_any()
    problems = session_rule_problems(cleaned)
    if problems:
        raise InvalidSessionValue([FieldProblem(place, reason) for place, reason in problems])
    return cleaned


def _check_priority(checker: _Checker, priority: Any, groups: Sequence[str]) -> Priority:
    """A priority for add_priority / update_priority, checked field by field with the domain's
    rules, the very functions the file's models call (pydantic itself is not loaded for an
    edit: the editor's first keystroke must not wait for it)."""
    cleaned = checker.priority("priority", priority, groups)
    checker.raise_if_any()
    return cleaned


def _check_single(field: str, reason: str | None) -> None:
    if reason:
        raise InvalidSessionValue([FieldProblem(field, reason)])


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
            if not user_db.touch_session(connection, session_id, self._clock()):
                raise SessionNotFound(session_id)
            yield connection

    def _priority_key(self, connection: Connection, session_id: str, priority_id: str) -> tuple[int, int]:
        found = user_db.priority_key(connection, session_id, normal_id(priority_id))
        if found is None:
            raise PriorityNotFound(session_id, priority_id)
        return found

    # Sessions --------------------------------------------------------------------------------

    def list_sessions(self) -> list[SessionSummary]:
        """Every stored session, newest (by session date, then by creation) first."""
        with self._db.read() as connection:
            return user_db.list_summaries(connection)

    @_by_normal_id
    def session_exists(self, session_id: str) -> bool:
        with self._db.read() as connection:
            return user_db.session_exists(connection, session_id)

    def session_ids(self) -> set[str]:
        """The ids of every stored session."""
        with self._db.read() as connection:
            return user_db.session_ids(connection)

    def create_session(self, title: str, date: dt.date | str, **fields: Any) -> Session:
        """A new, empty session. `fields`: venue, neighbourhood, facilitator, participants,
        language, notes."""
        checker = _Checker()
        cleaned = checker.session_fields("session", {"title": title, "date": date, **fields})
        checker.raise_if_any()
        session = Session(**cleaned)
        now = self._clock()
        with self._db.write() as connection:
            user_db.insert_session(connection, session, now, now)
        return session

    @_by_normal_id
    def load_session(self, session_id: str) -> Session:
        with self._db.read() as connection:
            session = user_db.fetch_session(connection, session_id)
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
                created_at = user_db.session_created_at(connection, session.id) or now
                user_db.delete_session(connection, session.id)
                user_db.insert_session(connection, session, created_at, now)
        return cleaned

    @_by_normal_id
    def delete_session(self, session_id: str) -> None:
        """Remove the session and everything in it. Copies in earlier daily backups remain until
        those backups age out (the last seven are kept)."""
        with self._db.write() as connection:
            if not user_db.delete_session(connection, session_id):
                raise SessionNotFound(session_id)
            user_db.forget_last_open_session(connection, session_id)
        self._db.purge_log()

    @_by_normal_id
    def update_session_fields(self, session_id: str, **fields: Any) -> None:
        """Change any of title, date, venue, neighbourhood, facilitator, participants, language,
        notes."""
        checker = _Checker()
        cleaned = checker.session_fields("session", fields)
        checker.raise_if_any()
        with self._edit(session_id) as connection:
            user_db.update_session_columns(connection, session_id, cleaned)

    def rename_session(self, session_id: str, title: str) -> None:
        self.update_session_fields(session_id, title=title)

    def set_rating(self, session_id: str, domain: str, value: int | None) -> None:
        """The group's compass score for a domain (1…7), or None for "not rated"."""
        self.set_ratings(session_id, {domain: value})

    @_by_normal_id
    def set_ratings(self, session_id: str, values: Mapping[str, int | None]) -> None:
        """Several compass scores (None: "not rated") in one transaction: all or none."""
        checker = _Checker()
        for domain, value in values.items():
            checker.rating(f"session.ratings.{domain}", domain, value)
        checker.raise_if_any()
        with self._edit(session_id) as connection:
            for domain, value in values.items():
                user_db.set_rating(connection, session_id, domain, value)

    @_by_normal_id
    def set_groups(self, session_id: str, groups: Sequence[str]) -> dict[str, str]:
        """The table groups, in order. Priorities whose group is no longer listed lose it; the
        result maps each such priority's id to the group it had (so an undo can put it back)."""
        checker = _Checker()
        cleaned = checker.groups("session.groups", groups)
        checker.raise_if_any()
        with self._edit(session_id) as connection:
            user_db.replace_groups(connection, session_id, cleaned)
            return user_db.clear_groups_not_in(connection, session_id, cleaned)

    # Priorities ------------------------------------------------------------------------------

    @_by_normal_id
    def add_priority(self, session_id: str, priority: Priority, index: int | None = None) -> Priority:
        """Insert the priority at `index` in the ranking (None: at the end). The priority as
        stored (text trimmed)."""
        with self._edit(session_id) as connection:
            cleaned = _check_priority(_Checker(), priority, user_db.groups(connection, session_id))
            order = user_db.priority_order(connection, session_id)
            if len(order) >= PRIORITIES_MAX:
                _check_single("session.priorities", f"a session holds at most {PRIORITIES_MAX} priorities")
            if any(uid == cleaned.id for _, uid in order):
                _check_single("priority.id", f"{cleaned.id!r} is already in this session")
            position = len(order) if index is None else index
            if isinstance(index, bool) or not isinstance(position, int) or not 0 <= position <= len(order):
                _check_single("priority.index", f"must be a whole number from 0 to {len(order)}")
            if position < len(order):
                user_db.shift_positions(connection, session_id, position, 1)
            user_db.insert_priority(connection, session_id, cleaned, position)
        return cleaned

    @_by_normal_id
    def update_priority(self, session_id: str, priority: Priority) -> Priority:
        """Replace the stored priority with the same id: its fields, domains, lessons and actions
        (its place in the ranking stays). The priority as stored."""
        with self._edit(session_id) as connection:
            cleaned = _check_priority(_Checker(), priority, user_db.groups(connection, session_id))
            pk, _position = self._priority_key(connection, session_id, cleaned.id)
            user_db.replace_priority(connection, pk, cleaned)
        return cleaned

    @_by_normal_id
    def remove_priority(self, session_id: str, priority_id: str) -> tuple[Priority, int]:
        """Delete the priority; what it was and where it stood, so an undo can re-add it."""
        with self._edit(session_id) as connection:
            pk, position = self._priority_key(connection, session_id, priority_id)
            removed = user_db.fetch_priority(connection, pk)
            user_db.delete_priority(connection, pk)
            user_db.shift_positions(connection, session_id, position + 1, -1)
        return removed, position

    @_by_normal_id
    def move_priority(self, session_id: str, priority_id: str, new_index: int) -> None:
        """Move the priority to `new_index` in the ranking, the others keeping their order."""
        with self._edit(session_id) as connection:
            order = user_db.priority_order(connection, session_id)
            keys = [key for key, _ in order]
            _pk, position = self._priority_key(connection, session_id, priority_id)
            if isinstance(new_index, bool) or not isinstance(new_index, int) or not 0 <= new_index < len(order):
                _check_single("priority.index", f"must be a whole number from 0 to {len(order) - 1}")
            keys.insert(new_index, keys.pop(position))
            self._store_order(connection, order, keys)

    @_by_normal_id
    def reorder_priorities(self, session_id: str, ordered_ids: Sequence[str]) -> None:
        """Put the priorities in this order (e.g. ranked by votes); `ordered_ids` must name each
        of the session's priorities exactly once."""
        with self._edit(session_id) as connection:
            order = user_db.priority_order(connection, session_id)
            key_of = {uid: key for key, uid in order}
            if not isinstance(ordered_ids, str):
                ordered_ids = [normal_id(uid) if isinstance(uid, str) else uid for uid in ordered_ids]
            if (
                isinstance(ordered_ids, str)
                or len(ordered_ids) != len(order)
                or set(ordered_ids) != set(key_of)
            ):
                _check_single("session.priorities", "the new order must name each priority exactly once")
            self._store_order(connection, order, [key_of[uid] for uid in ordered_ids])

    @staticmethod
    def _store_order(connection: Connection, old: Sequence[tuple[int, str]], keys: Sequence[int]) -> None:
        old_keys = [key for key, _ in old]
        user_db.set_positions(
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
            _check_single("priority.votes", check_votes(count))
        with self._edit(session_id) as connection:
            for priority_id, count in votes.items():
                pk, _position = self._priority_key(connection, session_id, priority_id)
                user_db.set_votes(connection, pk, count)

    def add_table_dots(self, session_id: str, table: str, counts: Mapping[str, int]) -> None:
        """Dots counted at one table (issue 12.8): each count is added to the priority's votes
        and to that table's count, in one transaction. A negative count takes dots back (an
        undo); a total that would fall below 0 is refused, nothing written."""
        checker = _Checker()
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
                priority = user_db.fetch_priority(connection, pk)
                votes = priority.votes + count
                at_table = priority.table_votes.get(table, 0) + count
                _check_single("priority.votes", check_votes(votes) or check_votes(at_table))
                user_db.set_votes(connection, pk, votes)
                user_db.set_table_votes(connection, pk, table, at_table)

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
        checker = _Checker()
        if status is not None:
            checker.add("action.status", check_status(status))
        if progress is not None:
            progress = checker.text("action.progress", progress, ACTION_PROGRESS_MAX)
        checker.raise_if_any()
        with self._edit(session_id) as connection:
            found = user_db.action_row(connection, session_id, action_id)
            if found is None:
                raise ActionNotFound(session_id, action_id)
            pk, position = found
            action = user_db.fetch_priority(connection, pk).actions[position]
            before = ActionState.of(action)
            new_status = before.status if status is None else status
            new_progress = before.progress if progress is None else progress
            if exact:
                new_updated = updated
            elif (new_status, new_progress) != (before.status, before.progress):
                new_updated = self._clock().date()
            else:
                new_updated = before.updated
            user_db.set_action_state(connection, pk, position, new_status, new_progress, new_updated)
        return before

    def follow_links(self) -> list[SessionLink]:
        """How every stored session links to the one it follows (for walking chains)."""
        with self._db.read() as connection:
            rows = user_db.follow_links(connection)
        return [
            SessionLink(uid, follows, dt.date.fromisoformat(day), created)
            for uid, follows, day, created in rows
        ]

    # Crash recovery --------------------------------------------------------------------------

    def last_open_session_id(self) -> str | None:
        """The session that was open when the app last stopped (if it still exists)."""
        with self._db.read() as connection:
            return user_db.last_open_session_id(connection)

    def set_last_open_session(self, session_id: str | None) -> None:
        session_id = None if session_id is None else normal_id(session_id)
        with self._db.write() as connection:
            if session_id is not None and not user_db.session_exists(connection, session_id):
                raise SessionNotFound(session_id)
            user_db.set_last_open_session(connection, session_id)


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
