"""Lanes: several pages of one browser context, each walking to its own
settings, so that one page renders while another is read.

A visit is a generator that yields right after it has started a page load,
and every 0.1 s while it waits for a page's switches to settle (route.py,
switcher.py). `run_lanes` keeps up to `MAX_PAGES` visits going and
resumes them in turn; nothing runs in threads (Playwright's sync API is not
thread-safe), the browser does the loading in parallel. `drain` runs one visit
to its end: the way a one-page walk goes.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from linkedin_optout.driver import NetworkFailed
from linkedin_optout.errors import PageNotRecognized

if TYPE_CHECKING:
    from linkedin_optout.driver import PageDriver
    from linkedin_optout.pages import PageScan
    from linkedin_optout.route import Route
    from linkedin_optout.switcher import Switcher

T = TypeVar("T")
Steps = Generator[None, None, T]  # yields while a page loads or settles; returns its result
# Pages open at once: enough to hide a page's rendering behind another's reading,
# few enough that the walk asks no faster than a person clicking through tabs.
MAX_PAGES = 4


@dataclass
class Lane:
    d: PageDriver
    sw: Switcher
    rows_scan: PageScan | None = None  # the page of rows this lane last read...
    rows_at: int = -1  # ...as of this page load (d.navigations)...
    rows_of: str = ""  # ...and which page that was


def drain(steps: Steps[T]) -> T:
    """Run a visit to its end on its own."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]


def run_lanes(route: Route, stops: list[list[str]]) -> None:
    """Visit each stop (the settings reached on one page) on one of up to
    MAX_PAGES pages, resuming the visits in turn.

    A page that is not recognized, or will not load, ends only its own visit:
    that setting stays unknown, its page is kept open for the diagnostic
    bundle, the other settings are still read (and switched), and the first
    such error is raised at the end. Any other failure (the session ends, the
    browser goes) ends the walk at once."""
    assert route.new_lane is not None
    queue = deque(stops)
    free = [route.main]
    opened = 1
    done: set[str] = set()
    active: list[tuple[Lane, Steps[set[str]], list[str]]] = []
    unrecognized: list[tuple[Lane, PageNotRecognized | NetworkFailed]] = []
    while queue or active:
        while queue and (free or opened < MAX_PAGES):
            stop = [k for k in queue.popleft() if k not in done]
            if not stop:
                continue
            if free:
                lane = free.pop()
            else:
                lane = route.new_lane()
                opened += 1
            active.append((lane, route.visit(lane, stop[0], stop, by_href=True), stop))
        for item in list(active):
            lane, visit, stop = item
            route.current = lane.d
            try:
                next(visit)
            except (PageNotRecognized, NetworkFailed) as exc:
                unrecognized.append((lane, exc))  # its page stays as it is, for the bundle
                for key in stop:
                    was = route.sw.findings[key]
                    if was.before == "unknown" and key != exc.setting:
                        why = was.detail or f"Not read: {exc.message}"
                        route.sw.findings.record(key, detail=why)
                done |= set(stop)
                active.remove(item)
                if not free and not active and opened >= MAX_PAGES:
                    free.append(lane)  # every page failed: go on with the last one
            except StopIteration as finished:
                done |= finished.value
                active.remove(item)
                free.append(lane)
                # A page that did not show every setting expected there: each
                # missing one gets a visit of its own (and its own verdict).
                queue.extendleft([k] for k in reversed(stop) if k not in done)
    if unrecognized:
        lane, first = unrecognized[0]
        route.current = lane.d
        raise first
