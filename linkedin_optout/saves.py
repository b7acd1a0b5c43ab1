"""Saves: the background requests a click starts and their answers (waited for,
confirming a "Turn off?" dialog first if one shows: `wait_for_save`), and the
pace of saves across every page of a run.

LinkedIn answers a save that comes too fast with 429 and a Retry-After: the run
then sends no save on any page until that time has passed, retries the setting
at most `--retries` times, and stops (exit 5) when LinkedIn keeps saying 429.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from linkedin_optout.console import Console
from linkedin_optout.driver import MAX_RETRY_AFTER_S, PageDriver, rate_limited, retry_after
from linkedin_optout.scan_rules import confirm_button
from linkedin_optout.selectors import SelectorFile
from linkedin_optout.steps import Steps

if TYPE_CHECKING:
    from playwright.sync_api import Page, Request, Response

SAVE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SaveWatcher:
    """The background requests a click starts (a save is a POST/PUT/...), and
    their answers. A response counts as the answer: Playwright reports a
    request as finished only once the page reads its body, which a page that
    gets an error often never does."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.origin = base_url.rstrip("/")
        self.requests: list[Request] = []
        self.statuses: dict[int, int] = {}  # id(request) -> HTTP status
        self.throttled: list[Response] = []  # answers that said 429
        self.failures: dict[int, str] = {}  # id(request) -> network error

    def __enter__(self) -> SaveWatcher:
        self.page.on("request", self._started)
        self.page.on("response", self._answered)
        self.page.on("requestfailed", self._failed)
        return self

    def __exit__(self, *exc: object) -> None:
        self.page.remove_listener("request", self._started)
        self.page.remove_listener("response", self._answered)
        self.page.remove_listener("requestfailed", self._failed)

    def _started(self, request: Request) -> None:
        # The page's own background calls to the site; not beacons to elsewhere.
        if (
            request.method in SAVE_METHODS
            and request.resource_type in ("fetch", "xhr")
            and request.url.startswith(self.origin + "/")
        ):
            self.requests.append(request)

    def _answered(self, response: Response) -> None:
        if response.request in self.requests:
            self.statuses[id(response.request)] = response.status
            if response.status == 429:
                self.throttled.append(response)

    def _failed(self, request: Request) -> None:
        if request in self.requests:
            self.failures[id(request)] = request.failure or "failed"

    def settled(self) -> bool:
        answered = self.statuses.keys() | self.failures.keys()
        return bool(self.requests) and all(id(r) in answered for r in self.requests)

    def describe(self) -> str:
        """What came of the save, in words for a person."""
        for request in self.requests:
            if id(request) in self.failures:
                return f"the save request failed ({self.failures[id(request)]})"
            status = self.statuses.get(id(request))
            if status == 429:
                return "LinkedIn answered the save with HTTP 429 (slow down)"
            if status is not None and status >= 400:
                return f"LinkedIn answered the save with HTTP {status}"
        return "the save was answered as a success, yet the reloaded page shows it on"

    def retry_after_s(self) -> float | None:
        """How long LinkedIn asked to wait before the next save, if it said 429.
        (Headers are read here, not in the event handler: that is a round trip.)"""
        if not self.throttled:
            return None
        return max(retry_after(r.header_value("retry-after")) for r in self.throttled)


@dataclass
class Pacing:
    """Saves, paced like a person: one at a time (a click waits for its save's
    answer before anything else is clicked, on any page); none while a 429's
    Retry-After runs, whichever page got it; and then the save LinkedIn refused
    goes first, before any page sends a new one. More 429s in a row than the
    run's retries stop the run: it does not clear."""

    retries: int = 2
    patience_s: float = 30.0  # how long the refused save may keep the next turn
    paused_until: float = 0.0  # time.monotonic() before which no save is sent
    in_a_row: int = 0  # 429s since the last save LinkedIn took
    first: str | None = None  # the setting whose refused save goes next
    first_until: float = 0.0

    def hold(self, seconds: float, step: str, key: str) -> None:
        """A save got 429 asking for `seconds`: wait that long before the next
        one, or stop when that is more than the tool waits or it keeps coming."""
        self.in_a_row += 1
        if seconds > MAX_RETRY_AFTER_S or self.in_a_row > self.retries:
            raise rate_limited(step, seconds)
        self.paused_until = max(self.paused_until, time.monotonic() + seconds)
        self.first, self.first_until = key, self.paused_until + self.patience_s

    def cleared(self, key: str) -> None:
        self.in_a_row = 0
        self.release(key)

    def release(self, key: str) -> None:
        if self.first == key:
            self.first = None

    def turn(self, key: str, console: Console) -> Steps[None]:
        """Until `key` may send its save: the other pages go on meanwhile."""
        while self.first not in (None, key) and time.monotonic() < self.first_until:
            yield
        pause = self.paused_until - time.monotonic()
        if pause > 0:
            console.step(f"Waiting {pause:.1f} s before the next change, as LinkedIn asked")
            time.sleep(pause)  # the wait LinkedIn asked for, not a guess


# A click whose save has not started by then had no effect: said, and retried.
FIRST_SAVE_WAIT_S = 5.0


def wait_for_save(driver: PageDriver, selector_file: SelectorFile, saves: SaveWatcher) -> str:
    """Until the save's request has an answer, confirming a 'Turn off?' dialog
    if one appears first. Polls in short slices of waiting on request events."""
    now = time.monotonic
    deadline = now() + driver.opts.timeout_s
    first_deadline = now() + min(driver.opts.timeout_s, FIRST_SAVE_WAIT_S)
    confirmed = False
    while not saves.settled():
        if not saves.requests and not confirmed:
            button = confirm_button(driver.scan(), selector_file, driver.langs)
            if button is not None:
                driver.act(f"confirm with '{button.name}'", driver.locator(button))
                confirmed = True
                first_deadline = now() + min(driver.opts.timeout_s, FIRST_SAVE_WAIT_S)
                continue
        if not saves.requests and now() > first_deadline:
            return "no save request followed the click"
        if now() > deadline:
            return f"the save got no answer within {driver.opts.timeout_s:g} s"
        try:
            driver.page.wait_for_event("response", timeout=250)
        except Exception as exc:
            driver.raise_if_closed(exc)
            driver.raise_if_gone()  # a killed browser may only ever time out here
    return saves.describe()
