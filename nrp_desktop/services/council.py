"""The council database's use cases (contract 5.2): set it up, publish to it, collate from it.

No Qt and no SQL here: the SQL lives in `storage/council_*.py`. Failures come as the storage
layer's `CouncilDatabaseError` (re-exported), whose `code` says which and whose message is plain
and never holds a password. The password itself comes from `NRP_DESKTOP_DB_PASSWORD`, else libpq
finds it in `~/.pgpass`; it is never put in a URL, a log or a file.

The laptop remembers what it published where (`published.json` in the data folder, written
atomically): the hash of each session's content per database. `changed_session_ids` is what
"Publish changes" sends. The council database compares hashes itself too, so a lost or stale
record only means an unchanged session is offered again and reported `unchanged`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nrp_desktop import paths
from nrp_desktop.domain.collation import CollationReport
from nrp_desktop.domain.collation_figures import CollationFigures, CollationFilter, figures_from_sessions
from nrp_desktop.domain.session import Session, SessionSummary
from nrp_desktop.services.session_source import SessionSource, load_sessions
from nrp_desktop.storage import council_collation, council_store
from nrp_desktop.storage.council_db import (
    NO_PASSWORD,
    PASSWORD_ENV,
    REFUSED,
    UNREACHABLE,
    WRONG_PASSWORD,
    CouncilDatabaseError,
    check_revision,
    council_engine,
    plain_errors,
    safe_target,
    upgrade_schema,
)
from nrp_desktop.storage.files import FileWriteError, atomic_write_bytes, atomic_write_text

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

__all__ = [
    "NO_PASSWORD",
    "PASSWORD_ENV",
    "REFUSED",
    "UNREACHABLE",
    "WRONG_PASSWORD",
    "CouncilDatabase",
    "CouncilDatabaseError",
    "CouncilSessions",
    "PublishResult",
    "changed_session_ids",
    "collate",
    "content_hash",
    "publish_sessions",
]

log = logging.getLogger(__name__)
PUBLISH_CHUNK = 100  # sessions written between two progress reports (all in one transaction)
Progress = Callable[[int, int], None]  # (sessions done, sessions in all)


def database_password() -> str | None:
    return os.environ.get(PASSWORD_ENV) or None


def content_hash(session: Session) -> str:
    """A fingerprint of everything the session holds (every field, in order), for telling an
    unchanged session from a changed one."""
    canonical = json.dumps(dataclasses.asdict(session), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


class CouncilDatabase:
    """One council database, by its password-free URL. Connects only while a call runs."""

    def __init__(self, url: str, password: str | None = None) -> None:
        """`password`: typed in the window (kept in memory only); None: NRP_DESKTOP_DB_PASSWORD,
        else libpq's ~/.pgpass."""
        self.target = safe_target(url)
        self._engine = council_engine(url, password or database_password())

    def close(self) -> None:
        self._engine.dispose()

    def __enter__(self) -> CouncilDatabase:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def upgrade(self) -> tuple[str | None, str]:
        """Create or upgrade the schema: (revision before, revision now)."""
        return upgrade_schema(self._engine, self.target)

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with plain_errors(self.target, "read the council tables"), self._engine.connect() as connection:
            connection = connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            with connection.begin():
                check_revision(connection, self.target)
                council_collation.prepare(connection)
                yield connection

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with plain_errors(self.target, "publish sessions"), self._engine.connect() as connection, \
                connection.begin():
            check_revision(connection, self.target)
            yield connection

    def publish(
        self, batch: Sequence[council_store.Publication], progress: Progress | None = None
    ) -> dict[str, str]:
        """Store the batch in one transaction (all or nothing): {id: new | updated | unchanged}."""
        now = dt.datetime.now(dt.UTC)
        statuses: dict[str, str] = {}
        with self._write() as connection:
            for start in range(0, len(batch), PUBLISH_CHUNK):
                statuses.update(council_store.publish(connection, batch[start : start + PUBLISH_CHUNK], now))
                if progress is not None:
                    progress(min(start + PUBLISH_CHUNK, len(batch)), len(batch))
        return statuses

    def figures(self, where: CollationFilter) -> CollationFigures:
        with self._read() as connection:
            return council_collation.figures(connection, where)

    def report(self, where: CollationFilter, top: int | None = None) -> tuple[CollationFigures, CollationReport]:
        """The figures, and the printable collation of the `top` best priorities (None: all)."""
        with self._read() as connection:
            figures = council_collation.figures(connection, where)
            sessions = council_collation.report_sessions(connection, where)
            ranked = list(figures.priorities if top is None else figures.priorities[:top])
            priorities = council_collation.report_priorities(connection, where, ranked)
        return figures, CollationReport(tuple(sessions), tuple(priorities))

    def list_sessions(self) -> list[SessionSummary]:
        with self._read() as connection:
            return council_store.list_summaries(connection)

    def load_session(self, session_id: str) -> Session | None:
        with self._read() as connection:
            return council_store.fetch_session(connection, session_id)


class CouncilSessions:
    """The council database as a `SessionSource` (read only)."""

    def __init__(self, url: str) -> None:
        self.database = CouncilDatabase(url)

    def list_sessions(self) -> list[SessionSummary]:
        return self.database.list_sessions()

    def load_session(self, session_id: str) -> Session:
        from nrp_desktop.services.sessions import SessionNotFound

        session = self.database.load_session(session_id)
        if session is None:
            raise SessionNotFound(session_id)
        return session

    def session_exists(self, session_id: str) -> bool:
        return self.database.load_session(session_id) is not None

    def close(self) -> None:
        self.database.close()


# ---------------------------------------------------------------------------------------------
# What this laptop published where.

_RECORD_FORMAT = "nrp-published"


def _read_record(path: Path) -> dict[str, dict[str, str]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as error:
        log.warning("ignoring the record of published sessions %s: %s", path, error)
        return {}
    if not isinstance(data, dict) or data.get("format") != _RECORD_FORMAT:
        return {}
    if not isinstance(data.get("databases"), dict):
        return {}
    return {
        str(target): {str(k): str(v) for k, v in hashes.items()}
        for target, hashes in data["databases"].items()
        if isinstance(hashes, dict)
    }


def published_hashes(url: str) -> dict[str, str]:
    """{session id: content hash} as this laptop last published them to `url`'s database."""
    return _read_record(paths.published_record_path()).get(safe_target(url), {})


def _remember(target: str, hashes: dict[str, str]) -> None:
    path = paths.published_record_path()
    record = _read_record(path)
    record.setdefault(target, {}).update(hashes)
    try:
        paths.ensure_data_dir()
        atomic_write_text(path, json.dumps({"format": _RECORD_FORMAT, "version": 1, "databases": record},
                                           ensure_ascii=False, indent=1, sort_keys=True))
    except (OSError, FileWriteError) as error:
        # The sessions are published; only the laptop's memory of it is stale, and the next
        # "Publish changes" offers them again (the database reports them unchanged).
        log.warning("could not record the published sessions in %s: %s", path, error)


def changed_session_ids(source: SessionSource, url: str) -> list[str]:
    """The stored sessions that are new or changed since this laptop last published them to
    `url`'s database (newest first): what "Publish changes" sends."""
    known = published_hashes(url)
    return [
        summary.id for summary in source.list_sessions()
        if known.get(summary.id) != content_hash(source.load_session(summary.id))
    ]


@dataclass(frozen=True)
class PublishResult:
    id: str
    status: str  # new | updated | unchanged


def publish_sessions(
    source: SessionSource,
    ids: Sequence[str] | None,
    url: str,
    progress: Progress | None = None,
    password: str | None = None,
) -> list[PublishResult]:
    """Publish the stored sessions named (None: all) to `url`'s database, in one transaction.
    `SessionNotFound` (before anything is sent) for an id that is not stored."""
    summaries = {summary.id: summary for summary in source.list_sessions()}
    chosen = list(summaries) if ids is None else list(dict.fromkeys(ids))
    from nrp_desktop.services.sessions import SessionNotFound

    for session_id in chosen:
        if session_id not in summaries:
            raise SessionNotFound(session_id)
    now = dt.datetime.now(dt.UTC)
    batch = []
    for session in load_sessions(source, chosen):
        updated = summaries[session.id].updated_at or now
        batch.append(council_store.Publication(session, content_hash(session), updated))
    with CouncilDatabase(url, password) as database:
        statuses = database.publish(batch, progress)
        target = database.target
    _remember(target, {item.session.id: item.content_hash for item in batch})
    return [PublishResult(session_id, statuses[session_id]) for session_id in chosen]


# ---------------------------------------------------------------------------------------------
# Collation from either source.


def collate(
    where: CollationFilter, url: str | None = None, source: SessionSource | None = None
) -> CollationFigures:
    """The figures: computed by the council database at `url`, else from `source`'s sessions."""
    if url is not None:
        with CouncilDatabase(url) as database:
            return database.figures(where)
    assert source is not None
    return figures_from_sessions(load_sessions(source), where)


def collate_report(
    where: CollationFilter,
    url: str | None = None,
    source: SessionSource | None = None,
    password: str | None = None,
    top: int | None = None,
) -> tuple[CollationFigures, CollationReport]:
    """The figures and the printable collation (as the laptop's Compare halls prints it).
    From the council database: `password` typed in the window (None: the environment or
    ~/.pgpass); `top`: only the best priorities in the printable part (the figures have all)."""
    if url is not None:
        with CouncilDatabase(url, password) as database:
            return database.report(where, top)
    assert source is not None
    from nrp_desktop.services.collate import collate as group_priorities
    from nrp_desktop.services.collation_pdf import collation_report

    sessions = sorted((s for s in load_sessions(source) if where.admits(s)), key=lambda s: (s.date, s.id))
    return figures_from_sessions(sessions), collation_report(group_priorities(sessions))


def _field(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def figures_csv(figures: CollationFigures) -> str:
    """The figures as one table ("what, item, value, n"), for spreadsheets."""
    import csv
    import io

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(("What", "Item", "Value", "N"))
    writer.writerow(("sessions", "", figures.sessions, ""))
    writer.writerow(("participants", "", "" if figures.participants is None else figures.participants, ""))
    for slug, rating in figures.ratings.items():
        writer.writerow(("compass mean", slug, "" if rating.mean is None else rating.mean, rating.n))
    for slug, votes in figures.domain_votes.items():
        writer.writerow(("domain votes", slug, votes, ""))
    for status, count in figures.actions.items():
        writer.writerow(("actions", status, count, ""))
    for priority in figures.priorities:
        writer.writerow(("priority", _field(priority.title), priority.votes, priority.sessions))
    return buffer.getvalue()


def write_figures_csv(figures: CollationFigures, path: Path) -> Path:
    """UTF-8 with a BOM (so spreadsheets read any script), written atomically."""
    return atomic_write_text(path, figures_csv(figures), encoding="utf-8-sig")


def write_report_pdf(report: CollationReport, path: Path) -> Path:
    """The printed collation (the same layout as Compare halls prints), written atomically."""
    from nrp_desktop.reports.collation import build_collation_pdf

    return atomic_write_bytes(path, build_collation_pdf(report))
