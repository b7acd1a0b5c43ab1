"""`linkedin-optout login`: the person signs in themselves in a visible browser
(password, two-step code, security check: all typed into LinkedIn's own page,
never seen by the tool); once a signed-in page shows, the session is saved."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from linkedin_optout.browser import BrowserChoice, first_line, launch_browser
from linkedin_optout.console import Console
from linkedin_optout.errors import AuthRequired, ChangeFailed, UsageError
from linkedin_optout.session import (
    SESSION_COOKIE,
    keep_site_cookies,
    register_secret,
    write_state,
)
from linkedin_optout.statefile import parse_cookie_export

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext

SIGNED_IN_PATHS = ("/feed",)


def import_cookies(source: Path, target: Path, base_url: str) -> int:
    try:
        raw = source.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"Cookie file {source} does not exist.") from None
    except IsADirectoryError:
        raise UsageError(f"Cookie file {source} is a folder, not a file.") from None
    except PermissionError:
        raise UsageError(f"Cookie file {source} cannot be read (permission denied).") from None
    state = parse_cookie_export(raw, str(source), base_url)
    write_state(target, state)
    return len(state["cookies"])


def signed_in(url: str) -> bool:
    return urlsplit(url).path.startswith(SIGNED_IN_PATHS)


def sign_in(
    base_url: str,
    target: Path,
    profile: Path | None,
    timeout_s: float,
    choice: BrowserChoice,
    console: Console,
) -> Path:
    """Open the sign-in page; wait until LinkedIn lands on a signed-in page; save."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        if profile is not None:
            profile.mkdir(parents=True, exist_ok=True, mode=0o700)
        launched, _ = launch_browser(pw, choice, profile=profile)
        context: BrowserContext = launched if profile is not None else launched.new_context()
        try:
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
            if profile is not None:
                return profile
            write_state(target, {"cookies": cookies, "origins": []})
            return target
        finally:
            context.close()
            if context.browser:
                context.browser.close()
