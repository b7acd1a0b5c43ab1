"""The switcher: reads each setting's switch once it has settled, clicks the
ones that are on (never one that is off, never one not asked for), waits for
the save, reloads, and records what the reloaded page says: the only `after`.

A setting is `off` only when a page loaded after the last click says so. A
switch that stays disabled on a settled page is locked: reported as read and
never clicked.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from linkedin_optout.driver import PageDriver, backoff, rate_limited
from linkedin_optout.findings import Findings, WalkState
from linkedin_optout.pages import (
    PageScan,
    Switch,
    find_switches,
)
from linkedin_optout.panels import panel_picture
from linkedin_optout.saves import SaveWatcher
from linkedin_optout.scan_rules import confirm_button
from linkedin_optout.selectors import SelectorFile
from linkedin_optout.steps import Steps

# The same reading as page_scan.js, for one switch right before it is clicked;
# "waiting" when it is disabled or inside a busy container: not a reading.
STATE_JS = """el => {
  const busy = el.closest("[aria-busy='true']");
  if (el.disabled || el.getAttribute('aria-disabled') === 'true' || busy) return 'waiting';
  if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio'))
    return el.indeterminate ? 'waiting' : el.checked ? 'on' : 'off';
  const aria = el.getAttribute('aria-checked');
  return aria === 'true' ? 'on' : aria === 'false' ? 'off' : 'unknown'; }"""
FIRST_SAVE_WAIT_S = 5.0
# A wait for switches to settle gives way to the other pages this often (lanes.py).
WAIT_SLICE_S = 0.1
LOCKED_DETAIL = (
    "the switch stays disabled, so it cannot be changed on this account "
    "(another setting may decide it, as 'ads beyond LinkedIn' does partner sharing, "
    "or it is managed or restricted)"
)
LOCKED_ADVICE = (
    "Change it on LinkedIn yourself if the page lets you; otherwise ask whoever manages "
    "the account, or object through LinkedIn's Data Processing Objection Form "
    "(/help/linkedin/ask/TS-DPRO)."
)
LOCKED_CAUSE = "the switch is locked: it cannot be changed on this account"


class Switcher:
    def __init__(self, driver: PageDriver, findings: Findings, state: WalkState) -> None:
        self.driver = driver
        self.findings = findings
        self.state = state
        self.throttled: set[str] = set()  # settings whose last save LinkedIn answered 429

    def title(self, key: str) -> str:
        return self.findings[key].label

    def read_setting_page(self, step: str, keys: Sequence[str]) -> PageScan:
        """The page once its content shows (a switch, or 'page not found'). If a
        switch shows but not yet the one for `keys`, wait on for that setting's
        own marks (its id, its label): a page may render in steps."""
        self.driver.step = step
        deadline = time.monotonic() + self.driver.opts.timeout_s
        known = self.driver.layouts
        shown = self.driver.wait_ready(
            [known.page.switch], known.not_found_texts, self.driver.opts.timeout_s
        )
        scan = self.driver.clear_overlays(self.driver.scan())
        version = self.state.version or known.detect(scan)
        if not shown or version is None or known.is_not_found(scan):
            return scan
        found = find_switches(version, keys, scan, self.driver.langs).found
        missing = [s for k in keys if k not in found and (s := version.setting(k))]
        if not missing:
            return scan
        css = [f"[aria-labelledby~='{i}']" for s in missing for i in s.labelledby]
        texts = [t for s in missing for ts in s.labels.values() for t in ts]
        if self.driver.wait_ready(css, texts, max(deadline - time.monotonic(), 0.1)):
            scan = self.driver.clear_overlays(self.driver.scan())
        return scan

    def settle(
        self, version: SelectorFile, keys: Sequence[str], scan: PageScan
    ) -> Steps[tuple[PageScan, dict[str, tuple[Switch, str]], set[str]]]:
        """Wait until the switches for `keys` show the member's values, not
        placeholders; read them again. Returns the new scan, the matches, and the
        keys whose switch stayed disabled on a quiet page (locked). A switch
        still showing a placeholder at the deadline reads as unknown. Yields
        every WAIT_SLICE_S while it waits, so that other pages go on meanwhile."""
        deadline = time.monotonic() + self.driver.opts.timeout_s
        while True:
            found = find_switches(version, keys, scan, self.driver.langs).found
            if not found:
                return scan, found, set()
            marks = [sw.mark for sw, _ in found.values()]
            while True:
                try:
                    slice_end = min(deadline, time.monotonic() + WAIT_SLICE_S)
                    outcome = self.driver.waiter.switches(marks, slice_end)
                except Exception as exc:
                    self.driver.raise_if_closed(exc)
                    raise
                if outcome != "timeout" or time.monotonic() >= deadline:
                    break
                yield  # most often the quiet before a reading: other pages go on
            scan = self.driver.scan()
            if outcome == "changed" and time.monotonic() < deadline:
                continue  # a placeholder was replaced by the real switch: match again
            found = find_switches(version, keys, scan, self.driver.langs).found
            settled: dict[str, tuple[Switch, str]] = {}
            for key, (switch, strategy) in found.items():
                if outcome != "timeout" or not (switch.waiting or switch.disabled):
                    settled[key] = (switch, strategy)
                else:  # still a placeholder when time ran out: no reading
                    settled[key] = (replace(switch, state="unknown"), strategy)
            locked = {k for k, (sw, _) in settled.items() if sw.disabled and sw.state != "unknown"}
            return scan, settled, locked

    def handle_page(self, scan: PageScan, keys: Sequence[str]) -> Steps[set[str]]:
        """Read (and, unless dry run, switch off) every target setting on this page.
        Yields while the page reloads or settles (lanes.py)."""
        version = self.state.version or self.driver.layouts.detect(scan)
        if version is None:
            return set()
            yield  # a generator even when there is nothing to switch
        self.state.version = version
        matches = find_switches(version, keys, scan, self.driver.langs)
        self.state.attempts += matches.attempts
        if matches.found:
            scan, found, locked = yield from self.settle(version, keys, scan)
        else:
            found, locked = {}, set()
        self.state.claimed |= {switch.mark for switch, _ in found.values()}
        to_switch: list[str] = []
        for key, (switch, strategy) in found.items():
            setting = version.setting(key)
            assert setting is not None
            read = self.findings.record(
                key, label=setting.title, strategy=strategy, before=switch.state
            )
            self.driver.console.finding(key, read.label, switch.state, strategy)
            self.driver.screenshot(key, "before")
            if key in locked:
                self.locked(key, switch.state)
            elif switch.state == "on" and not self.driver.opts.dry_run:
                to_switch.append(key)
            else:
                self.findings.record(
                    key,
                    after=switch.state,
                    verified=switch.state in ("on", "off"),
                    detail=self.unread_detail(switch) if switch.state == "unknown" else read.detail,
                )
                self.keep_panel(key, switch)
        if to_switch:
            switches = {k: found[k][0] for k in to_switch}
            yield from self.switch_off(version, to_switch, list(found), switches)
        return set(found)

    def unread_detail(self, switch: Switch) -> str:
        if switch.waiting or switch.disabled:
            return (
                "The switch never showed a settled on/off state (it stayed disabled, "
                f"busy or a placeholder for {self.driver.opts.timeout_s:g} s)."
            )
        return "The switch shows no on/off state the tool can read."

    def locked(self, key: str, state: str) -> None:
        """A switch that stays disabled on a settled page: its state is real, and
        it cannot be switched here. Reported as read; no click, no retry."""
        label = self.title(key)
        failed = state == "on" and not self.driver.opts.dry_run
        self.findings.record(
            key,
            after="on" if state == "on" else "off" if state == "off" else "unknown",
            verified=state in ("on", "off"),
            detail=f"Locked: {LOCKED_DETAIL}.",
            failed_step=f"switch off '{label}'" if failed else None,
            advice=LOCKED_ADVICE if failed else None,
        )
        self.driver.console.step(f"{label}: {state}, and locked: {LOCKED_DETAIL}")

    def switch_off(
        self,
        version: SelectorFile,
        keys: list[str],
        page_keys: list[str],
        switches: dict[str, Switch],
    ) -> Steps[None]:
        """Click each switch in `keys`, wait for its save, reload, and read every
        target setting on the page again; retry what stayed on."""
        causes: dict[str, str] = {}
        pending = keys
        for attempt in range(self.driver.opts.retries + 1):
            if attempt:
                backoff(attempt)
            for key in pending:
                yield from self.state.pacing.turn(key, self.driver.console)
                causes[key] = self.click_and_save(version, key, switches[key])
            # A session that ends here leaves the clicks unconfirmed: browser_run.run says so
            # for every click on every page (Findings.reports).
            self.driver.reload("reload the page to confirm")
            yield  # the page reloads while other lanes work
            scan = self.read_setting_page("read the page after the reload", page_keys)
            scan, rematch, locked = yield from self.settle(version, page_keys, scan)
            for key in page_keys:
                self.record_after(key, rematch.get(key), clicked=key in keys)
            for key in pending:
                if key in locked or causes[key] == LOCKED_CAUSE:
                    self.locked(key, self.findings[key].after)
            pending = [
                k
                for k in pending
                if self.findings[k].after == "on" and k not in locked and causes[k] != LOCKED_CAUSE
            ]
            for key in set(keys) - set(pending):
                self.state.pacing.release(key)  # its turn is over: it needs no more saves
            if not pending:
                return
            for key in pending:
                switches[key] = rematch[key][0]
                self.driver.console.step(
                    f"{self.title(key)}: still on after the reload ({causes[key]})"
                )
        tries = self.driver.opts.retries + 1
        if throttled := [key for key in pending if key in self.throttled]:
            # It did not clear: stop, do not hammer.
            raise rate_limited(f"switch off '{self.title(throttled[0])}'")
        for key in pending:
            why = f"Still on after {tries} attempt{'s' if tries > 1 else ''}: {causes[key]}."
            self.findings.record(key, detail=why)

    def record_after(self, key: str, found: tuple[Switch, str] | None, clicked: bool) -> None:
        """A setting's state as the reloaded page shows it: the only `after` there is."""
        if found is None:
            self.findings.record(
                key,
                after="unknown",
                verified=False,
                detail="After the reload the switch could not be found again.",
            )
            return
        was, state = self.findings[key], found[0].state
        verified = state in ("on", "off")
        now = self.findings.record(
            key,
            after=state,
            verified=verified,
            detail="After the reload the switch never showed a settled on/off state."
            if state == "unknown"
            else was.detail,
            click=None if verified else was.click,  # this page shows what the click did
            changed=was.changed or (clicked and state == "off"),
        )
        if now.changed and not was.changed:
            self.driver.console.step(f"{now.label}: confirmed off after reload")
        if clicked:
            self.driver.screenshot(key, "after")
        self.keep_panel(key, found[0])

    def keep_panel(self, key: str, switch: Switch) -> None:
        """--html: the panel of a setting found off, or switched off, as the page shows it."""
        if not (self.driver.opts.panels and switch.state == "off"):
            return
        if (picture := panel_picture(self.driver, switch)) is not None:
            self.state.panels[key] = picture

    def click_and_save(self, version: SelectorFile, key: str, switch: Switch) -> str:
        self.driver.step = f"switch off '{self.title(key)}'"
        target = self.driver.locator(switch)

        def state() -> str:
            return str(target.evaluate(STATE_JS))

        if state() == "waiting":  # it showed a placeholder again: wait for it once more
            outcome = self.driver.waiter.switches(
                [switch.mark], time.monotonic() + self.driver.opts.timeout_s
            )
            if outcome == "locked":
                return LOCKED_CAUSE
            if outcome != "ready":
                return "the switch did not settle before its turn came, so it was not clicked"

        def still_on() -> bool:  # read again right before clicking: never switch on
            return state() == "on"

        if not still_on():
            return "it was no longer on when its turn came, so it was not clicked"
        with SaveWatcher(self.driver.page, self.driver.opts.base_url) as saves:
            self.findings.record(key, click="clicking")
            self.driver.act(f"switch off '{self.title(key)}'", target, still_wanted=still_on)
            self.findings.record(key, click="clicked")
            self.driver.console.step(
                f"{self.title(key)}: switched off, waiting for LinkedIn to save"
            )
            cause = self.wait_for_save(version, saves)
            wait = saves.retry_after_s()
        if wait is not None:
            self.state.pacing.hold(wait, self.driver.step, key)
            self.throttled.add(key)
        else:
            self.state.pacing.cleared(key)
            self.throttled.discard(key)
        return cause

    def wait_for_save(self, version: SelectorFile, saves: SaveWatcher) -> str:
        """Until the save's request has an answer, confirming a 'Turn off?' dialog
        if one appears first. Polls in short slices of waiting on request events."""
        now = time.monotonic
        deadline = now() + self.driver.opts.timeout_s
        first_deadline = now() + min(self.driver.opts.timeout_s, FIRST_SAVE_WAIT_S)
        confirmed = False
        while not saves.settled():
            if not saves.requests and not confirmed:
                button = confirm_button(self.driver.scan(), version, self.driver.langs)
                if button is not None:
                    self.driver.act(f"confirm with '{button.name}'", self.driver.locator(button))
                    confirmed = True
                    first_deadline = now() + min(self.driver.opts.timeout_s, FIRST_SAVE_WAIT_S)
                    continue
            if not saves.requests and now() > first_deadline:
                return "no save request followed the click"
            if now() > deadline:
                return f"the save got no answer within {self.driver.opts.timeout_s:g} s"
            try:
                self.driver.page.wait_for_event("response", timeout=250)
            except Exception as exc:
                self.driver.raise_if_closed(exc)
                self.driver.raise_if_gone()  # a killed browser may only ever time out here
        return saves.describe()
