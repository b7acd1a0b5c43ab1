"""One exception per exit code. The CLI catches them in one place, prints the
message and the advice, and exits with the code. A check's report names its
outcome; `EXIT_CODES`, made from these classes, is the one table from an
outcome to its exit code.

Messages are written by this package and never carry a cookie value; as a
second line of defence everything printed goes through `session.redact`.
"""

from __future__ import annotations

from typing import Any, ClassVar


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

    @property
    def code(self) -> int:
        """The exit code of this error (a stop's depends on its signal)."""
        return self.exit_code


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
    """A settings page that no selector file describes. Exit 4."""

    exit_code = 4
    outcome = "page_not_recognized"


class ChangeFailed(OptoutError):
    """A step failed after its retries, or a switch did not stay off. Exit 5."""

    exit_code = 5
    outcome = "change_failed"


class RateLimited(ChangeFailed):
    """LinkedIn answered 429 and did not clear within the retries: the run stops. Exit 5."""


class NetworkFailed(ChangeFailed):
    """A page would not load: exit 5 like any failed step, but with no page of
    LinkedIn's to put in a diagnostic bundle."""


class BrowserUnavailable(OptoutError):
    """No browser could be found, launched, or kept alive. Exit 6."""

    exit_code = 6
    outcome = "browser_error"


class SiteUnreachable(OptoutError):
    """The site at --base-url cannot be reached at all (no such host, connection
    refused, no network): not a failed change, and no page to diagnose. Exit 7."""

    exit_code = 7
    outcome = "unreachable"


class InputEnded(OptoutError):
    """--step asked for Enter and input ended (no one at the keyboard): the run stops
    before that action and changes nothing more. Exit 2, as for an option that
    cannot be used this way; recorded as interrupted."""

    exit_code = 2
    outcome = "interrupted"


class Stopped(OptoutError):
    """How far a run got when a signal stopped it (interrupt.py); exit 128 + the
    signal's number, 130 for Ctrl-C."""

    exit_code = 130
    outcome = "interrupted"

    def __init__(self, signum: int, message: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.signum = signum

    @property
    def code(self) -> int:
        return 128 + self.signum


# The errors that end a check with an outcome of their own. (InputEnded is recorded
# as interrupted too, and exits 2 itself.)
ENDINGS: tuple[type[OptoutError], ...] = (
    AuthRequired,
    PageNotRecognized,
    ChangeFailed,
    BrowserUnavailable,
    SiteUnreachable,
    Stopped,
)
# The one table from a check's outcome to its exit code: the report's, the
# history's and the CLI's.
EXIT_CODES: dict[str, int] = {
    "ok": 0,
    "changes_needed": 1,  # a read-only check found a setting not at its recommended value
    **{str(error.outcome): error.exit_code for error in ENDINGS},
}


def exit_code(outcome: str, error: OptoutError | None = None) -> int:
    """The exit code of a check that ended in `outcome`: that of the error that
    decided it (a stop's signal, --step's ended input), else the table's."""
    if error is not None and error.outcome == outcome:
        return error.code
    return EXIT_CODES[outcome]


# Chromium's network errors that mean the site itself cannot be reached, as opposed to
# a page that failed or timed out on a site that answers.
UNREACHABLE_ERRORS = {
    "ERR_NAME_NOT_RESOLVED": "its name does not resolve (no such host)",
    "ERR_NAME_RESOLUTION_FAILED": "its name could not be resolved",
    "ERR_CONNECTION_REFUSED": "the connection was refused",
    "ERR_ADDRESS_UNREACHABLE": "its address is unreachable",
    "ERR_ADDRESS_INVALID": "its address is not valid",
    "ERR_INTERNET_DISCONNECTED": "this computer is not connected to the internet",
    "ERR_NETWORK_UNREACHABLE": "the network is unreachable",
    "ERR_CONNECTION_TIMED_OUT": "the connection timed out",
}


def unreachable(cause: str, base_url: str, step: str | None = None) -> SiteUnreachable | None:
    """The error for a page load that failed with `cause` (Playwright's first line,
    e.g. "net::ERR_NAME_NOT_RESOLVED at https://..."), when it says that the site
    cannot be reached at all; None for any other failure. The raw error stays as
    detail, after the message in plain words."""
    code = next((c for c in UNREACHABLE_ERRORS if f"net::{c}" in cause), None)
    if code is None:
        return None
    return SiteUnreachable(
        f"The site cannot be reached: {base_url} ({UNREACHABLE_ERRORS[code]}).",
        step=step,
        advice="Check --base-url (or LINKEDIN_OPTOUT_BASE_URL; LinkedIn is "
        f"https://www.linkedin.com) and your connection. Detail: net::{code}.",
    )
