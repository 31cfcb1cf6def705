"""Checking a session and its parts before the store writes them (no Qt).

Each `Checker` method records a problem and returns the cleaned value, so one pass finds every
problem of a whole session; `InvalidSessionValue` names every field that breaks a rule, with
the domain's reasons. A whole session also passes the session file's rule set.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from nrp_desktop.domain.domains import is_domain
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
from nrp_desktop.storage import user_db_rows

SESSION_FIELDS = user_db_rows.SESSION_COLUMNS  # what create_session / update_session_fields accept


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




class Checker:
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

    checker = Checker()
    cleaned = checker.session(session)
    checker.raise_if_any()
    problems = session_rule_problems(cleaned)
    if problems:
        raise InvalidSessionValue([FieldProblem(place, reason) for place, reason in problems])
    return cleaned


def check_priority(checker: Checker, priority: Any, groups: Sequence[str]) -> Priority:
    """A priority for add_priority / update_priority, checked field by field with the domain's
    rules, the very functions the file's models call (pydantic itself is not loaded for an
    edit: the editor's first keystroke must not wait for it)."""
    cleaned = checker.priority("priority", priority, groups)
    checker.raise_if_any()
    return cleaned


def check_single(field: str, reason: str | None) -> None:
    if reason:
        raise InvalidSessionValue([FieldProblem(field, reason)])


