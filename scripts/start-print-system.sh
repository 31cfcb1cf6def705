#!/usr/bin/env bash
# Starts CUPS with a cups-pdf printer named "NRP_PDF" that writes each job as a PDF into
# /var/spool/cups-pdf/nrp-test. Used by CI and by the printing test (which runs it when the print
# system is not up). Needs root and the packages that `scripts/setup.sh --test` installs.
set -euo pipefail
out=/var/spool/cups-pdf/nrp-test
mkdir -p "$out"
chmod 1777 "$out"
conf=/etc/cups/cups-pdf.conf
if [ -f "$conf" ] && ! grep -q "^Out $out\$" "$conf"; then
  sed -i "s|^#\?Out .*|Out $out|" "$conf"
  grep -q "^Out " "$conf" || echo "Out $out" >> "$conf"
  sed -i "s|^#\?AnonDirName .*|AnonDirName $out|" "$conf"
fi
if ! lpstat -r >/dev/null 2>&1; then
  cupsd
  for _ in $(seq 1 50); do lpstat -r >/dev/null 2>&1 && break; sleep 0.1; done
fi
if ! lpstat -v NRP_PDF >/dev/null 2>&1; then
  lpadmin -p NRP_PDF -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd
fi
cupsenable NRP_PDF
cupsaccept NRP_PDF
echo "$out"
