"""Steps: a visit to a page written as a generator, so that several pages of one
browser context can take turns (lanes.py) without threads (Playwright's sync API
is not thread-safe).

A visit yields right after it has started a page load, and every 0.1 s while
it waits for a page's switches to settle; it returns its result. `drain` runs
one visit to its end: the way a one-page walk goes.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import TypeVar

T = TypeVar("T")
Steps = Generator[None, None, T]  # yields while a page loads or settles; returns its result


def drain(steps: Steps[T]) -> T:
    """Run a visit to its end on its own."""
    while True:
        try:
            next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
