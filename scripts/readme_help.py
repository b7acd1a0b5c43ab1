"""Keeps the `--help` texts in the README and in docs/ equal to the real ones.

Each block sits between `<!-- help: ARGS -->` and `<!-- /help -->`, in README.md
or any page in docs/. `python scripts/readme_help.py` rewrites them; the test suite
calls `stale_blocks()` and fails when any differs, so the docs cannot go stale.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
BLOCK = re.compile(r"(<!-- help:(?P<args>[^>]*?)-->\n)```text\n.*?```\n(<!-- /help -->)", re.S)


def pages() -> list[Path]:
    """The README and every page in docs/: where help blocks may sit."""
    return [README, *sorted((ROOT / "docs").glob("*.md"))]


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
    # pads each line to the width: not in the docs.
    out = out.replace("python -m linkedin_optout", "linkedin-optout")
    return "\n".join(line.rstrip() for line in out.splitlines()).strip("\n") + "\n"


def render(text: str) -> str:
    return BLOCK.sub(lambda m: f"{m[1]}```text\n{real_help(m['args'])}```\n{m[3]}", text)


def stale_blocks() -> list[str]:
    """'page: args' for each block that differs from the real help."""
    return [
        f"{page.relative_to(ROOT)}:{m['args']}"
        for page in pages()
        for m in BLOCK.finditer(page.read_text())
        if m[0] != render(m[0])
    ]


if __name__ == "__main__":
    for page in pages():
        text = page.read_text()
        if BLOCK.search(text):
            page.write_text(render(text))
    print("Help blocks updated (README.md, docs/).")
