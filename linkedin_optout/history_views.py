"""`linkedin-optout history` at a glance: one line per setting (its current value,
and its last change with the date), and the tracks the history page draws
(history_svg.py). The full timeline stays in timeline.py (`--full`, `--setting`).

A track is a setting's readings over time (what each check found and left) with
the events `timeline.timelines` works out; events are shown by their kind, so a
new kind of event needs no change here beyond, for a mark, `MOVED_BACK`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from linkedin_optout.history import CheckRecord, History, default_path
from linkedin_optout.report import state_word
from linkedin_optout.timeline import Event, parse_since, timelines

# Events that mean LinkedIn moved a setting back, away from what the person chose:
# the history page marks them.
MOVED_BACK = frozenset({"found_back_on", "found_less_private"})


@dataclass(frozen=True)
class Point:
    """One check's reading of one setting."""

    at: datetime
    check: int
    command: str
    found: str  # what the check found (a run's before)
    left: str  # what it left


@dataclass(frozen=True)
class Track:
    key: str
    label: str
    points: tuple[Point, ...]
    events: tuple[Event, ...]

    @property
    def now(self) -> str:
        return self.points[-1].left if self.points else "unknown"

    def last_change(self) -> tuple[datetime, str] | None:
        """When the value last changed, and how, in words."""
        back = {e.check for e in self.moved_back()}
        previous: Point | None = None
        change: tuple[datetime, str] | None = None
        for point in self.points:
            if previous is not None and point.found != previous.left:
                was, now = self.word(previous.left), self.word(point.found)
                how = "LinkedIn moved it back to" if point.check in back else "found"
                change = (point.at, f"{how} {now} (was {was})")
            if point.found != point.left:
                how = "switched" if point.command == "run" else "set"
                change = (point.at, f"{how} {self.word(point.left)} by the tool")
            previous = point
        return change

    def moved_back(self) -> list[Event]:
        return [e for e in self.events if e.event in MOVED_BACK]

    def word(self, value: str) -> str:
        return state_word(value, self.key)


def load(path: Path | None) -> tuple[Path, bool, list[CheckRecord]]:
    """(the file, whether it exists, its checks, oldest first). A damaged or foreign
    file: HistoryError (exit 2), as `timeline.show`."""
    path = path or default_path()
    history = History.open(path, create=False)
    if history is None:
        return path, False, []
    try:
        return path, True, history.checks()
    finally:
        history.close()


def tracks(records: list[CheckRecord], since: str | None = None) -> list[Track]:
    """Each setting a check read, in the order first read; `--since` keeps later
    checks (events are worked out over the whole history first, as timeline.show)."""
    start = parse_since(since)
    events = timelines(records)
    points: dict[str, list[Point]] = {}
    for record in records:
        if start is not None and record.started_at < start:
            continue
        for r in record.readings:
            if r.found == "unknown":
                continue
            point = Point(record.started_at, record.id, record.command, r.found, r.left)
            points.setdefault(r.key, []).append(point)
    out = []
    for key, (label, kinds) in events.items():
        shown = [e for e in kinds if start is None or e.at >= start]
        out.append(Track(key, label, tuple(points.get(key, ())), tuple(shown)))
    return out


def compact(path: Path | None, since: str | None = None, width: int | None = None) -> str:
    """One line per setting: what it is now, and its last change with the date."""
    from rich.console import Console
    from rich.table import Table

    path, exists, records = load(path)
    if not exists:
        return f"No history yet: {path} does not exist."
    shown = tracks(records, since)
    count = f"{len(records)} check{'s' if len(records) != 1 else ''}"
    head = f"History in {path}: {count} (times in UTC)."
    if not shown:
        return head + "\nNo check has read a setting yet."
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("Setting", overflow="fold")
    table.add_column("Now", max_width=18)
    table.add_column("Last change", overflow="fold")
    for track in shown:
        change = track.last_change()
        said = f"{change[0]:%Y-%m-%d}: {change[1]}" if change else "none"
        back = track.moved_back()
        if back and (change is None or back[-1].at != change[0]):
            said += f"; LinkedIn moved it back on {back[-1].at:%Y-%m-%d}"
        if len(back) > 1:
            said += f" ({len(back)} times)"
        table.add_row(track.label, track.word(track.now), said)
    console = Console(width=width, no_color=True, highlight=False, emoji=False)
    with console.capture() as capture:
        console.print(head, markup=False, soft_wrap=True)  # a path stays whole
        console.print()
        console.print(table)
        console.print()
        console.print("The whole timeline: --full, or --setting KEY.", markup=False)
    return "\n".join(line.rstrip() for line in capture.get().rstrip("\n").splitlines())
