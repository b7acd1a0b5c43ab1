"""The history under strain: two checks at once, many writers racing, a check
interrupted (Ctrl-C, kill) or refused, and a damaged or foreign history file."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import CLI_DEADLINE_S, SLOW_MACHINE_DEADLINE_S, TOOL_TIMEOUT, tool_env
from helpers import HUB, checks, history_file, wait_until

from linkedin_optout.history import History

# --- two checks at once -------------------------------------------------------------


def spawn(site: Any, home: Path, browser: str, cwd: Path, *args: str) -> subprocess.Popen[str]:
    env = tool_env(
        home,
        LINKEDIN_OPTOUT_BASE_URL=site.url,
        LINKEDIN_OPTOUT_BROWSER=browser,
        LINKEDIN_LI_AT=site.new_session(),
    )
    return subprocess.Popen(
        [sys.executable, "-m", "linkedin_optout", *args],
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def integrity(path: Path) -> list[tuple[str]]:
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchall()
    finally:
        con.close()


def test_two_checks_at_the_same_time_both_land(site, cli, home, tmp_path, browser_executable):
    procs = [
        spawn(
            site, home, browser_executable, tmp_path, "status", "--json", "--timeout", TOOL_TIMEOUT
        )
        for _ in range(2)
    ]
    for proc in procs:
        _, stderr = proc.communicate(timeout=CLI_DEADLINE_S)
        assert proc.returncode == 1, stderr
        assert "warning" not in stderr, stderr
    records = checks(cli)
    assert [(c["command"], c["outcome"]) for c in records] == [("status", "changes_needed")] * 2
    assert all(len(c["settings"]) == 2 for c in records)
    assert integrity(history_file(home)) == [("ok",)]


WRITER = """
import sys
from datetime import UTC, datetime
from pathlib import Path
from linkedin_optout.history import History
from linkedin_optout.report import Report, SettingReport

for n in range(int(sys.argv[2])):
    history = History.open(Path(sys.argv[1]))  # a new connection each time, as a check has
    when = datetime.now(UTC)
    record = history.start("status", when)
    setting = SettingReport(key="generative-ai-training", label="x", before="off", after="off")
    report = Report(outcome="ok", dry_run=True, selectors_version=None, settings=[setting],
                    started_at=when, finished_at=datetime.now(UTC))
    history.finish(record, "status", report)
    history.close()
"""


def test_many_writers_at_once_lose_no_record(tmp_path):
    """Four processes racing from the first moment (who creates the file?) to the last."""
    path = tmp_path / "shared" / "history.sqlite3"
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), "25"], stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    for proc in procs:
        _, stderr = proc.communicate(timeout=CLI_DEADLINE_S)
        assert proc.returncode == 0, stderr.decode()
    history = History.open(path, create=False)
    assert history is not None
    records = history.checks()
    history.close()
    assert len(records) == 100
    assert {r.outcome for r in records} == {"ok"}
    assert all(len(r.readings) == 1 for r in records)
    assert integrity(path) == [("ok",)]
    assert sorted(p.name for p in path.parent.iterdir()) == ["history.sqlite3"]  # no leftovers


def test_a_history_made_meanwhile_by_another_process_is_kept(tmp_path):
    """Losing the race to create the file: the winner's file stays, untouched."""
    from linkedin_optout.history_file import create

    path = tmp_path / "history.sqlite3"
    path.write_bytes(b"the other process's database")
    create(path)
    assert path.read_bytes() == b"the other process's database"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # its temporary file is gone


# --- interrupted ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("how", "code"),
    [(signal.SIGINT, 130), (signal.SIGKILL, -signal.SIGKILL)],
    ids=["ctrl-c", "kill"],
)
def test_an_interrupted_check_is_recorded_as_interrupted(
    site, cli, home, tmp_path, browser_executable, how, code
):
    """Ctrl-C runs the handler; a kill runs nothing, and the record that was started
    but never finished reads as interrupted all the same."""
    site.configure(hang_paths=(HUB,))
    proc = spawn(site, home, browser_executable, tmp_path, "status", "--timeout", "60")
    try:
        wait_until(lambda: any(r.path.startswith(HUB) and r.status == 0 for r in site.requests))
        running = checks(cli)
        assert [c["outcome"] for c in running] == ["running"]  # its process is still there
        proc.send_signal(how)
        _, stderr = proc.communicate(timeout=SLOW_MACHINE_DEADLINE_S)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == code, stderr
    record = checks(cli)[0]
    assert (record["command"], record["outcome"]) == ("status", "interrupted")
    assert record["exit_code"] == (130 if how == signal.SIGINT else None)
    assert record["settings"] == []
    text = cli("history", "--full", li_at=None).stdout
    assert "Checks that read no setting" in text
    assert "status  stopped before it finished" in text  # words, not the outcome's code


def test_a_check_refused_for_its_input_leaves_no_record(site, cli, tmp_path):
    state = tmp_path / "state.json"
    state.write_text('{"cookies": [], "origins": []}')
    os.chmod(state, 0o644)  # refused like ssh refuses a readable private key: exit 2
    result = cli("status", "--state", str(state), li_at=None)
    assert result.code == 2
    assert checks(cli) == []


# --- a damaged or foreign history ----------------------------------------------------


def _not_sqlite(path: Path) -> None:
    path.write_bytes(b"these are my notes, not a database\n" * 200)


def _foreign(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE recipes (name TEXT)")
    con.commit()
    con.close()


def _damaged(path: Path) -> None:
    history = History.open(path)
    assert history is not None
    history.start("status", datetime.now(UTC))
    history.close()
    data = bytearray(path.read_bytes())
    data[4096:8192] = b"\xff" * 4096  # the second page: the checks table's
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("spoil", [_not_sqlite, _foreign, _damaged], ids=lambda f: f.__name__[1:])
def test_a_spoiled_history_gets_one_line_and_exit_2(cli, tmp_path, spoil):
    path = tmp_path / "history.sqlite3"
    spoil(path)
    before = path.read_bytes()
    result = cli("history", "--history", str(path), li_at=None)
    assert result.code == 2
    error, advice = result.stderr.splitlines()  # the error, and what to do
    assert error.startswith(f"error: History {path} ")
    assert error.endswith("it was left as it is.")
    assert advice == f"  Move it aside to start a new history: mv {path} {path}.old"
    assert path.read_bytes() == before


@pytest.mark.parametrize("spoil", [_not_sqlite, _damaged], ids=lambda f: f.__name__[1:])
def test_a_check_with_a_spoiled_history_still_runs_and_reports(site, cli, tmp_path, spoil):
    path = tmp_path / "history.sqlite3"
    spoil(path)
    before = path.read_bytes()
    result = cli("status", "--json", "--history", str(path), "--timeout", TOOL_TIMEOUT)
    assert result.code == 1  # the check's own exit code: a setting is on
    assert result.json()["outcome"] == "changes_needed"
    [warning] = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warning.startswith(f"warning: History {path} ")
    assert warning.endswith(
        "; it was left as it is. This check is not recorded. "
        f"Move it aside to start a new history: mv {path} {path}.old"
    )
    if spoil is _not_sqlite:
        assert "is not an SQLite database" in warning
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if "history" in p.name) == [path.name]
