"""The browser identity LinkedIn sees, kept the same from sign-in to every run.

LinkedIn ties a session (`li_at`) to the browser that signed in: a request whose
User-Agent or client hints differ gets the session deleted, and the person's own
browser is signed out with it (docs/real-site.md). So the tool signs in in a
browser profile of its own, records what that browser says about itself
(`Identity`), and every later run starts the same browser on the same profile
with the same User-Agent, language, time zone and window size.

Nothing is disguised: the User-Agent is the browser's own, as a visible window of
it sends it. The only change is that a headless run does not announce
`HeadlessChrome`, which a person's browser never does.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from linkedin_optout.session import IDENTITY_FILE

# Playwright's default window; the same at sign-in and at every run.
WINDOW = (1280, 720)
ENV_USER_AGENT = "LINKEDIN_OPTOUT_USER_AGENT"

# What a page of the browser can tell about it, as LinkedIn's script reads it.
PROBE_JS = """() => ({
  userAgent: navigator.userAgent,
  platform: (navigator.userAgentData && navigator.userAgentData.platform) || navigator.platform,
  brands: navigator.userAgentData
    ? navigator.userAgentData.brands.map(b => b.brand + '/' + b.version) : [],
  language: navigator.language,
  timezone: Intl.DateTimeFormat().resolvedOptions().timeZone,
})"""


class Identity(BaseModel):
    """What a session's browser told the site when the person signed in."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    browser: str  # how the tool found it, e.g. "system browser /usr/bin/chromium"
    executable: str | None = None  # the path it was started from, where one was given
    channel: str | None = None  # or its channel (chrome, msedge...)
    version: str  # the full version, e.g. 156.0.8078.114
    user_agent: str
    platform: str
    locale: str
    timezone: str
    window: tuple[int, int] = WINDOW
    recorded: str = ""  # when (UTC, ISO 8601)

    @property
    def major(self) -> str:
        return self.version.split(".")[0]

    def describe(self) -> str:
        return f"{self.browser}, version {self.version} on {self.platform}"

    def context_options(self) -> dict[str, Any]:
        """Playwright's options for a context that looks like this browser."""
        return {
            "user_agent": self.user_agent,
            "locale": self.locale,
            "timezone_id": self.timezone,
            "viewport": {"width": self.window[0], "height": self.window[1]},
        }


def without_headless(user_agent: str) -> str:
    """The browser's own User-Agent as its visible window sends it."""
    return user_agent.replace("HeadlessChrome/", "Chrome/")


def product(user_agent: str) -> str:
    """The browser a User-Agent names, for messages: Edge, Chrome, Firefox..."""
    for name, token in (("Edge", "Edg/"), ("Opera", "OPR/"), ("Firefox", "Firefox/")):
        if token in user_agent:
            return name
    return "Chrome" if "Chrome/" in user_agent else "another browser"


def ua_major(user_agent: str) -> str | None:
    found = re.search(r"(?:Chrome|Edg|Firefox)/(\d+)", user_agent)
    return found.group(1) if found else None


def check_user_agent(value: str) -> str:
    """--user-agent: one line a browser would send, not a cookie or a guess."""
    from linkedin_optout.errors import UsageError

    value = value.strip()
    if not value.startswith("Mozilla/5.0 (") or re.search(r"[\x00-\x1f\x7f]", value):
        raise UsageError(
            "--user-agent: that is not a browser's User-Agent "
            "(it starts with 'Mozilla/5.0 (' and is one line).",
            advice="Copy it from the browser you exported the session from: open "
            "about:version (Chrome, Edge) or about:support (Firefox), or run "
            "navigator.userAgent in its developer console.",
        )
    if "HeadlessChrome" in value:
        raise UsageError("--user-agent names a headless browser; give the one you signed in with.")
    if "Chrome/" not in value:
        raise UsageError(
            f"--user-agent names {product(value)}, and the tool drives a Chromium browser: "
            "it would still send the client hints Chromium sends, which that browser never "
            "does, and LinkedIn would end the session.",
            advice="Sign in with 'linkedin-optout login' instead (a browser of the tool's "
            "own), or export the session from Chrome or Edge.",
        )
    return value


def hints_differ(named: str, own: str) -> str | None:
    """Why a named User-Agent and the client hints this browser sends disagree
    (the hints always come from the browser that runs), or None."""
    mine, theirs = (product(own), ua_major(own)), (product(named), ua_major(named))
    if mine == theirs:
        return None
    return (
        f"--user-agent says {theirs[0]} {theirs[1]}, but this browser's client hints "
        f"(sec-ch-ua) say {mine[0]} {mine[1]}: LinkedIn may still end the session. Safest: "
        "'linkedin-optout login'; or run the same browser and version the session came "
        "from (--channel chrome, --channel msedge, --browser-path)."
    )


def now_stamp() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def identity_path(profile: Path) -> Path:
    return profile / IDENTITY_FILE


def read_identity(profile: Path) -> Identity | None:
    """The identity recorded in a profile, or None (none yet, or unreadable:
    the next run records it again)."""
    try:
        return Identity.model_validate(json.loads(identity_path(profile).read_text()))
    except (OSError, ValueError, ValidationError):
        return None


def write_identity(profile: Path, identity: Identity) -> None:
    from linkedin_optout.session import write_private

    write_private(identity_path(profile), identity.model_dump_json(indent=2).encode())


def probe(page: Any, launched: str, executable: str | None, channel: str | None) -> Identity:
    """What this browser says about itself, read from one of its pages, with the
    headless marker taken out of the User-Agent."""
    seen = page.evaluate(PROBE_JS)
    browser = page.context.browser
    return Identity(
        browser=launched,
        executable=executable,
        channel=channel,
        version=browser.version if browser else "",
        user_agent=without_headless(str(seen["userAgent"])),
        platform=str(seen["platform"]),
        locale=str(seen["language"]),
        timezone=str(seen["timezone"]),
        recorded=now_stamp(),
    )


def own_user_agent(browser: Any) -> str:
    """The browser's own User-Agent (its visible window's), without opening a page."""
    session = browser.new_browser_cdp_session()
    try:
        return without_headless(str(session.send("Browser.getVersion")["userAgent"]))
    finally:
        session.detach()
