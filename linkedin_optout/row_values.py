"""A second reading of a choice: the answer its hub row shows at its end.

LinkedIn's Visibility hub shows each setting's current value at the end of its row
("Who can see or download your email address  Only visible to me"). The setting's
own page is the truth, but a page may draw a default answer, with no sign at all,
before the member's arrives. So when the row named an answer and the page first
shows another, the walk waits (up to --timeout) for the page to show the row's;
if it never does, neither is taken as a reading (switcher.py).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import replace

from linkedin_optout.driver import PageDriver
from linkedin_optout.findings import Findings
from linkedin_optout.pages import PageScan, Switch
from linkedin_optout.selectors import SelectorFile
from linkedin_optout.setting_entry import Setting
from linkedin_optout.steps import Steps
from linkedin_optout.text import labels_for, normalize

Found = dict[str, tuple[Switch, str]]  # key -> (its control, the strategy that found it)
Settled = tuple[PageScan, Found, set[str]]
# A wait for the row's answer gives way to the other pages this often (lanes.py).
WAIT_SLICE_S = 0.1


def value_on_row(setting: Setting, text: str, langs: Sequence[str]) -> str | None:
    """The one answer a choice's row text names besides its title, or None (a
    switch, no answer shown, or two different ones)."""
    if setting.control != "choice":
        return None
    rest = f" {normalize(text)} "
    for title in [*labels_for(setting.row.text, langs), setting.title]:
        if folded := normalize(title):
            rest = rest.replace(f" {folded} ", " ")
    hits = [
        (folded, option.value)
        for option in setting.options
        for label in labels_for(option.labels, langs)
        if (folded := normalize(label)) and f" {folded} " in rest
    ]
    if not hits:
        return None
    longest, value = max(hits, key=lambda hit: len(hit[0]))
    # A shorter answer's words inside the longest are the same phrase; any other: no reading.
    if any(v != value and f" {label} " not in f" {longest} " for label, v in hits):
        return None
    return value


def disagreeing(
    selector_file: SelectorFile, found: Found, rows: dict[str, str], findings: Findings
) -> dict[str, str]:
    """Choices read for the first time whose page shows another answer than their
    hub row did: key -> the row's answer."""
    out = {}
    for key, (switch, _) in found.items():
        row, setting = rows.get(key), selector_file.setting(key)
        first = findings[key].before == "unknown"
        if row and setting and first and switch.state in setting.values and switch.state != row:
            out[key] = row
    return out


def await_row_values(
    driver: PageDriver,
    selector_file: SelectorFile,
    found: Found,
    rows: dict[str, str],
    findings: Findings,
    settle: Callable[[PageScan], Steps[Settled]],
) -> Steps[Settled]:
    """Wait (up to --timeout) for each disagreeing choice to show its row's answer,
    then settle again; one that never does is no reading (unknown, and said why)."""
    deadline = time.monotonic() + driver.opts.timeout_s
    for key, row in disagreeing(selector_file, found, rows, findings).items():
        option = found[key][0].option(row)
        while option is not None and time.monotonic() < deadline:
            if driver.wait_until_chosen(replace(found[key][0], mark=option.mark), WAIT_SLICE_S):
                break
            yield  # other pages go on meanwhile
    scan, found, locked = yield from settle(driver.scan())
    for key, row in disagreeing(selector_file, found, rows, findings).items():
        switch, strategy = found[key]
        setting = selector_file.setting(key)
        assert setting is not None
        shown, hub = setting.words(switch.state), setting.words(row)
        findings.record(
            key,
            detail=f"The page showed '{shown}' while the Visibility hub showed '{hub}', "
            f"for {driver.opts.timeout_s:g} s: neither is taken as your setting.",
        )
        found[key] = (replace(switch, state="unknown"), strategy)
    return scan, found, locked
