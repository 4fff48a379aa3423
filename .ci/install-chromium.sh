#!/usr/bin/env bash
# Installs Debian's chromium (for the status page screenshot test, test/integration/status-page.test.ts) when
# /usr/bin/chromium is missing. Idempotent and quiet; needs root (or passwordless sudo) and Debian's package
# archive. Recommends are skipped (printer tools, notification daemons); the fonts the page needs are named.
# Browser builds are never downloaded by other means (`npx playwright install` is not used).
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
  else
    echo "install-chromium: /usr/bin/chromium is missing and this user is not root (no sudo): install the 'chromium' package" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
echo "install-chromium: installing Debian's chromium (apt-get)…"
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends chromium fonts-liberation fonts-dejavu-core >/dev/null

if [ ! -x /usr/bin/chromium ]; then
  echo "install-chromium: apt-get finished but /usr/bin/chromium is still missing" >&2
  exit 1
fi
echo "install-chromium: $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium installed')"
