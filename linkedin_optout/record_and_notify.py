"""Keeping watch over one check: its record in the history, and a message when
something is on. The CLI calls three things, for any command and outcome:

    watch = begin(command, options, console)  # before any browser starts
    with ..., record_and_notify.running():                # around the browser's work
        ...
    report = record_and_notify.finish(report)             # after the report is built

`begin` checks `--notify` (a usage error without Apprise) and opens the history;
a damaged or foreign history file is a warning and the check goes on unrecorded.
`running` records the check as started, so that a run stopped by Ctrl-C, a
signal or a crash is read as interrupted. `finish` records the outcome, adds
`changed_since_last` to the report and sends the message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linkedin_optout.errors import OptoutError

if TYPE_CHECKING:
    from linkedin_optout.console import Console
    from linkedin_optout.history import History
    from linkedin_optout.report import Report

# Checks that read the settings and go into the history (`selectors probe` does not).
RECORDED = frozenset({"run", "status", "checkup"})


def begin(command: str, options: Mapping[str, Any], console: Console) -> Watch:
    """Options used: history_file, no_history, notify, notify_always (all optional)."""
    from linkedin_optout import notify

    urls = notify.split_urls(options.get("notify"))
    if urls:
        notify.require_apprise()
    history = None
    if command in RECORDED and not options.get("no_history"):
        history = _open(options.get("history_file"), console)
    return Watch(command, console, history, urls, bool(options.get("notify_always")))


def _open(path: Path | None, console: Console) -> History | None:
    from linkedin_optout.history import History, HistoryError, default_path

    try:
        return History.open(path or default_path())
    except HistoryError as exc:
        advice = f" {exc.advice}" if exc.advice else ""
        console.warn(f"{exc.message} This check is not recorded.{advice}")
        return None


class Watch:
    def __init__(
        self,
        command: str,
        console: Console,
        history: History | None,
        notify_urls: list[str],
        notify_always: bool,
    ) -> None:
        self.command = command
        self.console = console
        self.history = history
        self.notify_urls = notify_urls
        self.notify_always = notify_always
        self.record_id: int | None = None

    @contextmanager
    def running(self) -> Iterator[None]:
        """The check is under way: recorded at once, and marked interrupted if
        anything but a result ends it (a crash that runs no handler at all leaves
        a record that reads as interrupted too)."""
        from linkedin_optout.history import INTERRUPTED, History, HistoryError
        from linkedin_optout.report import now

        if self.history is not None:
            try:
                self.record_id = self.history.start(self.command, now())
            except HistoryError as exc:
                self._lost(exc)
        try:
            yield
        except OptoutError as exc:
            if exc.outcome is None:  # refused input (exit 2): no check took place
                self._record(History.discard)
            else:
                self._record(partial(History.mark, outcome=str(exc.outcome), code=exc.exit_code))
            raise
        except BaseException as exc:
            self._record(partial(History.mark, outcome=INTERRUPTED, code=_exit_code(exc)))
            raise

    def finish(self, report: Report) -> Report:
        """Record the report, add `changed_since_last`, send word if due."""
        from linkedin_optout import notify
        from linkedin_optout.history import HistoryError

        if self.history is not None:
            try:
                changes = self.history.finish(self.record_id, self.command, report)
            except HistoryError as exc:
                self._lost(exc)
            else:
                report = report.model_copy(update={"changed_since_last": changes})
            self._close()
        if self.notify_urls and notify.is_due(report, self.notify_always):
            notify.send(self.notify_urls, report, self.command, self.console)
        return report

    def _record(self, action: Callable[[History, int], None]) -> None:
        from linkedin_optout.history import HistoryError

        if self.history is not None and self.record_id is not None:
            try:
                action(self.history, self.record_id)
            except HistoryError as exc:
                self._lost(exc)
        self._close()

    def _lost(self, exc: OptoutError) -> None:
        self.console.warn(f"{exc.message} This check is not recorded.")
        self._close()

    def _close(self) -> None:
        if self.history is not None:
            self.history.close()
            self.history = None


def _exit_code(exc: BaseException) -> int | None:
    """The exit code an interruption ends in: 130 for Ctrl-C, or what a signal
    handler exits with (SystemExit, typer.Exit); None for a crash."""
    if isinstance(exc, KeyboardInterrupt):
        return 130
    code = getattr(exc, "exit_code", getattr(exc, "code", None))
    return code if isinstance(code, int) else None
