"""The history: one record per check, in an embedded SQLite database.

Where: `--history PATH`, else LINKEDIN_OPTOUT_HISTORY, else the per-user data
folder (`$XDG_DATA_HOME/linkedin-optout/history.sqlite3`, by default under
`~/.local/share`; on macOS and Windows the folder `typer.get_app_dir` gives).

What: when a check ran, the command, the tool and selector versions, the page's
language, each setting's state before and after, and the outcome. Never the
session: no cookie, no session description, no name.

How it stays whole: a new database is built in a private temporary file and
linked into place, so it is 0600 from its first byte and two first runs cannot
both create it; WAL mode, a busy timeout and short `BEGIN IMMEDIATE`
transactions let a cron job and a person write at the same time. A check is
recorded as "running" when it starts and updated when it ends: a record whose
process is gone without finishing (Ctrl-C, a kill, a crash) reads as
"interrupted". A damaged or foreign file raises `HistoryError` and is never
written to.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from linkedin_optout.errors import UsageError

if TYPE_CHECKING:
    from linkedin_optout.report import Change, Report

FILE_NAME = "history.sqlite3"
# PRAGMA application_id: tells our database from any other SQLite file ("lioo").
APPLICATION_ID = int.from_bytes(b"lioo", "big")
BUSY_TIMEOUT_S = 30.0  # how long a writer waits for another's transaction
SQLITE_MAGIC = b"SQLite format 3\x00"
RUNNING = "running"
INTERRUPTED = "interrupted"
# A "running" record older than this is not running, whatever its pid is now.
MAX_CHECK_AGE_S = 24 * 3600

# Schema steps: MIGRATIONS[n] takes the database from user_version n to n + 1.
# Append only; never edit a step that has shipped.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE checks (
            id INTEGER PRIMARY KEY,
            started_at TEXT NOT NULL,          -- ISO 8601, UTC
            finished_at TEXT,                  -- NULL until the check ends
            command TEXT NOT NULL,             -- run, status, checkup
            tool_version TEXT NOT NULL,
            selectors_version TEXT,
            locale TEXT,
            outcome TEXT NOT NULL,             -- 'running' until the check ends
            exit_code INTEGER,
            pid INTEGER                        -- to tell running from interrupted
        )""",
        """CREATE TABLE readings (
            check_id INTEGER NOT NULL REFERENCES checks(id) ON DELETE CASCADE,
            key TEXT NOT NULL,
            label TEXT NOT NULL,
            before TEXT NOT NULL,              -- on, off, absent, unknown
            after TEXT NOT NULL,
            changed INTEGER NOT NULL,
            verified INTEGER NOT NULL,
            PRIMARY KEY (check_id, key)
        )""",
        "CREATE INDEX checks_started ON checks(started_at)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class HistoryError(UsageError):
    """The history file is damaged, foreign or cannot be used. `history` exits 2
    on it; a check warns and goes on without recording."""


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
    if sys.platform == "darwin" or os.name == "nt":
        import typer

        return Path(typer.get_app_dir("linkedin-optout")) / FILE_NAME
    base = os.environ.get("XDG_DATA_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".local" / "share"
    return root / "linkedin-optout" / FILE_NAME


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
                _create(path)
            _check_header(path)
            con = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except (OSError, sqlite3.Error) as exc:
            raise HistoryError(f"History {path} cannot be opened: {_first_line(exc)}.") from None
        try:
            _prepare(con, path)
        except HistoryError:
            con.close()
            raise
        except sqlite3.Error as exc:
            con.close()
            raise HistoryError(
                f"History {path} is damaged ({_first_line(exc)}); it was left as it is."
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
        return the settings it found on that the last earlier check saw off."""
        from linkedin_optout.report import EXIT_CODES
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
        from linkedin_optout.report import Change

        if now.found != "on":
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
        if last is None or Reading(now.key, "", last[0], last[1], False, False).left != "off":
            return None
        return Change(key=now.key, label=now.label, was="off", now="on", since=parse_stamp(last[2]))

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
            raise HistoryError(
                f"History {self.path} is damaged ({_first_line(exc)}); it was left as it is."
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


def _create(path: Path) -> None:
    """Build a new database in a private temporary file, then link it into place:
    never a moment with a world-readable or half-made file at `path`, and when two
    first runs race, the second uses the first's."""
    folder = path.parent
    if not folder.exists():
        try:
            folder.mkdir(parents=True, mode=0o700)
            os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
        except FileExistsError:
            pass  # another first run made it a moment ago
    fd, tmp = tempfile.mkstemp(prefix=".history-", suffix=".sqlite3", dir=folder)  # 0600
    os.close(fd)
    try:
        con = sqlite3.connect(tmp, isolation_level=None)
        try:
            _initialise(con)
        finally:
            con.close()  # the last connection: WAL is checkpointed into the file
        with suppress(FileExistsError):
            os.link(tmp, path)
    finally:
        for leftover in (tmp, tmp + "-wal", tmp + "-shm"):
            Path(leftover).unlink(missing_ok=True)


def _initialise(con: sqlite3.Connection) -> None:
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA journal_mode = WAL")  # persistent: recorded in the file
    _migrate(con)


def _check_header(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head and head != SQLITE_MAGIC:
        raise HistoryError(
            f"History {path} is not an SQLite database (damaged, or another kind of file); "
            "it was left as it is."
        )


def _prepare(con: sqlite3.Connection, path: Path) -> None:
    app_id = con.execute("PRAGMA application_id").fetchone()[0]
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID:
        empty = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
        if app_id != 0 or version != 0 or not empty:
            raise HistoryError(
                f"History {path} is another program's SQLite database, "
                "not linkedin-optout's; it was left as it is."
            )
        _initialise(con)  # an empty SQLite file (or an empty file): make it ours
        return
    if version > SCHEMA_VERSION:
        raise HistoryError(
            f"History {path} was written by a newer linkedin-optout (schema {version}, "
            f"this one knows up to {SCHEMA_VERSION}); it was left as it is."
        )
    check = con.execute("PRAGMA quick_check").fetchall()
    if check != [("ok",)]:
        raise HistoryError(f"History {path} is damaged ({check[0][0]}); it was left as it is.")
    con.execute("PRAGMA foreign_keys = ON")
    if version < SCHEMA_VERSION:
        _migrate(con)


def _migrate(con: sqlite3.Connection) -> None:
    """Apply the missing schema steps in one transaction; another process may
    have applied them while this one waited for the lock, so look again inside."""
    con.execute("BEGIN IMMEDIATE")
    try:
        version = con.execute("PRAGMA user_version").fetchone()[0]
        for step in MIGRATIONS[version:]:
            for statement in step:
                con.execute(statement)
        con.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
