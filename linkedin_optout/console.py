"""What the person sees while the tool works: steps on stderr (stdout is kept
for the result, so `--json` stays one object), colour only on a terminal
without NO_COLOR, and every line scrubbed of session values."""

from __future__ import annotations

import os
import sys
from typing import TextIO

from linkedin_optout.session import redact


def use_colour(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


class Console:
    def __init__(self, *, quiet: bool = False, step_through: bool = False) -> None:
        self.quiet = quiet
        self.step_through = step_through
        self.colour = use_colour(sys.stderr)

    def _write(self, text: str, stream: TextIO) -> None:
        print(redact(text), file=stream, flush=True)

    def step(self, text: str) -> None:
        """A step as it happens ('Opened Data privacy')."""
        if not self.quiet:
            mark = "\x1b[36m•\x1b[0m" if self.colour else "-"
            self._write(f"{mark} {text}", sys.stderr)

    def warn(self, text: str) -> None:
        self._write(f"warning: {text}", sys.stderr)

    def error(self, message: str, advice: str | None = None) -> None:
        label = "\x1b[31merror:\x1b[0m" if self.colour else "error:"
        self._write(f"{label} {message}", sys.stderr)
        if advice:
            self._write(f"  {advice}", sys.stderr)

    def out(self, text: str) -> None:
        self._write(text, sys.stdout)

    def ask(self, action: str) -> None:
        """--step: wait for Enter before each action."""
        if not self.step_through:
            return
        self._write(f"? Next: {action}. Press Enter to go on.", sys.stderr)
        try:
            input()
        except EOFError:
            self.step_through = False  # no one at the keyboard: go on without asking
