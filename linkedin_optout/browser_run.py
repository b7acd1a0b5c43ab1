"""One run: a browser context holding the person's session, the walk through
the pages (route.py, switcher.py, on driver.py's page), and the result.

Truth rules: a setting is `off` only when a page loaded after the last click
says so; only switches matched to a target setting are clicked, and only when
they are on; an unknown page ends in PageNotRecognized, never in a guess.
Waits are on page state (a marker, a URL, a request), never fixed sleeps; the
one deliberate pause is the back-off between retries of a failed step.
This module imports Playwright: the CLI imports it only when a command runs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linkedin_optout.browser import first_line, launch_browser
from linkedin_optout.console import Console
from linkedin_optout.diagnostics import save_trace, write_bundle
from linkedin_optout.driver import PageDriver, is_closed_error
from linkedin_optout.errors import (
    AuthRequired,
    BrowserUnavailable,
    ChangeFailed,
    NetworkFailed,
    OptoutError,
    PageNotRecognized,
    RateLimited,
    UsageError,
)
from linkedin_optout.findings import WalkState, new_findings
from linkedin_optout.identity import hints_differ, own_user_agent
from linkedin_optout.interrupt import Interrupted, armed, received, signal_name, stopped_error
from linkedin_optout.options import RunOptions
from linkedin_optout.profile import open_profile
from linkedin_optout.report import RunResult, not_set
from linkedin_optout.route import Route
from linkedin_optout.session import FOREIGN_SESSION_WARNING, SessionSource, env_cookie_value
from linkedin_optout.session import cookie_for as session_cookie
from linkedin_optout.session_guard import SessionGuard
from linkedin_optout.settle import OBSERVER_JS
from linkedin_optout.statefile import foreign_user_agent, read_state

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext

__all__ = ["RunOptions", "browser_context", "context_in", "prepare_context", "run"]


# A walk through more settings than this shows its progress (on a terminal).
PROGRESS_FROM = 2
# How a run gets its browser context (and says which browser): `browser_context`,
# or `context_in` a browser already running.
OpenContext = Callable[
    [RunOptions, SessionSource, Console], AbstractContextManager[tuple["BrowserContext", str]]
]


# --- one run -------------------------------------------------------------------------


def session_state(source: SessionSource, base_url: str) -> tuple[Any, list[dict[str, Any]]]:
    """(storage_state, extra cookies) for a new context; read before any browser starts."""
    if source.kind == "state_file":
        assert source.path is not None
        return read_state(source.path, base_url), []
    if source.kind == "env":
        return None, [session_cookie(base_url, "li_at", env_cookie_value())]
    return None, []


def user_agent_of(source: SessionSource, console: Console) -> str | None:
    """The User-Agent of the browser that made a session from elsewhere: named by
    the person, or recorded with the state file. Without one, say once what that
    risks."""
    named = foreign_user_agent(source)
    if named is None and source.kind != "profile":
        console.warn(FOREIGN_SESSION_WARNING)
    return named


@contextmanager
def browser_context(
    opts: RunOptions, source: SessionSource, console: Console
) -> Iterator[tuple[BrowserContext, str]]:
    """A browser of the run's own, and a context in it holding the person's session:
    the profile `login` made, in the browser that signed in, or a session from
    elsewhere with the User-Agent of the browser that made it."""
    from playwright.sync_api import sync_playwright

    state, cookies = session_state(source, opts.base_url)
    user_agent = user_agent_of(source, console)
    # A signal stops the run inside `armed()`; leaving `sync_playwright()` then
    # closes the browser and the driver.
    with sync_playwright() as pw, armed():
        if source.kind == "profile":
            assert source.path is not None
            context, described = open_profile(pw, opts.browser, source.path, console)
            with session_context(context, described, opts, cookies, console) as opened:
                yield opened
            return
        browser, launch = launch_browser(pw, opts.browser)
        try:
            warn_if_hints_differ(browser, user_agent, console)
            context = new_context(browser, state, source, user_agent)
            described = f"{launch.description} {browser.version}"
            with session_context(context, described, opts, cookies, console) as opened:
                yield opened
        finally:
            with suppress(Exception):  # it may be gone already: nothing to close then
                browser.close()


def context_in(browser: Browser) -> OpenContext:
    """Contexts of a browser that is already running, instead of a browser of
    each run's own: the tests' in-process tier runs the CLI this way. A
    person's profile needs a browser of its own, so it is refused here."""

    @contextmanager
    def open_context(
        opts: RunOptions, source: SessionSource, console: Console
    ) -> Iterator[tuple[BrowserContext, str]]:
        if source.kind == "profile":
            raise UsageError("A profile needs a browser of its own: run the tool as a process.")
        state, cookies = session_state(source, opts.base_url)
        user_agent = user_agent_of(source, console)
        with armed():
            warn_if_hints_differ(browser, user_agent, console)
            context = new_context(browser, state, source, user_agent)
            described = f"{browser.browser_type.name} (already running) {browser.version}"
            with session_context(context, described, opts, cookies, console) as opened:
                yield opened

    return open_context


def warn_if_hints_differ(browser: Browser, user_agent: str | None, console: Console) -> None:
    """Before any request: a named User-Agent this browser's client hints contradict."""
    if user_agent and (why := hints_differ(user_agent, own_user_agent(browser))):
        console.warn(why)


def new_context(
    browser: Browser, state: Any, source: SessionSource, user_agent: str | None
) -> BrowserContext:
    """A context with the session, sending the User-Agent of the browser that made
    it; failing that, this browser's own (never 'HeadlessChrome')."""
    try:
        return browser.new_context(
            storage_state=state, user_agent=user_agent or own_user_agent(browser)
        )
    except Exception as exc:
        raise UsageError(
            f"State file {source.path} holds a cookie the browser refuses: {first_line(exc)}",
            advice="Create it again with 'linkedin-optout login'.",
        ) from None


@contextmanager
def session_context(
    context: BrowserContext,
    described: str,
    opts: RunOptions,
    cookies: list[Any],
    console: Console,
) -> Iterator[tuple[BrowserContext, str]]:
    """The context prepared for the walk, traced with --trace; closed after
    (a profile's context is its browser)."""
    try:
        prepare_context(context, opts, cookies)
        if opts.trace:
            context.tracing.start(screenshots=True, snapshots=True)
        yield context, described
    except Interrupted as stop:
        console.step(f"Stopping on {signal_name(stop.signum)}: closing the browser")
        raise
    finally:
        if opts.trace:
            try:
                save_trace(context, opts.trace)
            except Exception as exc:
                console.warn(f"The trace could not be saved in {opts.trace}: {first_line(exc)}")
        with suppress(Exception):  # it may be gone already: nothing to close then
            context.close()


def prepare_context(context: BrowserContext, opts: RunOptions, cookies: list[Any]) -> None:
    """What every context of a run needs before its first page."""
    # Before any page script: it keeps the time of the last DOM change (settle.py).
    context.add_init_script(OBSERVER_JS)
    if cookies:
        context.add_cookies(cookies)
    context.set_default_timeout(opts.timeout_s * 1000)


def run(
    opts: RunOptions,
    source: SessionSource,
    console: Console,
    diagnostics_dir: Path | None,
    open_context: OpenContext | None = None,
) -> RunResult:
    """One run. `open_context` gives the browser context (and how to describe the
    browser): by default `browser_context`, a browser of its own."""
    open_context = open_context or browser_context
    findings = new_findings(opts)
    result = RunResult(settings=findings.reports())
    driver: PageDriver | None = None
    route: Route | None = None
    state = WalkState(selector_file=opts.selector_files[0] if opts.forced_selector_file else None)
    state.pacing.retries, state.pacing.patience_s = opts.retries, opts.timeout_s
    try:
        with open_context(opts, source, console) as (context, described):
            result.browser = described
            guard = SessionGuard(context, opts.base_url)
            guard.start("browser profile" if source.kind == "profile" else "session")
            page = context.pages[0] if context.pages else context.new_page()
            driver = PageDriver(page, opts, console, guard)
            route = Route(driver, findings, state, more_pages(context, opts, console, guard))
            if len(opts.keys) > PROGRESS_FROM:
                console.progress_start(len(opts.keys))
            try:
                route.walk()
            except OptoutError as exc:
                result.error = exc
            except Exception as exc:
                driver = route.current
                driver.raise_if_closed(exc)
                result.error = ChangeFailed(
                    f"Unexpected failure while trying to {driver.step}: {first_line(exc)}",
                    step=driver.step,
                    advice="Run again with --headed to watch, or with --trace FILE to record it.",
                )
            # The page where the walk stopped tells what went wrong (several may be open).
            driver = route.current
            page = driver.page
            result.selectors_version = state.selector_file.version if state.selector_file else None
            result.locale = driver.page_lang
            result.attempts = state.attempts
            result.panels = state.panels
            result.settings = findings.reports()  # what the bundle's report.json says
            result.page_url_path = driver.path() if not page.is_closed() else None
            if needs_bundle(result, opts) and not page.is_closed():
                result.diagnostics = write_bundle(page, context, result, diagnostics_dir, console)
    except Interrupted:
        pass  # the browser is closed: what was read is handed back below
    except UsageError:
        raise  # bad input (a state file, a cookie value): exit 2, no report
    except OptoutError as exc:
        result.error = result.error or exc
    except Exception as exc:  # the browser failed outside any step (opening a page...)
        result.error = result.error or (
            BrowserUnavailable(
                f"The browser stopped working: {first_line(exc)}",
                advice="Run the command again; 'linkedin-optout doctor' checks it.",
            )
            if is_closed_error(exc)
            else ChangeFailed(
                f"Unexpected browser failure: {first_line(exc)}",
                advice="Run again with --headed, or --trace FILE to record it.",
            )
        )
    # A signal stopped the run, or caused what ended it (Ctrl-C reaches a driver that
    # is still starting and has yet to ignore it): either way the run was stopped.
    if (signum := received()) is not None:
        result.interrupted = signum
        driver = route.current if route else driver
        result.stopped_at = driver.step if driver else "start the browser"
        if driver is not None:
            result.selectors_version = state.selector_file.version if state.selector_file else None
            result.locale = driver.page_lang
        result.error = stopped_error(signum, list(findings), result.stopped_at)
    # The report is built from what the walk found, once it has ended.
    # A run the session's end stopped may have clicked on a page other than the one
    # that saw the end: every click no reload confirmed is said, on every page.
    cut_short = result.interrupted is not None or isinstance(result.error, AuthRequired)
    result.settings = findings.reports(stopped=cut_short)
    result.failed_steps, result.failed_advice = findings.failed_steps(), findings.advice()
    return result


def more_pages(
    context: BrowserContext, opts: RunOptions, console: Console, guard: SessionGuard
) -> Callable[[], PageDriver] | None:
    """More pages for settings on pages of their own; none when a person
    watches (--headed, --step): they see one page at a time."""
    if opts.browser.headed or console.step_through:
        return None
    return lambda: PageDriver(context.new_page(), opts, console, guard)


def needs_bundle(result: RunResult, opts: RunOptions) -> bool:
    """Exit 4 and 5 only: a bundle helps update the selectors, not sign in again."""
    if result.error is not None:
        return isinstance(result.error, (PageNotRecognized, ChangeFailed)) and not isinstance(
            result.error, (NetworkFailed, RateLimited)
        )
    return any(
        s.after == "unknown" or (not opts.dry_run and not_set(s, opts.targets))
        for s in result.settings
    )
