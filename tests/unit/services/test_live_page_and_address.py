"""The phone page's files and the laptop's address (read from its interfaces; nothing is sent)."""

from __future__ import annotations

import json
import socket
import sys
import types
from collections import namedtuple
from pathlib import Path

import pytest

from nrp_desktop import i18n, paths
from nrp_desktop.services import live_server
from nrp_desktop.services.live_page_text import PAGE_TEXT, page_strings
from nrp_desktop.services.live_server import default_host, load_page, local_network_addresses, page_url

Address = namedtuple("Address", "family address netmask broadcast ptp")
Stats = namedtuple("Stats", "isup duplex speed mtu")


def fake_psutil(monkeypatch: pytest.MonkeyPatch, interfaces: dict[str, list[tuple[int, str]]],
                down: tuple[str, ...] = ()) -> None:
    module = types.ModuleType("psutil")
    module.net_if_addrs = lambda: {  # type: ignore[attr-defined]
        name: [Address(family, address, None, None, None) for family, address in entries]
        for name, entries in interfaces.items()
    }
    module.net_if_stats = lambda: {  # type: ignore[attr-defined]
        name: Stats(name not in down, 0, 0, 1500) for name in interfaces
    }
    monkeypatch.setitem(sys.modules, "psutil", module)


def test_the_local_network_address_of_a_real_interface_comes_first(monkeypatch: pytest.MonkeyPatch):
    fake_psutil(monkeypatch, {
        "lo": [(socket.AF_INET, "127.0.0.1")],
        "docker0": [(socket.AF_INET, "172.17.0.1")],
        "wlan0": [(socket.AF_INET, "192.168.1.23"), (socket.AF_INET6, "fe80::1")],
        "eth1": [(socket.AF_INET, "169.254.10.10")],  # link-local: no DHCP, phones cannot use it
        "tun0": [(socket.AF_INET, "10.8.0.2")],
        "down0": [(socket.AF_INET, "192.168.9.9")],
    }, down=("down0",))
    # Not loopback, not a link-local or a down interface; a container's or a VPN's address last.
    assert local_network_addresses() == ["192.168.1.23", "172.17.0.1", "10.8.0.2"]
    assert default_host() == ("192.168.1.23", True)


def test_without_a_network_the_fallback_is_loopback_and_says_so(monkeypatch: pytest.MonkeyPatch):
    fake_psutil(monkeypatch, {"lo": [(socket.AF_INET, "127.0.0.1")]})
    assert default_host() == ("127.0.0.1", False)


def test_page_urls_name_the_host_and_port():
    assert page_url("192.168.1.5", 8080) == "http://192.168.1.5:8080/"
    assert page_url("::1", 8080) == "http://[::1]:8080/"


def test_the_page_is_read_whole_and_its_words_come_from_the_catalogue():
    english = load_page("en")
    assert set(english) == {"/", "/live.css", "/live.js", "/strings.json", "/icon.svg"}
    words = json.loads(english["/strings.json"].body)
    assert words["lang"] == "en" and words["dir"] == "ltr" and words["join_button"] == "Join"
    for unknown in ("xx", "../../etc/passwd", "", "en-GB"):
        assert json.loads(load_page(unknown)["/strings.json"].body)["lang"] == "en"
    pseudo = page_strings(i18n.PSEUDO)  # the test language: every text through the catalogue
    assert pseudo["lang"] == i18n.PSEUDO and all(pseudo[key].startswith("⟦") for key in PAGE_TEXT)


@pytest.mark.parametrize("code", [language.code for language in i18n.LANGUAGES])
def test_a_language_is_used_only_where_it_translates_the_page(code: str):
    words = page_strings(code)
    if words["lang"] != "en":  # never English words laid out right to left
        assert words["join_heading"] != PAGE_TEXT["join_heading"]
    assert words["dir"] == i18n.language(words["lang"]).direction


def test_every_string_the_page_uses_is_in_the_catalogue():
    import re

    folder = paths.live_page_dir()
    html = (folder / "index.html").read_text(encoding="utf-8")
    script = (folder / "live.js").read_text(encoding="utf-8")
    used = set(re.findall(r'data-text="(\w+)"', html))
    used |= set(re.findall(r'(?:message\([^,]+,\s*|say\()"(\w+)"', script))
    assert {"code_needed", "offline", "idea_sent", "place_dot_on"} <= used
    assert used <= set(PAGE_TEXT)
    for base in re.findall(r'count\("(\w+)"', script):
        assert f"{base}_other" in PAGE_TEXT and f"{base}_one" in PAGE_TEXT


def test_the_runtime_resources_carry_the_page():
    setup = (Path(live_server.__file__).resolve().parents[2] / "setup.py").read_text(encoding="utf-8")
    assert '"live"' in setup.split("RUNTIME_RESOURCES", 1)[1].split("\n", 1)[0]
