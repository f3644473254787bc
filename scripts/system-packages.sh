#!/usr/bin/env bash
# Install the Debian packages the platform needs, or say how to.
# Chromium renders chart exports and runs the browser tests; the Noto fonts
# cover Latin, Turkish and Arabic text; poppler-utils turns briefings into pages;
# Pango (with HarfBuzz) lays out the PDF briefings for WeasyPrint; wrk loads the server
# in `make bench`.
set -eu
packages="chromium fonts-noto-core fonts-dejavu-core poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 wrk"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing system packages:$missing (install them with your package manager)" >&2
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing system packages:$missing" >&2
  echo "Install them with: sudo apt-get install -y$missing" >&2
  exit 1
fi
echo "Installing system packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $missing >/dev/null
