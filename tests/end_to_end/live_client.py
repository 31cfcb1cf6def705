"""A phone's side of the votes-from-phones interface, over real HTTP (for the end-to-end tests).

Only loopback addresses: these tests never send anything off this machine.
"""

from __future__ import annotations

import http.client
import json
from typing import Any
from urllib.parse import urlsplit


class Phone:
    """One phone: a keep-alive connection and, once joined, its token."""

    def __init__(self, url: str, timeout: float = 15.0) -> None:
        parts = urlsplit(url)
        assert parts.hostname in ("127.0.0.1", "::1", "localhost"), f"not a loopback address: {url}"
        self.host = parts.hostname
        self.port = parts.port
        self.timeout = timeout
        self.token: str | None = None
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def raw(self, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None) -> tuple[int, bytes, http.client.HTTPMessage]:
        sent = dict(headers or {})
        if self.token and "Authorization" not in sent:
            sent["Authorization"] = f"Bearer {self.token}"
        try:
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.connection.close()  # the server closed a kept connection: once more on a new one
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.connection.request(method, path, body=body, headers=sent)
            response = self.connection.getresponse()
        data = response.read()
        if response.getheader("connection", "").lower() == "close":
            self.connection.close()
        return response.status, data, response.headers

    def call(self, method: str, path: str, payload: Any = None) -> tuple[int, Any]:
        body = None if payload is None else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"} if body is not None else {}
        status, data, _headers = self.raw(method, path, body, headers)
        try:
            return status, json.loads(data) if data else None
        except ValueError:
            return status, data

    def join(self, code: str) -> int:
        status, data = self.call("POST", "/api/join", {"code": code})
        if status == 200:
            self.token = data["token"]
        return status

    def close(self) -> None:
        self.connection.close()
