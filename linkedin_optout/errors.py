"""One exception per exit code. The CLI catches them in one place, prints the
message and the advice, and exits with the code.

Messages are written by this package and never carry a cookie value; as a
second line of defence everything printed goes through `session.redact`.
"""

from __future__ import annotations

from typing import ClassVar


class OptoutError(Exception):
    """A failure the person can act on: what happened, and what to do next."""

    exit_code: ClassVar[int] = 1
    outcome: ClassVar[str | None] = None

    def __init__(
        self,
        message: str,
        *,
        advice: str | None = None,
        step: str | None = None,
        setting: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.advice = advice
        self.step = step
        self.setting = setting


class UsageError(OptoutError):
    """Bad input: an option, a file, a path. Exit 2."""

    exit_code = 2


class AuthRequired(OptoutError):
    """No usable session: sign-in page, signed-out wall or security check. Exit 3."""

    exit_code = 3
    outcome = "auth_required"

    def __init__(self, message: str, *, reason: str, advice: str, step: str | None = None) -> None:
        super().__init__(message, advice=advice, step=step)
        self.reason = reason


class PageNotRecognized(OptoutError):
    """A settings page that no selector version describes. Exit 4."""

    exit_code = 4
    outcome = "page_not_recognized"


class ChangeFailed(OptoutError):
    """A step failed after its retries, or a switch did not stay off. Exit 5."""

    exit_code = 5
    outcome = "change_failed"


class RateLimited(ChangeFailed):
    """LinkedIn answered 429 and did not clear within the retries: the run stops. Exit 5."""


class BrowserUnavailable(OptoutError):
    """No browser could be found, launched, or kept alive. Exit 6."""

    exit_code = 6
    outcome = "browser_error"
