"""The command line's options, each written once as a typed `Annotated` alias.

The help text, metavar and environment variable live here only. `run`, `status`,
`checkup` and `selectors probe` take theirs from one table, `CHECK_OPTIONS`, at the
end; the other commands' options are in cli_command_options.py, and the
options only `login` and `logout` take are in cli_session.py. The
setting keys and groups in the help come from the selector files, read without
pydantic so that `--help` stays fast.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NamedTuple

import typer

from linkedin_optout.selector_paths import bundled_group_names, bundled_key_names

# The help's panels: each option of run, status, checkup and probe sits in one.
SESSION = "Session"
SETTINGS = "Settings"
BROWSER = "Browser"
OUTPUT = "Output"
HISTORY = "History and notifications"


def key_list(names: list[str]) -> str:
    """Setting keys or group names for a help text, each kept whole: rich wraps
    lines at spaces only, never at a key's hyphens."""
    return ", ".join(names)


class Channel(StrEnum):
    chrome = "chrome"
    msedge = "msedge"


# --- the session -------------------------------------------------------------------

BaseUrl = Annotated[
    str,
    typer.Option(
        "--base-url",
        envvar="LINKEDIN_OPTOUT_BASE_URL",
        metavar="URL",
        help="Where LinkedIn is; every page the tool visits is built from it.",
        rich_help_panel=SESSION,
    ),
]
StatePath = Annotated[
    Path | None,
    typer.Option(
        "--state",
        metavar="PATH",
        help="Playwright state file holding your session (e.g. from 'login "
        "--import-cookies'). Without it: LINKEDIN_LI_AT if set, else the browser "
        "profile 'linkedin-optout login' signed in to.",
        show_default=False,
        rich_help_panel=SESSION,
    ),
]
Profile = Annotated[
    Path | None,
    typer.Option(
        "--profile",
        metavar="DIR",
        help="A browser profile folder of the tool's own (default: the one "
        "'linkedin-optout login' signed in to). Not your everyday Chrome profile: "
        "Chrome refuses automation of its default profile.",
        show_default=False,
    ),
]
UserAgent = Annotated[
    str | None,
    typer.Option(
        "--user-agent",
        envvar="LINKEDIN_OPTOUT_USER_AGENT",
        metavar="UA",
        help="For a session from another browser (a cookie export, LINKEDIN_LI_AT): "
        "that browser's User-Agent, sent instead of this one's, so that LinkedIn sees "
        "the browser that made the session. Safest with the same kind of browser.",
        show_default=False,
        rich_help_panel=SESSION,
    ),
]

# --- which settings ----------------------------------------------------------------

Only = Annotated[
    list[str] | None,
    typer.Option(
        "--only",
        metavar="KEY",
        help=f"Only this setting (repeatable): {key_list(bundled_key_names())}.",
        show_default=False,
        rich_help_panel=SETTINGS,
    ),
]
Group = Annotated[
    list[str] | None,
    typer.Option(
        "--group",
        metavar="GROUP",
        help="The settings of this group (repeatable; with --only, both): "
        f"{key_list(bundled_group_names())}.",
        show_default=False,
        rich_help_panel=SETTINGS,
    ),
]
AllSettings = Annotated[
    bool,
    typer.Option(
        "--all",
        metavar="",
        help="Every data-use setting the selector files know (default: the AI group); "
        "never the visibility choices, which change only when named.",
        rich_help_panel=SETTINGS,
    ),
]
SetValue = Annotated[
    list[str] | None,
    typer.Option(
        "--set",
        metavar="KEY=VALUE",
        help="Set a choice to one of its values, e.g. email-visibility=connections "
        "(repeatable; a switch takes only off). 'linkedin-optout checkup' lists them.",
        show_default=False,
        rich_help_panel=SETTINGS,
    ),
]
Selectors = Annotated[
    str | None,
    typer.Option(
        "--selectors",
        metavar="NAME|FILE",
        help="Use this bundled selector file (e.g. 2024-09) or this file instead of detecting it.",
        show_default=False,
        rich_help_panel=SETTINGS,
    ),
]
Locale = Annotated[
    str | None,
    typer.Option(
        "--locale",
        metavar="LANG",
        help="Match labels in this language only, e.g. en, nl, de, fr (default: the page's own).",
        show_default=False,
        rich_help_panel=SETTINGS,
    ),
]

# --- the browser -------------------------------------------------------------------

Headed = Annotated[
    bool,
    typer.Option("--headed", metavar="", help="Show the browser window.", rich_help_panel=BROWSER),
]
SlowMo = Annotated[
    int,
    typer.Option(
        "--slow-mo",
        metavar="MS",
        min=0,
        help="Slow each browser action by MS.",
        rich_help_panel=BROWSER,
    ),
]
Step = Annotated[
    bool,
    typer.Option(
        "--step",
        metavar="",
        help="Wait for Enter before each action (use with --headed).",
        rich_help_panel=BROWSER,
    ),
]
Timeout = Annotated[
    float,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        min=1,
        help="Time limit for each step.",
        rich_help_panel=BROWSER,
    ),
]
Retries = Annotated[
    int,
    typer.Option(
        "--retries",
        metavar="N",
        min=0,
        max=5,
        help="Retries of a failed load or save.",
        rich_help_panel=BROWSER,
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
        rich_help_panel=BROWSER,
    ),
]
ChannelOpt = Annotated[
    Channel | None,
    typer.Option(
        "--channel",
        help="Use an installed Google Chrome or Microsoft Edge.",
        show_default=False,
        rich_help_panel=BROWSER,
    ),
]

# --- output ------------------------------------------------------------------------

JsonOut = Annotated[
    bool,
    typer.Option(
        "--json",
        metavar="",
        help="Print exactly one JSON report on stdout.",
        rich_help_panel=OUTPUT,
    ),
]
Quiet = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        metavar="",
        help="Print only the result line (errors still go to stderr).",
        rich_help_panel=OUTPUT,
    ),
]
ReportFile = Annotated[
    Path | None,
    typer.Option(
        "--report",
        metavar="FILE",
        help="Also write the JSON report to FILE.",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]
HtmlRecord = Annotated[
    Path | None,
    typer.Option(
        "--html",
        metavar="FILE",
        help="Also write a record to keep: one HTML page with every setting, a picture "
        "of each panel found or left off, the tool's version and the selector file; "
        "no session, no name.",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]
Screenshots = Annotated[
    Path | None,
    typer.Option(
        "--screenshots",
        metavar="DIR",
        help="Save a screenshot of each setting before and after.",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]
Diagnostics = Annotated[
    Path | None,
    typer.Option(
        "--diagnostics",
        metavar="DIR",
        help="Where to write the diagnostic bundle when a page is not recognized "
        "or a change fails (default: a new folder here).",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]
Trace = Annotated[
    Path | None,
    typer.Option(
        "--trace",
        metavar="FILE",
        help="Record a Playwright trace for debugging. It holds your session: never share it.",
        show_default=False,
        rich_help_panel=OUTPUT,
    ),
]

# --- keeping watch -----------------------------------------------------------------

HistoryFile = Annotated[
    Path | None,
    typer.Option(
        "--history",
        envvar="LINKEDIN_OPTOUT_HISTORY",
        metavar="PATH",
        help="The history database (default: history.sqlite3 in your data folder, "
        "~/.local/share/linkedin-optout on Linux).",
        show_default=False,
        rich_help_panel=HISTORY,
    ),
]
NoHistory = Annotated[
    bool,
    typer.Option(
        "--no-history",
        metavar="",
        help="Do not record this check in the history.",
        rich_help_panel=HISTORY,
    ),
]
NotifyUrls = Annotated[
    list[str] | None,
    typer.Option(
        "--notify",
        envvar="LINKEDIN_OPTOUT_NOTIFY",
        metavar="URL",
        help="Send a message to this Apprise URL when a setting is on, came back on, or the "
        "check fails (repeatable; needs: pip install 'linkedin-optout\\[notify]').",
        show_default=False,
        rich_help_panel=HISTORY,
    ),
]
NotifyAlways = Annotated[
    bool,
    typer.Option(
        "--notify-always",
        metavar="",
        help="With --notify: send even when all is well.",
        rich_help_panel=HISTORY,
    ),
]
# --- the options of run, status, checkup and selectors probe -----------------------

CHECKS = frozenset({"run", "status", "checkup", "probe"})
PICKING = CHECKS - {"checkup"}  # checkup reads every setting
STEPPING = frozenset({"run", "probe"})  # status clicks nothing
CHANGING = frozenset({"run"})  # the only command that sets a value
RECORDED = CHECKS - {"probe"}  # probe is not recorded in the history


class CheckOption(NamedTuple):
    """An option of the checking commands. `name` is its parameter and the
    `choices.Choices` field it fills, which holds its default."""

    name: str
    alias: Any
    commands: frozenset[str] = CHECKS


# In the order --help lists them within each panel. `cli_app.check_command` gives
# them to a command.
CHECK_OPTIONS = (
    CheckOption("base_url", BaseUrl),
    CheckOption("state", StatePath),
    CheckOption("profile", Profile),
    CheckOption("user_agent", UserAgent),
    CheckOption("only", Only, PICKING),
    CheckOption("groups", Group, PICKING),
    CheckOption("every_setting", AllSettings, PICKING),
    CheckOption("set_values", SetValue, CHANGING),
    CheckOption("selectors", Selectors),
    CheckOption("locale", Locale),
    CheckOption("headed", Headed),
    CheckOption("slow_mo", SlowMo, PICKING),
    CheckOption("step", Step, STEPPING),
    CheckOption("timeout", Timeout),
    CheckOption("retries", Retries),
    CheckOption("browser_path", BrowserPath),
    CheckOption("channel", ChannelOpt),
    CheckOption("json_out", JsonOut),
    CheckOption("quiet", Quiet),
    CheckOption("report", ReportFile),
    CheckOption("html", HtmlRecord, RECORDED),
    CheckOption("screenshots", Screenshots, PICKING),
    CheckOption("diagnostics", Diagnostics),
    CheckOption("trace", Trace),
    CheckOption("history_file", HistoryFile, RECORDED),
    CheckOption("no_history", NoHistory, RECORDED),
    CheckOption("notify", NotifyUrls, RECORDED),
    CheckOption("notify_always", NotifyAlways, RECORDED),
)
