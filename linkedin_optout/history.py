"""The history: one record per check, in an embedded SQLite database.

Where: `--history PATH`, else LINKEDIN_OPTOUT_HISTORY, else the per-user data
folder (`$XDG_DATA_HOME/linkedin-optout/history.sqlite3`, by default under
`~/.local/share`; on macOS and Windows the conventional folder: `session.data_dir`).

What: when a check ran, the command, the tool's version and the selector file, the page's
language, each setting's state before and after, and the outcome. Never the
session: no cookie, no session description, no name.

How it stays whole: the file is made private from its first byte, and checked
before any use, by `history_file.py`; WAL mode, a busy timeout and short
`BEGIN IMMEDIATE` transactions let a cron job and a person write at the same
time. A check is recorded as "running" when it starts and updated when it ends:
a record whose process is gone without finishing (Ctrl-C, a kill, a crash) reads
as "interrupted". A damaged or foreign file raises `HistoryError` and is never
written to.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from linkedin_optout import history_file
from linkedin_optout.errors import UsageError

# Made by the file's checks too (hence its home there); callers import it from here.
from linkedin_optout.history_file import HistoryError as HistoryError

if TYPE_CHECKING:
    from linkedin_optout.report import Change, Report

FILE_NAME = "history.sqlite3"
BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another's transaction
RUNNING = "running"
INTERRUPTED = "interrupted"
# A "running" record older than this is not running, whatever its pid is now.
MAX_CHECK_AGE_S = 24 * 3600


@dataclass(frozen=True)
class Reading:
    """One setting as one check read it."""

    key: str
    label: str
    before: str
    after: str
    changed: bool
    verified: bool

    @property
    def found(self) -> str:
        """The state the check found (a run's `before`; unknown if it read nothing)."""
        return self.before if self.before != "unknown" else self.after

    @property
    def left(self) -> str:
        """The state the check left it in, as far as it read."""
        return self.after if self.after != "unknown" else self.before


@dataclass(frozen=True)
class CheckRecord:
    id: int
    started_at: datetime
    finished_at: datetime | None
    command: str
    tool_version: str
    selectors_version: str | None
    locale: str | None
    outcome: str  # "running" is only ever a check still going: see `History.checks`
    exit_code: int | None
    readings: tuple[Reading, ...]


def default_path() -> Path:
    from linkedin_optout.session import data_dir

    return data_dir() / FILE_NAME


def stamp(when: datetime) -> str:
    # One fixed shape, so that text order is time order.
    return when.astimezone(UTC).isoformat(timespec="microseconds")


def parse_stamp(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class History:
    """An open history database. Every method is one short transaction."""

    def __init__(self, path: Path, con: sqlite3.Connection) -> None:
        self.path = path
        self._con = con

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> History | None:
        """The history at `path`, made if missing and `create`; None if missing and not."""
        if path.is_dir():
            raise UsageError(f"--history {path} is a folder; give a file name.")
        try:
            if not path.exists():
                if not create:
                    return None
                history_file.create(path)
            history_file.check_header(path)
            con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(f"History {path} cannot be opened: {_first_line(exc)}.") from None
        try:
            history_file.prepare(con, path)
        except HistoryError:
            con.close()
            raise
        except sqlite3.Error as exc:
            con.close()
            raise history_file.left_alone(
                path, f"History {path} is damaged ({_first_line(exc)})"
            ) from None
        return cls(path, con)

    def close(self) -> None:
        self._con.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction, taken at once so that two writers queue up."""
        try:
            self._con.execute("BEGIN IMMEDIATE")
            try:
                yield self._con
            except BaseException:
                self._con.execute("ROLLBACK")
                raise
            self._con.execute("COMMIT")
        except sqlite3.Error as exc:
            raise HistoryError(
                f"History {self.path} could not be written: {_first_line(exc)}."
            ) from None

    def start(self, command: str, started_at: datetime) -> int:
        """A record of a check that has begun; it reads as interrupted until `finish`."""
        from linkedin_optout import __version__

        with self._write() as con:
            cur = con.execute(
                "INSERT INTO checks (started_at, command, tool_version, outcome, pid)"
                " VALUES (?, ?, ?, ?, ?)",
                (stamp(started_at), command, __version__, RUNNING, os.getpid()),
            )
            assert cur.lastrowid is not None
            return cur.lastrowid

    def mark(self, record_id: int, outcome: str, code: int | None = None) -> None:
        """End a record without readings (e.g. "interrupted"), unless it has ended."""
        from linkedin_optout.report import now

        with self._write() as con:
            con.execute(
                "UPDATE checks SET outcome = ?, exit_code = ?, finished_at = ?"
                " WHERE id = ? AND finished_at IS NULL",
                (outcome, code, stamp(now()), record_id),
            )

    def discard(self, record_id: int) -> None:
        """Forget a record of a check that never took place (its input was refused)."""
        with self._write() as con:
            con.execute("DELETE FROM checks WHERE id = ?", (record_id,))

    def finish(self, record_id: int | None, command: str, report: Report) -> list[Change]:
        """Record the check's report (a new record if `record_id` is None) and
        return the settings it found less private than the last earlier check
        left them (a switch on that was off)."""
        from linkedin_optout.errors import EXIT_CODES
        from linkedin_optout.session import redact

        # Labels come from selector files and pages: scrubbed all the same.
        readings = [
            Reading(s.key, redact(s.label), s.before, s.after, s.changed, s.verified)
            for s in report.settings
            # A stopped run keeps only what it got as far as reading.
            if report.outcome != "interrupted" or (s.before, s.after) != ("unknown", "unknown")
        ]
        row = (
            stamp(report.started_at),
            stamp(report.finished_at),
            command,
            report.tool_version,
            report.selectors_version,
            report.locale,
            report.outcome,
            EXIT_CODES.get(report.outcome),  # any outcome, even one this version lacks
        )
        with self._write() as con:
            if record_id is None:
                cur = con.execute(
                    "INSERT INTO checks (started_at, finished_at, command, tool_version,"
                    " selectors_version, locale, outcome, exit_code, pid)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
                    row,
                )
                assert cur.lastrowid is not None
                record_id = cur.lastrowid
            else:
                con.execute(
                    "UPDATE checks SET started_at = ?, finished_at = ?, command = ?,"
                    " tool_version = ?, selectors_version = ?, locale = ?, outcome = ?,"
                    " exit_code = ?, pid = NULL WHERE id = ?",
                    (*row, record_id),
                )
            changes = [c for r in readings if (c := self._came_back(con, record_id, r))]
            con.execute("DELETE FROM readings WHERE check_id = ?", (record_id,))
            con.executemany(
                "INSERT INTO readings VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (record_id, r.key, r.label, r.before, r.after, r.changed, r.verified)
                    for r in readings
                ],
            )
        return changes

    def _came_back(self, con: sqlite3.Connection, record_id: int, now: Reading) -> Change | None:
        """The setting as this check found it, if that is less private than the
        value the last earlier check left it at: LinkedIn moved it back."""
        from linkedin_optout.report import Change, less_private

        if now.found in ("unknown", "absent", "off"):
            return None
        last = con.execute(
            "SELECT r.before, r.after, c.started_at FROM readings r"
            " JOIN checks c ON c.id = r.check_id"
            " WHERE r.key = ? AND c.id != ?"
            " AND c.started_at <= (SELECT started_at FROM checks WHERE id = ?)"
            " AND (r.before != 'unknown' OR r.after != 'unknown')"
            " ORDER BY c.started_at DESC, c.id DESC LIMIT 1",
            (now.key, record_id, record_id),
        ).fetchone()
        if last is None:
            return None
        was = Reading(now.key, "", last[0], last[1], False, False).left
        if not less_private(now.key, was, now.found):
            return None
        return Change(
            key=now.key, label=now.label, was=was, now=now.found, since=parse_stamp(last[2])
        )

    def checks(self) -> list[CheckRecord]:
        """Every record, oldest first; a "running" one whose process is gone reads
        as interrupted."""
        try:
            rows = self._con.execute(
                "SELECT id, started_at, finished_at, command, tool_version, selectors_version,"
                " locale, outcome, exit_code, pid FROM checks ORDER BY started_at, id"
            ).fetchall()
            readings: dict[int, list[Reading]] = {}
            for check_id, key, label, before, after, changed, verified in self._con.execute(
                "SELECT check_id, key, label, before, after, changed, verified FROM readings"
                " ORDER BY rowid"
            ):
                reading = Reading(key, label, before, after, bool(changed), bool(verified))
                readings.setdefault(check_id, []).append(reading)
        except sqlite3.Error as exc:
            raise history_file.left_alone(
                self.path, f"History {self.path} is damaged ({_first_line(exc)})"
            ) from None
        records = []
        for check_id, started, finished, command, tool, sel, locale, outcome, code, pid in rows:
            started_at = parse_stamp(started)
            if outcome == RUNNING and not _still_running(pid, started_at):
                outcome = INTERRUPTED
            ended = parse_stamp(finished) if finished else None
            found = tuple(readings.get(check_id, ()))
            records.append(
                CheckRecord(
                    check_id, started_at, ended, command, tool, sel, locale, outcome, code, found
                )
            )
        return records


def _still_running(pid: int | None, started_at: datetime) -> bool:
    age = time.time() - started_at.timestamp()
    if pid is None or age > MAX_CHECK_AGE_S:
        return False
    if os.name != "posix":  # no harmless way to ask; a check takes minutes, not an hour
        return age < 3600
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True
