#!/usr/bin/env bash
# Packs a built .app into a compressed disk image with an Applications shortcut beside it, so a
# facilitator drags the app across to install it. Runs on macOS (hdiutil); called by
# `python3 packaging/build.py macos`, or by hand:
#   bash packaging/macos/make_dmg.sh "build/packaging/dist/NRP Desktop.app" dist/nrp-desktop.dmg "NRP Desktop"
set -euo pipefail
app=$1
dmg=$2
volume=${3:-NRP Desktop}

[ -d "$app" ] || { echo "make_dmg: $app is not an app bundle" >&2; exit 2; }
staging=$(mktemp -d)
trap 'rm -rf "$staging"' EXIT
# ditto keeps the bundle's symbolic links, extended attributes and code signature intact.
ditto "$app" "$staging/$(basename "$app")"
ln -s /Applications "$staging/Applications"
mkdir -p "$(dirname "$dmg")"
rm -f "$dmg"
hdiutil create -volname "$volume" -srcfolder "$staging" -fs HFS+ -format UDZO -imagekey zlib-level=9 -ov "$dmg"
hdiutil verify "$dmg"
