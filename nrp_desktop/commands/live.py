"""`nrp-desktop live`: votes from phones without the window (contract.md §5.4).

Prints one JSON line {"url", "code"} once the server accepts connections, then serves until SIGINT
or SIGTERM. Each vote is stored through the session store as it arrives.
"""

from __future__ import annotations

import argparse
import ipaddress
import signal
import sys
import threading
from typing import TYPE_CHECKING

from nrp_desktop.commands.common import EXIT_OK, BadInput, Handlers, positive
from nrp_desktop.i18n import _

if TYPE_CHECKING:
    from nrp_desktop.services.live_server import LiveServer, PageFile
    from nrp_desktop.services.live_votes import LiveVoting

DEFAULT_PORT = 8080  # easy to type; when it is taken (and no --port was given) any free port


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a whole number, not {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError("must be from 0 (any free port) to 65535")
    return value


def _host(text: str) -> str:
    try:
        address = ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be an IP address of this laptop, such as 192.168.1.20 or 127.0.0.1, not {text!r}"
        ) from None
    if address.is_unspecified:  # every interface at once: no address a phone could be given
        raise argparse.ArgumentTypeError(f"must be the one address phones will open, not {text!r}")
    return str(address)


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> Handlers:
    live = commands.add_parser(
        "live", help="serve the page where phones on the hall's network vote (until Ctrl+C)"
    )
    live.add_argument("--session", metavar="ID", required=True, help="the stored session to vote on")
    live.add_argument("--host", metavar="ADDR", type=_host,
                      help="the address to serve on (default: this laptop's local network address)")
    live.add_argument("--port", metavar="N", type=_port,
                      help=f"the port (default {DEFAULT_PORT}, or any free one when it is taken)")
    live.add_argument("--dots", metavar="N", type=positive, default=None,
                      help="each phone's dots (default 3)")
    return {"live": _live}


def _live(args: argparse.Namespace) -> int:
    import json

    from nrp_desktop.commands.sessions import open_store
    from nrp_desktop.services.live_server import default_host, load_page
    from nrp_desktop.services.live_votes import DEFAULT_DOTS, DOTS_MAX, LiveVoting, StoreVoteSink
    from nrp_desktop.services.sessions import SessionNotFound

    dots = DEFAULT_DOTS if args.dots is None else args.dots
    if dots > DOTS_MAX:
        raise BadInput(_("live --dots: must be at most {most}").format(most=DOTS_MAX))
    host = args.host
    if host is None:
        host, on_network = default_host()
        if not on_network:
            print("nrp-desktop: " + _("no local network found; serving on 127.0.0.1, which only this "
                                      "laptop can reach (join the hall's Wi-Fi or start a hotspot, or "
                                      "give --host)"), file=sys.stderr)
    with open_store() as store:
        try:
            session = store.load_session(args.session)
        except SessionNotFound:
            raise BadInput(_("live --session: there is no stored session with id {id}").format(
                id=repr(args.session))) from None
        stop = threading.Event()
        previous = {sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            voting = LiveVoting(StoreVoteSink(store, session.id), dots=dots)
            server = _start(voting, load_page(session.language), host, args.port)
            print(json.dumps({"url": server.url, "code": voting.code}), flush=True)
            while not stop.wait(0.5):  # a timeout, so signals are seen on every platform
                pass
            left = voting.waiting_ideas()
            server.stop()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        for idea in left:
            print("nrp-desktop: " + _("suggested, not added (nobody accepted it): {title}").format(
                title=idea.title), file=sys.stderr)
    return EXIT_OK


def _start(voting: LiveVoting, page: dict[str, PageFile], host: str, port: int | None) -> LiveServer:
    """Start on `port`, or on DEFAULT_PORT and else any free port when none was given."""
    from nrp_desktop.services.live_server import LiveServer, LiveServerError

    tries = [port] if port is not None else [DEFAULT_PORT, 0]
    for index, candidate in enumerate(tries):
        server = LiveServer(voting, page, host, candidate)
        try:
            server.start()
            return server
        except LiveServerError as problem:
            if index + 1 < len(tries) and problem.code == "cannot_bind":
                continue
            raise BadInput(_(
                "live --host {host} --port {port}: cannot serve there ({detail}); give one of this "
                "laptop's addresses and a free port").format(host=host, port=candidate, detail=problem.detail)
            ) from None
    raise AssertionError("unreachable")
