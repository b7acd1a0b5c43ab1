"""Stopped mid-run: Ctrl-C (SIGINT) and SIGTERM end a run the same way.

The first signal becomes `Interrupted`, raised in the code of the run, which
unwinds through its `with` blocks: the browser and Playwright's driver close,
and the CLI says how far the run got, writes the report and exits 128 + the
signal's number. A second signal ends the process at once.

Where it is raised matters. Playwright's sync API runs its event loop in a
greenlet of the main thread while a call waits, and a signal usually arrives
there: raised in the middle of one of the loop's callbacks, the exception could
end the task that reads the driver's answers (closing the browser would then
hang), and raised inside Playwright's own code it could leave a call's task
behind ("Task was destroyed but it is pending!"). So it is raised at once only
in the run's own code; elsewhere a callback queued on the loop raises it between
two callbacks, and Playwright hands it to the call that waits (a timer tries
again meanwhile, should the loop not run soon). The driver itself ignores the
terminal's Ctrl-C (see `browser.launch_options`), and Chromium runs in a
process group of its own.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from types import FrameType
from typing import TYPE_CHECKING, Any, TypeVar

from linkedin_optout.errors import Stopped

if TYPE_CHECKING:
    from linkedin_optout.findings import Finding

SIGNALS = (signal.SIGINT, signal.SIGTERM)
# An exception raised in the middle of these is unsafe: a call into Playwright
# creates a task and then waits for it, and raised in between, the task would
# never be cancelled ("Task was destroyed but it is pending!").
LIBRARIES = frozenset({"playwright", "greenlet", "asyncio", "pyee"})
RETRY_S = 0.05
STATUS_ADVICE = "run 'linkedin-optout status'"
F = TypeVar("F", bound=Callable[..., Any])


class Interrupted(KeyboardInterrupt):
    """A stop asked for by a signal. A KeyboardInterrupt, so that asyncio lets it
    pass out of a callback and no `except Exception` on the way catches it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _State:
    signum: int | None = None  # the first signal
    armed = False  # a first signal raises Interrupted (else it is only noted)
    queued = False  # an Interrupted waits for a safe point to be raised


_state = _State()


def stoppable(function: F) -> F:
    """Run `function` with SIGINT and SIGTERM handled as above; a first signal
    outside `armed()` is noted, and stops the run if it enters `armed()` later."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _handlers():
            return function(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


@contextmanager
def _handlers() -> Iterator[None]:
    global _state
    _state = _State()
    previous = {sig: signal.signal(sig, _on_signal) for sig in SIGNALS}
    if hasattr(signal, "SIGALRM"):
        previous[signal.SIGALRM] = signal.signal(signal.SIGALRM, _on_retry)
    try:
        yield
    finally:
        _retry_in(0)
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@contextmanager
def armed() -> Iterator[None]:
    """Inside, a signal stops the run (one that came before stops it on entry).
    Outside, a first signal is only noted: Playwright is starting or shutting
    down, and an exception raised there would cut that short."""
    if _state.signum is not None:
        raise Interrupted(_state.signum)
    _state.armed = True
    try:
        yield
    finally:
        _state.armed = _state.queued = False
        _retry_in(0)


def received() -> int | None:
    """The first signal received, if any."""
    return _state.signum


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _state.signum is not None:
        _end_at_once(_state.signum)
    _state.signum = signum
    if _state.armed:
        _deliver(frame)


def _deliver(frame: FrameType | None) -> None:
    """Raise Interrupted now if the run's own code runs; else at the next safe point."""
    assert _state.signum is not None
    if _in_own_code(frame):
        _state.armed = _state.queued = False
        _retry_in(0)
        raise Interrupted(_state.signum)
    if not _state.queued:
        _state.queued = True
        loop = _running_loop()
        if loop is not None:
            loop.call_soon_threadsafe(_raise_queued)
    # Should the loop not run again soon (the run may be waiting for Enter), try again.
    _retry_in(RETRY_S)


def _on_retry(signum: int, frame: FrameType | None) -> None:
    if _state.queued and _state.armed:
        _deliver(frame)


def _raise_queued() -> None:
    # Run by the event loop between two of its callbacks: Playwright hands the
    # exception to the call that waits, and cancels that call's task.
    if _state.queued and _state.armed and _state.signum is not None:
        _state.queued = _state.armed = False
        _retry_in(0)
        raise Interrupted(_state.signum)


def _in_own_code(frame: FrameType | None) -> bool:
    """True when the main greenlet runs and no library code is on its stack."""
    greenlet = sys.modules.get("greenlet")
    current = getattr(greenlet, "getcurrent", None)
    if current is not None and current().parent is not None:
        return False  # Playwright's dispatcher, or a callback of it
    while frame is not None:
        if str(frame.f_globals.get("__name__", "")).partition(".")[0] in LIBRARIES:
            return False
        frame = frame.f_back
    return True


def _running_loop() -> Any:
    asyncio = sys.modules.get("asyncio")
    try:
        return asyncio.get_running_loop() if asyncio else None
    except RuntimeError:
        return None


def _retry_in(seconds: float) -> None:
    if hasattr(signal, "setitimer"):  # not on Windows
        signal.setitimer(signal.ITIMER_REAL, seconds)


def _end_at_once(signum: int) -> None:
    # A second signal: no waiting for anything. Closing its end of the pipe to
    # Playwright's driver makes the driver close the browser and exit.
    os.write(
        2,
        b"error: Stopped at once, on a second signal.\n"
        b"  Run 'linkedin-optout status' to see each setting.\n",
    )
    os._exit(128 + signum)


# --- what to say ----------------------------------------------------------------------


def signal_name(signum: int) -> str:
    return "Ctrl-C (SIGINT)" if signum == signal.SIGINT else signal.Signals(signum).name


def _names(settings: Sequence[Finding]) -> str:
    return " and ".join(f"'{s.label}'" for s in settings)


def stopped_error(signum: int, settings: Sequence[Finding], step: str | None) -> Stopped:
    """What a stop left behind, from each setting as far as it was read (a click
    that no reloaded page has confirmed yet is noted in its setting's report:
    findings.UNCONFIRMED)."""
    confirmed = [s for s in settings if s.changed]
    clicked = [s for s in settings if s.click == "clicked"]
    clicking = [s for s in settings if s.click == "clicking"]
    parts = []
    if confirmed:
        parts.append(
            f"after {_names(confirmed)} {'was' if len(confirmed) == 1 else 'were'} confirmed off"
        )
    if clicked:
        parts.append(f"after switching {_names(clicked)} off")
    if clicking:
        parts.append(f"while switching {_names(clicking)} off")
    what = "stopped " + ", and ".join(parts) if parts else "stopped before any change"
    if clicked or clicking:
        them = "it" if len(clicked) + len(clicking) == 1 else "them"
        what += f", before a reload confirmed {them}: {STATUS_ADVICE}"
    unsure = clicked or clicking
    return Stopped(
        signum,
        f"Interrupted by {signal_name(signum)}: {what}.",
        step=step,
        setting=unsure[0].key if unsure else None,
    )
