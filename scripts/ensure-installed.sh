#!/bin/sh
# Runs before `npm test` and `npm run repro`: installs the dependencies when they are missing or
# stale, and stops with ONE actionable line when no Chromium can be found. POSIX sh and no node
# when all is present, so it costs a few milliseconds.
# The browser lookup is scripts/find-chromium.sh (the order of helpers/target/browser-path.ts).
# Exit: 0 ready; 2 no browser (the suite's "configuration error"); npm ci's status if it fails.
set -u
cd "$(dirname "$0")/.." || exit 2

if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ensure-installed: node_modules is missing or older than package-lock.json: running npm ci" >&2
  npm ci --no-audit --no-fund || exit $?
fi

install_hint='run `sudo apt-get install -y chromium-headless-shell` (Debian) or `npx playwright install chromium`, or set CHROMIUM_PATH.'

sh scripts/find-chromium.sh >/dev/null && exit 0
if [ -n "${CHROMIUM_PATH:-}" ]; then
  echo "No Chromium found at CHROMIUM_PATH=$CHROMIUM_PATH: $install_hint" >&2
else
  echo "No Chromium found: $install_hint" >&2
fi
exit 2
