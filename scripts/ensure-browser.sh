#!/usr/bin/env bash
# Makes sure a browser the tool can drive is on this machine, in this order:
# Playwright's own Chromium if it is there, else a system Chromium or Chrome,
# else Playwright's Chromium downloaded (tried once per virtual environment),
# else Debian's chromium package (as root). A browser already here is used as it
# is: nothing is downloaded, and nothing is said about downloads.
set -uo pipefail
py=${1:-.venv/bin/python}
tried="$(dirname "$py")/../.playwright-download-tried"

have_playwright_chromium() {
  "$py" - <<'PY' 2>/dev/null
import sys
from pathlib import Path
from playwright.sync_api import sync_playwright
with sync_playwright() as pw:
    sys.exit(0 if Path(pw.chromium.executable_path).exists() else 1)
PY
}
found() { "$py" -m linkedin_optout.browser >/dev/null 2>&1; }
done_with() { echo "browser: $("$py" -m linkedin_optout.browser)"; exit 0; }
new_log() { mktemp -t "linkedin-optout-$1.XXXXXX.log"; }

have_playwright_chromium && done_with
found && done_with
if [ ! -e "$tried" ]; then
  log=$(new_log playwright-install)
  echo "No browser found: downloading Playwright's Chromium (once)..." >&2
  deps=()
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then deps=(--with-deps); fi
  ok=0
  timeout 900 "$py" -m playwright install "${deps[@]}" chromium >"$log" 2>&1 && ok=1
  touch "$tried"
  [ "$ok" = 1 ] && have_playwright_chromium && done_with
  echo "Playwright's download did not work here (log: $log)." >&2
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  log=$(new_log apt-get)
  echo "Installing Debian's chromium package with apt-get (log: $log)..." >&2
  {
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-browser
  } >"$log" 2>&1
  found && done_with
  echo "apt-get did not give a usable browser (log: $log)." >&2
fi
echo "No usable browser. Install one of: 'python -m playwright install chromium'," >&2
echo "'sudo apt-get install chromium', or Google Chrome; then run make again." >&2
exit 1
