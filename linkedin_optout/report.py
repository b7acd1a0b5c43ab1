"""The result of a run: pydantic models (the `--json` report) and their rendering."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from linkedin_optout import __version__

if TYPE_CHECKING:
    from linkedin_optout.options import RunOptions

State = Literal["on", "off", "absent", "unknown"]
Outcome = Literal[
    "ok",
    "changes_needed",
    "auth_required",
    "page_not_recognized",
    "change_failed",
    "browser_error",
    "interrupted",
]
EXIT_CODES: dict[str, int] = {
    "ok": 0,
    "changes_needed": 1,
    "auth_required": 3,
    "page_not_recognized": 4,
    "change_failed": 5,
    "browser_error": 6,
    "interrupted": 130,  # Ctrl-C; the CLI exits 128 + the signal's number (143 for SIGTERM)
}


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SettingReport(Model):
    key: str
    label: str
    # From the selector data: the setting's group (`ai`, ...) and the value the
    # tool recommends (`off`); None for a key the data does not know.
    group: str | None = None
    recommended: Literal["on", "off"] | None = None
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
    """A setting this check found `now` that the last earlier check saw `was`:
    LinkedIn switched it back on since then."""

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


def now() -> datetime:
    return datetime.now(UTC)


def derive_outcome(settings: list[SettingReport], dry_run: bool, error_outcome: str | None) -> str:
    """The run's outcome from each setting's verified state (or the error that stopped it).
    A read-only check needs changes when an offered setting is not at its recommended
    value; a run failed when one is still on."""
    if error_outcome:
        return error_outcome
    if any(s.after == "unknown" for s in settings):
        return "page_not_recognized"
    if dry_run:
        return "ok" if all(at_recommended(s) for s in settings) else "changes_needed"
    if any(s.after == "on" for s in settings):
        return "change_failed"
    return "ok"


def at_recommended(setting: SettingReport) -> bool:
    """Offered and at its recommended value (off when the data does not say), or absent."""
    if setting.after in ("absent", "unknown"):
        return setting.after == "absent"
    return setting.after == (setting.recommended or "off")


# --- building the report -----------------------------------------------------------


def build_report(result: Any, opts: RunOptions, started: datetime, session: str | None) -> Report:
    """The report of a run (`flow.RunResult`): its outcome, and the error that explains it."""
    error = result.error
    outcome = derive_outcome(result.settings, opts.dry_run, error.outcome if error else None)
    error_report = None
    if error is not None:
        error_report = ErrorReport(
            message=error.message, step=error.step, setting=error.setting, advice=error.advice
        )
    elif outcome in ("change_failed", "page_not_recognized"):
        failed = [s for s in result.settings if s.after in ("on", "unknown")]
        bad = failed[0]
        message = f"'{bad.label}' is {bad.after} after the run. {bad.detail or ''}".strip()
        if others := failed[1:]:  # every one is named, not only the first
            message += " Also not off: " + ", ".join(f"'{s.label}' ({s.after})" for s in others)
            message += "."
        where = next((s.url for v in opts.versions if (s := v.setting(bad.key)) and s.url), None)
        page = (
            f"on its page, {opts.base_url.rstrip('/')}{where}" if where else "in Settings & Privacy"
        )
        error_report = ErrorReport(
            message=message,
            step=result.failed_steps.get(bad.key, "confirm after reload"),
            setting=bad.key,
            advice=result.failed_advice.get(
                bad.key, f"Try again later, or switch it off by hand {page}."
            ),
        )
    return Report(
        outcome=outcome,  # type: ignore[arg-type]
        dry_run=opts.dry_run,
        selectors_version=result.version,
        settings=result.settings,
        started_at=started,
        finished_at=now(),
        locale=result.locale,
        session=session,
        error=error_report,
        diagnostics=str(result.diagnostics) if result.diagnostics else None,
    )


# --- rendering ---------------------------------------------------------------

COLOURS = {"on": "31", "off": "32", "absent": "2", "unknown": "33"}
SUMMARY = {
    "ok": "Every setting asked for is off (or not offered on this account).",
    "changes_needed": "A setting is on. Run 'linkedin-optout run' (with the same --only, "
    "--group or --all) to switch it off.",
    "auth_required": "Not signed in.",
    "page_not_recognized": "A page was not recognized; nothing was guessed.",
    "change_failed": "A setting could not be switched off and confirmed.",
    "browser_error": "The browser could not be started or stopped working.",
    "interrupted": "Stopped before the run finished.",
}


def paint(text: str, code: str, colour: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if colour else text


def render_table(report: Report, colour: bool) -> str:
    result = f"Result: {SUMMARY[report.outcome]}" + (" (dry run)" if report.dry_run else "")
    session = f"Session: {report.session}" if report.session else None
    if all(s.before == "unknown" and s.after == "unknown" for s in report.settings):
        # nothing was read: a table of unknowns says nothing; which session failed does
        return "\n".join(x for x in (session, result) if x)
    headers = ("Setting", "Before", "After", "Changed", "Verified")
    rows = [
        (
            s.label,
            s.before,
            s.after,
            "yes" if s.changed else "no",
            # "reloaded": read again from a page loaded after the tool's own click
            "yes (reloaded)" if s.verified and s.changed else ("yes" if s.verified else "no"),
        )
        for s in report.settings
    ]
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]

    def line(cells: tuple[str, ...], states: bool = False) -> str:
        out = []
        for i, cell in enumerate(cells):
            padded = cell.ljust(widths[i])
            if states and i in (1, 2):
                padded = paint(padded, COLOURS.get(cell, "0"), colour)
            out.append(padded)
        return "  ".join(out).rstrip()

    lines = [line(headers), line(tuple("-" * w for w in widths))]
    for row, setting in zip(rows, report.settings, strict=True):
        lines.append(line(row, states=True))
        if setting.detail:
            lines.append(f"  {setting.detail}")
    version = report.selectors_version or "none matched"
    lines.append("")
    lines.append(
        f"Selectors: {version}" + (f", page language {report.locale}" if report.locale else "")
    )
    lines += [back_on_line(c) for c in report.changed_since_last]
    if session:
        lines.append(session)
    lines.append(result)
    return "\n".join(lines)


def back_on_line(change: Change) -> str:
    return f"LinkedIn switched '{change.label}' back on since {change.since:%Y-%m-%d}."


def render_json(report: Report) -> str:
    return report.model_dump_json(indent=2)


def render_probe(report: Report, attempts: Sequence[Any]) -> str:
    """`selectors probe`: which version, language and strategy matched each setting."""
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
