"""Watching the session during a run: LinkedIn ends a session it distrusts by
answering with a cookie that deletes or replaces `li_at` (docs/real-site.md).

The guard remembers the value the run started with and looks at the browser's
cookie jar after every page load; once the value is gone or changed, the run
stops at once with exit 3 and never tries again with that session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linkedin_optout.errors import AuthRequired
from linkedin_optout.scan_rules import session_lost
from linkedin_optout.session import LOGIN_ADVICE, SESSION_COOKIE, register_secret

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext


class SessionGuard:
    def __init__(self, context: BrowserContext, base_url: str) -> None:
        self.context = context
        self.base_url = base_url
        self.value: str | None = None

    def current(self) -> str | None:
        for cookie in self.context.cookies(self.base_url):
            if cookie.get("name") == SESSION_COOKIE:
                value = cookie.get("value")
                register_secret(value, SESSION_COOKIE)
                return value
        return None

    def start(self, where: str) -> None:
        """Remember the session the run starts with; exit 3 when there is none
        (a profile nobody signed in to), before any page is asked for."""
        self.value = self.current()
        if not self.value:
            raise AuthRequired(
                f"The {where} holds no LinkedIn session: nobody has signed in there yet, "
                "or it was signed out.",
                reason="no_session",
                advice=LOGIN_ADVICE,
                step="read the session",
            )

    def check(self, step: str) -> None:
        """Exit 3 when LinkedIn deleted or replaced the session since the start."""
        if self.value is not None and self.current() != self.value:
            raise session_lost("session_ended", step)
