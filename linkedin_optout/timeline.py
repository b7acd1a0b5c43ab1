"""`linkedin-optout history`: the records as a timeline per setting (when each
was seen on, switched off, seen off, or found back on; a choice: seen at a value,
set to one, or found at a less private one), as text or JSON.

Events are worked out over the whole history and then filtered, so that
`--since` still knows a setting found on was off before that date.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from linkedin_optout.errors import UsageError
from linkedin_optout.history import CheckRecord, History, default_path

EVENT_TEXT = {
    "seen_on": "on",
    "found_back_on": "found back on",
    "switched_off": "switched off",
    "seen_off": "off",
    "absent": "not offered",
    # A choice (Event.value names the answer; Event.was the earlier, more private one).
    "seen_value": "{value}",
    "set_value": "set to {value}",
    "found_less_private": "changed by LinkedIn from {was} to {value}",
}
# A check's outcome in words (the history keeps the codes: `--json` shows them).
OUTCOME_TEXT = {
    "ok": "every setting off or not offered",
    "changes_needed": "a setting was on",
    "auth_required": "not signed in",
    "page_not_recognized": "a page was not recognized",
    "change_failed": "a change failed",
    "browser_error": "the browser failed",
    "unreachable": "the site could not be reached",
    "interrupted": "stopped before it finished",
    "running": "still running",
}
# Repeats of these are folded into one line in the text timeline.
STEADY = frozenset({"seen_on", "seen_off", "absent", "seen_value"})


@dataclass(frozen=True)
class Event:
    at: datetime
    check: int
    command: str
    event: str  # a key of EVENT_TEXT
    since: datetime | None = None  # found_back_on: when a check last saw it off
    key: str = ""
    value: str | None = None  # a choice's events: the answer seen or set
    was: str | None = None  # found_less_private: the more private answer seen before

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "at": self.at.isoformat(),
            "check": self.check,
            "command": self.command,
            "event": self.event,
        }
        if self.since is not None:
            data["off_since" if self.was is None else "since"] = self.since.isoformat()
        if self.value is not None:
            data["value"] = self.value
        if self.was is not None:
            data["was"] = self.was
        return data

    def text(self) -> str:
        """The event in words; a choice's values as their labels."""
        from linkedin_optout.report import state_word

        words = EVENT_TEXT[self.event].format(
            value=state_word(self.value or "", self.key), was=state_word(self.was or "", self.key)
        )
        if self.since is None:
            return words
        return words + (
            f" (off on {self.since:%Y-%m-%d})"
            if self.was is None
            else f" since {self.since:%Y-%m-%d}"
        )


def parse_since(text: str | None) -> datetime | None:
    """--since: a date (2026-11-01) or a time (2026-11-01T09:00, UTC unless it says)."""
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise UsageError(f"--since {text}: not a date; give one like 2026-11-01.") from None
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def timelines(records: list[CheckRecord]) -> dict[str, tuple[str, list[Event]]]:
    """Per setting key: its newest label and its events, oldest first."""
    from linkedin_optout.report import less_private

    out: dict[str, tuple[str, list[Event]]] = {}
    last_off: dict[str, datetime | None] = {}  # when a check last left it off, if it did
    last_left: dict[str, tuple[str, datetime]] = {}  # a choice: the value a check last left
    for rec in records:
        for r in rec.readings:
            if r.found == "unknown":
                continue
            events = out.setdefault(r.key, (r.label, []))[1]
            out[r.key] = (r.label, events)  # the newest label
            at = (rec.started_at, rec.id, rec.command)
            if r.found in ("on", "off", "absent") and r.left in ("on", "off", "absent"):
                off_since = last_off.get(r.key)
                kinds: list[tuple[str, datetime | None]] = []
                if r.found == "on" and off_since is not None:
                    kinds.append(("found_back_on", off_since))
                elif r.found == "on":
                    kinds.append(("seen_on", None))
                else:
                    kinds.append(({"off": "seen_off", "absent": "absent"}[r.found], None))
                if r.changed and r.after == "off":
                    kinds.append(("switched_off", None))
                events += [Event(*at, k, s, key=r.key) for k, s in kinds]
            else:  # a choice: its values
                earlier = last_left.get(r.key)
                if earlier is not None and less_private(r.key, earlier[0], r.found):
                    events.append(
                        Event(*at, "found_less_private", earlier[1], r.key, r.found, earlier[0])
                    )
                else:
                    events.append(Event(*at, "seen_value", key=r.key, value=r.found))
                if r.changed and r.after != r.before:
                    events.append(Event(*at, "set_value", key=r.key, value=r.after))
            last_off[r.key] = rec.started_at if r.left == "off" else None
            last_left[r.key] = (r.left, rec.started_at)
    return out


def show(path: Path | None, *, since: str | None, setting: str | None, as_json: bool) -> str:
    """The `history` command's output. A damaged or foreign file: HistoryError (exit 2)."""
    start = parse_since(since)
    path = path or default_path()
    history = History.open(path, create=False)
    records: list[CheckRecord] = []
    if history is not None:
        try:
            records = history.checks()
        finally:
            history.close()
    lines = timelines(records)
    if setting is not None:
        lines = {k: v for k, v in lines.items() if k == setting}
    if start is not None:
        records = [r for r in records if r.started_at >= start]
        lines = {k: (lbl, [e for e in ev if e.at >= start]) for k, (lbl, ev) in lines.items()}
    if as_json:
        return _json(path, records, lines, setting)
    if history is None:
        return f"No history yet: {path} does not exist."
    return _text(path, records, lines, start)


def _json(
    path: Path,
    records: list[CheckRecord],
    lines: dict[str, tuple[str, list[Event]]],
    setting: str | None,
) -> str:
    checks = [
        {
            "id": r.id,
            "started_at": r.started_at.isoformat(),
            "finished_at": r.finished_at.isoformat() if r.finished_at else None,
            "command": r.command,
            "tool_version": r.tool_version,
            "selectors_version": r.selectors_version,
            "locale": r.locale,
            "outcome": r.outcome,
            "exit_code": r.exit_code,
            "settings": [
                {
                    "key": s.key,
                    "label": s.label,
                    "before": s.before,
                    "after": s.after,
                    "changed": s.changed,
                    "verified": s.verified,
                }
                for s in r.readings
                if setting is None or s.key == setting
            ],
        }
        for r in records
    ]
    timeline = [
        {"key": key, "label": label, "events": [e.as_json() for e in events]}
        for key, (label, events) in lines.items()
    ]
    return json.dumps({"database": str(path), "checks": checks, "timeline": timeline}, indent=2)


def _when(at: datetime) -> str:
    return f"{at:%Y-%m-%d %H:%M}"


def _text(
    path: Path,
    records: list[CheckRecord],
    lines: dict[str, tuple[str, list[Event]]],
    start: datetime | None,
) -> str:
    after = f" since {start:%Y-%m-%d %H:%M}" if start else ""
    count = f"{len(records)} check{'s' if len(records) != 1 else ''}"
    out = [f"History in {path}: {count}{after} (times in UTC)."]
    for key, (label, events) in lines.items():
        out += ["", f"{label} ({key})"]
        if not events:
            out.append("  no check read it in this period")
        out += _folded(events)
    unread = [r for r in records if not any(s.found != "unknown" for s in r.readings)]
    if unread:
        out += ["", "Checks that read no setting"]
        for r in unread:
            said = OUTCOME_TEXT.get(r.outcome, r.outcome.replace("_", " "))
            out.append(f"  {_when(r.started_at)}  {r.command:<7} {said}")
    return "\n".join(out)


def _folded(events: list[Event]) -> list[str]:
    """One line per event; a run that found a setting on and switched it off is one
    line; repeats of a steady state are one line with a count."""
    items: list[tuple[Event, str]] = []
    for e in events:
        if e.event in ("switched_off", "set_value") and items and items[-1][0].check == e.check:
            items[-1] = (items[-1][0], items[-1][1] + ", " + e.text())
            continue
        items.append((e, e.text()))
    out: list[str] = []
    i = 0
    while i < len(items):
        e, text = items[i]
        j = i + 1
        while e.event in STEADY and j < len(items) and items[j][1] == text:
            j += 1
        if j - i > 1:
            text += f" ({j - i} checks, until {_when(items[j - 1][0].at)})"
        out.append(f"  {_when(e.at)}  {e.command:<7} {text}")
        i = j
    return out
