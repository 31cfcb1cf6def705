"""The private PostgreSQL cluster the council tests run on: it runs, and has the README's roles."""

from __future__ import annotations


def test_the_private_cluster_has_the_three_roles_and_a_fresh_database(postgres_cluster, council_db):
    roles = {row[0] for row in postgres_cluster.admin("SELECT rolname FROM pg_roles WHERE rolname LIKE 'nrp_%'")}
    assert {"nrp_owner", "nrp_writer", "nrp_reader"} <= roles
    owner = postgres_cluster.admin(
        f"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{council_db}'"
    )
    assert owner == [("nrp_owner",)]
