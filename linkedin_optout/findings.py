"""What the walk has found, setting by setting, while it goes.

The route and the switcher learn a setting's state in steps (read, clicked,
read again after a reload). Each step is recorded as a new frozen `Finding`
that replaces the last one for that setting; nothing edits a report in place.
The report is built from the findings once the walk ends (`Findings.reports`),
and a stop in between reads them to say how far the run got, including a click
that no reload has confirmed yet (interrupt.stopped_error). One `Findings` is
shared by every page of a run (lanes.py): a visit cut short by a signal cannot
hand back what it learnt any other way. Beside them, `WalkState`: what the
walk learns about the pages themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import ConfigDict, Field

from linkedin_optout.options import RunOptions
from linkedin_optout.pages import Attempt
from linkedin_optout.report import UNCONFIRMED, SettingReport
from linkedin_optout.saves import Pacing
from linkedin_optout.selector_files import SelectorFiles
from linkedin_optout.selectors import SelectorFile, bundled_selector_files

__all__ = ["UNCONFIRMED", "Click", "Finding", "Findings", "WalkState", "new_findings"]

Click = Literal["clicking", "clicked"]


class Finding(SettingReport):
    """A setting's line in the report as far as the walk got, and what only the
    walk needs: a click not yet confirmed, and where switching it off failed."""

    model_config = ConfigDict(frozen=True)

    # The tool's click on this switch that no page loaded since has confirmed:
    # "clicking" (it may not have gone through) or "clicked".
    click: Click | None = Field(default=None, exclude=True)
    failed_step: str | None = Field(default=None, exclude=True)  # where switching it off failed
    advice: str | None = Field(default=None, exclude=True)  # what the person can do then

    def report(self, stopped: bool = False) -> SettingReport:
        """The setting's line in the report; `stopped`: the run was cut short."""
        line = self.model_dump()  # without the walk's own fields (excluded)
        if stopped and self.click:
            line["detail"] = UNCONFIRMED[self.click]
        return SettingReport.model_validate(line)


class Findings:
    """The latest finding for each setting asked for, in the order asked."""

    def __init__(self, first: Iterable[Finding]) -> None:
        self._latest = {finding.key: finding for finding in first}

    def __getitem__(self, key: str) -> Finding:
        return self._latest[key]

    def __iter__(self) -> Iterator[Finding]:
        return iter(list(self._latest.values()))

    def record(self, key: str, **learnt: Any) -> Finding:
        """What was just learnt about a setting, on top of what was known."""
        self._latest[key] = finding = self._latest[key].model_copy(update=learnt)
        return finding

    def reports(self, stopped: bool = False) -> list[SettingReport]:
        return [finding.report(stopped) for finding in self]

    def failed_steps(self) -> dict[str, str]:
        return {f.key: f.failed_step for f in self if f.failed_step}

    def advice(self) -> dict[str, str]:
        return {f.key: f.advice for f in self if f.advice}


def new_findings(opts: RunOptions) -> Findings:
    """Nothing read yet: each setting asked for, with its name (the oldest
    selector file's until a page shows which one it is), group and
    recommended value."""
    known, catalogue = (
        SelectorFiles(opts.selector_files),
        SelectorFiles((*opts.selector_files, *bundled_selector_files())),
    )
    first = []
    for key in opts.keys:
        entry = catalogue.entry(key)
        first.append(
            Finding(
                key=key,
                label=known.title(key),
                group=entry.group if entry else None,
                recommended=entry.recommended if entry else None,
            )
        )
    return Findings(first)


@dataclass
class WalkState:
    """What the route and the switcher learn about the pages as they go, shared by both."""

    selector_file: SelectorFile | None = None  # the one the pages showed
    attempts: list[Attempt] = field(default_factory=list)  # strategies tried
    claimed: set[str] = field(default_factory=set)  # marks of switches matched to a setting
    pacing: Pacing = field(default_factory=Pacing)  # no save while a Retry-After runs
    # The answer a choice's hub row showed (row_values.py): a second reading.
    row_values: dict[str, str] = field(default_factory=dict)
    panels: dict[str, bytes] = field(default_factory=dict)  # --html: key -> PNG (panels.py)
