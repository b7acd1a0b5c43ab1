"""Keep watch: the history of every check, the timeline, "back on
since", notifications, and what happens to a damaged, shared or private history."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import CLI_DEADLINE_S, SLOW_MACHINE_DEADLINE_S, TOOL_TIMEOUT, CliResult, tool_env
from helpers import GEN_AI, GEN_AI_TITLE, HUB, wait_until

from linkedin_optout.history import History
from linkedin_optout.report import Report, SettingReport

GEN_AI_LABEL = GEN_AI_TITLE


def history_file(home: Path) -> Path:
    return home / ".local" / "share" / "linkedin-optout" / "history.sqlite3"


def checks(cli: Callable[..., CliResult], *args: str, **kwargs: Any) -> list[dict[str, Any]]:
    result = cli("history", "--json", *args, li_at=None, **kwargs)
    assert result.code == 0, result.stderr
    return list(result.json()["checks"])


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


# --- a record per check, and nothing secret in it ------------------------------------


def test_each_check_is_recorded_without_the_session(site, cli, home):
    li_at = site.new_session()
    status = cli("status", "--json", "--timeout", TOOL_TIMEOUT, li_at=li_at)
    assert status.code == 1, status.stderr
    run = cli("run", "--json", "--timeout", TOOL_TIMEOUT, li_at=li_at)
    assert run.code == 0, run.stderr

    records = checks(cli)
    assert [(c["command"], c["outcome"], c["exit_code"]) for c in records] == [
        ("status", "changes_needed", 1),
        ("run", "ok", 0),
    ]
    for record, report in zip(records, (status.json(), run.json()), strict=True):
        assert record["tool_version"] == report["tool_version"]
        assert (record["selectors_version"], record["locale"]) == ("2024-09", "en")
        assert record["finished_at"] and record["started_at"] < record["finished_at"]
        assert record["settings"] == [
            {k: s[k] for k in ("key", "label", "before", "after", "changed", "verified")}
            for s in report["settings"]
        ]
    assert records[1]["settings"][0]["before"] == "on"
    assert records[1]["settings"][0]["after"] == "off"

    path = history_file(home)
    assert private(path)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    stored = b"".join(p.read_bytes() for p in path.parent.iterdir())
    for secret in (li_at, "ajax:", "JSESSIONID", "LINKEDIN_LI_AT", "Session"):
        assert secret.encode() not in stored, secret


def test_no_history_writes_nothing_and_history_path_moves_it(site, cli, home, tmp_path):
    site.set_setting(GEN_AI, False)
    result = cli("status", "--no-history", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stderr
    assert not (home / ".local").exists()

    # Where a check is recorded does not depend on how far it got: these two find
    # no session (exit 3, no browser), and are recorded all the same.
    elsewhere = tmp_path / "records" / "watch.db"
    assert cli("status", "--history", str(elsewhere), li_at=None).code == 3
    by_env = tmp_path / "by-env.db"
    env = {"LINKEDIN_OPTOUT_HISTORY": str(by_env)}
    assert cli("status", env=env, li_at=None).code == 3
    assert not (home / ".local").exists()
    assert private(elsewhere) and private(by_env)
    for records in (checks(cli, "--history", str(elsewhere)), checks(cli, env=env)):
        assert [(c["command"], c["outcome"]) for c in records] == [("status", "auth_required")]


def test_the_history_and_its_wal_files_are_private_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        history = History.open(tmp_path / "new" / "history.sqlite3")
        assert history is not None
        history.start("status", datetime.now(UTC))
        files = sorted(p.name for p in (tmp_path / "new").iterdir())
        # While a connection is open, SQLite keeps its -wal and -shm files beside it.
        assert files == ["history.sqlite3", "history.sqlite3-shm", "history.sqlite3-wal"]
        assert all(private(tmp_path / "new" / name) for name in files)
        history.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    con = sqlite3.connect(tmp_path / "new" / "history.sqlite3")
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert con.execute("PRAGMA user_version").fetchone() == (1,)
    con.close()


def test_a_history_folder_is_a_usage_error_before_any_browser(site, cli, tmp_path):
    result = cli("status", "--history", str(tmp_path))
    assert result.code == 2
    assert f"--history {tmp_path} is a folder" in result.stderr
    assert site.requests == []


# --- "back on since", and the timeline ------------------------------------------------


def test_a_setting_switched_back_on_is_named_with_the_date_it_was_off(site, cli, tmp_path):
    assert cli("run", "--timeout", TOOL_TIMEOUT).code == 0
    site.set_setting(GEN_AI, True)  # LinkedIn switches it back on
    report_file = tmp_path / "status.json"
    result = cli("status", "--timeout", TOOL_TIMEOUT, "--report", str(report_file))
    assert result.code == 1  # exit codes are unchanged
    run_record = checks(cli)[0]
    day = run_record["started_at"][:10]
    assert f"LinkedIn switched '{GEN_AI_LABEL}' back on since {day}." in result.stdout
    report = json.loads(report_file.read_text())
    Report.model_validate(report)
    assert report["changed_since_last"] == [
        {
            "key": "generative-ai-training",
            "label": GEN_AI_LABEL,
            "was": "off",
            "now": "on",
            "since": run_record["started_at"].replace("+00:00", "Z"),
        }
    ]
    # Said once: the check after this one saw it on already.
    again = cli("status", "--json", "--timeout", TOOL_TIMEOUT)
    assert again.json()["changed_since_last"] == []
    # A run that finds it back on says so too, and switches it off.
    site.set_setting(GEN_AI, False)
    assert cli("status", "--timeout", TOOL_TIMEOUT).code == 0
    site.set_setting(GEN_AI, True)
    fixed = cli("run", "--json", "--timeout", TOOL_TIMEOUT)
    assert fixed.code == 0
    assert [c["key"] for c in fixed.json()["changed_since_last"]] == ["generative-ai-training"]

    timeline = cli("history", li_at=None)
    assert timeline.code == 0, timeline.stderr
    lines = timeline.stdout.splitlines()
    gen_ai = lines[lines.index(f"{GEN_AI_LABEL} (generative-ai-training)") + 1 :][:5]
    assert [line.split(maxsplit=3)[2:] for line in gen_ai] == [
        ["run", "on, switched off"],
        ["status", f"found back on (off on {day})"],
        ["status", "on"],
        ["status", "off"],
        ["run", f"found back on (off on {day}), switched off"],
    ]


def _report(started: str, gen_ai: tuple[str, str], changed: bool = False) -> Report:
    when = datetime.fromisoformat(started).replace(tzinfo=UTC)
    settings = [
        SettingReport(
            key="generative-ai-training",
            label=GEN_AI_LABEL,
            before=gen_ai[0],  # type: ignore[arg-type]
            after=gen_ai[1],  # type: ignore[arg-type]
            changed=changed,
            verified=True,
        ),
        SettingReport(
            key="ai-creation-tools", label="AI creation tools", before="off", after="off"
        ),
    ]
    outcome = "changes_needed" if "on" in gen_ai and not changed else "ok"
    return Report(
        outcome=outcome,  # type: ignore[arg-type]
        dry_run=not changed,
        selectors_version="2025-09",
        settings=settings,
        started_at=when,
        finished_at=when,
        locale="en",
    )


@pytest.fixture
def weeks_of_history(tmp_path) -> Path:
    """Four weekly checks, recorded through the history's own API."""
    path = tmp_path / "weeks.sqlite3"
    history = History.open(path)
    assert history is not None
    history.finish(None, "status", _report("2026-10-04T09:00", ("on", "on")))
    history.finish(None, "run", _report("2026-10-11T09:00", ("on", "off"), changed=True))
    history.finish(None, "status", _report("2026-10-18T09:00", ("off", "off")))
    back = history.finish(None, "status", _report("2026-10-25T09:00", ("on", "on")))
    assert [(c.key, c.since.date().isoformat()) for c in back] == [
        ("generative-ai-training", "2026-10-18")
    ]
    history.close()
    return path


def test_history_json_since_and_setting(cli, weeks_of_history):
    result = cli("history", "--history", str(weeks_of_history), "--json", li_at=None)
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["database"] == str(weeks_of_history)
    assert [c["command"] for c in data["checks"]] == ["status", "run", "status", "status"]
    gen_ai, creation = data["timeline"]
    assert [(e["at"][:10], e["event"]) for e in gen_ai["events"]] == [
        ("2026-10-04", "seen_on"),
        ("2026-10-11", "seen_on"),
        ("2026-10-11", "switched_off"),
        ("2026-10-18", "seen_off"),
        ("2026-10-25", "found_back_on"),
    ]
    assert gen_ai["events"][-1]["off_since"].startswith("2026-10-18T09:00")
    assert {e["event"] for e in creation["events"]} == {"seen_off"}

    since = cli("history", "--history", str(weeks_of_history), "--json", "--since", "2026-10-18")
    data = since.json()
    assert [c["started_at"][:10] for c in data["checks"]] == ["2026-10-18", "2026-10-25"]
    # Found back on is worked out from the whole history, before the date too.
    assert [e["event"] for e in data["timeline"][0]["events"]] == ["seen_off", "found_back_on"]

    only = cli(
        "history", "--history", str(weeks_of_history), "--json", "--setting", "ai-creation-tools"
    )
    data = only.json()
    assert [t["key"] for t in data["timeline"]] == ["ai-creation-tools"]
    assert all(s["key"] == "ai-creation-tools" for c in data["checks"] for s in c["settings"])

    text = cli("history", "--history", str(weeks_of_history), "--setting", "ai-creation-tools")
    assert text.stdout.splitlines()[2:] == [
        "AI creation tools (ai-creation-tools)",
        "  2026-10-04 09:00  status  off (4 checks, until 2026-10-25 09:00)",
    ]

    bad = cli("history", "--history", str(weeks_of_history), "--since", "last week")
    assert bad.code == 2
    assert bad.stderr.strip() == "error: --since last week: not a date; give one like 2026-11-01."


def test_history_without_a_database_says_so_and_creates_nothing(cli, home):
    result = cli("history", li_at=None)
    assert result.code == 0
    assert result.stdout.strip() == f"No history yet: {history_file(home)} does not exist."
    assert not (home / ".local").exists()


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
    text = cli("history", li_at=None).stdout
    assert "Checks that read no setting" in text
    assert "status  interrupted" in text


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
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith(f"error: History {path} ")
    assert result.stderr.rstrip().endswith("it was left as it is.")
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
    assert warning.endswith("; it was left as it is. This check is not recorded.")
    if spoil is _not_sqlite:
        assert "is not an SQLite database" in warning
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if "history" in p.name) == [path.name]


# --- notifications -------------------------------------------------------------------


@dataclass
class Inbox:
    url: str
    messages: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """A local endpoint for Apprise's JSON target: each POST is one message."""
    messages: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            messages.append(json.loads(body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Inbox(f"json://127.0.0.1:{server.server_port}/hook", messages)
    server.shutdown()
    server.server_close()


def test_a_setting_found_on_sends_word_naming_it(site, cli, inbox):
    li_at = site.new_session()
    result = cli("status", "--quiet", "--notify", inbox.url, "--timeout", TOOL_TIMEOUT, li_at=li_at)
    assert result.code == 1, result.stderr
    assert result.stderr == ""
    [message] = inbox.messages
    assert message["title"] == "linkedin-optout: an AI setting is on"
    assert message["type"] == "warning"
    assert f"'{GEN_AI_LABEL}': on." in message["message"]
    assert "'linkedin-optout status' (exit 1)" in message["message"]
    assert li_at not in json.dumps(message)


def test_nothing_is_sent_when_all_is_well_unless_asked(site, cli, inbox):
    site.set_setting(GEN_AI, False)
    assert cli("run", "--notify", inbox.url, "--timeout", TOOL_TIMEOUT).code == 0
    assert inbox.messages == []
    assert cli("run", "--notify", inbox.url, "--notify-always", "--timeout", TOOL_TIMEOUT).code == 0
    [message] = inbox.messages
    assert (message["title"], message["type"]) == (
        "linkedin-optout: every AI setting is off",
        "success",
    )


def test_back_on_and_failures_send_word_to_every_url_from_the_environment(site, cli, inbox):
    assert cli("run", "--timeout", TOOL_TIMEOUT).code == 0
    site.set_setting(GEN_AI, True)
    env = {"LINKEDIN_OPTOUT_NOTIFY": f"{inbox.url}?n=1, {inbox.url}?n=2"}
    assert cli("status", "--timeout", TOOL_TIMEOUT, env=env).code == 1
    assert len(inbox.messages) == 2
    message = inbox.messages[0]
    assert message["title"] == "linkedin-optout: LinkedIn switched an AI setting back on"
    assert f"LinkedIn switched '{GEN_AI_LABEL}' back on since " in message["message"]

    inbox.messages.clear()
    expired = cli("status", "--timeout", TOOL_TIMEOUT, env=env, li_at="fixture-expired-value")
    assert expired.code == 3
    assert [m["type"] for m in inbox.messages] == ["failure", "failure"]
    assert inbox.messages[0]["title"] == "linkedin-optout: the check failed (exit 3)"
    assert "linkedin-optout login" in inbox.messages[0]["message"]


def test_an_endpoint_that_is_down_is_a_warning_not_a_failure(site, cli, inbox):
    down = "json://user:hunter2secret@127.0.0.1:9/hook"  # port 9 (discard): nothing listens
    result = cli(
        "status", "--json", "--notify", down, "--notify", inbox.url, "--timeout", TOOL_TIMEOUT
    )
    assert result.code == 1  # the check's code, not the notification's
    assert result.json()["outcome"] == "changes_needed"
    assert "warning: The notification to json://user:****@127.0.0.1:9/hook could not be sent." in (
        result.stderr
    )
    assert "hunter2secret" not in result.output
    assert len(inbox.messages) == 1  # the other URL still got it


def test_notify_without_apprise_is_a_usage_error_before_any_browser(site, home, tmp_path):
    blocked = (
        "import sys; sys.modules['apprise'] = None; "  # `import apprise` now fails
        "sys.argv = ['linkedin-optout', *sys.argv[1:]]; "
        "from linkedin_optout.cli import main; main()"
    )
    env = tool_env(home, LINKEDIN_OPTOUT_BASE_URL=site.url, LINKEDIN_LI_AT=site.new_session())
    proc = subprocess.run(
        [sys.executable, "-c", blocked, "status", "--notify", "json://127.0.0.1:9/"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "error: --notify needs Apprise, an optional extra: pip install 'linkedin-optout[notify]'\n"
    )
    assert site.requests == []
    assert not (home / ".local").exists()


def test_importing_the_cli_imports_neither_sqlite_nor_apprise():
    code = "import sys, linkedin_optout.cli; print({'sqlite3', 'apprise'} & set(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "set()"
