"""The command line: options in, exit code out.

Options shared by `run`, `status` and `selectors probe` are written once (on
`run`) and the other commands take `run`'s signature. Domain errors are caught
in `_exit_on_error`, printed plainly, and end in their exit code. Nothing here
imports Playwright or pydantic at import time, so `--help` stays fast.
"""

import inspect
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn
from urllib.parse import urlsplit

import typer

from linkedin_optout import __version__, interrupt
from linkedin_optout.console import Console, use_colour
from linkedin_optout.errors import AuthRequired, OptoutError, UsageError
from linkedin_optout.selector_paths import bundled_key_names

DEFAULT_BASE_URL = "https://www.linkedin.com"

app = typer.Typer(
    name="linkedin-optout",
    help="Switch off LinkedIn's generative-AI training settings on your own account, "
    "and prove it by reading them back after a reload.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
)
selectors_app = typer.Typer(
    help="List, check and probe the selector files that describe LinkedIn's pages.",
    no_args_is_help=True,
)
app.add_typer(selectors_app, name="selectors")


class Channel(StrEnum):
    chrome = "chrome"
    msedge = "msedge"


# --- options, written once -------------------------------------------------------

BaseUrl = Annotated[
    str,
    typer.Option(
        "--base-url",
        envvar="LINKEDIN_OPTOUT_BASE_URL",
        metavar="URL",
        help="Where LinkedIn is; every page the tool visits is built from it.",
    ),
]
StatePath = Annotated[
    Path | None,
    typer.Option(
        "--state",
        metavar="PATH",
        help="Playwright state file holding your session (default: the one "
        "'linkedin-optout login' saved). Without it, LINKEDIN_LI_AT is used if set.",
        show_default=False,
    ),
]
Profile = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        metavar="DIR",
        help="Use a browser profile folder of the tool's own instead of a state file. "
        "Not your everyday Chrome profile: Chrome refuses automation of its default profile.",
        show_default=False,
    ),
]
BrowserPath = Annotated[
    str | None,
    typer.Option(
        "--browser-path",
        envvar="LINKEDIN_OPTOUT_BROWSER",
        metavar="PATH",
        help="A Chrome or Chromium executable to use.",
        show_default=False,
    ),
]
ChannelOpt = Annotated[
    Channel | None,
    typer.Option(
        "--channel", help="Use an installed Google Chrome or Microsoft Edge.", show_default=False
    ),
]
Headed = Annotated[bool, typer.Option("--headed", help="Show the browser window.")]
HistoryFile = Annotated[
    Path | None,
    typer.Option(
        "--history",
        envvar="LINKEDIN_OPTOUT_HISTORY",
        metavar="PATH",
        help="The history database (default: history.sqlite3 in your data folder, "
        "~/.local/share/linkedin-optout on Linux).",
        show_default=False,
    ),
]
NoHistory = Annotated[
    bool, typer.Option("--no-history", help="Do not record this check in the history.")
]
NotifyUrls = Annotated[
    list[str] | None,
    typer.Option(
        "--notify",
        envvar="LINKEDIN_OPTOUT_NOTIFY",
        metavar="URL",
        help="Send a message to this Apprise URL when a setting is on, came back on, or the "
        "check fails (repeatable; needs: pip install 'linkedin-optout[notify]').",
        show_default=False,
    ),
]
NotifyAlways = Annotated[
    bool, typer.Option("--notify-always", help="With --notify: send even when all is well.")
]
# Options of checks that are recorded and send word; `selectors probe` has none.
WATCH_OPTIONS = frozenset({"history_file", "no_history", "notify", "notify_always"})


def run(
    base_url: BaseUrl = DEFAULT_BASE_URL,
    state: StatePath = None,
    profile: Profile = None,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only",
            metavar="KEY",
            help=f"Only this setting (repeatable): {' or '.join(bundled_key_names())}.",
            show_default=False,
        ),
    ] = None,
    selectors: Annotated[
        str | None,
        typer.Option(
            "--selectors",
            metavar="NAME|FILE",
            help="Use this selector version (e.g. 2024-09) or file instead of detecting it.",
            show_default=False,
        ),
    ] = None,
    locale: Annotated[
        str | None,
        typer.Option(
            "--locale",
            metavar="LANG",
            help="Match labels in this language only, e.g. en, nl, de, fr "
            "(default: the page's own).",
            show_default=False,
        ),
    ] = None,
    headed: Headed = False,
    slow_mo: Annotated[
        int, typer.Option("--slow-mo", metavar="MS", min=0, help="Slow each browser action by MS.")
    ] = 0,
    step: Annotated[
        bool, typer.Option("--step", help="Wait for Enter before each action (use with --headed).")
    ] = False,
    timeout: Annotated[
        float, typer.Option("--timeout", metavar="SECONDS", min=1, help="Time limit for each step.")
    ] = 30.0,
    retries: Annotated[
        int,
        typer.Option(
            "--retries", metavar="N", min=0, max=5, help="Retries of a failed load or save."
        ),
    ] = 2,
    browser_path: BrowserPath = None,
    channel: ChannelOpt = None,
    json_out: Annotated[
        bool, typer.Option("--json", help="Print exactly one JSON report on stdout.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the result.")] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report",
            metavar="FILE",
            help="Also write the JSON report to FILE.",
            show_default=False,
        ),
    ] = None,
    screenshots: Annotated[
        Path | None,
        typer.Option(
            "--screenshots",
            metavar="DIR",
            help="Save a screenshot of each setting before and after.",
            show_default=False,
        ),
    ] = None,
    diagnostics: Annotated[
        Path | None,
        typer.Option(
            "--diagnostics",
            metavar="DIR",
            help="Where to write the diagnostic bundle when a page is not recognized "
            "or a change fails (default: a new folder here).",
            show_default=False,
        ),
    ] = None,
    trace: Annotated[
        Path | None,
        typer.Option(
            "--trace",
            metavar="FILE",
            help="Record a Playwright trace for debugging. It holds your session: never share it.",
            show_default=False,
        ),
    ] = None,
    history_file: HistoryFile = None,
    no_history: NoHistory = False,
    notify: NotifyUrls = None,
    notify_always: NotifyAlways = False,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only report the current state; change nothing.")
    ] = False,
) -> None:
    """Switch the AI settings off, then prove it by reading them back after a reload."""
    _execute(locals(), "status" if dry_run else "run")


def _with_run_options(
    mode: str, doc: str, without: frozenset[str] = frozenset()
) -> Callable[..., None]:
    """A command that takes `run`'s options (but --dry-run): written once, not copied."""

    def command(**options: Any) -> None:
        _execute(options, mode)

    params = inspect.signature(run, eval_str=True).parameters
    command.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [p for name, p in params.items() if name != "dry_run" and name not in without]
    )
    command.__doc__ = doc
    command.__name__ = mode
    return command


app.command("run")(run)
app.command("status")(
    _with_run_options(
        "status",
        "Report each setting's state and change nothing (the same as 'run --dry-run'). "
        "Exit 0 when all are off, 1 when one is on: fit for a scheduled check.",
    )
)
selectors_app.command("probe")(
    _with_run_options(
        "probe",
        "With your session, read only: which selector version, language and strategy "
        "matched each setting. The first thing to run when LinkedIn changes its pages.",
        without=WATCH_OPTIONS,
    )
)


# --- one place for errors ------------------------------------------------------


@contextmanager
def _exit_on_error(console: Console) -> Iterator[None]:
    try:
        yield
    except OptoutError as exc:
        _fail(console, exc)


def _fail(console: Console, exc: OptoutError) -> NoReturn:
    """The one place a domain error becomes a plain message and its exit code."""
    console.error(exc.message, exc.advice)
    raise typer.Exit(exc.exit_code) from None


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


def check_locale(locale: str | None, versions: Any) -> str | None:
    """--locale: a language the selector files describe (adding one is data only)."""
    from linkedin_optout.selectors import all_languages

    if locale is None:
        return None
    known = all_languages(versions)
    if locale.lower() not in known:
        raise UsageError(
            f"--locale {locale}: no selector file has labels in it (known: {', '.join(known)})."
        )
    return locale.lower()


def check_keys(only: list[str] | None, versions: Any) -> tuple[str, ...]:
    """--only: settings the selector data knows (adding one is data only);
    without it, the default groups."""
    from linkedin_optout.selectors import bundled_versions, default_keys, setting_keys

    # The bundled settings, and those of a file given with --selectors: a setting a
    # forced layout lacks is reported absent, as on a page that does not offer it.
    every = (*versions, *bundled_versions())
    if not only:
        return default_keys(every)
    known = setting_keys(every)
    for key in only:
        if key not in known:
            raise UsageError(f"--only {key}: no such setting (known: {', '.join(known)}).")
    return tuple(dict.fromkeys(only))


def warn_if_not_linkedin(base_url: str, console: Console) -> None:
    """The session goes wherever --base-url points: say so when that is not
    LinkedIn or this machine (a test site)."""
    host = urlsplit(base_url).hostname or ""
    local = host in ("localhost", "::1") or host.startswith("127.")
    if not (local or host == "linkedin.com" or host.endswith(".linkedin.com")):
        console.warn(f"--base-url {base_url} is not LinkedIn: your session is sent there.")


def check_output_paths(options: dict[str, Any]) -> None:
    """Where the tool will write: folders must be folders and files files, said
    before a browser starts rather than after a setting was switched."""
    for name in ("screenshots", "diagnostics"):
        path = options.get(name)
        if path is not None and path.exists() and not path.is_dir():
            raise UsageError(f"--{name} {path} is a file; give a folder.")
    for name in ("report", "trace"):
        path = options.get(name)
        if path is not None and path.is_dir():
            raise UsageError(f"--{name} {path} is a folder; give a file name.")


def _browser_choice(options: dict[str, Any]) -> Any:
    from linkedin_optout.browser import BrowserChoice

    channel = options.get("channel")
    return BrowserChoice(
        browser_path=options.get("browser_path"),
        channel=channel.value if channel else None,
        headed=bool(options.get("headed")),
        slow_mo_ms=int(options.get("slow_mo") or 0),
    )


@interrupt.stoppable  # Ctrl-C and SIGTERM: the run stops, its report says how far it got
def _execute(options: dict[str, Any], mode: str) -> None:
    from linkedin_optout import flow, report, selectors, session, watch

    dry_run = mode != "run"
    json_out = bool(options["json_out"])
    console = Console(quiet=options["quiet"] or json_out, step_through=options["step"])
    started = report.now()
    with _exit_on_error(console):
        check_output_paths(options)
        versions = selectors.resolve_versions(options["selectors"])
        opts = flow.RunOptions(
            base_url=check_base_url(options["base_url"]),
            versions=versions,
            forced_version=options["selectors"] is not None,
            dry_run=dry_run,
            keys=check_keys(options["only"], versions),
            timeout_s=options["timeout"],
            retries=options["retries"],
            locale=check_locale(options["locale"], versions),
            browser=_browser_choice(options),
            screenshots=options["screenshots"],
            trace=options["trace"],
        )
        watcher = watch.begin(mode, options, console)  # --notify checked; history opened
    source = None
    try:
        source = session.choose_source(options["state"], options["profile"])
    except UsageError as exc:  # a --profile that is a file
        _fail(console, exc)
    except AuthRequired as exc:
        result = flow.RunResult(settings=list(flow.new_reports(opts).values()), error=exc)
    else:
        warn_if_not_linkedin(opts.base_url, console)
        if opts.trace:
            console.warn(f"The trace {opts.trace} will hold your session: keep it private.")
        with _exit_on_error(console), watcher.running():
            result = flow.run(opts, source, console, options["diagnostics"])
        if result.interrupted is not None:
            result.error = interrupt.stopped_error(
                result.interrupted, result.settings, result.stopped_at
            )
    rep = watcher.finish(_report(result, dry_run, started, source))  # recorded; word sent
    if json_out:
        console.out(report.render_json(rep))
    elif mode == "probe":
        console.out(_render_probe(rep, result))
    else:
        console.out(report.render_table(rep, colour=use_colour(sys.stdout)))
    if options["report"]:
        _write_report(options["report"], report.render_json(rep), console)
    if rep.error:
        console.error(rep.error.message, rep.error.advice)
    if result.diagnostics:
        console.error(f"Diagnostics saved in {result.diagnostics}.", _diag_hint())
    code = rep.exit_code
    if mode == "probe" and rep.outcome == "changes_needed":
        code = 0  # probe only reads; a setting that is on is not its failure
    if isinstance(result.error, interrupt.Stopped):
        code = result.error.code  # 130 for Ctrl-C, 143 for SIGTERM
    raise typer.Exit(code)


def _diag_hint() -> str:
    from linkedin_optout.diagnostics import ISSUES_HINT

    return ISSUES_HINT


def _report(result: Any, dry_run: bool, started: Any, source: Any) -> Any:
    from linkedin_optout.report import ErrorReport, Report, derive_outcome, now

    error = result.error
    outcome = derive_outcome(result.settings, dry_run, error.outcome if error else None)
    error_report = None
    if error is not None:
        error_report = ErrorReport(
            message=error.message, step=error.step, setting=error.setting, advice=error.advice
        )
    elif outcome in ("change_failed", "page_not_recognized"):
        bad = next(s for s in result.settings if s.after in ("on", "unknown"))
        error_report = ErrorReport(
            message=f"'{bad.label}' is {bad.after} after the run. {bad.detail or ''}".strip(),
            step=result.failed_steps.get(bad.key, "confirm after reload"),
            setting=bad.key,
            advice=result.failed_advice.get(
                bad.key,
                "Try again later, or switch it off by hand: Me > Settings & Privacy > "
                "Data privacy.",
            ),
        )
    return Report(
        outcome=outcome,  # type: ignore[arg-type]
        dry_run=dry_run,
        selectors_version=result.version,
        settings=result.settings,
        started_at=started,
        finished_at=now(),
        locale=result.locale,
        session=source.describe() if source else None,
        error=error_report,
        diagnostics=str(result.diagnostics) if result.diagnostics else None,
    )


def _render_probe(rep: Any, result: Any) -> str:
    lines = [
        f"Selector version: {rep.selectors_version or 'none matched'}",
        f"Page language:    {rep.locale or 'unknown'}",
    ]
    for setting in rep.settings:
        how = setting.strategy or ("-" if setting.after == "absent" else "not found")
        lines.append(f"{setting.key}: {setting.after}, strategy {how}")
        if setting.detail:
            lines.append(f"  {setting.detail}")
    if result.attempts:
        lines.append("Strategies tried:")
        lines += [f"  {a.setting} / {a.strategy}: {a.result}" for a in result.attempts]
    return "\n".join(lines)


def _write_report(path: Path, text: str, console: Console) -> None:
    """--report: a record, not a step; failing to write it does not hide the outcome."""
    from linkedin_optout.session import redact, write_private

    try:
        write_private(path, (redact(text) + "\n").encode())
    except OptoutError as exc:
        console.warn(f"The report was not saved: {exc.message}")


# --- sessions ------------------------------------------------------------------


@app.command()
def login(
    base_url: BaseUrl = DEFAULT_BASE_URL,
    state: StatePath = None,
    profile: Profile = None,
    import_cookies: Annotated[
        Path | None,
        typer.Option(
            "--import-cookies",
            metavar="FILE",
            help="No browser: turn a cookie export (Netscape cookies.txt, or a JSON "
            "list from a browser extension) into a state file.",
            show_default=False,
        ),
    ] = None,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout", metavar="SECONDS", min=1, help="How long to wait for you to sign in."
        ),
    ] = 600.0,
    headless: Annotated[
        bool,
        typer.Option(
            "--headless",
            help="No window (only for sign-in pages that complete "
            "by themselves, like the demo site's).",
        ),
    ] = False,
    browser_path: BrowserPath = None,
    channel: ChannelOpt = None,
) -> None:
    """Sign in yourself in a browser window; the session is saved (0600) for later runs.

    The tool never sees or stores your password: you type it into LinkedIn's own page.
    """
    from linkedin_optout import login as login_flow
    from linkedin_optout import session

    console = Console()
    with _exit_on_error(console):
        url = check_base_url(base_url)
        target = state or session.default_state_path()
        if import_cookies is not None:
            count = login_flow.import_cookies(import_cookies, target, url)
            console.out(f"Imported {count} LinkedIn cookies into {target} (readable only by you).")
        else:
            choice = _browser_choice(
                {"browser_path": browser_path, "channel": channel, "headed": not headless}
            )
            saved = login_flow.sign_in(url, target, profile, timeout, choice, console)
            console.out(f"Signed in. Session saved in {saved} (readable only by you).")
        console.out("Next: linkedin-optout status")


@app.command()
def logout(state: StatePath = None) -> None:
    """Delete the saved session (the state file)."""
    from linkedin_optout import session

    target = state or session.default_state_path()
    console = Console()
    if not target.is_file():
        console.out(f"No saved session at {target}.")
        return
    try:
        target.unlink()
    except OSError as exc:
        _fail(console, UsageError(f"Cannot delete {target}: {exc.strerror or exc}."))
    console.out(f"Deleted the saved session {target}.")


# --- checks ------------------------------------------------------------------------


@app.command()
def doctor(
    online: Annotated[
        bool, typer.Option("--online", help="Also check, read only, that the session is signed in.")
    ] = False,
    base_url: BaseUrl = DEFAULT_BASE_URL,
    state: StatePath = None,
    profile: Profile = None,
    browser_path: BrowserPath = None,
    channel: ChannelOpt = None,
    timeout: Annotated[float, typer.Option("--timeout", metavar="SECONDS", min=1)] = 30.0,
) -> None:
    """Check Python, Playwright, the browser, the saved session and the selector files."""
    from linkedin_optout import doctor as checks

    console = Console()
    with _exit_on_error(console):
        url = check_base_url(base_url)
    ok = checks.run_checks(
        console,
        _browser_choice({"browser_path": browser_path, "channel": channel}),
        state,
        profile,
        url if online else None,
        timeout,
    )
    raise typer.Exit(0 if ok else 1)


@app.command()
def history(
    history_file: HistoryFile = None,
    json_out: Annotated[bool, typer.Option("--json", help="Print the history as JSON.")] = False,
    since: Annotated[
        str | None,
        typer.Option("--since", metavar="DATE", help="Only checks from DATE (2026-11-01) on."),
    ] = None,
    setting: Annotated[
        str | None,
        typer.Option(
            "--setting",
            metavar="KEY",
            help=f"Only this setting: {' or '.join(bundled_key_names())}.",
            show_default=False,
        ),
    ] = None,
) -> None:
    """A timeline per setting: when each was seen on, switched off, or found back on."""
    from linkedin_optout.timeline import show

    console = Console()
    with _exit_on_error(console):
        if setting is not None and setting not in bundled_key_names():
            known = ", ".join(bundled_key_names())
            raise UsageError(f"--setting {setting}: no such setting (known: {known}).")
        text = show(history_file, since=since, setting=setting, as_json=json_out)
    console.out(text)


@selectors_app.command("list")
def selectors_list() -> None:
    """The selector versions, their languages and settings."""
    from linkedin_optout.selector_paths import selectors_dir
    from linkedin_optout.selectors import bundled_versions

    console = Console()
    with _exit_on_error(console):
        versions = bundled_versions()
    console.out(f"Selector files in {selectors_dir()} (newest first):")
    for v in versions:
        console.out(f"{v.version}  {v.title}")
        console.out(f"         languages: {', '.join(v.languages)}")
        console.out(f"         settings:  {', '.join(s.key for s in v.settings)}")


@selectors_app.command("check")
def selectors_check(
    file: Annotated[Path, typer.Argument(help="A selector file (TOML) to validate.")],
) -> None:
    """Validate a selector file; errors are dotted paths with the reason (exit 2)."""
    from linkedin_optout.selectors import check_file

    console = Console()
    with _exit_on_error(console):
        summary = check_file(file)
    console.out(summary)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"linkedin-optout {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Switch off LinkedIn's generative-AI training settings on your own account."""


def main() -> None:
    app()
