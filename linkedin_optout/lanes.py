"""Lanes: several pages of one browser context, each walking to its own
settings, so that one page renders while another is read.

`run_lanes` keeps up to `MAX_PAGES` visits going (steps.py) and resumes them in
turn; the browser does the loading in parallel. It knows pages and visits only
as the caller's callables: what a page is, how a visit goes and what a failed
visit means belong to the route (route.py).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import TypeVar

from linkedin_optout.steps import Steps

P = TypeVar("P")  # a page, as the caller knows it
# Pages open at once: enough to hide a page's rendering (and the 1.5 s quiet before
# a reading) behind another's, few enough that the walk asks no faster than a person
# opening settings in tabs. Six, since the catalogue grew to 23 settings on 19 pages:
# four made `checkup` 3.8x `status`, six 2.9x; eight gain little on two cores.
MAX_PAGES = 6


def run_lanes(
    stops: list[list[str]],
    first: P,
    new_page: Callable[[], P],
    visit: Callable[[P, list[str]], Steps[set[str]]],
    contained: tuple[type[Exception], ...],
    failed: Callable[[P, list[str], Exception], None],
) -> None:
    """Visit each stop (the settings reached on one page) on one of up to
    MAX_PAGES pages (`first`, then `new_page()`), resuming the visits in turn.
    A visit returns the settings it handled.

    A visit that raises one of `contained` ends only itself: `failed` is told,
    its page is kept as it is (the caller may want it for a diagnostic bundle),
    and the other stops are still visited. Any other exception ends every visit."""
    queue = deque(stops)
    free = [first]
    opened = 1
    done: set[str] = set()
    active: list[tuple[P, Steps[set[str]], list[str]]] = []
    while queue or active:
        while queue and (free or opened < MAX_PAGES):
            stop = [k for k in queue.popleft() if k not in done]
            if not stop:
                continue
            if free:
                page = free.pop()
            else:
                page = new_page()
                opened += 1
            active.append((page, visit(page, stop), stop))
        for item in list(active):
            page, steps, stop = item
            try:
                next(steps)
            except contained as exc:
                failed(page, stop, exc)  # its page stays as it is
                done |= set(stop)
                active.remove(item)
                if not free and not active and opened >= MAX_PAGES:
                    free.append(page)  # every page failed: go on with the last one
            except StopIteration as finished:
                done |= finished.value
                active.remove(item)
                free.append(page)
                # A page that did not show every setting expected there: each
                # missing one gets a visit of its own (and its own verdict).
                queue.extendleft([k] for k in reversed(stop) if k not in done)
