"""Word when something is on: a message through Apprise, an optional extra
(`pip install 'linkedin-optout[notify]'`).

A message goes out when a check finds a setting on, when one came back on, or
when the check failed (exit 3 to 7); with `--notify-always` also when all is
well. It names settings, dates and the outcome, never the session, and is
scrubbed by `session.redact` all the same. A message that cannot be sent is a
warning: the check's exit code stays the check's.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from linkedin_optout.errors import UsageError

if TYPE_CHECKING:
    from linkedin_optout.console import Console
    from linkedin_optout.report import Report

INSTALL = "pip install 'linkedin-optout[notify]'"
# not signed in, page not recognized, change failed, browser, site unreachable
FAILED_CODES = frozenset({3, 4, 5, 6, 7})


def split_urls(values: Iterable[str] | None) -> list[str]:
    """`--notify` values and LINKEDIN_OPTOUT_NOTIFY: URLs separated by spaces or commas."""
    return [url for value in values or () for url in re.split(r"[\s,]+", value) if url]


def require_apprise() -> None:
    """`--notify` without the extra: a usage error, said before any browser starts."""
    try:
        import apprise  # noqa: F401
    except ImportError:
        raise UsageError(f"--notify needs Apprise, an optional extra: {INSTALL}") from None


def is_due(report: Report, always: bool = False) -> bool:
    if always or report.exit_code in FAILED_CODES or report.changed_since_last:
        return True
    return any("on" in (s.before, s.after) for s in report.settings)


def compose(report: Report, command: str) -> tuple[str, str, str]:
    """Title, body and Apprise message type ("success", "warning" or "failure")."""
    from linkedin_optout.report import back_on_line, result_line, state_word
    from linkedin_optout.session import redact

    failed = report.exit_code in FAILED_CODES
    found_on = [s for s in report.settings if "on" in (s.before, s.after)]
    # "AI setting" while only the AI group was read; a check of more groups says "setting"
    one = "an AI setting" if {s.group for s in report.settings} <= {"ai", None} else "a setting"
    every = "every AI setting" if one == "an AI setting" else "every setting"
    if failed:
        title, kind = f"the check failed (exit {report.exit_code})", "failure"
    elif report.changed_since_last:
        switched = all(c.now == "on" for c in report.changed_since_last)
        moved = "switched {} back on" if switched else "made {} less private"
        title, kind = f"LinkedIn {moved.format(one)}", "warning"
    elif any(s.after == "on" for s in found_on):
        title, kind = f"{one} is on", "warning"
    elif found_on:
        title, kind = f"{one} was on and is now off", "warning"
    else:
        title, kind = f"{every} is off", "success"
    lines = [back_on_line(c) for c in report.changed_since_last]
    for s in report.settings:
        if s.before == s.after == "unknown":
            continue  # not read: the error below says why
        if s.before == "on" and s.after == "off":
            state = "was on; switched off" + (" and confirmed after a reload" * s.verified)
        elif s.changed:
            was, now = state_word(s.before, s.key), state_word(s.after, s.key)
            state = f"was {was}; set to {now}" + (" and confirmed after a reload" * s.verified)
        else:
            state = state_word(s.after, s.key)
        lines.append(f"'{s.label}': {state}.")
    if report.error is not None:
        lines.append(f"Error: {report.error.message}")
        if report.error.advice:
            lines.append(report.error.advice)
    lines.append(f"Result: {result_line(report, checkup=command == 'checkup')}")
    lines.append(
        f"Checked {report.finished_at:%Y-%m-%d %H:%M} UTC by 'linkedin-optout {command}' "
        f"(exit {report.exit_code})."
    )
    return redact(f"linkedin-optout: {title}"), redact("\n".join(lines)), kind


def send(urls: list[str], report: Report, command: str, console: Console) -> None:
    """One message to each URL; each failure is one warning naming the service
    without its credentials."""
    import apprise

    # Apprise logs failures, URLs included: nothing of it is printed as it is; the
    # first warning it gives says why a message was not sent (scrubbed, below).
    said = Said()
    logger = logging.getLogger("apprise")
    logger.addHandler(said)
    logger.propagate = False
    title, body, kind = compose(report, command)
    try:
        for number, url in enumerate(urls, 1):
            service = apprise.Apprise()
            if not service.add(url):
                console.warn(f"--notify URL #{number} is not one Apprise understands; not sent.")
                continue
            where = str(service[0].url(privacy=True)).split("?")[0]  # type: ignore[no-untyped-call]
            said.lines.clear()
            try:
                sent = bool(service.notify(title=title, body=body, notify_type=kind))
            except Exception as exc:  # a plugin's own failure: still only a warning
                sent = False
                said.lines.insert(0, f"{type(exc).__name__}: {exc}")
            if not sent:
                why = scrub(said.lines[0], url, where) if said.lines else "no reason given"
                console.warn(f"The notification to {where} could not be sent: {why}")
    finally:
        logger.removeHandler(said)


class Said(logging.Handler):
    """Apprise's warnings and errors while one message is sent."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def scrub(text: str, url: str, where: str) -> str:
    """One line of Apprise's reason, without the URL's password or token."""
    from urllib.parse import urlsplit

    from linkedin_optout.session import redact

    line = (text.strip().splitlines() or [""])[0]
    line = line.replace(url, where)
    try:
        secret = urlsplit(url).password
    except ValueError:
        secret = None
    if secret:
        line = line.replace(secret, "****")
    return redact(line).rstrip(".") + "."
