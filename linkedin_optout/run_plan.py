"""A run planned from the CLI's choices: every choice checked before a browser
starts, the options the walk gets, the session it uses, and the exit code it
ends in. The CLI (`command.execute`) and the tests' in-process run
(`tests/helpers.walk`) both plan a run here, so it is put together in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from linkedin_optout.choices import (
    Choices,
    Command,
    browser_choice,
    check_base_url,
    check_keys,
    check_locale,
    check_output_paths,
    check_set,
    known_settings,
    setting_groups,
    targets,
)
from linkedin_optout.errors import OptoutError, exit_code
from linkedin_optout.options import RunOptions
from linkedin_optout.selectors import resolve_selector_files

if TYPE_CHECKING:
    from linkedin_optout.session import SessionSource


@dataclass(frozen=True)
class Plan:
    command: Command
    opts: RunOptions
    state: Path | None = None  # --state
    profile: Path | None = None  # --profile
    user_agent: str | None = None  # --user-agent, as given

    @property
    def keys(self) -> tuple[str, ...]:
        return self.opts.keys

    def session(self) -> SessionSource:
        """Where the session comes from (session.choose_source), with the checked
        --user-agent. Checked after the history opens, as the CLI always has:
        AuthRequired when there is no session, which the report then says."""
        from linkedin_optout.identity import check_user_agent
        from linkedin_optout.session import choose_source

        user_agent = check_user_agent(self.user_agent) if self.user_agent else None
        return choose_source(self.state, self.profile, user_agent=user_agent)

    def exit_code(self, outcome: str, error: OptoutError | None) -> int:
        """The run's exit code: the outcome's (errors.EXIT_CODES), or its error's own."""
        if self.command == "probe" and outcome == "changes_needed":
            return 0  # probe only reads; a setting that is on is not its failure
        return exit_code(outcome, error)


def plan(choices: Choices) -> Plan:
    """The run the choices ask for; a UsageError (exit 2) for a choice that cannot be."""
    check_output_paths(choices)
    selector_files = resolve_selector_files(choices.selectors)
    wanted = check_set(choices.set_values, selector_files)
    if choices.command == "checkup":
        keys = tuple(setting_groups(known_settings(selector_files)))
    elif wanted and not (choices.only or choices.groups or choices.every_setting):
        keys = tuple(wanted)  # --set alone: only the settings it names
    else:
        keys = check_keys(choices.only, choices.groups, choices.every_setting, selector_files)
        keys = tuple(dict.fromkeys([*keys, *wanted]))
    opts = RunOptions(
        base_url=check_base_url(choices.base_url),
        selector_files=selector_files,
        forced_selector_file=choices.selectors is not None,
        dry_run=choices.dry_run,
        keys=keys,
        targets=targets(keys, wanted, selector_files),
        timeout_s=choices.timeout,
        retries=choices.retries,
        locale=check_locale(choices.locale, selector_files),
        browser=browser_choice(
            choices.browser_path, choices.channel, choices.headed, choices.slow_mo
        ),
        screenshots=choices.screenshots,
        trace=choices.trace,
        panels=choices.html is not None,
    )
    return Plan(choices.command, opts, choices.state, choices.profile, choices.user_agent)
