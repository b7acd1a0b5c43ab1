"""The history's database file: made private and whole, told apart from any other
file, and brought up to this version's schema.

A new file is built in a private temporary file and linked into place, so it is
0600 from its first byte and two first runs cannot both create it. An existing file
is used only when its header, `application_id` and schema say it is ours and intact;
else `HistoryError`, and it is never written to. `history.py` reads and writes the
records in it.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import suppress
from pathlib import Path

from linkedin_optout.errors import UsageError

# PRAGMA application_id: tells our database from any other SQLite file ("lioo").
APPLICATION_ID = int.from_bytes(b"lioo", "big")
SQLITE_MAGIC = b"SQLite format 3\x00"

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


def left_alone(path: Path, message: str) -> HistoryError:
    """A file that is not this tool's, or not whole: it is never written to, and
    the person is told how to start a new one."""
    import shlex

    old = shlex.quote(str(path))
    return HistoryError(
        f"{message}; it was left as it is.",
        advice=f"Move it aside to start a new history: mv {old} {shlex.quote(f'{path}.old')}",
    )


def create(path: Path) -> None:
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


def check_header(path: Path) -> None:
    """Refuse a file that is not SQLite before SQLite opens it (an empty one is fine)."""
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head and head != SQLITE_MAGIC:
        raise left_alone(
            path, f"History {path} is not an SQLite database (damaged, or another kind of file)"
        )


def prepare(con: sqlite3.Connection, path: Path) -> None:
    """Ready an open database for use: ours, not from a newer version, intact and at
    SCHEMA_VERSION. An empty one is made ours; anything else raises HistoryError."""
    app_id = con.execute("PRAGMA application_id").fetchone()[0]
    version = con.execute("PRAGMA user_version").fetchone()[0]
    if app_id != APPLICATION_ID:
        empty = con.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
        if app_id != 0 or version != 0 or not empty:
            raise left_alone(
                path, f"History {path} is another program's SQLite database, not linkedin-optout's"
            )
        _initialise(con)  # an empty SQLite file (or an empty file): make it ours
        return
    if version > SCHEMA_VERSION:
        raise left_alone(
            path,
            f"History {path} was written by a newer linkedin-optout (schema {version}, "
            f"this one knows up to {SCHEMA_VERSION})",
        )
    check = con.execute("PRAGMA quick_check").fetchall()
    if check != [("ok",)]:
        raise left_alone(path, f"History {path} is damaged ({check[0][0]})")
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
