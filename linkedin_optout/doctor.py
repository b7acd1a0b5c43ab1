"""`linkedin-optout doctor`: each check with a tick, or the fix."""

from __future__ import annotations

import stat
import sys
from collections.abc import Callable
from pathlib import Path

from linkedin_optout.browser import BrowserChoice, first_line, launch_browser
from linkedin_optout.console import Console
from linkedin_optout.errors import OptoutError
from linkedin_optout.session import SessionSource, check_private, choose_source, describe_age


def run_checks(
    console: Console,
    choice: BrowserChoice,
    state: Path | None,
    profile: Path | None,
    online_base_url: str | None,
    timeout_s: float,
    user_agent: str | None = None,
) -> bool:
    results = [
        _check(console, "Python 3.11 or newer", _python),
        _check(console, "Playwright installed", _playwright),
        _check(console, "Browser found and starts headless", lambda: _browser(choice)),
        _check(console, "Session", lambda: _session(state, profile)),
        _check(
            console,
            "What LinkedIn will see",
            lambda: seen_by_site(choose_source(state, profile, user_agent=user_agent), choice),
        ),
        _check(console, "Selector files valid", _selectors),
    ]
    if online_base_url:
        results.append(
            _check(
                console,
                "Session signed in (read only)",
                lambda: _online(online_base_url, state, profile, choice, timeout_s),
            )
        )
    return all(results)


def _check(console: Console, name: str, probe: Callable[[], str]) -> bool:
    try:
        detail = probe()
    except OptoutError as exc:
        console.out(f"✗ {name}: {exc.message}" + (f"\n    fix: {exc.advice}" if exc.advice else ""))
        return False
    except Exception as exc:
        console.out(f"✗ {name}: {first_line(exc)}")
        return False
    console.out(f"✓ {name}: {detail}")
    return True


def _python() -> str:
    # An older Python cannot install this package at all; show which one runs it.
    return ".".join(map(str, sys.version_info[:3]))


def _playwright() -> str:
    from linkedin_optout.diagnostics import package_version

    version = package_version("playwright")
    if version is None:
        raise OptoutError("not installed", advice="pip install linkedin-optout (or playwright)")
    return version


def _browser(choice: BrowserChoice) -> str:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser, launch = launch_browser(pw, choice)
        version = browser.version
        browser.close()
    return f"{launch.description} ({version})"


def _session(state: Path | None, profile: Path | None) -> str:
    source: SessionSource = choose_source(state, profile)
    if source.kind == "state_file":
        assert source.path is not None
        if not source.path.is_file():
            raise OptoutError(
                f"state file {source.path} does not exist", advice="Run 'linkedin-optout login'."
            )
        check_private(source.path)  # the same rule run and status apply
        mode = stat.S_IMODE(source.path.stat().st_mode)
        return f"{source.path} ({describe_age(source.path)}, mode {mode:04o})"
    return source.describe()


def seen_by_site(source: SessionSource, choice: BrowserChoice) -> str:
    """The identity a run sends, read from a page of the browser it would start
    (never the profile itself: a run may be using it), against the one recorded."""
    from playwright.sync_api import sync_playwright

    from linkedin_optout.identity import PROBE_JS, own_user_agent, read_identity
    from linkedin_optout.profile import choice_for
    from linkedin_optout.statefile import foreign_user_agent

    recorded = read_identity(source.path) if source.kind == "profile" and source.path else None
    named = foreign_user_agent(source)
    with sync_playwright() as pw:
        browser, launch = launch_browser(pw, choice_for(choice, recorded))
        try:
            if recorded is not None:
                options = recorded.context_options()
            else:
                options = {"user_agent": named or own_user_agent(browser)}
            page = browser.new_context(**options).new_page()
            seen = page.evaluate(PROBE_JS)
            version, own = browser.version, own_user_agent(browser)
        finally:
            browser.close()
    lines = [
        f"{launch.description}, version {version}",
        f"    User-Agent: {seen['userAgent']}",
        f"    platform {seen['platform']}, language {seen['language']}, "
        f"time zone {seen['timezone']}",
    ]
    if source.kind == "profile":
        lines.append(f"    profile: {source.path}")
        if recorded is None:
            lines.append("    no identity recorded yet: the next run records this one")
        elif recorded.user_agent == own:
            lines.append(f"    matches the sign-in of {recorded.recorded or 'this profile'}")
        else:
            lines.append(
                f"    the browser was updated since the sign-in ({recorded.version} to "
                f"{version}): the next run carries on and records it"
            )
    elif named is None:
        lines.append(
            "    caution: the session was made by another browser whose User-Agent the "
            "tool does not know, so LinkedIn may end it; run 'linkedin-optout login', "
            "or give --user-agent"
        )
    else:
        lines.append("    the User-Agent of the browser the session came from")
    return "\n".join(lines)


def _selectors() -> str:
    from linkedin_optout.selectors import bundled_selector_files

    return ", ".join(v.version for v in bundled_selector_files())


def _online(
    base_url: str, state: Path | None, profile: Path | None, choice: BrowserChoice, timeout_s: float
) -> str:
    from linkedin_optout import browser_run
    from linkedin_optout.driver import PageDriver
    from linkedin_optout.selectors import bundled_selector_files

    opts = browser_run.RunOptions(
        base_url=base_url,
        selector_files=bundled_selector_files(),
        browser=choice,
        timeout_s=timeout_s,
        dry_run=True,
        retries=0,
    )
    source = choose_source(state, profile)
    console = Console(quiet=True)
    with browser_run.browser_context(opts, source, console) as (context, _):
        page = context.pages[0] if context.pages else context.new_page()
        driver = PageDriver(page, opts, console)
        driver.goto(driver.known.urls.landing, "open Settings & Privacy")
        driver.scan()  # a sign-in form served at the same address counts too
    return "LinkedIn let the session in"
