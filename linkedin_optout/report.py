"""The result of a run: what the walk found (`RunResult`), the pydantic models
of the `--json` report built from it, and their rendering."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from linkedin_optout import __version__
from linkedin_optout.errors import EXIT_CODES, OptoutError

if TYPE_CHECKING:
    from linkedin_optout.options import RunOptions
    from linkedin_optout.pages import Attempt
    from linkedin_optout.selectors import Setting

__all__ = ["EXIT_CODES", "Report", "RunResult", "SettingReport", "build_report"]

# A setting's state: on, off, absent (not offered), unknown (not read), or a
# choice's value (`only-me`, ...: the selector data's option values).
State = str
Outcome = Literal[
    "ok",
    "changes_needed",
    "auth_required",
    "page_not_recognized",
    "change_failed",
    "browser_error",
    "unreachable",
    "interrupted",
]
# What a setting's detail says when a run stopped between a click and its reload
# (findings.py); `run`'s table then says the switch was clicked, unconfirmed.
UNCONFIRMED: dict[str, str] = {
    "clicked": "Switched off; the run stopped before a reload confirmed it.",
    "clicking": "The run stopped while switching it off; a reload did not confirm it.",
}


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SettingReport(Model):
    key: str
    label: str
    # From the selector data: the setting's group (`ai`, ...) and the value the
    # tool recommends (`off`, a choice's most private value); None for a key the
    # data does not know.
    group: str | None = None
    recommended: str | None = None
    before: State = "unknown"
    after: State = "unknown"
    changed: bool = False
    # `after` was read from a page loaded after the last change (in a dry run:
    # from the freshly loaded page); never true for a state that was not read.
    verified: bool = False
    strategy: str | None = None  # which selector strategy found the switch
    detail: str | None = None  # why absent, what failed


class ErrorReport(Model):
    message: str
    step: str | None = None
    setting: str | None = None
    advice: str | None = None


class Change(Model):
    """A setting this check found `now` that the last earlier check saw `was`, a
    more private value: LinkedIn switched it back on (or, for a choice, moved it to
    a less private answer) since then."""

    key: str
    label: str
    was: State
    now: State
    since: datetime  # when that earlier check ran


class Report(Model):
    outcome: Outcome
    dry_run: bool
    selectors_version: str | None
    settings: list[SettingReport]
    started_at: datetime
    finished_at: datetime
    tool_version: str = __version__
    locale: str | None = None
    session: str | None = None
    error: ErrorReport | None = None
    diagnostics: str | None = None
    # Filled from the history (empty without one): see linkedin_optout/history.py.
    changed_since_last: list[Change] = Field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.outcome]


@dataclass
class RunResult:
    """What a run found (browser_run.run), and what only the diagnostic bundle
    needs besides the report."""

    settings: list[SettingReport]
    selectors_version: str | None = None
    locale: str | None = None
    error: OptoutError | None = None
    attempts: list[Attempt] = field(default_factory=list)
    browser: str | None = None
    page_url_path: str | None = None
    diagnostics: Path | None = None
    failed_steps: dict[str, str] = field(default_factory=dict)  # setting -> step
    failed_advice: dict[str, str] = field(default_factory=dict)  # setting -> what to do
    interrupted: int | None = None  # the signal that stopped the run
    stopped_at: str | None = None  # the step it stopped in
    panels: dict[str, bytes] = field(default_factory=dict)  # --html: key -> PNG of its panel


def now() -> datetime:
    return datetime.now(UTC)


def derive_outcome(
    settings: list[SettingReport],
    dry_run: bool,
    error_outcome: str | None,
    targets: Mapping[str, str] | None = None,
) -> str:
    """The run's outcome from each setting's verified state (or the error that stopped it).
    A read-only check needs changes when an offered setting is not at its recommended
    value; a run failed when one is not at the value it set (`targets`; else off)."""
    if error_outcome:
        return error_outcome
    if any(s.after == "unknown" for s in settings):
        return "page_not_recognized"
    if dry_run:
        return "ok" if all(at_recommended(s) for s in settings) else "changes_needed"
    if any(not_set(s, targets or {}) for s in settings):
        return "change_failed"
    return "ok"


def targets_off(settings: Sequence[SettingReport], targets: Mapping[str, str]) -> bool:
    return all(targets.get(s.key, "off") == "off" for s in settings)


def not_set(setting: SettingReport, targets: Mapping[str, str]) -> bool:
    """Offered, read, and not at the value the run set."""
    if setting.after in ("absent", "unknown"):
        return False
    return setting.after != targets.get(setting.key, setting.recommended or "off")


def at_recommended(setting: SettingReport) -> bool:
    """Offered and at its recommended value (off when the data does not say), or absent."""
    if setting.after in ("absent", "unknown"):
        return setting.after == "absent"
    return setting.after == (setting.recommended or "off")


# --- building the report -----------------------------------------------------------


def build_report(
    result: RunResult, opts: RunOptions, started: datetime, session: str | None
) -> Report:
    """The report of a run: its outcome, and the error that explains it."""
    error = result.error
    outcome = derive_outcome(
        result.settings, opts.dry_run, error.outcome if error else None, opts.targets
    )
    error_report = None
    if error is not None:
        error_report = ErrorReport(
            message=error.message, step=error.step, setting=error.setting, advice=error.advice
        )
    elif outcome in ("change_failed", "page_not_recognized"):
        failed = [s for s in result.settings if s.after == "unknown" or not_set(s, opts.targets)]
        bad = failed[0]
        shown = state_word(bad.after, bad.key)
        message = f"'{bad.label}' is {shown} after the run. {bad.detail or ''}".strip()
        if others := failed[1:]:  # every one is named, not only the first
            message += " Also not " + ("off" if targets_off(failed, opts.targets) else "as asked")
            message += ": " + ", ".join(
                f"'{s.label}' ({state_word(s.after, s.key)})" for s in others
            )
            message += "."
        where = next(
            (s.url for v in opts.selector_files if (s := v.setting(bad.key)) and s.url), None
        )
        page = (
            f"on its page, {opts.base_url.rstrip('/')}{where}" if where else "in Settings & Privacy"
        )
        fix = "switch it off" if targets_off([bad], opts.targets) else "change it"
        error_report = ErrorReport(
            message=message,
            step=result.failed_steps.get(bad.key, "confirm after reload"),
            setting=bad.key,
            advice=result.failed_advice.get(bad.key, f"Try again later, or {fix} by hand {page}."),
        )
    return Report(
        outcome=outcome,  # type: ignore[arg-type]
        dry_run=opts.dry_run,
        selectors_version=result.selectors_version,
        settings=result.settings,
        started_at=started,
        finished_at=now(),
        locale=result.locale,
        session=session,
        error=error_report,
        diagnostics=str(result.diagnostics) if result.diagnostics else None,
    )


# --- rendering ---------------------------------------------------------------

# What a person reads for each state; the JSON report keeps the values (`absent`).
STATE_WORDS = {"absent": "not offered"}
SUMMARY = {
    "ok": "Every setting asked for is off or not offered.",
    "auth_required": "Not signed in.",
    "page_not_recognized": "A page was not recognized; nothing was guessed.",
    "change_failed": "A setting could not be switched off and confirmed.",
    "browser_error": "The browser could not be started or stopped working.",
    "unreachable": "The site cannot be reached; nothing was changed.",
    "interrupted": "Stopped before the run finished.",
}
# A read-only check (status, checkup, run --dry-run) switches nothing: its words.
READ_SUMMARY = {
    **SUMMARY,
    "change_failed": "The check could not finish; nothing was changed.",
    "interrupted": "Stopped before the check finished; nothing was changed.",
}


def state_word(state: str, key: str | None = None) -> str:
    """A reading as a person reads it: 'not offered' for absent, a choice's value
    as its option's label ('Only visible to me'), else the value itself (on, off)."""
    setting = catalogue_entry(key) if key is not None else None
    if setting is not None and setting.control == "choice" and state in setting.values:
        return setting.words(state)
    return STATE_WORDS.get(state, state)


def less_private(key: str, was: str, now: str) -> bool:
    """`now` is a less private value of the setting than `was` (a switch: on after
    off; a choice: a more open answer)."""
    setting = catalogue_entry(key)
    if setting is None or setting.control == "switch":
        return was == "off" and now == "on"
    return 0 <= setting.privacy(now) < setting.privacy(was)


def catalogue_entry(key: str) -> Setting | None:
    """The bundled selector data's entry for a key (its words, its values)."""
    from linkedin_optout.selectors import bundled_selector_files

    return next((s for v in bundled_selector_files() if (s := v.setting(key))), None)


def _settings(count: int) -> str:
    return f"{count} setting{'s' if count != 1 else ''} {'is' if count == 1 else 'are'}"


def result_line(report: Report, checkup: bool = False) -> str:
    """The result in words and numbers, for the table, the check-up and a message."""
    outcome = report.outcome
    if outcome == "changes_needed":
        wrong = [
            s for s in report.settings if s.after not in ("unknown",) and not at_recommended(s)
        ]
        them = "it" if len(wrong) == 1 else "them"
        if checkup:
            are = _settings(len(wrong))
            value = "its recommended value" if len(wrong) == 1 else "their recommended value"
            from linkedin_optout.selectors import site_facts

            personal = [s for s in wrong if s.group in site_facts().personal_groups]
            fix = []
            if data_use := len(wrong) - len(personal):
                them = "it" if data_use == 1 else "them"
                fix.append(f"Run 'linkedin-optout run --all' to switch {them} off.")
            if personal:
                fix.append(
                    "Visibility is your choice: 'linkedin-optout run --group visibility' makes "
                    "it most private, or --set KEY=VALUE sets one."
                )
            return f"{are} not at {value}. " + " ".join(fix)
        return (
            f"{_settings(len(wrong))} on. Run 'linkedin-optout run' (with the same --only, "
            f"--group or --all) to switch {them} off."
        )
    if outcome == "ok" and checkup:
        return "Every setting offered is at its recommended value."
    choices = any(s.after not in ("on", "off", "absent", "unknown") for s in report.settings)
    if outcome == "ok" and choices:  # a choice is not "off": it is at an answer
        if report.dry_run:
            return "Every setting asked for is at its recommended value, or not offered."
        return "Every setting asked for is at the value asked for, or not offered."
    words = READ_SUMMARY if report.dry_run else SUMMARY
    return words.get(outcome, outcome)


def changed_text(setting: SettingReport) -> str:
    """`run`'s Changed column: what happened to the switch, said plainly. A click
    that no reload confirmed (a stopped run) is not "no"."""
    if setting.changed:
        return "yes"
    if setting.detail == UNCONFIRMED["clicked"]:
        return "clicked, unconfirmed"
    if setting.detail == UNCONFIRMED["clicking"]:
        return "clicking, unconfirmed"
    return "no"


def verified_text(setting: SettingReport) -> str:
    if setting.after == "absent":
        return "-"  # nothing to verify: the setting is not offered
    if not setting.verified:
        return "no"
    # "reloaded": read again from a page loaded after the tool's own click
    return "yes (reloaded)" if setting.changed else "yes"


def back_on_line(change: Change) -> str:
    """LinkedIn moved a setting to a less private value since an earlier check."""
    if change.was in ("on", "off") and change.now in ("on", "off"):
        return f"LinkedIn switched '{change.label}' back on since {change.since:%Y-%m-%d}."
    was, now = state_word(change.was, change.key), state_word(change.now, change.key)
    return f"LinkedIn changed '{change.label}' from {was} to {now} since {change.since:%Y-%m-%d}."


def render_json(report: Report) -> str:
    return report.model_dump_json(indent=2)


def render_probe(report: Report, attempts: Sequence[Any]) -> str:
    """`selectors probe`: which selector file, language and strategy matched each setting."""
    lines = [
        f"Selector version: {report.selectors_version or 'none matched'}",
        f"Page language:    {report.locale or 'unknown'}",
    ]
    for setting in report.settings:
        how = setting.strategy or ("-" if setting.after == "absent" else "not found")
        lines.append(f"{setting.key}: {setting.after}, strategy {how}")
        if setting.detail:
            lines.append(f"  {setting.detail}")
    if attempts:
        lines.append("Strategies tried:")
        lines += [f"  {a.setting} / {a.strategy}: {a.result}" for a in attempts]
    return "\n".join(lines)
