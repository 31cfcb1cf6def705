"""A private, throw-away PostgreSQL cluster for the council-database tests.

`initdb` and `pg_ctl` from the Debian/Ubuntu `postgresql` package (installed by
`scripts/setup.sh --test`) make a cluster in a temporary folder, listening on a free local port
and on a private socket folder; it is stopped and removed when the test session ends. PostgreSQL
refuses to run as root (CI runs as root): then the server runs as the `postgres` user the package
creates. Nothing is skipped: a missing server is a test failure saying what to install.

Authentication: the socket is `trust` (only the test's own superuser uses it, to set things up);
TCP on 127.0.0.1 needs a password (scram), so the tests see the same password handling as a
council's server.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

SUPERUSER = "nrp_admin"
OWNER, WRITER, READER = "nrp_owner", "nrp_writer", "nrp_reader"
PASSWORDS = {OWNER: "owner-Secret-1", WRITER: "writer-Secret-2", READER: "reader-Secret-3"}
_README = Path(__file__).resolve().parents[1] / "README.md"


class ServerMissing(RuntimeError):
    pass


def _bin_dir() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4]))
    if not found:
        raise ServerMissing(
            "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb): run "
            "`bash scripts/setup.sh --test`, which installs the `postgresql` package"
        )
    return Path(found[-1]).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def readme_sql(name: str) -> str:
    """The SQL block of the README marked `<!-- council-sql: NAME -->`: the tests run exactly
    what an administrator is told to run."""
    text = _README.read_text(encoding="utf-8")
    match = re.search(rf"<!-- council-sql: {re.escape(name)} -->\s*```sql\n(.*?)```", text, re.S)
    if match is None:
        raise AssertionError(f"README.md has no SQL block marked council-sql: {name}")
    return match.group(1)


@dataclass
class PostgresCluster:
    root: Path
    port: int
    bin_dir: Path
    run_as: str | None  # the OS user the server runs as (None: this process's user)
    databases: list[str] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)  # more server settings (the benchmark's)

    host = "127.0.0.1"

    @property
    def socket_dir(self) -> Path:
        return self.root / "socket"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.run_as, "--"] if self.run_as else []
        result = subprocess.run([*prefix, *command], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {result.stderr.strip() or result.stdout.strip()}")

    def start(self) -> None:
        for folder in (self.root, self.socket_dir):
            folder.mkdir(exist_ok=True)
            if self.run_as:
                entry = pwd.getpwnam(self.run_as)
                os.chown(folder, entry.pw_uid, entry.pw_gid)
        self._run(
            str(self.bin_dir / "initdb"), "-D", str(self.data_dir), "-U", SUPERUSER,
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
        )
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.socket_dir} -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=50"
            + "".join(f" -c {name}={value}" for name, value in self.settings.items())
        )
        self._run(
            str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-l", str(self.root / "server.log"),
            "-o", options, "-w", "-t", "60", "start",
        )
        self.admin(readme_sql("roles"))
        for role, password in PASSWORDS.items():
            self.admin(f"ALTER ROLE {role} PASSWORD '{password}'")

    def stop(self) -> None:
        with contextlib.suppress(Exception):
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def admin(self, sql: str, database: str = "postgres") -> list[tuple]:
        """Run SQL as the cluster's superuser over the private socket; the rows of the last
        statement that returned any."""
        import psycopg

        rows: list[tuple] = []
        with psycopg.connect(
            host=str(self.socket_dir), port=self.port, user=SUPERUSER, dbname=database, autocommit=True
        ) as connection:
            cursor = connection.execute(sql)
            if cursor.description is not None:
                rows = cursor.fetchall()
        return rows

    def new_database(self) -> str:
        """A fresh, empty database owned by the owner role and set up with the README's SQL."""
        name = f"nrp_{uuid.uuid4().hex[:12]}"
        self.admin(f"CREATE DATABASE {name} OWNER {OWNER}")
        self.admin(readme_sql("database"), database=name)
        self.databases.append(name)
        return name

    def url(self, role: str, database: str) -> str:
        """The URL a person would type: no password in it."""
        return f"postgresql://{role}@{self.host}:{self.port}/{database}"


def start_cluster(settings: dict[str, str] | None = None) -> PostgresCluster:
    bin_dir = _bin_dir()
    run_as: str | None = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            raise ServerMissing("running as root, and there is no `postgres` user to run the server as") from None
        run_as = "postgres"
    root = Path(tempfile.mkdtemp(prefix="nrp-pg-"))
    cluster = PostgresCluster(root=root, port=_free_port(), bin_dir=bin_dir, run_as=run_as, settings=settings or {})
    try:
        cluster.start()
    except BaseException:
        cluster.stop()
        raise
    return cluster
