"""The council database (PostgreSQL, contract 5.2): connecting, the plain errors, schema upgrades.

A URL never carries a password (`parse_council_url` refuses one): the password is given to the
driver apart from the URL, or libpq finds it in `~/.pgpass` itself, so it is never in a URL that
is shown, logged or kept. Every failure the user can act on becomes a `CouncilDatabaseError` with
a `code` (for callers) and a plain message that names the database without any password.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_SECONDS = 10
_MIGRATIONS = Path(__file__).resolve().parent / "council_migrations"

# Error codes (the text is for people; callers decide by the code).
URL_HAS_PASSWORD = "url-has-password"
URL_INVALID = "url-invalid"
UNREACHABLE = "unreachable"
NO_PASSWORD = "no-password"
WRONG_PASSWORD = "wrong-password"
NO_DATABASE = "no-database"
REFUSED = "refused"  # the role may not do this
NOT_SET_UP = "not-set-up"  # no council schema: run `council-db upgrade`
NEEDS_UPGRADE = "needs-upgrade"  # an older council schema
TOO_NEW = "too-new"
CONFLICT = "conflict"  # someone else published the same session at the same moment
FAILED = "failed"

PASSWORD_ENV = "NRP_DESKTOP_DB_PASSWORD"

_MESSAGES = {
    URL_HAS_PASSWORD: "the URL {target} holds a password; leave it out and set "
                      f"{PASSWORD_ENV} or put it in ~/.pgpass instead",
    URL_INVALID: "{target} is not a council database URL (it looks like "
                 "postgresql://nrp_writer@council.example/nrp)",
    UNREACHABLE: "cannot reach the council database at {target} (no network, or the server is down); "
                 "nothing was changed",
    NO_PASSWORD: f"the council database at {{target}} needs a password: set {PASSWORD_ENV} or put it "
                 "in ~/.pgpass; nothing was changed",
    WRONG_PASSWORD: "the council database at {target} refused the password (or the role); nothing "
                    "was changed",
    NO_DATABASE: "there is no such database at {target}; nothing was changed",
    REFUSED: "the role in {target} is not allowed to {detail}; nothing was changed",
    NOT_SET_UP: "the council database at {target} has no NRP Desktop schema yet: the owner runs "
                "`nrp-desktop council-db upgrade --to URL` first",
    NEEDS_UPGRADE: "the council database at {target} has an older schema ({detail}): the owner runs "
                   "`nrp-desktop council-db upgrade --to URL` first",
    TOO_NEW: "the council database at {target} was set up by a newer version of NRP Desktop "
             "(schema {detail}); nothing was changed",
    CONFLICT: "someone else changed the same sessions in {target} at the same moment; nothing was "
              "changed: try again",
    FAILED: "the council database at {target} refused the request ({detail}); nothing was changed",
}


class CouncilDatabaseError(Exception):
    """A plain failure: `code` says which (see the module's constants), the message says it in
    words, naming the database by `target` (its URL without a password)."""

    def __init__(self, code: str, target: str, detail: str = "") -> None:
        self.code = code
        self.target = target
        self.detail = detail
        super().__init__(_MESSAGES[code].format(target=target, detail=detail))


def safe_target(url_text: str) -> str:
    """The URL as it may be shown: no password, no query (which could hold one)."""
    try:
        url = make_url(url_text)
    except exc.ArgumentError:
        return "(the URL given)"
    return url.set(password=None, query={}).render_as_string(hide_password=True)


def parse_council_url(url_text: str) -> URL:
    """The URL for the psycopg driver; refuses one with a password or that is not PostgreSQL."""
    try:
        url = make_url(url_text.strip())
    except exc.ArgumentError:
        raise CouncilDatabaseError(URL_INVALID, "(the URL given)") from None
    if url.password is not None or "password" in url.query:
        raise CouncilDatabaseError(URL_HAS_PASSWORD, safe_target(url_text))
    if url.get_backend_name() != "postgresql" or not url.database:
        raise CouncilDatabaseError(URL_INVALID, safe_target(url_text))
    return url.set(drivername="postgresql+psycopg")


def council_engine(url_text: str, password: str | None = None) -> Engine:
    """An engine for the council database (no connection is made yet). `password`: from the
    environment; None lets libpq look in ~/.pgpass."""
    url = parse_council_url(url_text)
    connect_args: dict[str, object] = {
        "connect_timeout": CONNECT_TIMEOUT_SECONDS,
        "application_name": "nrp-desktop",
    }
    if password:
        connect_args["password"] = password
    # NullPool: a command or a publish is one short visit; nothing stays connected.
    return create_engine(url, connect_args=connect_args, poolclass=NullPool)


def _classify(error: exc.DBAPIError) -> tuple[str, str]:
    """(code, detail) for a driver error. The detail never quotes the server's message whole
    (it may echo data); it names the operation or the SQLSTATE."""
    original = error.orig
    state = getattr(original, "sqlstate", None) or ""
    text = str(original)
    if state == "28P01" or "password authentication failed" in text:
        return WRONG_PASSWORD, ""
    if "no password supplied" in text:
        return NO_PASSWORD, ""
    if state == "3D000" or ("database" in text and "does not exist" in text):
        return NO_DATABASE, ""
    if state.startswith("28"):
        return WRONG_PASSWORD, ""
    if state == "42501":
        return REFUSED, "change these tables"
    if state == "42P01":
        return NOT_SET_UP, ""
    if state in ("23505", "40001", "40P01"):
        return CONFLICT, ""
    if isinstance(error, exc.OperationalError) and not state:
        return UNREACHABLE, ""
    return FAILED, f"SQLSTATE {state}" if state else "see the log"


@contextmanager
def plain_errors(target: str, doing: str = "") -> Iterator[None]:
    """Turn the driver's errors inside the block into CouncilDatabaseError. `doing` names the
    operation for a refused role ("publish sessions")."""
    try:
        yield
    except CouncilDatabaseError:
        raise
    except exc.DBAPIError as error:
        code, detail = _classify(error)
        if code == REFUSED and doing:
            detail = doing
        log.warning("council database %s: %s (%s)", target, code, type(error.orig).__name__)
        raise CouncilDatabaseError(code, target, detail) from None


# ---------------------------------------------------------------------------------------------
# Schema upgrades (Alembic, run from code).


def _alembic_config(connection: Connection):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@functools.cache
def _known_revisions() -> tuple[str, frozenset[str]]:
    """(the head revision, every revision this version knows), read once from the scripts."""
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(_alembic_config(None))  # type: ignore[arg-type]
    head = scripts.get_current_head()
    assert head is not None
    return head, frozenset(script.revision for script in scripts.walk_revisions())


def head_revision() -> str:
    return _known_revisions()[0]


def current_revision(connection: Connection) -> str | None:
    """The schema revision the database holds (None: no council schema)."""
    from alembic.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def check_revision(connection: Connection, target: str) -> None:
    """Refuse a database whose schema is not this version's (older or newer)."""
    found = current_revision(connection)
    head = head_revision()
    if found == head:
        return
    if found is None:
        raise CouncilDatabaseError(NOT_SET_UP, target)
    if _is_known(found):
        raise CouncilDatabaseError(NEEDS_UPGRADE, target, found)
    raise CouncilDatabaseError(TOO_NEW, target, found)


def _is_known(revision: str) -> bool:
    return revision in _known_revisions()[1]


def upgrade_schema(engine: Engine, target: str) -> tuple[str | None, str]:
    """Create or upgrade the council schema to this version's head, in one transaction.
    (revision before, revision after). A schema newer than this version is refused with
    TOO_NEW before anything is changed."""
    from alembic import command

    with plain_errors(target, "create or change tables (run the upgrade as the owner role)"), \
            engine.connect() as connection:
        before = current_revision(connection)
        connection.rollback()  # end the read's implicit transaction; the upgrade is its own
        if before is not None and not _is_known(before):
            raise CouncilDatabaseError(TOO_NEW, target, before)
        with connection.begin():
            command.upgrade(_alembic_config(connection), "head")
        return before, head_revision()
