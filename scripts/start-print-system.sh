#!/usr/bin/env bash
# Starts CUPS with a cups-pdf printer named "NRP_PDF" that writes each job as a PDF into
# /var/spool/cups-pdf/nrp-test. Part of the README's test command (and run again, harmlessly, by
# the printing test). Uses sudo when not root; needs the packages `scripts/setup.sh --test` installs.
set -euo pipefail
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
out=/var/spool/cups-pdf/nrp-test
as_root mkdir -p "$out"
as_root chmod 1777 "$out"
conf=/etc/cups/cups-pdf.conf
if [ -f "$conf" ] && ! grep -q "^Out $out\$" "$conf"; then
  as_root sed -i "s|^#\?Out .*|Out $out|" "$conf"
  grep -q "^Out " "$conf" || echo "Out $out" | as_root tee -a "$conf" >/dev/null
  as_root sed -i "s|^#\?AnonDirName .*|AnonDirName $out|" "$conf"
fi
# `lpstat -r` exits 0 either way, so read what it says. On a machine without an init system
# (containers, CI) installing cups does not start the scheduler: start it here.
scheduler_running() { lpstat -r 2>/dev/null | grep -q "is running"; }
if ! scheduler_running; then
  as_root cupsd
  for _ in $(seq 1 100); do scheduler_running && break; sleep 0.1; done
  scheduler_running || { echo "start-print-system: the CUPS scheduler did not start" >&2; exit 1; }
fi
if ! lpstat -v NRP_PDF >/dev/null 2>&1; then
  as_root lpadmin -p NRP_PDF -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd
fi
as_root cupsenable NRP_PDF
as_root cupsaccept NRP_PDF
echo "$out"
