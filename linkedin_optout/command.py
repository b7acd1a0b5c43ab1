"""One check of the settings, whichever command asked for it (`run`, `status`,
`checkup`, `selectors probe`): the CLI's choices as one typed object, checked,
turned into `RunOptions`, run, reported; the exit code comes back.

Domain errors (`OptoutError`) are not caught here: they go up to the CLI, which
prints them and exits in one place. Nothing here imports Playwright or pydantic
at import time; `execute` imports what a check needs when it runs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn
from urllib.parse import urlsplit

import typer

from linkedin_optout import interrupt
from linkedin_optout.choices import Choices, known_settings
from linkedin_optout.console import Console, use_colour
from linkedin_optout.errors import AuthRequired, OptoutError


def warn_if_not_linkedin(base_url: str, console: Console) -> None:
    """The session goes wherever --base-url points: say so when that is not
    LinkedIn or this machine (a test site)."""
    host = urlsplit(base_url).hostname or ""
    local = host in ("localhost", "::1") or host.startswith("127.")
    if not (local or host == "linkedin.com" or host.endswith(".linkedin.com")):
        console.warn(f"--base-url {base_url} is not LinkedIn: your session is sent there.")


# --- one check -----------------------------------------------------------------------


def execute(choices: Choices, console: Console) -> int:
    """Check the choices, run, report; the exit code. An OptoutError raised
    before a report exists (bad input, exit 2) goes up to the caller."""
    from linkedin_optout import browser_run, record_and_notify, report
    from linkedin_optout.findings import new_findings
    from linkedin_optout.identity import ENV_USER_AGENT
    from linkedin_optout.run_plan import plan

    started = report.now()
    planned = plan(choices)
    opts = planned.opts
    watcher = record_and_notify.begin(choices.command, _watch_options(choices), console)
    source = None
    try:
        source = planned.session()
    except AuthRequired as exc:
        result = report.RunResult(settings=new_findings(opts).reports(), error=exc)
    else:
        warn_if_not_linkedin(opts.base_url, console)
        named_here = choices.user_agent and os.environ.get(ENV_USER_AGENT) != choices.user_agent
        if named_here and source.kind == "profile":
            console.warn(
                "--user-agent is not used: the browser profile is used with the browser "
                "that signed in to it, as it is."
            )
        if opts.trace:
            console.warn(f"The trace {opts.trace} will hold your session: keep it private.")
        with watcher.running():
            try:
                result = browser_run.run(opts, source, console, choices.diagnostics)
            finally:
                console.progress_end()
    described = source.describe() if source else None
    rep = watcher.finish(report.build_report(result, opts, started, described))
    _print(choices, console, rep, result, opts)
    return planned.exit_code(rep.outcome, result.error)


def _watch_options(choices: Choices) -> dict[str, Any]:
    if choices.command == "probe":  # only reads the pages: not recorded, no word sent
        return {"no_history": True}
    return {
        "history_file": choices.history_file,
        "no_history": choices.no_history,
        "notify": list(choices.notify),
        "notify_always": choices.notify_always,
    }


def _print(choices: Choices, console: Console, rep: Any, result: Any, opts: Any) -> None:
    from linkedin_optout import report

    if choices.json_out:
        console.out(report.render_json(rep))
    elif choices.quiet:  # --quiet: the result line only (errors still go to stderr)
        console.out(f"Result: {report.result_line(rep, checkup=choices.command == 'checkup')}")
    elif choices.command == "probe":
        console.out(report.render_probe(rep, result.attempts))
    else:
        from linkedin_optout import terminal

        console.out(
            terminal.render(
                rep,
                choices.command,
                base_url=opts.base_url,
                selector_files=known_settings(opts.selector_files),
                colour=use_colour(sys.stdout),
                terminal=terminal.is_terminal(sys.stdout),
            )
        )
    if choices.report:
        write_report(choices.report, report.render_json(rep), console)
    if choices.html and choices.command != "probe":
        from linkedin_optout import html_record

        page = html_record.render(
            rep, command=choices.command, base_url=opts.base_url, panels=result.panels
        )
        html_record.write(choices.html, page, console)
    if rep.error:
        console.error(rep.error.message, rep.error.advice)
    if result.diagnostics:
        from linkedin_optout.diagnostics import ISSUES_HINT

        console.error(f"Diagnostics saved in {result.diagnostics}.", ISSUES_HINT)


def write_report(path: Path, text: str, console: Console) -> None:
    """--report: a record, not a step; failing to write it does not hide the outcome."""
    from linkedin_optout.session import redact, write_private

    try:
        write_private(path, (redact(text) + "\n").encode())
    except OptoutError as exc:
        console.warn(f"The report was not saved: {exc.message}")


# --- one place for errors ------------------------------------------------------


@contextmanager
def exit_on_error(console: Console) -> Iterator[None]:
    try:
        yield
    except OptoutError as exc:
        fail(console, exc)


def fail(console: Console, exc: OptoutError) -> NoReturn:
    """The one place a domain error becomes a plain message and its exit code."""
    console.error(exc.message, exc.advice)
    raise typer.Exit(exc.exit_code) from None


@interrupt.stoppable  # Ctrl-C and SIGTERM: the run stops, its report says how far it got
def check(choices: Choices) -> NoReturn:
    """run, status, checkup, selectors probe: one check, then its exit code."""
    console = choices.console()
    with exit_on_error(console):
        code = execute(choices, console)
    raise typer.Exit(code)
