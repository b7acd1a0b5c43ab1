"""Watching and output: --step, --quiet, colour, --screenshots,
--report, and doctor."""

from __future__ import annotations

import json
import os

from conftest import TOOL_TIMEOUT
from helpers import GEN_AI


def test_step_asks_before_each_action_and_outlines_it(site, cli):
    result = cli("run", "--step", "--timeout", TOOL_TIMEOUT, stdin="\n" * 20)
    assert result.code == 0, result.stderr
    prompts = [line for line in result.stderr.splitlines() if line.startswith("? Next:")]
    # Data privacy link, the setting's row, the switch: each asked for first.
    assert len(prompts) == 3, prompts
    assert "open Data privacy" in prompts[0]
    assert "switch off" in prompts[2]
    assert site.settings()[GEN_AI] is False


def test_step_without_anyone_at_the_keyboard_stops_and_changes_nothing(site, cli):
    result = cli("run", "--step", "--timeout", TOOL_TIMEOUT, stdin="")
    assert result.code == 2, result.stderr  # end of input: stop (test_cli_surprises.py)
    assert site.settings()[GEN_AI] is True


def test_quiet_prints_only_the_result(site, cli):
    result = cli("run", "--quiet", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0
    assert result.stderr == ""
    assert result.stdout.startswith("Result:") and len(result.stdout.splitlines()) == 1


# (No colour when not a terminal: test_run.py's test_table_output...)


def test_screenshots_are_named_by_setting_and_step_and_report_file_is_the_json_report(
    site, cli, tmp_path
):
    """Two files a run writes besides its output, in one run."""
    shots = tmp_path / "shots"
    path = tmp_path / "records" / "optout.json"
    result = cli(
        "run", "--json", "--report", str(path), "--screenshots", str(shots),
        "--timeout", TOOL_TIMEOUT,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    names = sorted(p.name for p in shots.iterdir())
    assert names == ["generative-ai-training-after.png", "generative-ai-training-before.png"]
    assert all((shots / n).read_bytes().startswith(b"\x89PNG") for n in names)
    assert json.loads(path.read_text()) == result.json()


def test_doctor_catches_a_missing_browser(cli):
    result = cli("doctor", env={"LINKEDIN_OPTOUT_BROWSER": "/nonexistent/chrome"})
    assert result.code == 1
    assert "✗ Browser" in result.stdout
    assert "--browser-path" in result.stdout  # the fix


def test_doctor_catches_a_state_file_others_can_read(cli, tmp_path):
    state = tmp_path / "state.json"
    state.write_text('{"cookies": [], "origins": []}')
    os.chmod(state, 0o644)
    result = cli("doctor", "--state", str(state), li_at=None)
    assert result.code == 1
    assert f"chmod 600 {state}" in result.stdout


def test_doctor_online_says_the_session_is_signed_in(cli):
    result = cli("doctor", "--online", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stdout
    assert "✓ Session signed in" in result.stdout


def test_doctor_online_catches_an_expired_session(cli):
    result = cli("doctor", "--online", "--timeout", TOOL_TIMEOUT, li_at="fixture-expired-value")
    assert result.code == 1
    assert "✗ Session signed in" in result.stdout
    assert "linkedin-optout login" in result.stdout


def test_headed_without_a_display_says_so(site, cli):
    result = cli("run", "--headed", "--json", env={"DISPLAY": "", "WAYLAND_DISPLAY": ""})
    assert result.code == 6
    assert result.json()["outcome"] == "browser_error"
    assert "needs a display" in result.stderr
    assert site.requests == []
