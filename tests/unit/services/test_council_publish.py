"""Publishing to the council database: idempotent by id and content, all or nothing, least
privilege, and plain one-line failures that never show the password."""

from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import run_cli
from council_samples import sample_sessions
from postgres_cluster import PASSWORDS

from nrp_desktop.services import council
from nrp_desktop.services.council import CouncilDatabase, CouncilDatabaseError, CouncilSessions, publish_sessions
from nrp_desktop.services.session_source import SessionSource
from nrp_desktop.services.sessions import SessionNotFound, SessionStore


@pytest.fixture
def upgraded(council_urls, council_password) -> dict[str, str]:
    council_password("owner")
    with CouncilDatabase(council_urls["owner"]) as database:
        database.upgrade()
    council_password("writer")
    return council_urls


@pytest.fixture
def store():
    with SessionStore() as opened:
        for session in sample_sessions():
            opened.save_session(session)
        yield opened


def _counts(cluster, database: str) -> dict[str, int]:
    tables = ("sessions", "session_ratings", "session_groups", "priorities", "priority_domains", "actions")
    return {table: cluster.admin(f"SELECT count(*) FROM {table}", database)[0][0] for table in tables}


def test_both_stores_are_session_sources(store, upgraded):
    assert isinstance(store, SessionSource)
    assert isinstance(CouncilSessions(upgraded["reader"]), SessionSource)


def test_publish_new_then_unchanged_then_updated_by_content(store, upgraded, postgres_cluster, council_db):
    ids = [s.id for s in sample_sessions()]
    first = publish_sessions(store, ids, upgraded["writer"])
    assert [(r.id, r.status) for r in first] == [(i, "new") for i in ids]
    after_first = _counts(postgres_cluster, council_db)
    assert after_first["sessions"] == 4 and after_first["priorities"] == 8

    again = publish_sessions(store, None, upgraded["writer"])
    assert {r.status for r in again} == {"unchanged"}
    assert _counts(postgres_cluster, council_db) == after_first  # nothing written

    store.rename_session(ids[0], "Spring in Bootle (typed up)")
    store.set_votes(ids[0], store.load_session(ids[0]).priorities[0].id, 11)
    third = publish_sessions(store, None, upgraded["writer"])
    assert {r.id: r.status for r in third}[ids[0]] == "updated"
    assert [r.status for r in third].count("unchanged") == 3
    assert postgres_cluster.admin(
        f"SELECT title, revision FROM sessions WHERE id = '{ids[0]}'", council_db) == [
        ("Spring in Bootle (typed up)", 2)]
    # The earlier revision stays as history but no longer counts.
    assert postgres_cluster.admin(
        f"SELECT revision, is_current, count(*) FROM priorities WHERE session_id = '{ids[0]}' "
        "GROUP BY 1, 2 ORDER BY 1", council_db) == [(1, False, 3), (2, True, 3)]

    # Read back through the seam: the very session the laptop holds.
    read_back = CouncilSessions(upgraded["writer"]).load_session(ids[0])
    assert read_back == store.load_session(ids[0])
    listed = CouncilSessions(upgraded["writer"]).list_sessions()
    assert [(s.id, s.priorities) for s in listed] == [(s.id, s.priorities) for s in store.list_sessions()]


def test_the_laptop_remembers_what_it_published_so_only_changes_are_sent(store, upgraded):
    ids = [s.id for s in sample_sessions()]
    assert council.changed_session_ids(store, upgraded["writer"]) == [s.id for s in store.list_sessions()]
    publish_sessions(store, ids[:2], upgraded["writer"])
    assert set(council.changed_session_ids(store, upgraded["writer"])) == set(ids[2:])
    store.set_rating(ids[1], "governance-systems", 6)
    assert set(council.changed_session_ids(store, upgraded["writer"])) == {ids[1], *ids[2:]}
    # Another database has its own record.
    assert len(council.changed_session_ids(store, upgraded["writer"].replace("nrp_", "xnrp_"))) == 4


def test_a_batch_is_all_or_nothing(store, upgraded, postgres_cluster, council_db, monkeypatch):
    from nrp_desktop.storage import council_store

    real_insert = council_store._insert_children
    calls = []

    def fail_on_second_chunk(connection, batch):
        calls.append(len(batch))
        if len(calls) == 2:
            raise RuntimeError("the wire was cut")
        return real_insert(connection, batch)

    monkeypatch.setattr(council, "PUBLISH_CHUNK", 2)
    monkeypatch.setattr(council_store, "_insert_children", fail_on_second_chunk)
    with pytest.raises(RuntimeError):
        publish_sessions(store, None, upgraded["writer"])
    assert _counts(postgres_cluster, council_db)["sessions"] == 0
    assert council.published_hashes(upgraded["writer"]) == {}


def test_an_unknown_id_sends_nothing(store, upgraded, postgres_cluster, council_db):
    with pytest.raises(SessionNotFound):
        publish_sessions(store, [sample_sessions()[0].id, "no-such-session"], upgraded["writer"])
    assert _counts(postgres_cluster, council_db)["sessions"] == 0


def test_the_writer_may_not_delete_or_drop_and_the_reader_may_not_write(
    store, upgraded, postgres_cluster, council_db, council_password
):
    import psycopg

    publish_sessions(store, None, upgraded["writer"])

    def as_role(role: str, sql: str) -> None:
        with psycopg.connect(host=postgres_cluster.host, port=postgres_cluster.port, user=role,
                             password=PASSWORDS[role], dbname=council_db, autocommit=True) as connection:
            connection.execute(sql)

    for sql in ("DELETE FROM sessions", "DELETE FROM priorities", "DROP TABLE sessions",
                "TRUNCATE sessions CASCADE", "CREATE TABLE x (y int)", "ALTER TABLE sessions ADD COLUMN z int"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            as_role("nrp_writer", sql)
    for sql in ("UPDATE sessions SET title = 'x'", "INSERT INTO session_groups VALUES ('a', 1, 0, 'b')",
                "DELETE FROM actions"):
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            as_role("nrp_reader", sql)
    assert _counts(postgres_cluster, council_db)["sessions"] == 4

    # And through the app: the reader cannot publish; one plain line, both databases as they were.
    store.rename_session(sample_sessions()[0].id, "Changed")
    council_password("reader")
    with pytest.raises(CouncilDatabaseError) as refused:
        publish_sessions(store, None, upgraded["reader"])
    assert refused.value.code == "refused"
    assert postgres_cluster.admin(
        f"SELECT title FROM sessions WHERE id = '{sample_sessions()[0].id}'", council_db) == [("Spring in Bootle",)]


def _snapshot(cluster, database: str, data_dir) -> tuple:
    published = data_dir / "published.json"
    return (
        _counts(cluster, database),
        published.read_bytes() if published.exists() else None,
        (data_dir / "sessions.sqlite3").read_bytes(),
    )


@pytest.mark.parametrize("case", ["wrong password", "no password", "no network", "no such database"])
def test_failures_are_one_plain_line_exit_2_and_change_nothing(
    case, store, upgraded, postgres_cluster, council_db, isolated_data_dir, tmp_path
):
    url = upgraded["writer"]
    env = {"NRP_DESKTOP_DB_PASSWORD": PASSWORDS["nrp_writer"], "HOME": str(tmp_path / "nobody")}
    if case == "wrong password":
        env["NRP_DESKTOP_DB_PASSWORD"] = "not-the-Secret-9"
    elif case == "no password":
        env["NRP_DESKTOP_DB_PASSWORD"] = ""
    elif case == "no network":
        url = url.replace(str(postgres_cluster.port), "1")  # nothing listens on port 1
    else:
        url = url.rsplit("/", 1)[0] + "/no_such_db"
    store.close()
    before = _snapshot(postgres_cluster, council_db, isolated_data_dir)
    result = run_cli("publish", "--all", "--to", url, "--json", env=env)
    assert result.returncode == 2, result.stderr
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nrp-desktop: publish: ")
    assert "nothing was changed" in lines[0]
    for secret in ("not-the-Secret-9", *PASSWORDS.values()):
        assert secret not in result.stderr
        assert secret not in (isolated_data_dir / "logs" / "nrp-desktop.log").read_text()
    assert _snapshot(postgres_cluster, council_db, isolated_data_dir) == before
    expected = {"wrong password": "refused the password", "no password": "needs a password",
                "no network": "cannot reach", "no such database": "no such database"}[case]
    assert expected in lines[0]


def test_the_password_can_come_from_pgpass(store, upgraded, postgres_cluster, tmp_path, council_db):
    home = tmp_path / "officer"
    home.mkdir()
    pgpass = home / ".pgpass"
    pgpass.write_text(f"{postgres_cluster.host}:{postgres_cluster.port}:{council_db}:nrp_writer:"
                      f"{PASSWORDS['nrp_writer']}\n")
    pgpass.chmod(0o600)
    store.close()
    result = run_cli("publish", "--all", "--to", upgraded["writer"], "--json",
                     env={"HOME": str(home), "NRP_DESKTOP_DB_PASSWORD": ""})
    assert result.returncode == 0, result.stderr
    assert {row["status"] for row in json.loads(result.stdout)} == {"new"}


def test_publish_command_json_shape_and_changed_option(store, upgraded):
    store.close()
    ids = [s.id for s in sample_sessions()]
    first = run_cli("publish", ids[2], ids[0], "--to", upgraded["writer"], "--json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == [{"id": ids[2], "status": "new"}, {"id": ids[0], "status": "new"}]
    changed = run_cli("publish", "--changed", "--to", upgraded["writer"], "--json")
    assert sorted(row["id"] for row in json.loads(changed.stdout)) == sorted([ids[1], ids[3]])
    assert run_cli("publish", "--changed", "--to", upgraded["writer"]).stdout.strip() == "Nothing to publish."
    both = run_cli("publish", ids[0], "--all", "--to", upgraded["writer"])
    assert both.returncode == 2


def test_content_hash_sees_every_field():
    session = sample_sessions()[0]
    base = council.content_hash(session)
    assert council.content_hash(dataclasses.replace(session)) == base
    changed = dataclasses.replace(session, priorities=[*session.priorities[:2]])
    assert council.content_hash(changed) != base
