"""A command line without surprises (issue 22, item 6): what a new user meets with
`--help`, typos, pipes, Ctrl-C and `-q`, and the words the results use. Most run
the CLI in this process with the walk replaced (no browser); the few that need the
real thing say so."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import SLOW_MACHINE_DEADLINE_S, TOOL_TIMEOUT, tool_env
from helpers import GEN_AI
from typer.testing import CliRunner

from linkedin_optout import browser_run, cli, errors, session, terminal
from linkedin_optout.console import Console
from linkedin_optout.findings import Finding, new_findings
from linkedin_optout.report import (
    Report,
    RunResult,
    SettingReport,
    derive_outcome,
    now,
)
from linkedin_optout.selectors import bundled_selector_files, setting_keys

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
KEYS = setting_keys(bundled_selector_files())


def fake_walk(monkeypatch: pytest.MonkeyPatch, states: dict[str, str]) -> None:
    """browser_run.run replaced: each key asked for reads as `states` says (default: its
    recommended value, off for a switch)."""

    def walk(opts: Any, source: Any, console: Console, diagnostics: Any) -> RunResult:
        findings = new_findings(opts)
        for key in opts.keys:
            state = states.get(key, opts.targets.get(key, "off"))
            findings.record(key, before=state, after=state, verified=state != "unknown")
        return RunResult(settings=findings.reports(), selectors_version="2025-09", locale="en")

    monkeypatch.setattr(browser_run, "run", walk)
    monkeypatch.setattr(session, "choose_source", lambda *a, **k: session.SessionSource("env"))


def invoke(*args: str, columns: int = 120) -> Any:
    return runner.invoke(cli.app, list(args), env={"COLUMNS": str(columns), "NO_COLOR": "1"})


def report(settings: list[SettingReport], dry_run: bool, outcome: str | None = None) -> Report:
    return Report(
        outcome=outcome or derive_outcome(settings, dry_run, None),  # type: ignore[arg-type]
        dry_run=dry_run,
        selectors_version="2025-09",
        settings=settings,
        started_at=now(),
        finished_at=now(),
    )


def setting(key: str, before: str, after: str, **more: Any) -> SettingReport:
    return SettingReport(key=key, label=f"Label of {key}", before=before, after=after, **more)


# --- --step with no one at the keyboard ------------------------------------------------


def test_step_stops_at_the_end_of_input_and_changes_nothing(site, cli):
    """End of input at a prompt means "stop, change nothing" (exit 2): a piped answer
    ("\\n" * N, a file of Enters) is still an answer, so --step is not refused off a
    terminal outright."""
    result = cli("run", "--step", "--json", "--timeout", TOOL_TIMEOUT, stdin="")
    assert result.code == 2, result.stderr
    assert site.settings()[GEN_AI] is True
    assert site.saves == []
    assert result.json()["outcome"] == "interrupted"
    [line] = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert "--step" in line and "input ended" in line and "nothing more was changed" in line


# --- a site that cannot be reached -------------------------------------------------------


@pytest.mark.parametrize(
    "cause",
    [
        "net::ERR_NAME_NOT_RESOLVED at https://www.linkedln.com/mypreferences/d/",
        "net::ERR_CONNECTION_REFUSED at http://127.0.0.1:9/",
    ],
)
def test_a_host_that_does_not_answer_is_unreachable_not_a_failed_change(cause):
    error = errors.unreachable(cause, "https://www.linkedln.com", "open Data privacy")
    assert isinstance(error, errors.SiteUnreachable)
    assert (error.exit_code, error.outcome) == (7, "unreachable")
    assert error.message.startswith("The site cannot be reached: https://www.linkedln.com (")
    assert "net::" not in error.message  # the raw error is detail, in the advice
    assert error.advice and "--base-url" in error.advice and "net::ERR_" in error.advice
    assert errors.unreachable("net::ERR_ABORTED at x", "https://x") is None  # a page's own


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_base_url_nothing_listens_on_exits_7_and_is_recorded_unreachable(cli):
    url = f"http://127.0.0.1:{free_port()}"
    result = cli("status", "--json", "--base-url", url, "--retries", "0")
    assert result.code == 7, result.stderr
    assert result.json()["outcome"] == "unreachable"
    [line] = [x for x in result.stderr.splitlines() if x.startswith("error:")]
    assert line.startswith(f"error: The site cannot be reached: {url}")
    assert "net::" not in line and "check --base-url" in result.stderr.lower()
    text = cli("status", "--base-url", url, "--retries", "0")
    assert text.code == 7
    assert "Result: The site cannot be reached" in text.stdout
    assert "dry run" not in text.output and "could not be switched off" not in text.output
    history = cli("history", "--json", li_at=None).json()
    assert [c["outcome"] for c in history["checks"]] == ["unreachable", "unreachable"]
    assert [c["exit_code"] for c in history["checks"]] == [7, 7]


# --- a closed pipe -------------------------------------------------------------------------


def run_into_a_closed_pipe(
    args: list[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`linkedin-optout ARGS | head -0`: the reader is gone before the first line."""
    read, write = os.pipe()
    os.close(read)
    try:
        return subprocess.run(
            [sys.executable, "-m", "linkedin_optout", *args],
            env=env,
            stdout=write,
            stderr=subprocess.PIPE,
            text=True,
            timeout=SLOW_MACHINE_DEADLINE_S,
        )
    finally:
        os.close(write)


def test_a_closed_pipe_keeps_the_exit_code_and_prints_no_traceback(home):
    proc = run_into_a_closed_pipe(["history"], tool_env(home))
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""


def test_status_into_a_closed_pipe_exits_with_the_checks_own_code(site, home, browser_executable):
    site.set_setting(GEN_AI, False)
    env = tool_env(
        home,
        LINKEDIN_OPTOUT_BASE_URL=site.url,
        LINKEDIN_OPTOUT_BROWSER=browser_executable,
        LINKEDIN_LI_AT=site.new_session(),
    )
    proc = run_into_a_closed_pipe(["status", "--timeout", TOOL_TIMEOUT], env)
    assert proc.returncode == 0, proc.stderr  # all off: 0, not 1 ("a setting is on")
    assert "Traceback" not in proc.stderr


# --- what a read shows, what a stopped run shows, -q -------------------------------------


def render_table(report: Report, colour: bool) -> str:
    """What `status` (a read) or `run` prints: terminal.render, off a terminal."""
    return terminal.render(
        report,
        "status" if report.dry_run else "run",
        base_url="https://www.linkedin.com",
        selector_files=bundled_selector_files(),
        colour=colour,
        terminal=False,
        width=120,
    )


def test_a_read_has_one_state_column_and_no_dry_run_suffix():
    rows = [setting(KEYS[0], "on", "on", verified=True), setting(KEYS[1], "absent", "absent")]
    text = render_table(report(rows, dry_run=True), colour=False)
    header = next(line for line in text.splitlines() if line.startswith("Setting"))
    assert re.split(r"\s{2,}", header) == ["Setting", "State"]
    assert "Verified" not in text and "Changed" not in text and "dry run" not in text
    assert re.search(rf"Label of {KEYS[1]}\s+not offered$", text, re.M)
    assert "Result: 1 setting is on. Run 'linkedin-optout run'" in text
    signed_out = report([setting(KEYS[0], "unknown", "unknown")], True, "auth_required")
    assert render_table(signed_out, colour=False).endswith("Result: Not signed in.")


def test_a_run_never_says_verified_yes_for_a_setting_not_offered():
    rows = [setting(KEYS[0], "absent", "absent", verified=True)]
    text = render_table(report(rows, dry_run=False), colour=False)
    row = next(line for line in text.splitlines() if line.startswith("Label of"))
    assert re.split(r"\s{2,}", row) == [
        f"Label of {KEYS[0]}",
        "not offered",
        "not offered",
        "no",
        "-",
    ]


def test_after_ctrl_c_the_changed_column_says_the_switch_was_clicked():
    clicked = Finding(key=KEYS[0], label="Training", before="on", click="clicked")
    rows = [clicked.report(stopped=True)]
    text = render_table(report(rows, False, "interrupted"), colour=False)
    row = next(line for line in text.splitlines() if line.startswith("Training"))
    assert re.split(r"\s{2,}", row) == ["Training", "on", "unknown", "clicked, unconfirmed", "no"]


@pytest.mark.parametrize("command", ["status", "checkup", "run"])
def test_quiet_prints_only_the_result_line(monkeypatch, command):
    fake_walk(monkeypatch, {KEYS[0]: "on"})
    result = invoke(command, "-q", "--no-history", "--base-url", "http://127.0.0.1:9")
    lines = result.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("Result: "), result.stdout


def test_the_result_counts_the_settings_that_are_not_at_their_recommended_value(monkeypatch):
    fake_walk(monkeypatch, dict.fromkeys(KEYS[:9], "on"))
    result = invoke("checkup", "-q", "--no-history", "--base-url", "http://127.0.0.1:9")
    assert result.exit_code == 1
    assert result.stdout.startswith("Result: 9 settings are not at their recommended value.")


# --- errors in one style ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (
            ["run", "--only", "reserch"],
            "error: --only reserch: no such setting (did you mean 'research'?).",
        ),
        (
            ["status", "--group", "adds"],
            "error: --group adds: no such group (did you mean 'ads'?).",
        ),
        (["history", "--setting", "ads-agee"], "did you mean 'ads-age'?"),
        (
            ["run", "--channel", "chrom"],
            "error: --channel chrom: not one of chrome, msedge (did you mean 'chrome'?).",
        ),
        (["run", "--timeout", "abc"], "error: --timeout: not a number."),
        (["run", "--retries", "x"], "error: --retries: not a whole number."),
        (["run", "--timeout", "0"], "error: --timeout: must be 1 or more."),
        (["run", "--onyl", "x"], "error: no such option: --onyl (did you mean --only?)."),
        (["stauts"], "error: no such command: stauts (did you mean 'status'?)."),
    ],
)
def test_a_refused_command_line_is_one_plain_error_line(monkeypatch, args, says):
    monkeypatch.setattr(browser_run, "run", lambda *a: pytest.fail("no browser may start"))
    result = invoke(*args, "--no-history") if args[0] in ("run", "status") else invoke(*args)
    assert result.exit_code == 2, result.output
    first = result.stderr.splitlines()[0]
    assert says in first, result.stderr
    for words in ("Value error", "Input should", "unable to parse", "Usage:", "Error:"):
        assert words not in result.stderr


@pytest.mark.parametrize(
    "args", [[], ["selectors"], ["-h"], ["run", "-h"], ["selectors", "probe", "-h"]]
)
def test_help_on_h_and_on_no_arguments_exits_0(args):
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "Usage: linkedin-optout" in result.stdout


# --- the help ---------------------------------------------------------------------------


@pytest.mark.parametrize("columns", [80, 120])
def test_help_keeps_keys_whole_and_summaries_uncut(columns):
    top = invoke("--help", columns=columns).stdout
    from linkedin_optout.cli_app import SHORT

    for name in ("run", "status", "checkup", "login", "logout", "doctor", "history"):
        assert SHORT[name] in top  # whole, not cut with "..."
    assert not re.search(r"\.\.\.\s*│", top)
    assert "Examples:" in top
    for args in (["run", "--help"], ["status", "--help"], ["history", "--help"]):
        text = invoke(*args, columns=columns).stdout
        lines = text.splitlines()
        for key in KEYS:  # each key whole on one line: copying it gives the right key
            assert any(re.search(rf"(?<![\w-]){re.escape(key)}(?![\w-])", x) for x in lines), (
                key,
                text,
            )
        assert "Examples:" in text
        assert max(len(x.rstrip()) for x in lines) <= columns


def test_options_sit_in_panels_and_only_those_that_apply_are_listed():
    text = invoke("run", "--help").stdout
    for panel in ("Session", "Settings", "Browser", "Output", "History and notifications"):
        assert f"─ {panel} ─" in text
    assert "--step" in text
    assert "--step" not in invoke("status", "--help").stdout
    assert "LINKEDIN_LI_AT" not in invoke("logout", "--help").stdout
    assert "<bool>" not in text


# --- one state, one word; progress ------------------------------------------------------


class FakeTty:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> int:
        self.text += text
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError("no descriptor")


def test_progress_says_what_a_person_understands(monkeypatch):
    stream = __import__("io").StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    console = Console()
    console.progress_start(2)
    console.finding("a", "Setting A", "on", "labelledby")
    console.finding("b", "Setting B", "absent")
    assert stream.getvalue() == "- Setting A: on (1 of 2)\n- Setting B: not offered (2 of 2)\n"


def test_a_runs_bar_does_not_say_all_read_while_it_still_saves(monkeypatch):
    monkeypatch.setattr(sys, "stderr", FakeTty())
    monkeypatch.setenv("NO_COLOR", "1")
    console = Console(changing=True)
    console.progress_start(2)
    console.finding("a", "Setting A", "on")
    console.finding("b", "Setting B", "on")
    task = console._progress.tasks[0]
    assert task.description == "Switching off and confirming"
    assert "2 of 2 read" not in task.fields["count"]
    console.progress_end()


def test_not_offered_is_one_word_in_what_a_person_reads():
    from linkedin_optout.notify import compose
    from linkedin_optout.timeline import EVENT_TEXT

    rep = report([setting(KEYS[0], "absent", "absent"), setting(KEYS[1], "on", "on")], True)
    _title, body, _ = compose(rep, "status")
    assert f"'Label of {KEYS[0]}': not offered." in body
    assert EVENT_TEXT["absent"] == "not offered"
    assert json.loads(rep.model_dump_json())["settings"][0]["after"] == "absent"  # JSON as is


# --- small things -------------------------------------------------------------------------


def test_one_imported_cookie_is_one_cookie(tmp_path, monkeypatch):
    export = tmp_path / "cookies.txt"
    export.write_text(
        "# Netscape HTTP Cookie File\n.linkedin.com\tTRUE\t/\tTRUE\t0\tli_at\tmade-up-value\n"
    )
    export.chmod(0o600)
    monkeypatch.setenv("HOME", str(tmp_path))
    target = tmp_path / "state.json"
    result = invoke("login", "--import-cookies", str(export), "--state", str(target))
    assert result.exit_code == 0, result.output
    assert f"Imported 1 LinkedIn cookie into {target}" in result.stdout
    assert "made-up-value" not in result.output


def test_a_failed_notification_says_why(capsys):
    from linkedin_optout.notify import send

    rep = report([setting(KEYS[0], "on", "on")], True)
    port = free_port()
    send([f"json://someone:made-up-secret@127.0.0.1:{port}/hook"], rep, "status", Console())
    err = capsys.readouterr().err
    assert (
        f"The notification to json://someone:****@127.0.0.1:{port}/hook could not be sent: " in err
    )
    reason = err.split("could not be sent: ", 1)[1].strip()
    assert reason and reason != "." and "made-up-secret" not in err


def test_history_shows_words_not_codes(tmp_path):
    from linkedin_optout.history import History
    from linkedin_optout.timeline import show

    path = tmp_path / "history.sqlite3"
    history = History.open(path)
    assert history is not None
    history.finish(
        None, "run", report([setting(KEYS[0], "unknown", "unknown")], False, "change_failed")
    )
    history.close()
    text = show(path, since=None, setting=None, as_json=False)
    assert "a change failed" in text
    assert "change_failed" not in text and "exit 5" not in text


# --- make demo ---------------------------------------------------------------------------


def test_the_demo_says_where_the_command_is():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import demo
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    said = demo.where_the_command_is()
    assert "bin/linkedin-optout" in said and "bin/activate" in said


def test_ensure_browser_uses_a_browser_it_finds_before_any_download(tmp_path, browser_executable):
    """A fresh virtual environment (no download tried yet) on a machine with a browser."""
    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    python = bin_dir / "python"
    python.write_text(f'#!/bin/sh\nexec {sys.executable} "$@"\n')
    python.chmod(0o755)
    env = {
        **os.environ,
        "LINKEDIN_OPTOUT_BROWSER": browser_executable,
        "PLAYWRIGHT_BROWSERS_PATH": str(tmp_path / "no-playwright-browsers"),
        "PLAYWRIGHT_DOWNLOAD_HOST": f"http://127.0.0.1:{free_port()}",  # fails at once
    }
    proc = subprocess.run(
        ["bash", str(ROOT / "scripts" / "ensure-browser.sh"), str(python)],
        env=env,
        capture_output=True,
        text=True,
        timeout=SLOW_MACHINE_DEADLINE_S,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("browser: ")
    assert "download" not in proc.stderr.lower(), proc.stderr
    assert not (tmp_path / "venv" / ".playwright-download-tried").exists()


def test_the_exit_code_tables_list_unreachable():
    from linkedin_optout.report import EXIT_CODES

    assert EXIT_CODES["unreachable"] == 7
    table = (ROOT / "docs" / "exit-codes.md").read_text()
    assert "| 7 | the site cannot be reached" in table
    assert "`unreachable`" in table


def test_an_empty_li_at_is_said_to_be_empty_not_unset(site, cli):
    result = cli("status", li_at="")
    assert result.code == 2, result.output
    assert "LINKEDIN_LI_AT is set but empty" in result.stderr
    assert site.requests == []
