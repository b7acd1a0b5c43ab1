"""The options of the commands besides the checks (`history`, `doctor`, `selectors
check`) and `run`'s own `--dry-run`, each written once as a typed `Annotated` alias
like those in cli_options.py."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from linkedin_optout.cli_options import OUTPUT, key_list
from linkedin_optout.selector_paths import bundled_key_names

Online = Annotated[
    bool,
    typer.Option(
        "--online", metavar="", help="Also check, read only, that the session is signed in."
    ),
]
HistoryJson = Annotated[bool, typer.Option("--json", metavar="", help="Print the history as JSON.")]
Since = Annotated[
    str | None,
    typer.Option("--since", metavar="DATE", help="Only checks from DATE (2026-11-01) on."),
]
SettingKey = Annotated[
    str | None,
    typer.Option(
        "--setting",
        metavar="KEY",
        help=f"Only this setting: {key_list(bundled_key_names())}.",
        show_default=False,
    ),
]
FullTimeline = Annotated[
    bool,
    typer.Option("--full", metavar="", help="Every check of every setting, not one line each."),
]
HistoryPage = Annotated[
    Path | None,
    typer.Option(
        "--html",
        metavar="FILE",
        help="Also write the history as one page: a row per setting across time.",
        show_default=False,
    ),
]
SelectorFileArg = Annotated[Path, typer.Argument(help="A selector file (TOML) to validate.")]
DryRun = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        metavar="",
        help="Only report the current state; change nothing.",
        rich_help_panel=OUTPUT,
    ),
]
