"""`linkedin-optout login`: the person signs in themselves in a visible browser
(password, two-step code, security check: all typed into LinkedIn's own page,
never seen by the tool); once a signed-in page shows, the session is saved."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from linkedin_optout.browser import BrowserChoice, first_line, launch_browser
from linkedin_optout.console import Console
from linkedin_optout.errors import AuthRequired, ChangeFailed, UsageError
from linkedin_optout.identity import write_identity
from linkedin_optout.profile import fresh_profile, sign_in_identity
from linkedin_optout.session import (
    SESSION_COOKIE,
    default_profile_path,
    keep_site_cookies,
    register_secret,
    write_state,
)
from linkedin_optout.statefile import parse_cookie_export

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

SIGNED_IN_PATHS = ("/feed",)


def import_cookies(source: Path, target: Path, base_url: str, user_agent: str | None = None) -> int:
    """A cookie export as a state file (0600), with the User-Agent of the browser
    that made it when the person names it (every run then sends that one)."""
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"Cookie file {source} does not exist.") from None
    except IsADirectoryError:
        raise UsageError(f"Cookie file {source} is a folder, not a file.") from None
    except PermissionError:
        raise UsageError(f"Cookie file {source} cannot be read (permission denied).") from None
    state = parse_cookie_export(raw, str(source), base_url)
    if user_agent:
        state["user_agent"] = user_agent
    write_state(target, state)
    return len(state["cookies"])


def signed_in(url: str) -> bool:
    return urlsplit(url).path.startswith(SIGNED_IN_PATHS)


def sign_in(
    base_url: str,
    state: Path | None,
    profile: Path | None,
    timeout_s: float,
    choice: BrowserChoice,
    console: Console,
) -> Path:
    """Open the sign-in page in a browser profile of the tool's own (by default;
    a state file with --state); wait until LinkedIn lands on a signed-in page;
    record the browser's identity with the session, for every later run."""
    from playwright.sync_api import sync_playwright

    own = profile is None and state is None
    if own:
        profile = default_profile_path()
    with sync_playwright() as pw:
        identity = sign_in_identity(pw, choice)
        if profile is not None:
            fresh_profile(profile, default=own)
            context, _ = launch_browser(pw, choice, profile, identity.context_options())
        else:
            browser, _ = launch_browser(pw, choice)
            context = browser.new_context(**identity.context_options())
        try:
            cookies = wait_for_session(context, base_url, timeout_s, console)
            if profile is not None:
                write_identity(profile, identity)
                return profile
            assert state is not None
            write_state(
                state, {"cookies": cookies, "origins": [], "user_agent": identity.user_agent}
            )
            return state
        finally:
            context.close()
            if context.browser:
                context.browser.close()


def wait_for_session(
    context: BrowserContext, base_url: str, timeout_s: float, console: Console
) -> list[dict[str, Any]]:
    """The site's cookies once the person has signed in on LinkedIn's own page."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    page = context.pages[0] if context.pages else context.new_page()
    start = urljoin(base_url, "/login?session_redirect=" + urljoin(base_url, "/feed/"))
    console.step("Opening LinkedIn's sign-in page: sign in there, the tool waits.")
    try:
        page.goto(start, wait_until="domcontentloaded")
    except Exception as exc:
        raise ChangeFailed(
            f"Could not open the sign-in page: {first_line(exc)}",
            advice="Check your connection (and --base-url), then try again.",
            step="open the sign-in page",
        ) from None
    try:
        page.wait_for_url(signed_in, timeout=timeout_s * 1000, wait_until="commit")
    except Exception as exc:
        if isinstance(exc, PlaywrightTimeoutError):
            raise AuthRequired(
                f"Nobody signed in within {timeout_s:g} s.",
                reason="timeout",
                advice="Run 'linkedin-optout login' again (or give it more --timeout).",
                step="wait for sign-in",
            ) from None
        raise AuthRequired(
            f"The browser closed before a signed-in page showed ({first_line(exc)}).",
            reason="closed",
            advice="Run 'linkedin-optout login' again and sign in in its window.",
            step="wait for sign-in",
        ) from None
    cookies = keep_site_cookies([dict(c) for c in context.cookies()], base_url)
    for cookie in cookies:
        register_secret(cookie["value"], cookie["name"])
    if not any(c["name"] == SESSION_COOKIE for c in cookies):
        raise AuthRequired(
            "LinkedIn showed a signed-in page but set no li_at session cookie.",
            reason="no_session",
            advice="Try again; if it persists, use --import-cookies.",
            step="save the session",
        )
    return cookies
