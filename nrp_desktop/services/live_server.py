"""The phone-vote web server (contract.md §5.4): Starlette on uvicorn, in a thread of its own.

`LiveServer` binds the address the facilitator picked, serves the bundled page and the JSON
interface, and runs its own asyncio loop beside the Qt event loop (or beside nothing, for the
`live` command). It opens no socket until `start()`, and `stop()` closes it and makes the
`LiveVoting` forget everything but what was stored.

What it answers: the page's own files (a fixed list read into memory at start, so no path can
reach anything else: no directory listing, no `..`) and the five API requests. Every other path is
404, every `/api/` request without a valid token 401. Bodies over MAX_BODY_BYTES are 413. No access
log: the server never writes down who asked for what.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import socket
import sys
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from nrp_desktop import paths
from nrp_desktop.services.live_page_text import page_strings
from nrp_desktop.services.live_votes import LiveRefused, LiveVoting, Refusal, phone_rows

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 4096
MAX_HEADER_BYTES = 8192
MAX_CONNECTIONS = 2000  # past this uvicorn answers 503
START_TIMEOUT = 10.0

STATUS_OF: dict[Refusal, int] = {
    Refusal.UNAUTHORIZED: 401,
    Refusal.WRONG_CODE: 403,
    Refusal.THROTTLED: 429,
    Refusal.RATE_LIMITED: 429,
    Refusal.FULL: 429,
    Refusal.NO_DOTS_LEFT: 409,
    Refusal.NO_DOT_THERE: 409,
    Refusal.UNKNOWN_PRIORITY: 404,
    Refusal.INVALID: 400,
    Refusal.STOPPED: 503,
    Refusal.NOT_STORED: 503,
}

# Nothing from elsewhere: scripts, styles, pictures and requests only from this server, and the
# page cannot be framed by another.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-resource-policy", b"same-origin"),
)


class LiveServerError(Exception):
    """The server could not start (the address is not this laptop's, the port is taken…)."""

    def __init__(self, code: str, host: str, port: int, detail: str = "") -> None:
        self.code = code  # "cannot_bind" or "did_not_start"
        self.host = host
        self.port = port
        self.detail = detail
        super().__init__(f"{code}: {host}:{port} {detail}".strip())


# The page ---------------------------------------------------------------------------------------

_PAGE_FILES = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/live.css": ("live.css", "text/css; charset=utf-8"),
    "/live.js": ("live.js", "text/javascript; charset=utf-8"),
}


@dataclass(frozen=True)
class PageFile:
    body: bytes
    media_type: str


def load_page(language: str = "en", folder: Path | None = None) -> dict[str, PageFile]:
    """The page's files by URL path, read once, and its words in the session's language where
    the catalogue translates them."""
    folder = folder or paths.live_page_dir()
    files = {
        url: PageFile((folder / name).read_bytes(), media_type) for url, (name, media_type) in _PAGE_FILES.items()
    }
    files["/strings.json"] = PageFile(
        json.dumps(page_strings(language), ensure_ascii=False).encode("utf-8"), "application/json"
    )
    icon = paths.icons_dir() / "nrp-desktop.svg"
    if icon.is_file():
        files["/icon.svg"] = PageFile(icon.read_bytes(), "image/svg+xml")
    return files


# The application ------------------------------------------------------------------------------


class _BodyTooLarge(Exception):
    pass


class _BadJson(Exception):
    pass


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def _json_object(request: Request) -> dict[str, Any]:
    length = request.headers.get("content-length")
    if length is not None and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
        raise _BodyTooLarge
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _BodyTooLarge
    try:
        value = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise _BadJson from None
    if not isinstance(value, dict):
        raise _BadJson
    return value


def build_app(voting: LiveVoting, page: dict[str, PageFile]) -> ASGIApp:
    """The ASGI application: the page, the API, and the security headers on every answer."""
    from starlette.applications import Starlette
    from starlette.responses import JSONResponse, Response
    from starlette.routing import Route

    def error(status: int, code: str, field: str = "") -> Response:
        body = {"error": code, "field": field} if field else {"error": code}
        headers = {"retry-after": "60"} if status == 429 else None
        return JSONResponse(body, status_code=status, headers=headers)

    def endpoint(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def guarded(request: Request) -> Response:
            try:
                return await handler(request)
            except LiveRefused as refused:
                return error(STATUS_OF[refused.refusal], refused.refusal.value, refused.field)
            except _BodyTooLarge:
                return error(413, "too_large")
            except _BadJson:
                return error(400, "bad_json")

        return guarded

    async def join(request: Request) -> Response:
        address = request.client.host if request.client else "?"
        payload = await _json_object(request)
        token, dots = voting.join(payload.get("code"), address)
        return JSONResponse({"token": token, "dots": dots})

    async def priorities(request: Request) -> Response:
        rows = await voting.priorities_for(_bearer(request))
        return JSONResponse(phone_rows(rows))

    async def place_dot(request: Request) -> Response:
        voting.authorize(_bearer(request))  # 401 before looking at the body
        payload = await _json_object(request)
        left = await voting.place_dot(_bearer(request), payload.get("priority_id"))
        return JSONResponse({"dots_left": left})

    async def take_back_dot(request: Request) -> Response:
        left = await voting.take_back_dot(_bearer(request), request.path_params["priority_id"])
        return JSONResponse({"dots_left": left})

    async def suggest(request: Request) -> Response:
        voting.authorize(_bearer(request))
        payload = await _json_object(request)
        voting.suggest(_bearer(request), payload.get("title"))
        return JSONResponse({"status": "waiting"}, status_code=202)

    async def api_other(request: Request) -> Response:
        voting.authorize(_bearer(request))  # 401 first: the API says nothing to a stranger
        return error(404, "not_found")

    async def page_file(request: Request) -> Response:
        found = page.get(request.url.path) if request.method in ("GET", "HEAD") else None
        if found is None:
            return error(404, "not_found")
        return Response(found.body, media_type=found.media_type)

    every_method = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
    app = Starlette(
        routes=[
            Route("/api/join", endpoint(join), methods=["POST"]),
            Route("/api/priorities", endpoint(priorities), methods=["GET"]),
            Route("/api/dots", endpoint(place_dot), methods=["POST"]),
            Route("/api/dots/{priority_id}", endpoint(take_back_dot), methods=["DELETE"]),
            Route("/api/ideas", endpoint(suggest), methods=["POST"]),
            Route("/api/{rest:path}", endpoint(api_other), methods=every_method),
            Route("/api", endpoint(api_other), methods=every_method),
            Route("/{rest:path}", page_file, methods=every_method),
        ]
    )
    app.router.redirect_slashes = False

    async def with_headers(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return  # no websockets, no lifespan events

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        if sum(len(name) + len(value) for name, value in scope["headers"]) > MAX_HEADER_BYTES:
            await JSONResponse({"error": "headers_too_large"}, status_code=431)(scope, receive, send_with_headers)
            return
        await app(scope, receive, send_with_headers)

    return with_headers


# Running it ---------------------------------------------------------------------------------

_bounded_protocol: type | None = None


def bounded_http_protocol() -> type:
    """uvicorn's httptools protocol (llhttp, a C parser: a burst of a hundred phones costs the
    process a fraction of the pure-Python h11's CPU, which the window's GUI thread shares), with
    the request line and headers bounded: a request whose head passes MAX_HEADER_BYTES before it
    is complete gets 400 and its connection closed, so no client can make the server hold more."""
    global _bounded_protocol
    if _bounded_protocol is not None:
        return _bounded_protocol
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    class BoundedHttpToolsProtocol(HttpToolsProtocol):
        _head_bytes = 0
        _in_head = True  # a connection starts waiting for a request's head

        def on_message_begin(self) -> None:
            super().on_message_begin()
            self._in_head, self._head_bytes = True, 0

        def on_headers_complete(self) -> None:
            self._in_head = False
            super().on_headers_complete()

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self._in_head and self.parser is not None and not self.transport.is_closing():
                # Counted only while the head is still incomplete after the bytes were read: the
                # body that follows a complete head is bounded by the app (413).
                self._head_bytes += len(data)
                if self._head_bytes > MAX_HEADER_BYTES:
                    self.send_400_response("Request head too large.")

    _bounded_protocol = BoundedHttpToolsProtocol
    return _bounded_protocol


def page_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


class LiveServer:
    """The server in its own thread. `start()` returns once it accepts connections."""

    def __init__(self, voting: LiveVoting, page: dict[str, PageFile], host: str, port: int = 0) -> None:
        self.voting = voting
        self.page = page
        self.host = host
        self.port = port
        self._server: Any = None
        self._thread: threading.Thread | None = None
        self._ready = threading.Event()
        self._failure: BaseException | None = None

    @property
    def url(self) -> str:
        return page_url(self.host, self.port)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def start(self, timeout: float = START_TIMEOUT) -> str:
        import uvicorn

        # Named here, not as strings, so PyInstaller freezes them.
        import uvicorn.lifespan.off

        listening = self._bind()
        self.port = listening.getsockname()[1]
        config = uvicorn.Config(
            build_app(self.voting, self.page),
            http=bounded_http_protocol(),
            ws="none",
            lifespan="off",
            log_config=None,
            access_log=False,  # no addresses in any log
            server_header=False,
            proxy_headers=False,  # nobody may claim another address in a header
            limit_concurrency=MAX_CONNECTIONS,
            timeout_keep_alive=10,
            timeout_graceful_shutdown=2,
        )
        logging.getLogger("uvicorn").setLevel(logging.WARNING)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._run, args=(listening,), name="nrp-live-server", daemon=True
        )
        self._thread.start()
        if not self._ready.wait(timeout) or self._failure is not None or not self._server.started:
            self.stop()
            detail = type(self._failure).__name__ if self._failure else "timeout"
            raise LiveServerError("did_not_start", self.host, self.port, detail)
        log.info("votes from phones: serving on port %d", self.port)
        return self.url

    def _bind(self) -> socket.socket:
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        # IPPROTO_TCP named, not 0: asyncio sets TCP_NODELAY only on sockets that say they are
        # TCP, and without it every answer waits ~40 ms for a delayed ACK (headers, then body).
        listening = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        try:
            if sys.platform != "win32":  # on Windows this would let another program share the port
                listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            listening.bind((self.host, self.port))
            listening.listen(256)
        except OSError as problem:
            listening.close()
            raise LiveServerError("cannot_bind", self.host, self.port, problem.strerror or str(problem)) from None
        return listening

    def _run(self, listening: socket.socket) -> None:
        async def serve() -> None:
            task = asyncio.create_task(self._server.serve(sockets=[listening]))
            while not self._server.started and not task.done():
                await asyncio.sleep(0.005)
            self._ready.set()
            await task

        try:
            asyncio.run(serve())
        except BaseException as problem:  # reported by start(); the thread must end quietly
            self._failure = problem
            log.exception("the phone-vote server stopped with a fault")
        finally:
            self._ready.set()
            with contextlib.suppress(OSError):
                listening.close()

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and forget the phones. Safe to call twice, or from any thread."""
        self.voting.close()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)
        self._thread = None


# The laptop's address -------------------------------------------------------------------------

# Containers, virtual machines and VPNs: their addresses are not on the hall's network.
_VIRTUAL_INTERFACES = ("docker", "br-", "veth", "virbr", "vmnet", "vboxnet", "lxc", "lxd", "podman", "cni",
                       "tun", "tap", "wg", "tailscale", "zt", "utun", "ppp", "vEthernet")


def local_network_addresses() -> list[str]:
    """This laptop's IPv4 addresses on local networks, the likeliest for phones first (a private
    address of a real interface that is up). Read from the interfaces: nothing is sent."""
    try:
        import psutil

        interfaces = psutil.net_if_addrs()
        stats = psutil.net_if_stats()
    except (ImportError, OSError):
        return []
    found: list[tuple[int, str]] = []
    for name, addresses in interfaces.items():
        if name in stats and not stats[name].isup:
            continue
        for entry in addresses:
            if entry.family != socket.AF_INET:
                continue
            try:
                address = ipaddress.IPv4Address(entry.address)
            except ValueError:
                continue
            if address.is_loopback or address.is_link_local or address.is_multicast or address.is_unspecified:
                continue
            rank = 0 if address.is_private else 2
            if name.lower().startswith(tuple(prefix.lower() for prefix in _VIRTUAL_INTERFACES)):
                rank += 1
            found.append((rank, str(address)))
    # A stable sort: within a rank, the order the system lists its interfaces in.
    return [address for _rank, address in sorted(found, key=lambda entry: entry[0])]


def default_host() -> tuple[str, bool]:
    """The address to serve on, and whether it is a real local network one (False: the loopback
    fallback, which only this laptop can reach)."""
    addresses = local_network_addresses()
    return (addresses[0], True) if addresses else ("127.0.0.1", False)
