#!/bin/sh
# Runs before `npm test` and `npm run repro`: installs the dependencies when they are missing or
# stale, and stops with ONE actionable line when no Chromium can be found. POSIX sh and no node
# when all is present, so it costs a few milliseconds.
# The browser lookup mirrors helpers/target/browser-path.ts: CHROMIUM_PATH (must exist), Playwright's own
# download, Debian's real binary.
# Exit: 0 ready; 2 no browser (the suite's "configuration error"); npm ci's status if it fails.
set -u
cd "$(dirname "$0")/.." || exit 2

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-installed: node_modules is missing or older than package-lock.json: running npm ci" >&2
  npm ci --no-audit --no-fund || exit $?
fi

install_hint='run `sudo apt-get install -y chromium` (Debian) or `npx playwright install chromium`, or set CHROMIUM_PATH.'

if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] && exit 0
  echo "No Chromium found at CHROMIUM_PATH=$CHROMIUM_PATH: $install_hint" >&2
  exit 2
fi

# Playwright's download: <browsers>/chromium-<rev>/chrome-linux*/chrome (the glob stays literal when absent).
for candidate in "${PLAYWRIGHT_BROWSERS_PATH:-${HOME:-/nonexistent}/.cache/ms-playwright}"/chromium-*/chrome-linux*/chrome /usr/lib/chromium/chromium; do
  [ -x "$candidate" ] && exit 0
done

echo "No Chromium found: $install_hint" >&2
exit 2
