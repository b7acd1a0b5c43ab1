#!/usr/bin/env bash
# Makes sure a browser the tool can drive is on this machine, in this order:
# Playwright's own Chromium (downloaded where that works: tried once per
# virtual environment), else a system Chromium or Chrome, else Debian's
# chromium package (as root).
set -uo pipefail
py=${1:-.venv/bin/python}
tried="$(dirname "$py")/../.playwright-download-tried"
log=$(mktemp -t linkedin-optout-playwright-install.XXXXXX.log)

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

have_playwright_chromium && done_with
if [ ! -e "$tried" ]; then
  echo "Downloading Playwright's Chromium (once)..." >&2
  deps=()
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then deps=(--with-deps); fi
  ok=0
  timeout 900 "$py" -m playwright install "${deps[@]}" chromium >"$log" 2>&1 && ok=1
  touch "$tried"
  [ "$ok" = 1 ] && have_playwright_chromium && done_with
  echo "Playwright's download did not work here (log: $log); looking for another browser." >&2
fi
found && done_with
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium package with apt-get..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-browser
  found && done_with
fi
echo "No usable browser. Install one of: 'python -m playwright install chromium'," >&2
echo "'sudo apt-get install chromium', or Google Chrome; then run make again." >&2
exit 1
