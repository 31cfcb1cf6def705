"""Sessions as CSV for spreadsheets (issue 6): one row per priority, in ranking order.

The file is UTF-8 with a byte-order mark, because spreadsheet programs (Excel above all) read a
CSV without one in the computer's local code page and garble Polish, Urdu or emoji. A cell that a
spreadsheet would take for a formula (starting with = + - @, or a tab or carriage return) gets a
leading apostrophe, so a priority typed as "=HYPERLINK(…)" stays text when a council officer
opens the file.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable
from pathlib import Path

from nrp_desktop.domain.domains import domain_by_slug, is_domain
from nrp_desktop.domain.session import Action, Priority, Session
from nrp_desktop.storage.files import atomic_write_text

__all__ = [
    "CSV_HEADER",
    "sessions_to_csv",
    "write_session_csv",
    "write_sessions_csv",
]

CSV_HEADER: tuple[str, ...] = (
    "Session id",
    "Session",
    "Date",
    "Venue",
    "Neighbourhood",
    "Rank",
    "Priority",
    "Votes",
    "Domains",
    "Group",
    "Actions",
    "Linked lessons",
    # Added with contract §5.1 and issue 12.8, after the first columns so sheets built on
    # those still line up.
    "Action status",  # one per action, in the order of "Actions"
    "Votes by table",
)
LIST_SEPARATOR = "; "
ACTION_PART_SEPARATOR = " — "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def sessions_to_csv(sessions: Iterable[Session], lesson_titles: dict[str, str]) -> str:
    """The CSV text (header, then one row per priority of each session), without the BOM.

    `lesson_titles` maps lesson slugs to titles; a slug it does not know is shown as itself.
    Write it with `write_sessions_csv`, which adds the byte-order mark.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 line ends
    writer.writerow(CSV_HEADER)
    for session in sessions:
        for rank, priority in enumerate(session.priorities, start=1):
            writer.writerow(_row(session, rank, priority, lesson_titles))
    return buffer.getvalue()


def write_sessions_csv(
    sessions: Iterable[Session], path: str | os.PathLike[str], lesson_titles: dict[str, str]
) -> Path:
    """Write the sessions' CSV atomically, as UTF-8 with a BOM; FileWriteError if it cannot."""
    return atomic_write_text(path, sessions_to_csv(sessions, lesson_titles), encoding="utf-8-sig")


def write_session_csv(
    session: Session, path: str | os.PathLike[str], lesson_titles: dict[str, str]
) -> Path:
    return write_sessions_csv([session], path, lesson_titles)


def _row(
    session: Session, rank: int, priority: Priority, lesson_titles: dict[str, str]
) -> list[str | int]:
    domains = [domain_by_slug(slug).name if is_domain(slug) else slug for slug in priority.domains]
    lessons = [lesson_titles.get(slug, slug) for slug in priority.lessons]
    texts = [
        session.id,
        session.title.strip(),
        session.date.isoformat(),
        session.venue.strip(),
        session.neighbourhood.strip(),
    ]
    return [
        *(_safe_cell(text) for text in texts),
        rank,
        _safe_cell(priority.title.strip()),
        priority.votes,
        _safe_cell(LIST_SEPARATOR.join(domains)),
        _safe_cell((priority.group or "").strip()),
        _safe_cell(LIST_SEPARATOR.join(_action_text(action) for action in priority.actions)),
        _safe_cell(LIST_SEPARATOR.join(lessons)),
        LIST_SEPARATOR.join(action.status for action in priority.actions),
        _safe_cell(LIST_SEPARATOR.join(
            f"{table.strip()}: {count}" for table, count in priority.table_votes.items() if count
        )),
    ]


def _action_text(action: Action) -> str:
    parts = (action.what.strip(), action.who.strip(), action.when.strip())
    return ACTION_PART_SEPARATOR.join(part for part in parts if part)


def _safe_cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
