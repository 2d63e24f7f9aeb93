#!/usr/bin/env bash
# Install the Debian packages the suites need when they are missing (as root only):
# PostgreSQL server, Chromium, a CJK font, zbar, poppler. Prints what it found.
set -euo pipefail
wanted=(postgresql chromium fonts-wqy-microhei libzbar0 zbar-tools poppler-utils poppler-data)
need=()
for pkg in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -eq 0 ]; then
  echo "system packages: all present (${wanted[*]})"
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "missing Debian packages: ${need[*]} (run as root or install them)" >&2
  exit 1
fi
echo "installing Debian packages: ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
