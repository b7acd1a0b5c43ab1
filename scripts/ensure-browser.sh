#!/usr/bin/env bash
# Makes sure a browser the tool can drive is on this machine, in the order the
# README gives: Playwright's own Chromium (downloaded where that works), else a
# system Chromium or Chrome, else Debian's chromium package (as root).
set -uo pipefail
py=${1:-.venv/bin/python}

found() { "$py" -m linkedin_optout.browser >/dev/null 2>&1; }

if found; then
  echo "browser: $("$py" -m linkedin_optout.browser)"
  exit 0
fi
echo "No browser found yet: trying Playwright's Chromium download..." >&2
deps=()
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then deps=(--with-deps); fi
if timeout 600 "$py" -m playwright install "${deps[@]}" chromium >/tmp/linkedin-optout-playwright-install.log 2>&1 && found; then
  echo "browser: $("$py" -m linkedin_optout.browser)"
  exit 0
fi
echo "Playwright's download did not work here (log: /tmp/linkedin-optout-playwright-install.log)." >&2
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium package with apt-get..." >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium-browser
  if found; then
    echo "browser: $("$py" -m linkedin_optout.browser)"
    exit 0
  fi
fi
echo "No usable browser. Install one of: 'python -m playwright install chromium'," >&2
echo "'sudo apt-get install chromium', or Google Chrome; then run make again." >&2
exit 1
