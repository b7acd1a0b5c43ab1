"""One check of the settings, whichever command asked for it (`run`, `status`,
`checkup`, `selectors probe`): the CLI's choices as one typed object, checked,
turned into `RunOptions`, run, reported; the exit code comes back.

Domain errors (`OptoutError`) are not caught here: they go up to the CLI, which
prints them and exits in one place. Nothing here imports Playwright or pydantic
at import time; `execute` imports what a check needs when it runs.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn
from urllib.parse import urlsplit

import typer

from linkedin_optout import interrupt
from linkedin_optout.console import Console, use_colour
from linkedin_optout.errors import AuthRequired, OptoutError, UsageError

if TYPE_CHECKING:
    from collections.abc import Sequence

    from linkedin_optout.browser import BrowserChoice
    from linkedin_optout.selectors import SelectorFile

DEFAULT_BASE_URL = "https://www.linkedin.com"
Command = Literal["run", "status", "checkup", "probe"]


@dataclass(frozen=True)
class Choices:
    """What the person asked for on the command line, option by option."""

    command: Command
    base_url: str = DEFAULT_BASE_URL
    state: Path | None = None
    profile: Path | None = None
    user_agent: str | None = None  # --user-agent: the browser a foreign session came from
    only: tuple[str, ...] = ()  # --only KEY
    groups: tuple[str, ...] = ()  # --group GROUP
    every_setting: bool = False  # --all
    selectors: str | None = None
    locale: str | None = None
    headed: bool = False
    slow_mo: int = 0
    step: bool = False
    timeout: float = 30.0
    retries: int = 2
    browser_path: str | None = None
    channel: str | None = None
    json_out: bool = False
    quiet: bool = False
    report: Path | None = None
    screenshots: Path | None = None
    diagnostics: Path | None = None
    trace: Path | None = None
    history_file: Path | None = None
    no_history: bool = False
    notify: tuple[str, ...] = ()
    notify_always: bool = False

    @property
    def dry_run(self) -> bool:
        return self.command != "run"

    def console(self) -> Console:
        return Console(
            quiet=self.quiet or self.json_out, step_through=self.step, changing=not self.dry_run
        )


# --- checking the choices, before any browser starts ---------------------------------


def check_base_url(base_url: str) -> str:
    parts = urlsplit(base_url.strip())
    try:
        parts.port  # noqa: B018 (raises on a bad port)
    except ValueError:
        raise UsageError(f"--base-url {base_url!r}: the port is not a number.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname or " " in base_url:
        raise UsageError(
            f"--base-url {base_url!r} is not an http(s) URL, e.g. https://www.linkedin.com."
        )
    return f"{parts.scheme}://{parts.netloc}"


def check_locale(locale: str | None, versions: Sequence[SelectorFile]) -> str | None:
    """--locale: a language the selector files describe (adding one is data only)."""
    from linkedin_optout.selectors import all_languages

    if locale is None:
        return None
    known = all_languages(versions)
    if locale.lower() not in known:
        raise unknown_name("--locale", locale, "language in the selector files", list(known))
    return locale.lower()


def known_settings(versions: Sequence[SelectorFile]) -> tuple[SelectorFile, ...]:
    """The versions whose settings can be asked for: those given, then the bundled
    ones (a setting a forced layout lacks is reported absent, as on a page that
    does not offer it)."""
    from linkedin_optout.selectors import bundled_versions

    return (*versions, *bundled_versions())


def setting_groups(versions: Sequence[SelectorFile]) -> dict[str, str]:
    """Each setting key the versions know, with its group, in catalogue order."""
    from linkedin_optout.layouts import Layouts
    from linkedin_optout.selectors import setting_keys

    known = Layouts(tuple(versions))
    return {key: entry.group for key in setting_keys(versions) if (entry := known.entry(key))}


def check_keys(
    only: Sequence[str],
    groups: Sequence[str],
    every_setting: bool,
    versions: Sequence[SelectorFile],
) -> tuple[str, ...]:
    """--only, --group and --all, as a union: settings and groups the selector data
    knows (adding one is data only). None of them: the default groups."""
    from linkedin_optout.selectors import default_keys

    every = known_settings(versions)
    if not (only or groups or every_setting):
        return default_keys(every)
    catalogue = setting_groups(every)
    for key in only:
        if key not in catalogue:
            raise unknown_name("--only", key, "setting", list(catalogue))
    known_groups = list(dict.fromkeys(catalogue.values()))
    for group in groups:
        if group not in known_groups:
            raise unknown_name("--group", group, "group", known_groups)
    chosen = [k for k, g in catalogue.items() if every_setting or g in groups]
    return tuple(dict.fromkeys([*only, *chosen]))


def unknown_name(option: str, name: str, what: str, known: Sequence[str]) -> UsageError:
    """An unknown setting key, group or language: a near miss gets a "did you mean"."""
    from linkedin_optout.cli_app import did_you_mean

    return UsageError(
        f"{option} {name}: no such {what}{did_you_mean(name, known)}.",
        advice=f"Known: {', '.join(known)}.",
    )


def check_output_paths(choices: Choices) -> None:
    """Where the tool will write: folders must be folders and files files, said
    before a browser starts rather than after a setting was switched."""
    for name, path in (("screenshots", choices.screenshots), ("diagnostics", choices.diagnostics)):
        if path is not None and path.exists() and not path.is_dir():
            raise UsageError(f"--{name} {path} is a file; give a folder.")
    for name, path in (("report", choices.report), ("trace", choices.trace)):
        if path is not None and path.is_dir():
            raise UsageError(f"--{name} {path} is a folder; give a file name.")


def warn_if_not_linkedin(base_url: str, console: Console) -> None:
    """The session goes wherever --base-url points: say so when that is not
    LinkedIn or this machine (a test site)."""
    host = urlsplit(base_url).hostname or ""
    local = host in ("localhost", "::1") or host.startswith("127.")
    if not (local or host == "linkedin.com" or host.endswith(".linkedin.com")):
        console.warn(f"--base-url {base_url} is not LinkedIn: your session is sent there.")


def browser_choice(
    browser_path: str | None, channel: str | None, headed: bool = False, slow_mo: int = 0
) -> BrowserChoice:
    from linkedin_optout.browser import BrowserChoice

    return BrowserChoice(
        browser_path=browser_path,
        channel=str(channel) if channel else None,  # --channel's enum, as its value
        headed=headed,
        slow_mo_ms=slow_mo,
    )


# --- one check -----------------------------------------------------------------------


def execute(choices: Choices, console: Console) -> int:
    """Check the choices, run, report; the exit code. An OptoutError raised
    before a report exists (bad input, exit 2) goes up to the caller."""
    from linkedin_optout import browser_run, record_and_notify, report
    from linkedin_optout.findings import new_findings
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
        if choices.user_agent and source.kind == "profile":
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
    from linkedin_optout import checkup, report

    if choices.json_out:
        console.out(report.render_json(rep))
    elif choices.quiet:  # --quiet: the result line only (errors still go to stderr)
        console.out(f"Result: {report.result_line(rep, checkup=choices.command == 'checkup')}")
    elif choices.command == "probe":
        console.out(report.render_probe(rep, result.attempts))
    elif choices.command == "checkup":
        console.out(
            checkup.render(
                rep,
                opts.base_url,
                known_settings(opts.versions),
                colour=use_colour(sys.stdout),
            )
        )
    else:
        console.out(report.render_table(rep, colour=use_colour(sys.stdout)))
    if choices.report:
        write_report(choices.report, report.render_json(rep), console)
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
