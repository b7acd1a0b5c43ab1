"""When a page has settled: a state is read only from a switch whose value has
arrived, and "not on this page" is decided from signals, not from time-outs.

A client-rendered page may draw its switches before the member's values arrive:
a placeholder (disabled, in a busy container, a skeleton) or a plain default
while the page's own request is still out. So a reading waits until the page is
*quiet*: no DOM change (quiet_observer.js, an init script) and no request out
for a short while, and nothing on the switch or the page says "loading". The
real site keeps a realtime long-poll open on every page, so "network idle" never
comes: a request open for LONG_LIVED_S, or one the selector data names, is not
counted (and its path is remembered for the next page).

A switch that stays disabled on a quiet page is *locked* (a managed account):
its state is real, and it cannot be switched. `--timeout` stays the ceiling for
a page that truly keeps loading.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Literal
from urllib.parse import urlsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Page, Request, Response

OBSERVER_JS = resources.files("linkedin_optout").joinpath("quiet_observer.js").read_text()
WAIT_JS = resources.files("linkedin_optout").joinpath("page_wait.js").read_text()

# A switch is read once the page has been quiet this long (short: every run pays it),
# or, when the page has drawn since its last answer came, once its DOM has for this long.
QUIET_READ_S = 0.12
QUIET_DRAWN_S = 0.05
# A switch is read (on or off) only after this much quiet: a page may draw its
# switches with a default and ask for the member's values after a pause, with no
# sign that it will. An early "off" ends in no click and a false "off"; an early
# "on" ends in a click on a switch that is off (with a save that toggles, that
# switches it on).
QUIET_VALUE_S = 1.5
# Something waited for is "not there" once the rendered page has been quiet this long.
QUIET_ABSENT_S = 1.0
# A switch still disabled after this much quiet is locked, not a placeholder.
LOCKED_AFTER_S = 6.0
# A request open this long is a long-poll (realtime), not a page still loading.
LONG_LIVED_S = 5.0
# An answered request whose body never finished stops counting after this long.
ANSWERED_GRACE_S = 1.0
# What a page loads to draw itself; images, fonts, styles and beacons are not waited for.
WATCHED_TYPES = frozenset({"document", "script", "fetch", "xhr"})
POLL_SLICE_S = 0.05  # while a request is out: how soon to look at the network again
# How often page_wait.js looks at the page. Not on every animation frame
# (Playwright's default): that keeps the page drawing frames the whole wait,
# costs CPU, and a page behind another gets few frames. Quiet is measured from
# the time of the page's last change (quiet_observer.js), so looking every 50 ms
# misses no change; it only answers up to 50 ms later.
POLL_MS = 50

SwitchWait = Literal["ready", "locked", "changed", "timeout"]


@dataclass
class _Open:
    started: float
    answered: float | None = None


class NetworkWatch:
    """The page's requests still out, from its first navigation on."""

    def __init__(self, page: Page, long_lived: Sequence[str]) -> None:
        self.page = page
        self.patterns = tuple(long_lived)
        self.learned: set[str] = set()  # paths seen to stay open: long-polls
        # Open for long with no answer at all: a long-poll, or the page's own value
        # request stalled. Either way the page is no proof that a disabled switch is locked.
        self.stalled: dict[int, Request] = {}
        self.reanswered: dict[str, float] = {}  # path -> when a stalled request got its answer
        self.open: dict[int, tuple[Request, _Open]] = {}
        self.last_activity = time.monotonic()
        page.on("request", self._started)
        page.on("response", self._answered)
        page.on("requestfinished", self._done)
        page.on("requestfailed", self._done)
        page.on("framenavigated", self._navigated)

    def _answered(self, response: Response) -> None:
        request = response.request
        if self.stalled.pop(id(request), None) is not None:
            # Answered after a long wait: a long-poll, if the page asks again at once.
            self.reanswered[urlsplit(request.url).path] = time.monotonic()
        entry = self.open.get(id(request))
        if entry is not None:
            entry[1].answered = time.monotonic()
            self.last_activity = time.monotonic()

    def _started(self, request: Request) -> None:
        path = urlsplit(request.url).path
        if time.monotonic() - self.reanswered.get(path, -60.0) < ANSWERED_GRACE_S:
            self.learned.add(path)  # asked again as soon as answered: a long-poll
        if request.resource_type not in WATCHED_TYPES or self._long_lived(request):
            return
        self.open[id(request)] = (request, _Open(time.monotonic()))
        self.last_activity = time.monotonic()

    def _done(self, request: Request) -> None:
        self.stalled.pop(id(request), None)
        if self.open.pop(id(request), None) is not None:
            self.last_activity = time.monotonic()

    def _navigated(self, frame: Frame) -> None:
        # A new document: what the old one had out is gone with it.
        if frame == self.page.main_frame:
            self.open.clear()
            self.stalled.clear()

    def _long_lived(self, request: Request) -> bool:
        path = urlsplit(request.url).path
        if path in self.learned or any(p in request.url for p in self.patterns):
            return True
        return "text/event-stream" in request.headers.get("accept", "")

    def busy(self) -> bool:
        """True while a request the page needs to draw itself is still out."""
        now = time.monotonic()
        for request, entry in list(self.open.values()):
            if now - entry.started >= LONG_LIVED_S:
                self.open.pop(id(request), None)
                if entry.answered is None:
                    self.stalled[id(request)] = request
                else:  # answered and still streaming: a realtime connection
                    self.learned.add(urlsplit(request.url).path)
            elif entry.answered is None or now - entry.answered < ANSWERED_GRACE_S:
                return True
        return False

    def idle_ms(self) -> float:
        return (time.monotonic() - self.last_activity) * 1000


_calls = itertools.count()


class Waiter:
    """Page waits that end on page state: a marker, a settled page, a settled switch."""

    def __init__(self, page: Page, watch: NetworkWatch, loading_css: Sequence[str]) -> None:
        self.page = page
        self.watch = watch
        self.loading_css = list(loading_css)

    def _wait(self, arg: Mapping[str, object], quiet_ms: float | None, deadline: float) -> object:
        """Run page_wait.js until it answers; a "quiet" answer counts only when the
        network was quiet as well. Returns None at the deadline."""
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            busy = self.watch.busy()
            started = self.watch.last_activity
            call = {
                **arg,
                "callId": f"w{next(_calls)}",
                "netIdleMs": self.watch.idle_ms(),
                "loadingCss": self.loading_css,
                # While a request is out only the markers may answer; come back soon.
                "quietMs": None if busy and quiet_ms is not None else quiet_ms,
            }
            if busy and arg["mode"] == "switches":
                call["quietMs"] = float("inf")
            slice_s = min(remaining, POLL_SLICE_S) if busy else remaining
            try:
                answer = self.page.main_frame.wait_for_function(
                    WAIT_JS, arg=call, timeout=max(slice_s * 1000, 1), polling=POLL_MS
                ).json_value()
            except PlaywrightTimeoutError:
                continue
            except PlaywrightError as exc:
                if "context was destroyed" in str(exc) or "navigat" in str(exc).lower():
                    continue  # the page moved on (a client-side redirect): wait on the new one
                raise
            if answer in ("settled", "ready", "locked") and (
                self.watch.busy() or self.watch.last_activity != started
            ):
                continue  # a request came or went meanwhile: quiet starts again
            if answer == "locked" and self.watch.stalled:
                # Not proof of a lock while a request may still bring the value:
                # wait for an answer (or the deadline, which reads as unknown).
                self._wait_for_network(deadline)
                continue
            return answer

    def _wait_for_network(self, deadline: float) -> None:
        remaining = deadline - time.monotonic()
        if remaining > 0:
            with suppress(PlaywrightTimeoutError):
                self.page.wait_for_event("response", timeout=min(remaining, POLL_SLICE_S) * 1000)

    def ready(
        self, css: Sequence[str], texts: Sequence[str], seconds: float, settle: bool = True
    ) -> str | None:
        """The first marker that shows, else "settled" once the rendered page is
        quiet (so what it shows is all it will show); None at the deadline."""
        arg = {"mode": "ready", "css": list(css), "texts": list(texts)}
        quiet = QUIET_ABSENT_S * 1000 if settle else None
        answer = self._wait(arg, quiet, time.monotonic() + seconds)
        return answer if isinstance(answer, str) else None

    def switches(self, marks: Sequence[str], deadline: float) -> SwitchWait:
        arg = {
            "mode": "switches",
            "marks": list(marks),
            "lockMs": LOCKED_AFTER_S * 1000,
            "domQuietMs": QUIET_DRAWN_S * 1000,
            "valueQuietMs": QUIET_VALUE_S * 1000,
        }
        answer = self._wait(arg, QUIET_READ_S * 1000, deadline)
        if answer == "ready" or answer == "locked" or answer == "changed":
            return answer
        return "timeout"
