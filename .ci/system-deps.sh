#!/usr/bin/env bash
# Debian packages the suites need: PostgreSQL server, Chromium, a CJK font, zbar, poppler
# (poppler-data: pdftotext reads Chinese only with its CMaps).
#   .ci/system-deps.sh        install the missing ones (as root), say what it found
#   .ci/system-deps.sh --ci   always `apt-get update`, then install the list (what CI does)
# Another apt or dpkg at work (unattended upgrades, a second session) is waited for, up to
# 10 minutes, instead of failing: DPkg::Lock::Timeout for install, and a retry loop for
# update, whose lists lock apt does not wait for.
set -euo pipefail
wanted=(postgresql chromium fonts-wqy-microhei libzbar0 zbar-tools poppler-utils poppler-data)
export DEBIAN_FRONTEND=noninteractive
LOCK_WAIT=600

apt_get() {
  local deadline=$((SECONDS + LOCK_WAIT)) out
  while true; do
    if out=$(apt-get -o DPkg::Lock::Timeout=$LOCK_WAIT -o APT::Get::Assume-Yes=true -qq "$@" 2>&1); then
      return 0
    fi
    if grep -qE "Could not get lock|Unable to lock|Unable to acquire" <<<"$out" && ((SECONDS < deadline)); then
      echo "apt-get $1: another package manager holds the lock; waiting"
      sleep 5
      continue
    fi
    printf '%s\n' "$out" >&2
    return 1
  done
}

if [ "${1:-}" = "--ci" ]; then
  if [ "$(id -u)" != "0" ]; then
    echo "system packages: not root, installing nothing (${wanted[*]})"
    exit 0
  fi
  apt_get update
  apt_get install --no-install-recommends "${wanted[@]}"
  echo "system packages: ${wanted[*]}"
  exit 0
fi

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
apt_get update
apt_get install --no-install-recommends "${need[@]}"
