"""`linkedin-optout selectors`: list, check and probe the selector files."""

import typer

from linkedin_optout import cli_command_options as more
from linkedin_optout.choices import Choices
from linkedin_optout.cli_app import App, check_command, texts
from linkedin_optout.command import check, exit_on_error
from linkedin_optout.console import Console

selectors_app = typer.Typer(
    help="List, check and probe the selector files that describe LinkedIn's pages.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    cls=App,  # for its help option; the top-level App runs the command line
)


@selectors_app.command("probe", **texts("probe"))
@check_command("probe")
def probe(choices: Choices) -> None:
    """With your session, read only: which selector file, language and strategy
    matched each setting. The first thing to run when LinkedIn changes its pages."""
    check(choices)


@selectors_app.command("list", **texts("list"))
def selectors_list() -> None:
    """The selector files, their languages and settings."""
    from linkedin_optout.selector_paths import selectors_dir
    from linkedin_optout.selectors import bundled_selector_files

    console = Console()
    with exit_on_error(console):
        selector_files = bundled_selector_files()
    console.out(f"Selector files in {selectors_dir()} (newest first):")
    for v in selector_files:
        console.out(f"{v.version}  {v.title}")
        console.out(f"         languages: {', '.join(v.languages)}")
        console.out(f"         settings:  {', '.join(s.key for s in v.settings)}")


@selectors_app.command("check", **texts("check"))
def selectors_check(
    file: more.SelectorFileArg,
) -> None:
    """Validate a selector file; errors are dotted paths with the reason (exit 2)."""
    from linkedin_optout.selectors import check_file

    console = Console()
    with exit_on_error(console):
        summary = check_file(file)
    console.out(summary)
