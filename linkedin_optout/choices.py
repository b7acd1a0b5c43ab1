"""What the person asked for on the command line (`Choices`), and the checks of
each choice that run before any browser starts. `run_plan.py` turns checked
choices into a run; `command.py` runs it and reports. Nothing here imports
Playwright or pydantic at import time: the CLI's `--help` reads this module.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from linkedin_optout.console import Console
from linkedin_optout.errors import UsageError
from linkedin_optout.text import did_you_mean

if TYPE_CHECKING:
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
    set_values: tuple[str, ...] = ()  # --set KEY=VALUE
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
    html: Path | None = None  # --html FILE: the record to keep (html_record.py)

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


def check_locale(locale: str | None, selector_files: Sequence[SelectorFile]) -> str | None:
    """--locale: a language the selector files describe (adding one is data only)."""
    from linkedin_optout.selectors import all_languages

    if locale is None:
        return None
    known = all_languages(selector_files)
    if locale.lower() not in known:
        raise unknown_name("--locale", locale, "language in the selector files", list(known))
    return locale.lower()


def known_settings(selector_files: Sequence[SelectorFile]) -> tuple[SelectorFile, ...]:
    """The selector files whose settings can be asked for: those given, then the
    bundled ones (a setting a forced selector file lacks is reported absent, as on
    a page that does not offer it)."""
    from linkedin_optout.selectors import bundled_selector_files

    return (*selector_files, *bundled_selector_files())


def setting_groups(selector_files: Sequence[SelectorFile]) -> dict[str, str]:
    """Each setting key the selector files know, with its group, in catalogue order."""
    from linkedin_optout.selector_files import SelectorFiles
    from linkedin_optout.selectors import setting_keys

    known = SelectorFiles(tuple(selector_files))
    return {key: entry.group for key in setting_keys(selector_files) if (entry := known.entry(key))}


def check_keys(
    only: Sequence[str],
    groups: Sequence[str],
    every_setting: bool,
    selector_files: Sequence[SelectorFile],
) -> tuple[str, ...]:
    """--only, --group and --all, as a union: settings and groups the selector data
    knows (adding one is data only). None of them: the default groups."""
    from linkedin_optout.selectors import data_use_keys, default_keys

    every = known_settings(selector_files)
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
    # --all: every data-use setting; personal choices (visibility) only when named.
    data_use = data_use_keys(every) if every_setting else ()
    chosen = [k for k, g in catalogue.items() if g in groups or k in data_use]
    return tuple(dict.fromkeys([*only, *chosen]))


def check_set(set_values: Sequence[str], selector_files: Sequence[SelectorFile]) -> dict[str, str]:
    """--set KEY=VALUE: a value the setting offers; for a switch only `off` (the
    tool never switches anything on). Anything else is exit 2 with what is allowed."""
    from linkedin_optout.selector_files import SelectorFiles

    known = SelectorFiles(known_settings(selector_files))
    catalogue = setting_groups(known.selector_files)
    wanted: dict[str, str] = {}
    for item in set_values:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise UsageError(
                f"--set {item}: give KEY=VALUE, e.g. --set email-visibility=connections."
            )
        entry = known.entry(key)
        if entry is None:
            raise unknown_name("--set", key, "setting", list(catalogue))
        allowed = ["off"] if entry.control == "switch" else list(entry.values)
        if value not in allowed:
            why = (
                "a switch is only ever switched off"
                if entry.control == "switch" and value in entry.values
                else f"no such value{did_you_mean(value, allowed)}"
            )
            raise UsageError(
                f"--set {key}={value}: {why}.", advice=f"Allowed: {', '.join(allowed)}."
            )
        if wanted.get(key, value) != value:
            raise UsageError(f"--set {key}: given twice, as {wanted[key]} and {value}.")
        wanted[key] = value
    return wanted


def targets(
    keys: Sequence[str], wanted: dict[str, str], selector_files: Sequence[SelectorFile]
) -> dict[str, str]:
    """The value each setting asked for is set to: --set's, else its recommended one."""
    from linkedin_optout.selector_files import SelectorFiles

    known = SelectorFiles(known_settings(selector_files))
    out = {}
    for key in keys:
        entry = known.entry(key)
        out[key] = wanted.get(key) or (entry.recommended if entry else "off")
    return out


def unknown_name(option: str, name: str, what: str, known: Sequence[str]) -> UsageError:
    """An unknown setting key, group or language: a near miss gets a "did you mean"."""

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
    for name, path in (
        ("report", choices.report),
        ("trace", choices.trace),
        ("html", choices.html),
    ):
        if path is not None and path.is_dir():
            raise UsageError(f"--{name} {path} is a folder; give a file name.")


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
