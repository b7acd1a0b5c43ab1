"""How a run uses and guards a session: how the session was supplied (shown,
never its value), sessions that do not work (exit 3, nothing saved), a sign-out
mid-run, and keeping li_at and JSESSIONID out of everything the tool prints or
writes (state files others can read, traces, a sweep of every output and file).

Every run is a real `linkedin-optout` process against the fixture site; the
assertions read the server's own state (site.settings(), site.saves,
site.requests), not only what the tool printed."""

from __future__ import annotations

import json
import os
import re
import secrets
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import GIVE_UP_TIMEOUT, TOOL_TIMEOUT, RecordingSecrets
from helpers import GEN_AI, HOST, Walk, exported, mode_of, write_state_file

import fixtures.routes as fixture_routes  # it mints the JSESSIONID tokens
from linkedin_optout.report import Report


def not_signed_in_requests(site: Any) -> list[Any]:
    """Requests that change something: none may happen without a working session."""
    return [r for r in site.requests if r.method != "GET"]


# --- how the session was supplied ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["state", "env", "profile"])
def test_status_shows_how_the_session_was_supplied_never_its_value(site, cli, tmp_path, kind):
    """In the table, and in the JSON report (--report FILE: the same run writes both)."""
    value = site.new_session()
    report_file = tmp_path / "report.json"
    report_args = ("--report", str(report_file), "--timeout", TOOL_TIMEOUT)
    if kind == "state":
        path = write_state_file(tmp_path / "state" / "state.json", value)
        two_hours_ago = time.time() - 2 * 3600 - 120
        os.utime(path, (two_hours_ago, two_hours_ago))
        result = cli("status", "--state", str(path), *report_args, li_at=None)
        expected = [f"state file {path}", "2 hours ago"]
        in_json = ["state file", str(path)]
        assert result.code == 1, result.output  # signed in; the setting is on
    elif kind == "env":
        result = cli("status", *report_args, li_at=value)
        expected = in_json = ["LINKEDIN_LI_AT"]
        assert result.code == 1, result.output
    else:
        profile = tmp_path / "profile"
        profile.mkdir()
        result = cli("status", "--profile", str(profile), *report_args, li_at=None)
        expected = [f"profile {profile}"]
        in_json = [str(profile)]
        assert result.code == 3, result.output  # a new profile is not signed in
    session = json.loads(report_file.read_text())["session"] or ""
    for text in in_json:
        assert text in session, session
    assert value not in report_file.read_text()
    if kind == "profile":
        # Not signed in: all the more reason to say which session that was.
        for text in expected:
            assert text in result.output, result.output
    else:
        session_lines = [line for line in result.stdout.splitlines() if "Session" in line]
        assert session_lines, result.stdout
        for text in expected:
            assert text in session_lines[0], session_lines
    assert value not in result.output
    assert site.saves == []


# --- sessions that do not work --------------------------------------------------------------

REASONS = {
    "expired": r"expired",
    "signed_out": r"signed[ -]out|not signed in",
    "security_check": r"security check",
    "no_session": r"holds no LinkedIn session",
}


def bad_session(kind: str, site: Any, tmp_path: Path) -> tuple[list[str], str | None, str]:
    """(extra arguments, LINKEDIN_LI_AT value, reason) for a session that does not work."""
    if kind == "unknown-value":  # expired or never valid: the site sends /login
        return [], f"fixture-li_at-{secrets.token_hex(16)}", "expired"
    if kind == "revoked-state-file":
        path = write_state_file(tmp_path / "state.json", site.new_session())
        site.revoke_sessions()  # signed out elsewhere
        return ["--state", str(path)], None, "expired"
    if kind == "empty-profile":
        profile = tmp_path / "new-profile"
        profile.mkdir()
        return ["--profile", str(profile)], None, "no_session"
    if kind == "li_at-never-sent":  # valid, but its path keeps it off every page
        path = write_state_file(
            tmp_path / "state.json", site.new_session(), cookie_path="/never-sent/"
        )
        return ["--state", str(path)], None, "no_session"
    if kind == "checkpoint":
        return [], site.new_session(kind="checkpoint"), "security_check"
    raise AssertionError(kind)


def assert_auth_required(site: Any, result: Any, reason: str, li_at: str | None) -> None:
    assert result.code == 3, result.output
    report = result.json()
    Report.model_validate(report)
    assert report["outcome"] == "auth_required"
    error = report["error"]
    assert error is not None
    message = f"{error['message']} {error.get('advice') or ''}"
    assert re.search(REASONS[reason], message, re.IGNORECASE), message
    assert "linkedin-optout login" in message
    if not isinstance(result, Walk):  # the CLI says it on stderr too
        assert re.search(REASONS[reason], result.stderr, re.IGNORECASE), result.stderr
        assert "linkedin-optout login" in result.stderr
    assert site.saves == []
    assert not_signed_in_requests(site) == []
    assert site.settings()[GEN_AI] is True
    if li_at:
        assert li_at not in result.output


BAD_KINDS = [
    "unknown-value",
    "revoked-state-file",
    "empty-profile",
    "li_at-never-sent",
    "checkpoint",
]


@pytest.mark.parametrize("kind", BAD_KINDS)
def test_run_with_a_session_that_does_not_work_exits_3_and_saves_nothing(site, cli, tmp_path, kind):
    args, li_at, reason = bad_session(kind, site, tmp_path)
    result = cli("run", *args, "--json", "--timeout", TOOL_TIMEOUT, li_at=li_at)
    assert_auth_required(site, result, reason, li_at)
    if reason == "no_session":  # no li_at the site would get: nothing to ask it
        assert site.requests == []
    else:
        assert site.requests, "the tool never asked the site: it cannot know the session is bad"


@pytest.mark.parametrize("kind", ["unknown-value", "checkpoint"])
@pytest.mark.parametrize("mode", ["status", "probe"])
def test_read_only_walks_check_the_session_too(site, walk, tmp_path, mode, kind):
    args, li_at, reason = bad_session(kind, site, tmp_path)
    assert args == [] and li_at is not None  # a cookie value: the walk takes it as it is
    result = walk(mode, li_at=li_at)
    assert_auth_required(site, result, reason, li_at)


@pytest.mark.parametrize("command", [["status"], ["selectors", "probe"]], ids=["status", "probe"])
def test_read_only_commands_check_the_session_too(site, cli, tmp_path, command):
    args, li_at, reason = bad_session("empty-profile", site, tmp_path)
    result = cli(*command, *args, "--json", "--timeout", TOOL_TIMEOUT, li_at=li_at)
    assert_auth_required(site, result, reason, li_at)


def test_doctor_online_reports_a_session_that_is_not_signed_in(site, cli):
    li_at = f"fixture-li_at-{secrets.token_hex(16)}"
    result = cli("doctor", "--online", "--timeout", TOOL_TIMEOUT, li_at=li_at)
    assert result.code != 0, result.output
    lines = [line for line in result.output.splitlines() if "signed in" in line.lower()]
    assert lines and "✗" in lines[0], result.output
    assert "expired" in result.output.lower()
    assert li_at not in result.output
    assert site.saves == []


def test_a_sign_out_in_the_middle_of_a_run_stops_it_with_exit_3(site, cli):
    site.configure(layout="2025-09", signout_after_saves=1)
    li_at = site.new_session()
    result = cli("run", "--json", "--timeout", TOOL_TIMEOUT, li_at=li_at)
    assert result.code == 3, result.output
    report = result.json()
    assert report["outcome"] == "auth_required"
    assert re.search("expired", report["error"]["message"], re.IGNORECASE)
    assert "linkedin-optout login" in result.stderr
    # One save reached the site; after the sign-out nothing more was tried.
    assert len(site.saves) == 1
    assert site.saves[0].value is False
    assert list(site.settings().values()).count(False) == 1
    assert li_at not in result.output


# --- secrets ---------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o602], ids=oct)
def test_a_state_file_others_can_read_or_write_is_refused(site, cli, tmp_path, mode):
    value = site.new_session()
    path = write_state_file(tmp_path / "state.json", value, mode=mode)
    result = cli("run", "--state", str(path), "--timeout", TOOL_TIMEOUT, li_at=None)
    assert result.code == 2, result.output
    assert "chmod 600" in result.stderr
    assert str(path) in result.stderr
    assert value not in result.output
    assert site.requests == []  # refused before any browser or page
    assert mode_of(path) == mode  # the tool does not silently "fix" it


def test_the_default_state_file_is_refused_when_others_can_read_it(site, cli, home):
    value = site.new_session()
    path = write_state_file(home / ".config" / "linkedin-optout" / "state.json", value, mode=0o644)
    result = cli("status", "--json", "--timeout", TOOL_TIMEOUT, li_at=None)
    assert result.code == 2, result.output
    assert f"chmod 600 {path}" in result.stderr
    assert value not in result.output
    assert site.requests == []
    assert mode_of(path) == 0o644


def test_trace_warns_that_it_holds_the_session(site, cli, tmp_path):
    li_at = site.new_session()
    trace = tmp_path / "trace.zip"
    result = cli("run", "--trace", str(trace), "--timeout", TOOL_TIMEOUT, li_at=li_at)
    assert result.code == 0, result.output
    warning = [line for line in result.stderr.splitlines() if "trace" in line.lower()]
    assert warning, result.stderr
    assert any("session" in line.lower() for line in warning), warning
    assert trace.is_file()
    assert mode_of(trace) == 0o600
    assert li_at not in result.output
    assert site.settings()[GEN_AI] is False


def test_no_session_value_leaks_into_any_output_or_file(site, cli, tmp_path, home, monkeypatch):
    recorder = RecordingSecrets()
    monkeypatch.setattr(fixture_routes, "secrets", recorder)
    sentinel = site.new_session()
    inputs = tmp_path / "inputs"  # written by the test: holds the value on purpose
    inputs.mkdir()
    out = tmp_path / "out"
    state = out / "state" / "state.json"
    login_state = out / "login" / "state.json"
    trace = out / "trace.zip"
    report_file = out / "report.json"
    shots = out / "shots"
    diag = out / "diag"
    cookie_file = inputs / "cookies.json"
    cookie_file.write_text(json.dumps([exported("li_at", sentinel, HOST, httpOnly=True)]))

    results = []

    def step(*args: str, li_at: str | None, codes: tuple[int, ...] = (0,)) -> Any:
        # Real processes: what reaches the terminal includes whatever Python,
        # asyncio or Playwright print as the process ends.
        result = cli(*args, li_at=li_at, process=True)
        assert result.code in codes, (args, result.output)
        results.append(result)
        return result

    step("login", "--import-cookies", str(cookie_file), "--state", str(state), li_at=None)
    step("status", "--state", str(state), "--timeout", TOOL_TIMEOUT, li_at=None, codes=(1,))
    step("selectors", "probe", "--state", str(state), "--timeout", TOOL_TIMEOUT, li_at=None)
    step(
        "run", "--state", str(state), "--json", "--report", str(report_file),
        "--screenshots", str(shots), "--timeout", TOOL_TIMEOUT, li_at=None,
    )  # fmt: skip
    step("run", "--trace", str(trace), "--timeout", TOOL_TIMEOUT, li_at=sentinel)
    step("status", "--json", "--timeout", TOOL_TIMEOUT, li_at=sentinel)
    step("doctor", li_at=sentinel)
    step("doctor", "--online", "--state", str(state), "--timeout", TOOL_TIMEOUT, li_at=None)
    site.configure(autologin=True)
    step("login", "--headless", "--state", str(login_state), "--timeout", TOOL_TIMEOUT, li_at=None)
    site.configure(autologin=False, layout="redesign")
    # Two runs that give up waiting for a switch the page never shows: a short limit.
    give_up = ("--timeout", GIVE_UP_TIMEOUT)
    step("run", *give_up, "--diagnostics", str(diag), li_at=sentinel, codes=(4,))
    step("run", "--state", str(state), "--json", *give_up, li_at=None, codes=(4,))

    # The runs really happened, and wrote what they should.
    assert site.settings()[GEN_AI] is False
    assert report_file.is_file()
    assert sorted(p.name for p in shots.iterdir()) == [
        "generative-ai-training-after.png",
        "generative-ai-training-before.png",
    ]
    assert (diag / "page.html").is_file() and (diag / "report.json").is_file()
    assert trace.is_file()

    with site._lock:  # every li_at the site accepted in this test (login made one more)
        li_ats = set(site._book.sessions) | set(site._book.doomed)
    assert sentinel in li_ats and len(li_ats) >= 2
    assert recorder.tokens, "the site set no JSESSIONID: the scan would prove nothing"
    secret_values = sorted(li_ats) + recorder.tokens
    # Positive control: the state files do hold them (else the scan would be blind).
    assert sentinel in state.read_text()
    assert any(token in login_state.read_text() for token in recorder.tokens)

    allowed = {state, login_state, trace}  # state files and traces hold the session by design
    scanned: list[Path] = []
    leaks: list[str] = []
    for path in sorted(tmp_path.rglob("*")):
        if inputs in path.parents or path == inputs:
            continue
        for value in secret_values:
            if value in path.name:
                leaks.append(f"file name {path}")
        if path in allowed or not path.is_file():
            continue
        scanned.append(path)
        data = path.read_bytes()
        for value in secret_values:
            if value.encode() in data:
                leaks.append(f"{path} holds {value[:18]}...")
    for index, result in enumerate(results):
        for value in secret_values:
            if value in result.output:
                leaks.append(f"output of command {index} holds {value[:18]}...")
    assert report_file in scanned and diag / "page.html" in scanned
    assert leaks == []


def test_short_cookie_values_do_not_break_the_json_report(site, cli, tmp_path):
    """Only session values and token-long ones are scrubbed: a 'liap=true'
    cookie must not turn "dry_run": true into [redacted]."""
    state = tmp_path / "state.json"
    cookies = [
        {"name": "li_at", "value": site.new_session(), "domain": "127.0.0.1", "path": "/"},
        {"name": "liap", "value": "true", "domain": "127.0.0.1", "path": "/"},
    ]
    state.write_text(json.dumps({"cookies": cookies, "origins": []}))
    state.chmod(0o600)
    result = cli("status", "--state", str(state), "--json", "--timeout", TOOL_TIMEOUT, li_at=None)
    assert result.code == 1, result.stderr
    assert result.json()["dry_run"] is True
