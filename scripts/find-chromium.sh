#!/bin/sh
# Prints the Chromium the suite will drive and exits 0, or prints nothing and exits 1. The same
# order as helpers/target/browser-path.ts for a headless run (CHROMIUM_PATH, which must exist;
# Playwright's own download; Debian's headless shell; Debian's full binary), in POSIX sh without
# node: scripts/ensure-installed.sh and .ci/run ask it before any dependency is installed.
if [ -n "${CHROMIUM_PATH:-}" ]; then
  [ -x "$CHROMIUM_PATH" ] || exit 1
  echo "$CHROMIUM_PATH"
  exit 0
fi
# Playwright's download: <browsers>/chromium-<rev>/chrome-linux*/chrome (the glob stays literal when absent).
for candidate in "${PLAYWRIGHT_BROWSERS_PATH:-${HOME:-/nonexistent}/.cache/ms-playwright}"/chromium-*/chrome-linux*/chrome /usr/lib/chromium/chromium-headless-shell /usr/lib/chromium/chromium; do
  if [ -x "$candidate" ]; then
    echo "$candidate"
    exit 0
  fi
done
exit 1
