"""Keeps the `--help` texts in README.md equal to the real ones.

Each block sits between `<!-- help: ARGS -->` and `<!-- /help -->`. `python
scripts/readme_help.py` rewrites them; the test suite calls `stale_blocks()` and
fails when any differs, so the README cannot go stale.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(r"(<!-- help:(?P<args>[^>]*?)-->\n)```text\n.*?```\n(<!-- /help -->)", re.S)


def real_help(args: str) -> str:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb"}
    out = subprocess.run(
        [sys.executable, "-m", "linkedin_optout", *args.split(), "--help"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # The program name depends on how it was started; show the installed one. Rich
    # pads each line to the width: not in the README.
    out = out.replace("python -m linkedin_optout", "linkedin-optout")
    return "\n".join(line.rstrip() for line in out.splitlines()).strip("\n") + "\n"


def render(text: str) -> str:
    return BLOCK.sub(lambda m: f"{m[1]}```text\n{real_help(m['args'])}```\n{m[3]}", text)


def stale_blocks() -> list[str]:
    text = README.read_text()
    return [m["args"] for m in BLOCK.finditer(text) if m[0] != render(m[0])]


if __name__ == "__main__":
    README.write_text(render(README.read_text()))
    print("README help blocks updated.")
