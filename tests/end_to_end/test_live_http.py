"""Votes from phones over real HTTP on loopback: the contract's interface (§5.4), hostile
requests, the `live` command, and a hundred phones voting at once."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from live_client import Phone

from nrp_desktop import paths
from nrp_desktop.domain.session import Priority
from nrp_desktop.services.live_server import (
    CONTENT_SECURITY_POLICY,
    MAX_BODY_BYTES,
    LiveServer,
    LiveServerError,
    load_page,
)
from nrp_desktop.services.live_votes import WRONG_CODES_ALLOWED, LiveVoting, StoreVoteSink
from nrp_desktop.services.sessions import SessionStore

TITLES = ["Safer crossing by the school", "A youth club on Fridays", "Fix the bus shelter", "Clean the brook"]


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SessionStore]:
    with SessionStore(tmp_path / "sessions.sqlite3", backups_dir=tmp_path / "backups") as opened:
        yield opened


@pytest.fixture
def session_id(store: SessionStore) -> str:
    session = store.create_session("Hall meeting", dt.date(2026, 12, 1))
    for votes, title in enumerate(TITLES):
        store.add_priority(session.id, Priority(title=title, votes=votes))
    return session.id


class Running:
    def __init__(self, store: SessionStore, session_id: str, dots: int = 3) -> None:
        self.voting = LiveVoting(StoreVoteSink(store, session_id), dots=dots)
        self.server = LiveServer(self.voting, load_page(), "127.0.0.1", 0)
        self.url = self.server.start()
        self.store = store
        self.session_id = session_id

    def phone(self, join: bool = True) -> Phone:
        phone = Phone(self.url)
        if join:
            assert phone.join(self.voting.code) == 200
        return phone

    def stored_votes(self) -> dict[str, int]:
        return {p.title: p.votes for p in self.store.load_session(self.session_id).priorities}

    def ids(self) -> list[str]:
        return [p.id for p in self.store.load_session(self.session_id).priorities]


@pytest.fixture
def live(store: SessionStore, session_id: str) -> Iterator[Running]:
    running = Running(store, session_id)
    yield running
    running.server.stop()


def test_the_contract_interface(live: Running):
    phone = live.phone(join=False)
    status, joined = phone.call("POST", "/api/join", {"code": live.voting.code})
    assert status == 200 and set(joined) == {"token", "dots"} and joined["dots"] == 3
    phone.token = joined["token"]

    status, rows = phone.call("GET", "/api/priorities")
    assert status == 200
    assert [(r["title"], r["votes"], r["mine"]) for r in rows] == [(t, n, 0) for n, t in enumerate(TITLES)]
    assert all(set(r) == {"id", "title", "votes", "mine"} for r in rows)
    first, second = rows[0]["id"], rows[1]["id"]

    assert phone.call("POST", "/api/dots", {"priority_id": first}) == (200, {"dots_left": 2})
    assert phone.call("POST", "/api/dots", {"priority_id": first}) == (200, {"dots_left": 1})
    assert phone.call("POST", "/api/dots", {"priority_id": "no-such-priority"})[0] == 404
    assert phone.call("POST", "/api/dots", {"priority_id": second}) == (200, {"dots_left": 0})
    assert phone.call("POST", "/api/dots", {"priority_id": second})[0] == 409
    assert phone.call("DELETE", f"/api/dots/{first}") == (200, {"dots_left": 1})
    assert live.stored_votes()[TITLES[0]] == 1 and live.stored_votes()[TITLES[1]] == 2  # stored at once

    status, rows = phone.call("GET", "/api/priorities")
    assert [(r["votes"], r["mine"]) for r in rows[:2]] == [(1, 1), (2, 1)]
    other = live.phone()
    assert [r["mine"] for r in other.call("GET", "/api/priorities")[1]] == [0, 0, 0, 0]  # mine is per phone

    status, _ = phone.call("POST", "/api/ideas", {"title": "Lights on the footpath"})
    assert status == 202
    assert [idea.title for idea in live.voting.waiting_ideas()] == ["Lights on the footpath"]
    assert "Lights on the footpath" not in live.stored_votes()  # never added unseen

    assert Phone(live.url).join("not-it") == 403


def test_every_api_request_without_a_valid_token_is_401(live: Running, store: SessionStore, session_id: str):
    elsewhere = Running(store, session_id)  # a token from another run of the server
    stranger = elsewhere.phone()
    elsewhere.server.stop()
    priority = live.ids()[0]
    requests = [
        ("GET", "/api/priorities", None), ("POST", "/api/dots", {"priority_id": priority}),
        ("DELETE", f"/api/dots/{priority}", None), ("POST", "/api/ideas", {"title": "x"}),
        ("GET", "/api/", None), ("GET", "/api/nothing-here", None), ("PUT", "/api/dots", None),
        ("GET", "/api", None),
    ]
    for authorization in (None, "Bearer ", "Bearer forged-token-1234567890", "Basic dXNlcjpwYXNz",
                          f"Bearer {stranger.token}", "bearer"):
        phone = Phone(live.url)
        for method, path, payload in requests:
            body = None if payload is None else json.dumps(payload).encode()
            headers = {} if authorization is None else {"Authorization": authorization}
            status, data, _ = phone.raw(method, path, body, headers)
            assert status == 401, (authorization, method, path)
            assert json.loads(data) == {"error": "unauthorized"}
    assert live.stored_votes() == {t: n for n, t in enumerate(TITLES)}


def test_wrong_codes_are_403_then_429_even_for_the_right_code(live: Running):
    phone = Phone(live.url)
    wrong = "000000" if live.voting.code != "000000" else "111111"
    assert [phone.join(wrong) for _ in range(WRONG_CODES_ALLOWED)] == [403] * WRONG_CODES_ALLOWED
    status, _data, headers = phone.raw("POST", "/api/join", json.dumps({"code": live.voting.code}).encode())
    assert status == 429 and headers["retry-after"] and phone.token is None


@pytest.mark.parametrize("body", [
    b"", b"not json", b"{", b"[]", b'"a string"', b"\xff\xfe\x00", b"null", b'{"code": ',
])
def test_bad_json_is_400(live: Running, body: bytes):
    phone = live.phone()
    for path in ("/api/join", "/api/dots", "/api/ideas"):
        token = None if path == "/api/join" else phone.token
        status, _data, _ = phone.raw("POST", path, body, {"Authorization": f"Bearer {token}"} if token else {})
        assert status == 400, (path, body)


@pytest.mark.parametrize("payload", [
    {"priority_id": 5}, {"priority_id": None}, {"priority_id": ["x"]}, {}, {"priority_id": "x" * 1000},
])
def test_wrong_types_in_a_vote_are_refused(live: Running, payload: dict[str, object]):
    phone = live.phone()
    assert phone.call("POST", "/api/dots", payload)[0] in (400, 404)
    assert phone.call("POST", "/api/ideas", {"title": payload.get("priority_id")})[0] == 400


def test_huge_bodies_are_413_and_nothing_is_stored(live: Running):
    phone = live.phone()
    huge = json.dumps({"title": "x" * (MAX_BODY_BYTES * 4)}).encode()
    assert phone.raw("POST", "/api/ideas", huge, {"Content-Type": "application/json"})[0] == 413
    # The same without a length: sent in chunks, cut off as it grows.
    connection = Phone(live.url)
    connection.connection.putrequest("POST", "/api/join")
    connection.connection.putheader("Transfer-Encoding", "chunked")
    connection.connection.endheaders()
    chunk = b"x" * 1024
    try:
        for _ in range(64):
            connection.connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        connection.connection.send(b"0\r\n\r\n")
        status = connection.connection.getresponse().status
    except (BrokenPipeError, ConnectionResetError):
        status = 413  # the server stopped reading and closed: the same refusal
    assert status == 413
    assert phone.raw("POST", "/api/join", b"{}", {"Content-Length": "99999999999"})[0] in (400, 413)
    assert live.voting.waiting_ideas() == []
    # Headers too large are refused by the server before the app sees them.
    assert Phone(live.url).raw("GET", "/", None, {"X-Padding": "y" * 20_000})[0] in (400, 431)


def test_a_request_head_that_never_ends_is_cut_off(live: Running):
    """A client trickling header bytes (one endless header, never a blank line) is answered 400
    and disconnected once the head passes the limit: the server holds no more of it."""
    host, port = live.url.removeprefix("http://").rstrip("/").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as client:
        client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Endless: ")
        answer = b""
        try:
            for _ in range(100):  # 100 KB in all, far past the limit, never finishing the head
                client.sendall(b"y" * 1024)
        except (BrokenPipeError, ConnectionResetError):
            pass  # closed on us while sending: read what it said
        try:
            while chunk := client.recv(4096):
                answer += chunk
        except ConnectionResetError:
            pass
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert live.voting.phones_joined == 0
    # The server goes on answering others.
    assert Phone(live.url).raw("GET", "/")[0] == 200


@pytest.mark.parametrize("path", [
    "/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "//etc/passwd",
    "/live.js/../../../../etc/passwd", "/strings/en.json", "/strings/", "/live/", "/resources/live/index.html",
    "/..%2f..%2fetc%2fpasswd", "/index.html/..", "/.git/config", "/%00", "/live.css%00.html", "/C:/Windows/win.ini",
    "/api/../../etc/passwd", "/favicon.ico",
])
def test_only_the_pages_own_files_are_served(live: Running, path: str):
    status, data, _ = Phone(live.url).raw("GET", path)
    assert status in (400, 401, 404), path
    assert b"root:" not in data and b"<html" not in data and b"[core]" not in data


def test_the_page_is_served_with_a_policy_forbidding_remote_resources(live: Running):
    phone = Phone(live.url)
    for path, kind in (("/", "text/html"), ("/live.css", "text/css"), ("/live.js", "text/javascript"),
                       ("/strings.json", "application/json")):
        status, data, headers = phone.raw("GET", path)
        assert status == 200 and headers["content-type"].startswith(kind)
        assert headers["content-security-policy"] == CONTENT_SECURITY_POLICY
        assert headers["x-content-type-options"] == "nosniff" and headers["referrer-policy"] == "no-referrer"
        assert "server" not in headers
        assert b"http://" not in data and b"https://" not in data and b"//cdn" not in data
    assert "default-src 'none'" in CONTENT_SECURITY_POLICY and "https:" not in CONTENT_SECURITY_POLICY
    script = phone.raw("GET", "/live.js")[1].decode()
    assert "innerHTML" not in script and "eval(" not in script and "document.write" not in script
    assert Phone(live.url).raw("POST", "/", b"x")[0] == 404


def test_stopping_closes_the_socket_and_keeps_only_the_votes(live: Running):
    phone = live.phone()
    first = live.ids()[0]
    assert phone.call("POST", "/api/dots", {"priority_id": first})[0] == 200
    phone.call("POST", "/api/ideas", {"title": "Not accepted"})
    port = live.server.port
    live.server.stop()
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    assert live.voting.phones_joined == 0 and live.voting.waiting_ideas() == []
    assert live.stored_votes()[TITLES[0]] == 1
    assert "Not accepted" not in live.stored_votes()
    live.server.stop()  # twice is harmless


def test_a_port_that_is_taken_is_a_clear_error(live: Running, store: SessionStore, session_id: str):
    voting = LiveVoting(StoreVoteSink(store, session_id))
    with pytest.raises(LiveServerError) as taken:
        LiveServer(voting, load_page(), "127.0.0.1", live.server.port).start()
    assert taken.value.code == "cannot_bind"


def test_a_hundred_phones_at_once_store_every_dot_exactly_once(live: Running):
    ids = live.ids()
    before = live.stored_votes()
    placed: Counter[str] = Counter()
    lock = threading.Lock()
    failures: list[str] = []

    def one_phone(seed: int) -> None:
        chooser = random.Random(seed)
        phone = Phone(live.url, timeout=30)
        try:
            if phone.join(live.voting.code) != 200:
                failures.append("join")
                return
            for _ in range(3):
                priority = chooser.choice(ids)
                status, _data = phone.call("POST", "/api/dots", {"priority_id": priority})
                if status != 200:
                    failures.append(f"dot {status}")
                    continue
                with lock:
                    placed[priority] += 1
            status, _data = phone.call("POST", "/api/dots", {"priority_id": ids[0]})
            if status != 409:
                failures.append(f"fourth dot {status}")
        finally:
            phone.close()

    threads = [threading.Thread(target=one_phone, args=(seed,)) for seed in range(100)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []
    assert sum(placed.values()) == 300 and live.voting.phones_joined == 100
    after = live.stored_votes()
    titles = {p.id: p.title for p in live.store.load_session(live.session_id).priorities}
    assert {title: after[title] - before[title] for title in after} == {
        titles[pid]: placed.get(pid, 0) for pid in ids
    }


# The command ---------------------------------------------------------------------------------


def _stored_session() -> tuple[str, str]:
    paths.ensure_data_dir()
    with SessionStore() as store:
        session = store.create_session("Evening meeting", dt.date(2026, 12, 2))
        priority = store.add_priority(session.id, Priority(title="Street lights"))
    return session.id, priority.id


def _start_live(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "nrp_desktop", "live", *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(os.environ),
    )


@pytest.mark.parametrize("stop_with", [signal.SIGTERM, signal.SIGINT])
def test_the_live_command_prints_url_and_code_serves_and_stores_until_stopped(stop_with: signal.Signals):
    session_id, priority_id = _stored_session()
    process = _start_live("--session", session_id, "--host", "127.0.0.1", "--port", "0", "--dots", "2")
    try:
        line = process.stdout.readline()
        announced = json.loads(line)
        assert set(announced) == {"url", "code"} and announced["url"].startswith("http://127.0.0.1:")
        assert len(announced["code"]) == 6 and announced["code"].isdigit()
        phone = Phone(announced["url"])
        assert phone.join(announced["code"]) == 200
        assert phone.call("POST", "/api/dots", {"priority_id": priority_id}) == (200, {"dots_left": 1})
        assert phone.call("POST", "/api/dots", {"priority_id": priority_id}) == (200, {"dots_left": 0})
        assert phone.call("POST", "/api/ideas", {"title": "Litter pick"})[0] == 202
        with SessionStore() as store:  # stored as it arrived, while the server still runs
            assert store.load_session(session_id).priorities[0].votes == 2
        process.send_signal(stop_with)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert out == "" and "Litter pick" in err  # the idea nobody accepted is named, not added
    with SessionStore() as store:
        session = store.load_session(session_id)
        assert [(p.title, p.votes) for p in session.priorities] == [("Street lights", 2)]


def test_the_live_command_refuses_bad_input_plainly():
    from conftest import run_cli

    session_id, _ = _stored_session()
    unknown = run_cli("live", "--session", "no-such-session", "--host", "127.0.0.1", "--port", "0")
    assert unknown.returncode == 2 and "no stored session" in unknown.stderr and unknown.stdout == ""
    bad_host = run_cli("live", "--session", session_id, "--host", "not-an-address")
    assert bad_host.returncode == 2 and "--host" in bad_host.stderr
    not_mine = run_cli("live", "--session", session_id, "--host", "198.51.100.7", "--port", "0")
    assert not_mine.returncode == 2 and "cannot serve there" in not_mine.stderr
    for dots in ("0", "101", "three"):
        result = run_cli("live", "--session", session_id, "--host", "127.0.0.1", "--dots", dots)
        assert result.returncode == 2 and "--dots" in result.stderr
    assert run_cli("live", "--session", session_id, "--port", "70000").returncode == 2
    everywhere = run_cli("live", "--session", session_id, "--host", "0.0.0.0")
    assert everywhere.returncode == 2 and "--host" in everywhere.stderr
