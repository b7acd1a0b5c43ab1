"""The switcher: reads each setting's control once it has settled (a switch, or
a choice's radios), changes the ones not at the value asked for (a switch only
ever off; never a setting not asked for), waits for the save, reloads, and
records what the reloaded page says: the only `after`.

A setting is at a value only when a page loaded after the last click says so. A
control that stays disabled on a settled page is locked: reported as read and
never clicked.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from linkedin_optout.choice_groups import find_controls
from linkedin_optout.driver import PageDriver, backoff, rate_limited
from linkedin_optout.errors import PageNotRecognized
from linkedin_optout.findings import Findings, WalkState
from linkedin_optout.pages import PageScan, Switch
from linkedin_optout.panels import panel_picture
from linkedin_optout.row_values import await_row_values, disagreeing
from linkedin_optout.saves import SaveWatcher, wait_for_save
from linkedin_optout.scan_rules import LOCKED_ADVICE, LOCKED_CAUSE, LOCKED_DETAIL
from linkedin_optout.selectors import SelectorFile, Setting
from linkedin_optout.steps import Steps

# The same reading as page_scan.js, for one switch right before it is clicked;
# "waiting" when it is disabled or inside a busy container: not a reading. A
# [role=radio] without aria-checked is an option not chosen (as browsers read it).
STATE_JS = """el => {
  const busy = el.closest("[aria-busy='true']");
  if (el.disabled || el.getAttribute('aria-disabled') === 'true' || busy) return 'waiting';
  if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio'))
    return el.indeterminate ? 'waiting' : el.checked ? 'on' : 'off';
  const aria = el.getAttribute('aria-checked');
  if (el.getAttribute('role') === 'radio') return aria === 'true' ? 'on' : 'off';
  return aria === 'true' ? 'on' : aria === 'false' ? 'off' : 'unknown'; }"""
# A wait for switches to settle gives way to the other pages this often (lanes.py).
WAIT_SLICE_S = 0.1


class Switcher:
    def __init__(self, driver: PageDriver, findings: Findings, state: WalkState) -> None:
        self.driver = driver
        self.findings = findings
        self.state = state
        self.throttled: set[str] = set()  # settings whose last save LinkedIn answered 429

    def title(self, key: str) -> str:
        return self.findings[key].label

    def target(self, key: str) -> str:
        """The value the run sets: --set's, else the recommended one (a switch: off)."""
        if key in self.driver.opts.targets:
            return self.driver.opts.targets[key]
        setting = self.setting(key)
        return setting.recommended if setting else "off"

    def to_change(self, setting: Setting, state: str) -> bool:
        """A reading of a value other than the one the run sets (never a non-reading)."""
        return state in setting.values and state != self.target(setting.key)

    def words(self, setting: Setting, value: str) -> str:
        return setting.words(value) if setting.control == "choice" else value

    def change_step(self, setting: Setting) -> str:
        if setting.control == "choice":
            return f"set '{setting.title}' to '{setting.words(self.target(setting.key))}'"
        return f"switch off '{setting.title}'"

    def read_setting_page(self, step: str, keys: Sequence[str]) -> PageScan:
        """The page once its content shows (a switch, or 'page not found'). If a
        switch shows but not yet the one for `keys`, wait on for that setting's
        own marks (its id, its label): a page may render in steps."""
        self.driver.step = step
        deadline = time.monotonic() + self.driver.opts.timeout_s
        known = self.driver.known
        shown = self.driver.wait_ready(
            [known.page.switch, known.page.radio], known.not_found_texts, self.driver.opts.timeout_s
        )
        scan = self.driver.clear_overlays(self.driver.scan())
        selector_file = self.state.selector_file or known.detect(scan)
        if not shown or selector_file is None or known.is_not_found(scan):
            return scan
        found = find_controls(selector_file, keys, scan, self.driver.langs).found
        missing = [s for k in keys if k not in found and (s := selector_file.setting(k))]
        if not missing:
            return scan
        css = [f"[aria-labelledby~='{i}']" for s in missing for i in s.labelledby]
        css += [f"[id='{i}']" for s in missing for o in s.options for i in o.ids]
        texts = [t for s in missing for ts in s.labels.values() for t in ts]
        texts += [t for s in missing for o in s.options for ts in o.labels.values() for t in ts]
        if self.driver.wait_ready(css, texts, max(deadline - time.monotonic(), 0.1)):
            scan = self.driver.clear_overlays(self.driver.scan())
        return scan

    def settle(
        self, selector_file: SelectorFile, keys: Sequence[str], scan: PageScan
    ) -> Steps[tuple[PageScan, dict[str, tuple[Switch, str]], set[str]]]:
        """Wait until the switches for `keys` show the member's values, not
        placeholders; read them again. Returns the new scan, the matches, and the
        keys whose switch stayed disabled on a quiet page (locked). A switch
        still showing a placeholder at the deadline reads as unknown. Yields
        every WAIT_SLICE_S while it waits, so that other pages go on meanwhile."""
        deadline = time.monotonic() + self.driver.opts.timeout_s
        while True:
            found = find_controls(selector_file, keys, scan, self.driver.langs).found
            if not found:
                return scan, found, set()
            marks = [mark for sw, _ in found.values() for mark in sw.marks]
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
            found = find_controls(selector_file, keys, scan, self.driver.langs).found
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
        selector_file = self.state.selector_file or self.driver.known.detect(scan)
        if selector_file is None:
            return set()
            yield  # a generator even when there is nothing to switch
        self.state.selector_file = selector_file
        matches = find_controls(selector_file, keys, scan, self.driver.langs)
        if matches.unidentified:  # perhaps a placeholder's options: once the page is quiet
            self.driver.wait_ready([], [], self.driver.opts.timeout_s)
            scan = self.driver.scan()
            matches = find_controls(selector_file, keys, scan, self.driver.langs)
        self.state.attempts += matches.attempts
        for key, why in matches.unidentified.items():
            raise PageNotRecognized(
                f"The page shows the choice '{self.title(key)}', but {why}: the tool does "
                "not guess which answer is which.",
                step=f"read '{self.title(key)}'",
                setting=key,
            )
        if matches.found:
            scan, found, locked = yield from self.settle(selector_file, keys, scan)
            if disagreeing(selector_file, found, self.state.row_values, self.findings):
                scan, found, locked = yield from await_row_values(
                    self.driver,
                    selector_file,
                    found,
                    self.state.row_values,
                    self.findings,
                    lambda scan: self.settle(selector_file, keys, scan),
                )
        else:
            found, locked = {}, set()
        self.state.claimed |= {switch.mark for switch, _ in found.values()}
        to_switch: list[str] = []
        for key, (switch, strategy) in found.items():
            setting = selector_file.setting(key)
            assert setting is not None
            read = self.findings.record(
                key, label=setting.title, strategy=strategy, before=switch.state
            )
            self.driver.console.finding(
                key, read.label, self.words(setting, switch.state), strategy
            )
            self.driver.screenshot(key, "before")
            if key in locked:
                self.locked(key, switch.state)
            elif self.to_change(setting, switch.state) and not self.driver.opts.dry_run:
                to_switch.append(key)
            else:
                self.findings.record(
                    key,
                    after=switch.state,
                    verified=switch.state in setting.values,
                    detail=(read.detail or self.unread_detail(switch))
                    if switch.state == "unknown"
                    else read.detail,
                )
                self.keep_panel(key, switch)
        if to_switch:
            switches = {k: found[k][0] for k in to_switch}
            yield from self.change(selector_file, to_switch, list(found), switches)
        return set(found)

    def unread_detail(self, switch: Switch) -> str:
        what = (
            "choice never showed a settled answer"
            if switch.options
            else ("switch never showed a settled on/off state")
        )
        if switch.waiting or switch.disabled:
            return (
                f"The {what} (it stayed disabled, busy or a placeholder for "
                f"{self.driver.opts.timeout_s:g} s)."
            )
        if switch.options:
            return "The choice shows no selected answer the tool can read."
        return "The switch shows no on/off state the tool can read."

    def locked(self, key: str, state: str) -> None:
        """A switch that stays disabled on a settled page: its state is real, and
        it cannot be switched here. Reported as read; no click, no retry."""
        label = self.title(key)
        setting = self.setting(key)
        values = setting.values if setting else ("on", "off")
        failed = (
            setting is not None and self.to_change(setting, state) and not self.driver.opts.dry_run
        )
        self.findings.record(
            key,
            after=state if state in values else "unknown",
            verified=state in values,
            detail=f"Locked: {LOCKED_DETAIL}.",
            failed_step=self.change_step(setting) if failed and setting else None,
            advice=LOCKED_ADVICE if failed else None,
        )
        self.driver.console.step(f"{label}: {state}, and locked: {LOCKED_DETAIL}")

    def setting(self, key: str) -> Setting | None:
        return self.state.selector_file.setting(key) if self.state.selector_file else None

    def change(
        self,
        selector_file: SelectorFile,
        keys: list[str],
        page_keys: list[str],
        switches: dict[str, Switch],
    ) -> Steps[None]:
        """Click each control in `keys` (a switch, or the option to choose), wait for
        its save, reload, and read every target setting on the page again; retry
        what is still not at its value."""
        causes: dict[str, str] = {}
        pending = keys
        for attempt in range(self.driver.opts.retries + 1):
            if attempt:
                backoff(attempt)
            for key in pending:
                yield from self.state.pacing.turn(key, self.driver.console)
                causes[key] = self.click_and_save(selector_file, key, switches[key])
            # A session that ends here leaves the clicks unconfirmed: browser_run.run says so
            # for every click on every page (Findings.reports).
            self.driver.reload("reload the page to confirm")
            yield  # the page reloads while other lanes work
            scan = self.read_setting_page("read the page after the reload", page_keys)
            scan, rematch, locked = yield from self.settle(selector_file, page_keys, scan)
            for key in page_keys:
                self.record_after(key, rematch.get(key), clicked=key in keys)
            for key in pending:
                if key in locked or causes[key] == LOCKED_CAUSE:
                    self.locked(key, self.findings[key].after)
            pending = [
                k
                for k in pending
                if (s := selector_file.setting(k)) is not None
                and self.to_change(s, self.findings[k].after)
                and k not in locked
                and causes[k] != LOCKED_CAUSE
            ]
            for key in set(keys) - set(pending):
                self.state.pacing.release(key)  # its turn is over: it needs no more saves
            if not pending:
                return
            for key in pending:
                switches[key] = rematch[key][0]
                now = self.state_words(selector_file, key, self.findings[key].after)
                self.driver.console.step(
                    f"{self.title(key)}: still {now} after the reload ({causes[key]})"
                )
        tries = self.driver.opts.retries + 1
        if throttled := [key for key in pending if key in self.throttled]:
            # It did not clear: stop, do not hammer.
            setting = selector_file.setting(throttled[0])
            raise rate_limited(self.change_step(setting) if setting else "save a change")
        for key in pending:
            now = self.state_words(selector_file, key, self.findings[key].after)
            why = f"Still {now} after {tries} attempt{'s' if tries > 1 else ''}: {causes[key]}."
            self.findings.record(key, detail=why)

    def state_words(self, selector_file: SelectorFile, key: str, value: str) -> str:
        setting = selector_file.setting(key)
        return self.words(setting, value) if setting else value

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
        setting = self.setting(key)
        verified = setting is not None and state in setting.values
        now = self.findings.record(
            key,
            after=state,
            verified=verified,
            detail="After the reload the switch never showed a settled on/off state."
            if state == "unknown"
            else was.detail,
            click=None if verified else was.click,  # this page shows what the click did
            changed=was.changed or (clicked and state == self.target(key)),
        )
        if now.changed and not was.changed and setting is not None:
            words = self.words(setting, state)
            self.driver.console.step(f"{now.label}: confirmed {words} after reload")
        if clicked:
            self.driver.screenshot(key, "after")
        self.keep_panel(key, found[0])

    def keep_panel(self, key: str, switch: Switch) -> None:
        """--html: the panel of a setting found at the value the run sets (a switch:
        off), or set to it, as the page shows it; a choice's by its first radio."""
        if not (self.driver.opts.panels and switch.state == self.target(key)):
            return
        inside = replace(switch, mark=switch.options[0].mark) if switch.options else switch
        if (picture := panel_picture(self.driver, inside)) is not None:
            self.state.panels[key] = picture

    def click_and_save(self, selector_file: SelectorFile, key: str, switch: Switch) -> str:
        setting = selector_file.setting(key)
        assert setting is not None
        step = self.driver.step = self.change_step(setting)
        wanted = self.target(key)
        clicked, read_from = switch, switch
        if setting.control == "choice":
            option = switch.option(wanted)
            if option is None:
                raise PageNotRecognized(
                    f"The page shows the choice '{setting.title}' without the answer "
                    f"'{setting.words(wanted)}'.",
                    step=step,
                    setting=key,
                )
            read_from = replace(switch, mark=option.mark)  # the radio to see checked
            # A person clicks the radio, or its label where a styled wrapper hides it.
            hidden = not option.visible and option.label_mark
            clicked = replace(switch, mark=option.label_mark) if hidden else read_from
        target = self.driver.locator(read_from)

        def state() -> str:
            return str(target.evaluate(STATE_JS))

        if state() == "waiting":  # it showed a placeholder again: wait for it once more
            outcome = self.driver.waiter.switches(
                list(switch.marks), time.monotonic() + self.driver.opts.timeout_s
            )
            if outcome == "locked":
                return LOCKED_CAUSE
            if outcome != "ready":
                return "the control did not settle before its turn came, so it was not clicked"

        # Read again right before clicking: a switch is clicked only while on (never
        # switched on); a choice's option only while it is not yet the chosen one.
        def still_wanted() -> bool:
            return state() == ("off" if setting.control == "choice" else "on")

        if not still_wanted():
            return "it had changed by itself when its turn came, so it was not clicked"
        with SaveWatcher(self.driver.page, self.driver.opts.base_url) as saves:
            self.findings.record(key, click="clicking")
            self.driver.act(step, self.driver.locator(clicked), still_wanted=still_wanted)
            self.findings.record(key, click="clicked")
            done = (
                "switched off"
                if setting.control == "switch"
                else f"chose '{setting.words(wanted)}'"
            )
            self.driver.console.step(f"{self.title(key)}: {done}, waiting for LinkedIn to save")
            cause = wait_for_save(self.driver, selector_file, saves)
            wait = saves.retry_after_s()
        if wait is not None:
            self.state.pacing.hold(wait, self.driver.step, key)
            self.throttled.add(key)
        else:
            self.state.pacing.cleared(key)
            self.throttled.discard(key)
        return cause
