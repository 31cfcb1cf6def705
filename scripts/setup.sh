#!/usr/bin/env bash
# Sets up NRP Desktop on a fresh Debian/Ubuntu machine: the system libraries Qt needs, a virtual
# environment in .venv, and the app installed into it. With --test, also the tools the test suite
# uses (poppler-utils for reading PDFs back, Xvfb, CUPS with a PDF printer, the validators and NSIS
# the packaging tests run, dbus-x11, PostgreSQL, whose binaries the tests use to start a private
# throw-away cluster for the council database, and Chromium for the phone page). Quiet when all goes
# well; safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

with_tests=0
[ "${1:-}" = "--test" ] && with_tests=1

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
# Runs a command, showing what it printed only when it fails (pip and apt print notices even with -q).
quietly() {
  local output
  if ! output=$("$@" 2>&1); then
    printf '%s\n' "$output" >&2
    echo "setup.sh: failed: $*" >&2
    return 1
  fi
}

qt_libs="libegl1 libgl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
  libxcb-randr0 libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxrender1 libx11-xcb1"
# dbus-x11 (dbus-launch, and through its dependencies dbus-run-session and dbus-send) lets the
# packaging tests reproduce a desktop that autolaunches a session bus, and run the app on its own bus.
# at-spi2-core and python3-pyatspi: the accessibility bus and the client a screen reader uses, for
# the test that walks the window's accessible tree (tests/end_to_end/test_atspi_walk.py).
test_tools="poppler-utils xvfb xauth cups cups-client printer-driver-cups-pdf desktop-file-utils appstream nsis
  dbus-x11 postgresql chromium at-spi2-core python3-pyatspi"

if command -v apt-get >/dev/null 2>&1; then
  packages="python3 python3-venv python3-pip $qt_libs"
  [ "$with_tests" -eq 1 ] && packages="$packages $test_tools"
  missing=""
  for package in $packages; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
  done
  if [ -n "$missing" ]; then
    echo "Installing system packages:$missing"
    quietly as_root apt-get update -qq
    # shellcheck disable=SC2086
    quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing
  fi
else
  echo "Not a Debian/Ubuntu machine: install the Qt libraries ($qt_libs) by hand." >&2
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
quietly .venv/bin/python -m pip install -q --upgrade pip
if [ "$with_tests" -eq 1 ]; then
  quietly .venv/bin/python -m pip install -q -e '.[test]'
else
  quietly .venv/bin/python -m pip install -q .
fi
echo "NRP Desktop is set up in .venv"
