"""A workshop session and its priorities (contract.md §2): plain data and the rules on it.

The same limits serve the session file's validation, the database and the editor's fields, so a
value the editor accepts is always one the file format accepts.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

from nrp_desktop.domain.domains import is_domain

# Limits, in characters after trimming, unless said otherwise (contract.md §2).
SESSION_TITLE_MAX = 200
SHORT_TEXT_MAX = 200  # venue, neighbourhood, facilitator, action who/when
SESSION_NOTES_MAX = 20_000
PARTICIPANTS_MAX = 10_000
GROUP_NAME_MAX = 100
PRIORITIES_MAX = 500
PRIORITY_TITLE_MAX = 200
PRIORITY_TEXT_MAX = 5_000  # description and notes
ACTION_WHAT_MAX = 500
RATING_MIN = 1  # a lot to improve
RATING_MAX = 7  # little to improve
VOTES_MAX = 1_000_000  # a sanity bound for the editor; the file format says only "0 or more"
# Not limited by the contract; bounds that keep a lesson slug, a language tag and an id sane.
LESSON_SLUG_MAX = SHORT_TEXT_MAX
LANGUAGE_TAG_MAX = 35  # the length BCP 47 asks every implementation to handle
ID_MAX = 100
DEFAULT_LANGUAGE = "en"

# A BCP 47 tag, loosely: a language subtag (or x-/i- for private and grandfathered tags) and
# subtags of 1–8 letters or digits: "en", "ur-PK", "x-klingon".
_LANGUAGE_TAG = re.compile(r"(?:[A-Za-z]{2,8}|[xXiI])(?:-[A-Za-z0-9]{1,8})*")
# Characters that cannot be typed and break what comes after (the database, the PDF, the
# terminal, UTF-8 itself, for unpaired surrogates that JSON's \ud800 escapes can smuggle in).
# Tab and line breaks are text.
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
ACTION_PROGRESS_MAX = 1_000  # contract.md §5.1: "what happened since it was agreed"

# The state of an action (contract.md §5.1), in the order a meeting moves through them.
ACTION_AGREED = "agreed"
ACTION_STARTED = "started"
ACTION_DONE = "done"
ACTION_DROPPED = "dropped"
ACTION_STATUSES: tuple[str, ...] = (ACTION_AGREED, ACTION_STARTED, ACTION_DONE, ACTION_DROPPED)
# An action in one of these states is finished with: a follow-up session does not carry it.
CLOSED_STATUSES = frozenset({ACTION_DONE, ACTION_DROPPED})


def new_id() -> str:
    return str(uuid.uuid4())


def normal_id(value: str) -> str:
    """The one spelling of an id (session or priority): ids are case-insensitive, stored and
    looked up in lower case, as `new_id` and a session file's UUIDs give them."""
    return value.strip().lower()


@dataclass
class Action:
    what: str
    who: str = ""
    when: str = ""
    # Stable while the action is carried from session to session (contract.md §5.1). Left out
    # of ==, so an action built afresh (a new random id) still equals the same stored action;
    # code that cares about the id compares it by name.
    id: str = field(default_factory=new_id, compare=False)
    status: str = ACTION_AGREED
    progress: str = ""  # "you said, we did"
    updated: dt.date | None = None  # the last change of status or progress
    carried_from: str | None = None  # the session where the action was first agreed

    @property
    def is_open(self) -> bool:
        """Still to be done: a follow-up session carries it."""
        return self.status not in CLOSED_STATUSES


@dataclass
class Priority:
    title: str
    id: str = field(default_factory=new_id)
    description: str = ""
    domains: list[str] = field(default_factory=list)
    votes: int = 0
    group: str | None = None
    lessons: list[str] = field(default_factory=list)  # hand-linked lesson slugs, in order
    actions: list[Action] = field(default_factory=list)
    notes: str = ""
    carried_from: str | None = None  # the priority of the earlier session it continues
    # The paper dots counted at each table (issue 12.8): table name → dots. Part of `votes`,
    # which may also hold votes typed in by hand, so the two need not add up.
    table_votes: dict[str, int] = field(default_factory=dict)

    @property
    def open_actions(self) -> list[Action]:
        return [action for action in self.actions if action.is_open]

    @property
    def achieved(self) -> bool:
        """Every action it has is done (a dropped one does not count against it, but at least
        one must be done)."""
        return bool(self.actions) and not self.open_actions and any(
            action.status == ACTION_DONE for action in self.actions
        )


@dataclass
class Session:
    title: str
    date: dt.date
    id: str = field(default_factory=new_id)
    venue: str = ""
    neighbourhood: str = ""
    facilitator: str = ""
    participants: int | None = None  # a head count, never names
    language: str = "en"
    notes: str = ""
    ratings: dict[str, int] = field(default_factory=dict)  # domain slug → 1…7; missing = unrated
    groups: list[str] = field(default_factory=list)
    priorities: list[Priority] = field(default_factory=list)  # in ranking order
    follows: str | None = None  # the earlier session this one follows up (may be unknown here)

    def priority(self, priority_id: str) -> Priority | None:
        return next((p for p in self.priorities if p.id == priority_id), None)


@dataclass(frozen=True)
class SessionSummary:
    """One row of the session list."""

    id: str
    title: str
    date: dt.date
    priorities: int
    updated_at: dt.datetime | None = None


# Field rules: each returns None when the value is acceptable, else a plain-words reason that
# a caller prefixes with the place ("session.priorities[3].votes: …").


def check_text(value: str, maximum: int, required: bool = False) -> str | None:
    """The rule for every text field, wherever it comes from (a file, the editor, the store)."""
    text = value.strip()
    if required and not text:
        return "must not be empty"
    if len(text) > maximum:
        return f"must be at most {maximum} characters (it has {len(text)})"
    bad = _FORBIDDEN_CHARACTER.search(text)
    if bad:
        code = ord(bad.group())
        what = "an unpaired surrogate" if 0xD800 <= code <= 0xDFFF else "a control character"
        return f"contains {what} (U+{code:04X}), which text may not hold"
    return None


def check_language(value: str) -> str | None:
    """A language tag such as en, pl, ur-PK or x-klingon (empty means the default, English)."""
    text = value.strip()
    if text and (len(text) > LANGUAGE_TAG_MAX or not _LANGUAGE_TAG.fullmatch(text)):
        shown = repr(text[:60]) + ("…" if len(text) > 60 else "")
        return f"must be a language tag such as 'en', 'pl' or 'ur-PK', not {shown}"
    return None


def check_votes(value: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return "must be a whole number, 0 or more"
    if value > VOTES_MAX:
        return f"must be at most {VOTES_MAX}"
    return None


def check_rating(value: int) -> str | None:
    if isinstance(value, bool) or not isinstance(value, int) or not RATING_MIN <= value <= RATING_MAX:
        return f"must be a whole number from {RATING_MIN} (a lot to improve) to {RATING_MAX} (little to improve)"
    return None


def check_participants(value: int | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= PARTICIPANTS_MAX:
        return f"must be a whole number from 0 to {PARTICIPANTS_MAX}"
    return None


def check_status(value: object) -> str | None:
    if value not in ACTION_STATUSES:
        return f"must be one of {', '.join(ACTION_STATUSES)}"
    return None


def action_status_counts(actions: list[Action]) -> dict[str, int]:
    """How many actions are in each state, every state named (0 when none)."""
    counts = dict.fromkeys(ACTION_STATUSES, 0)
    for action in actions:
        if action.status in counts:
            counts[action.status] += 1
    return counts


def check_domains(values: list[str]) -> str | None:
    unknown = [value for value in values if not is_domain(value)]
    return f"unknown domain {unknown[0]!r}" if unknown else None


def session_problems(session: Session) -> list[str]:
    """Every rule the session breaks, as "place: reason" lines (empty when all is well)."""
    problems: list[str] = []

    def add(place: str, reason: str | None) -> None:
        if reason:
            problems.append(f"{place}: {reason}")

    add("session.title", check_text(session.title, SESSION_TITLE_MAX, required=True))
    for name in ("venue", "neighbourhood", "facilitator"):
        add(f"session.{name}", check_text(getattr(session, name), SHORT_TEXT_MAX))
    add("session.notes", check_text(session.notes, SESSION_NOTES_MAX))
    add("session.participants", check_participants(session.participants))
    add("session.language", check_language(session.language))
    for slug, rating in session.ratings.items():
        place = f"session.ratings.{slug}" if is_domain(slug) else f"session.ratings[{slug!r}]"
        add(place, check_domains([slug]) or check_rating(rating))
    seen_groups: set[str] = set()
    for index, group in enumerate(session.groups):
        add(f"session.groups[{index}]", check_text(group, GROUP_NAME_MAX, required=True))
        if group in seen_groups:
            add(f"session.groups[{index}]", f"{group!r} is listed twice")
        seen_groups.add(group)
    if len(session.priorities) > PRIORITIES_MAX:
        add("session.priorities", f"must have at most {PRIORITIES_MAX} items")
    first_place_of_action: dict[str, str] = {}
    if session.follows is not None and session.follows == session.id:
        add("session.follows", "a session cannot follow itself")
    for index, priority in enumerate(session.priorities):
        place = f"session.priorities[{index}]"
        add(f"{place}.title", check_text(priority.title, PRIORITY_TITLE_MAX, required=True))
        add(f"{place}.description", check_text(priority.description, PRIORITY_TEXT_MAX))
        add(f"{place}.notes", check_text(priority.notes, PRIORITY_TEXT_MAX))
        add(f"{place}.domains", check_domains(priority.domains))
        add(f"{place}.votes", check_votes(priority.votes))
        for lesson_index, slug in enumerate(priority.lessons):
            add(f"{place}.lessons[{lesson_index}]", check_text(slug, LESSON_SLUG_MAX, required=True))
        if priority.group is not None and priority.group not in seen_groups:
            add(f"{place}.group", f"{priority.group!r} is not one of the session's groups")
        for action_index, action in enumerate(priority.actions):
            action_place = f"{place}.actions[{action_index}]"
            add(f"{action_place}.what", check_text(action.what, ACTION_WHAT_MAX, required=True))
            add(f"{action_place}.who", check_text(action.who, SHORT_TEXT_MAX))
            add(f"{action_place}.when", check_text(action.when, SHORT_TEXT_MAX))
            add(f"{action_place}.status", check_status(action.status))
            add(f"{action_place}.progress", check_text(action.progress, ACTION_PROGRESS_MAX))
            if action.id in first_place_of_action:
                add(f"{action_place}.id", f"the same id as {first_place_of_action[action.id]}")
            first_place_of_action.setdefault(action.id, action_place)
    return problems
