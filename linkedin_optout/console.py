"""What the person sees while the tool works: steps on stderr (stdout is kept
for the result, so `--json` stays one object), colour only on a terminal
without NO_COLOR, and every line scrubbed of session values.

Progress through many settings (the check-up): `progress_start(total)` when the
settings to read are known, `finding(key, label, state)` when a setting's state
is first read, `progress_end()` when the walk ends (the CLI calls it however the
walk ends). On a terminal a line on stderr counts the settings read so far, with
each finding printed above it; elsewhere (a pipe, a file, cron) each finding is
one step line with the count, and there is no live line. With --quiet or --json
none of it prints.
"""

from __future__ import annotations

import os
import sys
from typing import Any, TextIO

from linkedin_optout.session import redact

# What a person reads for a state (as report.STATE_WORDS, without importing pydantic).
STATE_WORDS = {"absent": "not offered"}


def use_colour(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR") and os.environ.get("TERM") != "dumb"


def silence(stream: TextIO) -> None:
    """The reader of `stream` went away (`status | head -1`): the rest of the output
    goes nowhere, and the exit code stays the check's (not 1, "a setting is on")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # a stream with no file descriptor (a test's capture)
        pass


class Console:
    def __init__(
        self, *, quiet: bool = False, step_through: bool = False, changing: bool = False
    ) -> None:
        self.quiet = quiet
        self.step_through = step_through
        self.changing = changing  # a run that switches settings off, not only reads
        self.colour = use_colour(sys.stderr)
        self._progress: Any = None  # a rich Progress while one is shown
        self._task: Any = None
        self._total = 0
        self._found: list[str] = []  # keys read so far

    def _write(self, text: str, stream: TextIO) -> None:
        try:
            print(redact(text), file=stream, flush=True)
        except BrokenPipeError:
            silence(stream)

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
        except EOFError:  # no one at the keyboard: stop here, change nothing more
            from linkedin_optout.errors import InputEnded

            raise InputEnded(
                f"--step: input ended before '{action}', so the run stopped there; "
                "nothing more was changed.",
                advice="Run it in a terminal and press Enter at each step, or without --step.",
                step=action,
            ) from None

    # --- progress through the settings ----------------------------------------------

    def progress_start(self, total: int) -> None:
        """`total` settings are about to be read."""
        self.progress_end()
        self._total, self._found = total, []
        if self.quiet or not sys.stderr.isatty():
            return
        from rich.console import Console as RichConsole
        from rich.progress import BarColumn, Progress, TextColumn

        terminal = RichConsole(
            file=sys.stderr, force_terminal=True, no_color=not self.colour, highlight=False
        )
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.fields[count]}"),
            console=terminal,
            transient=True,  # the live line goes; the findings above it stay
        )
        self._task = self._progress.add_task(
            "Reading settings", total=total, count=f"0 of {total} read"
        )
        self._progress.start()

    def finding(self, key: str, label: str, state: str, how: str | None = None) -> None:
        """A setting's state, read for the first time (a second reading is not
        counted). `how` (which strategy found its switch) is for `selectors probe`
        and the report, not for the person watching: it is not printed."""
        if self.quiet or key in self._found:
            return
        self._found.append(key)
        state = STATE_WORDS.get(state, state)
        count = f"{len(self._found)} of {self._total}" if self._total else None
        if self._progress is not None:
            from rich.markup import escape

            mark = "[cyan]•[/]" if self.colour else "-"
            self._progress.console.print(f"{mark} {escape(redact(f'{label}: {state}'))}")
            done = len(self._found) >= self._total
            if done and self.changing:  # read, but a run still switches off and confirms
                fields = {"description": "Switching off and confirming", "count": "all read"}
            else:
                fields = {"count": f"{len(self._found)} of {self._total} read"}
            self._progress.update(self._task, advance=1, **fields)
        else:
            self.step(f"{label}: {state}" + (f" ({count})" if count else ""))

    def progress_end(self) -> None:
        """The walk is over: the live line goes (safe to call when none is shown)."""
        if self._progress is not None:
            self._progress.stop()
            self._progress = self._task = None
