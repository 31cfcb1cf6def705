"""The council database's schema: one schema in SQLAlchemy Core, upgraded by Alembic, refusing a
newer schema untouched, and agreeing with the laptop's SQLite store."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from conftest import run_cli
from sqlalchemy import create_engine

from nrp_desktop.storage import schema
from nrp_desktop.storage.council_db import head_revision
from nrp_desktop.storage.user_db import UPGRADES, UserDatabase


def _admin_engine(cluster, database: str):
    from postgres_cluster import SUPERUSER

    return create_engine(
        f"postgresql+psycopg://{SUPERUSER}@/{database}?host={cluster.socket_dir}&port={cluster.port}"
    )


def _tables(cluster, database: str) -> list[str]:
    rows = cluster.admin("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", database)
    return [row[0] for row in rows]


def test_upgrade_creates_exactly_the_core_schema_and_is_idempotent(
    postgres_cluster, council_db, council_urls, council_password
):
    council_password("owner")
    first = run_cli("council-db", "upgrade", "--to", council_urls["owner"])
    assert first.returncode == 0, first.stderr
    assert "none → 0004" in first.stdout
    assert set(_tables(postgres_cluster, council_db)) == {*schema.metadata.tables, "alembic_version"}

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with _admin_engine(postgres_cluster, council_db).connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), schema.metadata)
    assert differences == []

    again = run_cli("council-db", "upgrade", "--to", council_urls["owner"])
    assert again.returncode == 0, again.stderr
    assert "up to date (0004)" in again.stdout


def test_the_collation_indexes_are_there(postgres_cluster, council_db, council_urls, council_password):
    council_password("owner")
    assert run_cli("council-db", "upgrade", "--to", council_urls["owner"]).returncode == 0
    indexes = dict(postgres_cluster.admin(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'priorities'", council_db
    ))
    assert "WHERE is_current" in indexes["ix_priorities_current_date"]
    assert "(neighbourhood_key, session_date)" in indexes["ix_priorities_current_neighbourhood"]


def test_a_newer_schema_is_refused_and_left_untouched(
    postgres_cluster, council_db, council_urls, council_password
):
    council_password("owner")
    assert run_cli("council-db", "upgrade", "--to", council_urls["owner"]).returncode == 0
    postgres_cluster.admin("UPDATE alembic_version SET version_num = '9999'", council_db)
    before = postgres_cluster.admin(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
        "ORDER BY 1, 2", council_db)

    refused = run_cli("council-db", "upgrade", "--to", council_urls["owner"])
    assert refused.returncode == 2
    assert refused.stderr.strip().count("\n") == 0
    assert "newer version of NRP Desktop" in refused.stderr and "9999" in refused.stderr
    published = run_cli("publish", "--all", "--to", council_urls["owner"])
    assert published.returncode == 2 and "newer version" in published.stderr
    assert postgres_cluster.admin("SELECT version_num FROM alembic_version", council_db) == [("9999",)]
    assert postgres_cluster.admin(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'public' "
        "ORDER BY 1, 2", council_db) == before


def test_an_empty_database_is_reported_as_not_set_up(council_urls, council_password):
    council_password("reader")
    result = run_cli("collate", "--from", council_urls["reader"], "--json")
    assert result.returncode == 2
    assert "council-db upgrade" in result.stderr


def test_the_head_revision_is_the_newest_migration():
    versions = Path(schema.__file__).parent / "council_migrations" / "versions"
    assert head_revision() == max(p.name.split("_")[0] for p in versions.glob("[0-9]*.py"))


# The laptop's SQLite store and the Core schema: one schema in two forms.

_SQLITE_AFFINITY = {"TEXT": ("TEXT", "DATE", "TIMESTAMP", "VARCHAR"), "INTEGER": ("INTEGER", "BIGINT", "BOOLEAN")}
def _sqlite_columns(path: Path) -> dict[str, dict[str, str]]:
    connection = sqlite3.connect(path)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {
            table: {row[1]: row[2].upper() for row in connection.execute(f"PRAGMA table_info({table})")}
            for table in tables
        }
    finally:
        connection.close()


def test_the_laptop_store_and_the_core_schema_agree_on_tables_and_columns(tmp_path: Path):
    import datetime as dt

    UserDatabase(tmp_path / "s.sqlite3", tmp_path / "backups", dt.date(2027, 1, 1), upgrades=UPGRADES).close()
    laptop = _sqlite_columns(tmp_path / "s.sqlite3")
    core = {name: table for name, table in schema.metadata.tables.items() if name not in schema.COUNCIL_ONLY_TABLES}
    assert set(laptop) - schema.LAPTOP_ONLY_TABLES == set(core)
    for name, table in core.items():
        council_columns = {column.name: column for column in table.columns}
        shared = set(council_columns) - schema.COUNCIL_ONLY_COLUMNS.get(name, frozenset())
        assert set(laptop[name]) == shared, (name, set(laptop[name]) ^ shared)
        for column_name, declared in laptop[name].items():
            compiled = council_columns[column_name].type.compile(dialect=_pg_dialect()).upper()
            assert compiled.startswith(_SQLITE_AFFINITY[declared]), (name, column_name, declared, compiled)


def _pg_dialect():
    from sqlalchemy.dialects import postgresql

    return postgresql.dialect()


@pytest.mark.parametrize("url", [
    "postgresql://nrp_writer:hunter2@localhost/nrp",
    "postgresql://nrp_writer@localhost/nrp?password=hunter2",
])
def test_a_url_holding_a_password_is_refused_without_repeating_it(url: str):
    result = run_cli("council-db", "upgrade", "--to", url)
    assert result.returncode == 2
    assert "hunter2" not in result.stderr + result.stdout
    assert "NRP_DESKTOP_DB_PASSWORD" in result.stderr and ".pgpass" in result.stderr


def test_upgrading_from_0001_fills_the_collation_columns_from_the_child_rows(postgres_cluster, council_db):
    import datetime as dt

    from alembic import command

    from nrp_desktop.domain.collation_figures import title_choice
    from nrp_desktop.storage.council_db import _alembic_config

    engine = _admin_engine(postgres_cluster, council_db)
    with engine.connect() as connection, connection.begin():
        command.upgrade(_alembic_config(connection), "0001")
    postgres_cluster.admin(
        "INSERT INTO sessions (id, title, date, created_at, updated_at, revision, content_hash, published_at, "
        "neighbourhood_key) VALUES ('s1', 'Hall', '2027-01-02', now(), now(), 1, 'h', now(), 'bootle');"
        "INSERT INTO priorities (pk, session_id, id, position, title, votes, revision, title_key, session_date, "
        "neighbourhood_key) VALUES (1, 's1', 'p1', 0, 'Benches', 5, 1, 'bench', '2027-01-02', 'bootle'), "
        "(2, 's1', 'p2', 1, 'More benches', 2, 1, 'bench', '2027-01-02', 'bootle');"
        "INSERT INTO priority_domains VALUES (1, 0, 'economic-resources'), (1, 1, 'social-connectedness');"
        "INSERT INTO actions (priority_pk, position, what, status) VALUES (1, 0, 'a', 'done'), (1, 1, 'b', 'done'), "
        "(2, 0, 'c', 'agreed');"
        "INSERT INTO session_ratings VALUES ('s1', 1, 'governance-systems', 6), ('s1', 0, 'cultural-coherence', 2)",
        council_db,
    )
    with engine.connect() as connection, connection.begin():
        command.upgrade(_alembic_config(connection), "head")
    rows = postgres_cluster.admin(
        "SELECT pk, domain_mask, actions_agreed, actions_done, title_choice, first_of_key FROM priorities "
        "ORDER BY pk", council_db)
    assert rows == [
        (1, 0b101, 0, 2, title_choice(5, 1, dt.date(2027, 1, 2), "s1", "Benches"), True),
        (2, 0, 1, 0, title_choice(2, 2, dt.date(2027, 1, 2), "s1", "More benches"), False),
    ]
    # 0003 counts the running totals of what was published.
    totals = postgres_cluster.admin(
        "SELECT title_key, neighbourhood_key, month, priorities, votes, sessions, best_position, "
        "votes_social_connectedness, votes_economic_resources, actions_done, actions_agreed FROM priority_months",
        council_db)
    assert totals == [("bench", "bootle", dt.date(2027, 1, 1), 2, 7, 1, 0, 5, 5, 2, 1)]
    # 0004 sums them per year, and copies the current revision's scores onto the session.
    years = postgres_cluster.admin(
        "SELECT title_key, neighbourhood_key, year, priorities, votes, sessions, best_position, title_choice, "
        "votes_social_connectedness, votes_economic_resources, actions_done, actions_agreed FROM priority_years",
        council_db)
    assert years == [("bench", "bootle", dt.date(2027, 1, 1), 2, 7, 1, 0,
                      title_choice(5, 1, dt.date(2027, 1, 2), "s1", "Benches"), 5, 5, 2, 1)]
    scores = postgres_cluster.admin(
        "SELECT rating_governance_systems, rating_cultural_coherence, rating_social_connectedness FROM sessions",
        council_db)
    assert scores == [(6, None, None)]
