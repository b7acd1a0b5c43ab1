"""The command line: options in, exit code out.

Each option is written once, as an `Annotated` alias in `cli_options.py`. `run`,
`status`, `checkup` and `selectors probe` take theirs from its table through
`cli_app.check_command`, which hands the body one `choices.Choices`; the body
gives it to `command.execute`, which checks it, runs, reports and returns the
exit code. The other commands name the aliases they take.
Domain errors are caught in `command.exit_on_error`, printed plainly, and end in their
exit code. Nothing here imports Playwright or pydantic at import time, so
`--help` stays fast.
"""

from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer

from linkedin_optout import __version__
from linkedin_optout import cli_command_options as more
from linkedin_optout import cli_options as opt
from linkedin_optout.choices import (
    DEFAULT_BASE_URL,
    Choices,
    browser_choice,
    check_base_url,
    unknown_name,
)
from linkedin_optout.cli_app import EPILOG, SHORT, App, check_command, texts
from linkedin_optout.cli_selectors import selectors_app
from linkedin_optout.cli_session import login, logout
from linkedin_optout.command import check, exit_on_error
from linkedin_optout.console import Console
from linkedin_optout.selector_paths import bundled_key_names

app = typer.Typer(
    name="linkedin-optout",
    help="Switch off LinkedIn's generative-AI training and other data-use settings on your "
    "own account, "
    "and prove it by reading them back after a reload.",
    epilog=EPILOG[""],
    cls=App,  # refused command lines in the tool's own style; no arguments: the help
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
    rich_markup_mode="rich",  # panels for the options; help texts escape '[' as '\\['
)
app.add_typer(
    selectors_app, name="selectors", short_help=SHORT["selectors"], epilog=EPILOG["selectors"]
)


# --- reading and switching the settings ------------------------------------------


@app.command(**texts("run"))
@check_command("run")
def run(choices: Choices, dry_run: more.DryRun = False) -> None:
    """Switch settings off (the AI group unless --only, --group or --all say otherwise),
    then prove it by reading them back after a reload."""
    check(replace(choices, command="status") if dry_run else choices)


@app.command(**texts("status"))
@check_command("status")
def status(choices: Choices) -> None:
    """Report each setting's state and change nothing (the same as 'run --dry-run').
    Exit 0 when all are off, 1 when one is on: fit for a scheduled check."""
    check(choices)


@app.command(**texts("checkup"))
@check_command("checkup")
def checkup(choices: Choices) -> None:
    """The privacy check-up: read every setting the tool knows, grouped, each with
    its recommended value and a link to its page; change nothing. Exit 0 when every
    setting offered is at its recommended value, 1 when one is not."""
    check(choices)


# --- sessions ------------------------------------------------------------------


app.command(**texts("login"))(login)
app.command(**texts("logout"))(logout)


# --- checks ------------------------------------------------------------------------


@app.command(**texts("doctor"))
def doctor(
    online: more.Online = False,
    base_url: opt.BaseUrl = DEFAULT_BASE_URL,
    state: opt.StatePath = None,
    profile: opt.Profile = None,
    user_agent: opt.UserAgent = None,
    browser_path: opt.BrowserPath = None,
    channel: opt.ChannelOpt = None,
    timeout: opt.Timeout = 30.0,
) -> None:
    """Check Python, Playwright, the browser, the session, what LinkedIn will see, the selectors."""
    from linkedin_optout import doctor as checks

    console = Console()
    with exit_on_error(console):
        url = check_base_url(base_url)
    ok = checks.run_checks(
        console,
        browser_choice(browser_path, channel),
        state,
        profile,
        url if online else None,
        timeout,
        user_agent,
    )
    raise typer.Exit(0 if ok else 1)


@app.command(**texts("history"))
def history(
    history_file: opt.HistoryFile = None,
    json_out: more.HistoryJson = False,
    since: more.Since = None,
    setting: more.SettingKey = None,
    full: more.FullTimeline = False,
    html: more.HistoryPage = None,
) -> None:
    """One line per setting: what it is now and its last change. --full or --setting:
    the timeline, when each was seen on, switched off, or found back on."""
    from linkedin_optout import history_views
    from linkedin_optout.timeline import show

    console = Console()
    with exit_on_error(console):
        if setting is not None and setting not in bundled_key_names():
            raise unknown_name("--setting", setting, "setting", bundled_key_names())
        if html is not None:
            write_history_page(html, history_file, since, setting, console)
        if json_out or full or setting:
            text = show(history_file, since=since, setting=setting, as_json=json_out)
        else:
            text = history_views.compact(history_file, since=since)
    console.out(text)


def write_history_page(
    html: Path, history_file: Path | None, since: str | None, setting: str | None, console: Console
) -> None:
    from linkedin_optout import history_svg, history_views, html_record

    _, _, records = history_views.load(history_file)
    tracks = [t for t in history_views.tracks(records, since) if setting in (None, t.key)]
    html_record.write(html, history_svg.render(tracks, len(records)), console, "The history page")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"linkedin-optout {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            metavar="",
            callback=_version,
            is_eager=True,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Switch off LinkedIn's generative-AI training and other data-use settings."""


def main() -> None:
    app()
