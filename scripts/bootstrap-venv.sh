#!/usr/bin/env bash
# Creates the virtual environment. A fresh Debian or Ubuntu has python3 without
# venv/ensurepip; as root we install python3-venv, otherwise we say what to run.
set -euo pipefail
python=${1:-python3}
venv=${2:-.venv}

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "linkedin-optout needs Python 3.11 or newer; '$python' is $("$python" --version 2>&1 || echo missing)." >&2
  echo "Run: make PYTHON=/path/to/python3.11 ..." >&2
  exit 1
fi
if [ -x "$venv/bin/python" ]; then exit 0; fi
if "$python" -m venv "$venv" 2>/dev/null; then exit 0; fi
rm -rf "$venv"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing python3-venv with apt-get (needed to create $venv)..." >&2
  apt-get update -qq
  ver=$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python${ver}-venv" \
    || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
  "$python" -m venv "$venv"
else
  echo "Could not create a virtual environment: install python3-venv (sudo apt-get install python3-venv) and run make again." >&2
  exit 1
fi
