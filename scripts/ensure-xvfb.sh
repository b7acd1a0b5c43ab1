#!/usr/bin/env bash
# The tests sign in the way a person does, in a visible browser window: on a
# machine without a screen that window needs a virtual one (Xvfb). Installs
# Debian's xvfb package when it is missing and we are root; otherwise says how.
set -uo pipefail
command -v Xvfb >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's xvfb package (a virtual screen for the sign-in tests)..." >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb >/dev/null && exit 0
fi
echo "No Xvfb: install it ('sudo apt-get install xvfb'), then run make test again." >&2
exit 1
