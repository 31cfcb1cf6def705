"""What the session editor's models and views say about a session: item roles, plain refusals,
domain marks, vote counts, default titles."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import IntEnum

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

from nrp_desktop import i18n
from nrp_desktop.domain.domains import domain_by_slug, is_domain
from nrp_desktop.ui.theme import ink

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
        f'<span style="background-color:{ink(d.tint)}; color:{ink("#1A1A1A")};">&nbsp;<b>{d.mark}</b>&nbsp;</span>'
        for d in (domain_by_slug(slug) for slug in domains if is_domain(slug))
    )


def marks_text(domains: Sequence[str]) -> str:
    return " ".join(domain_by_slug(slug).mark for slug in domains if is_domain(slug))


def domain_names(domains: Sequence[str]) -> str:
    return ", ".join(i18n.gettext(domain_by_slug(slug).name) for slug in domains if is_domain(slug))


def votes_text(votes: int) -> str:
    return i18n.ngettext("{n} vote", "{n} votes", votes)


def priorities_text(count: int) -> str:
    return i18n.ngettext("{n} priority", "{n} priorities", count)


def default_session_title(day: dt.date) -> str:
    return i18n.gettext("Workshop {date}").format(date=i18n.format_date(day, "long"))
