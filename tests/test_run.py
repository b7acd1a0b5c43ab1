"""The opt-out end to end: `run`, `status`, `--json`, exit codes, against the
fixture site, asserting the server's own state. The command line's contract
runs the real CLI (`cli`): one test per exit code at least; what the walk does
runs in this process (`walk`)."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import GIVE_UP_TIMEOUT, SLOW_MACHINE_DEADLINE_S, TOOL_TIMEOUT
from helpers import CREATION, GEN_AI, GEN_AI_TITLE, TRAINING, error_lines, states

from linkedin_optout.report import Report


def test_run_switches_the_2024_09_setting_off_and_the_server_agrees(site, cli):
    result = cli("run", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stderr
    report = result.json()
    Report.model_validate(report)  # the JSON report is the model
    assert report["outcome"] == "ok"
    assert report["selectors_version"] == "2024-09"
    assert report["dry_run"] is False
    training = report["settings"][0]
    assert training == training | {
        "key": TRAINING,
        "before": "on",
        "after": "off",
        "changed": True,
        "verified": True,
        "strategy": "labelledby",
    }
    assert states(report)["ai-creation-tools"] == ("absent", "absent")
    assert site.settings()[GEN_AI] is False
    assert [(s.setting_id, s.value) for s in site.saves] == [(GEN_AI, False)]
    assert site.csrf_failures == 0


@pytest.mark.parametrize("inline", [False, True], ids=["rows", "inline-switches"])
def test_run_switches_both_2025_09_settings_off(site, walk, inline):
    site.configure(layout="2025-09", inline_switches=inline)
    result = walk("run")
    assert result.code == 0, result.stderr
    report = result.json()
    assert report["selectors_version"] == "2025-09"
    assert states(report) == {
        TRAINING: ("on", "off"),
        "ai-creation-tools": ("on", "off"),
    }
    assert all(s["verified"] and s["changed"] for s in report["settings"])
    assert site.settings()[GEN_AI] is False
    assert site.settings()[CREATION] is False


def test_a_setting_already_off_gets_no_request(site, walk):
    site.set_setting(GEN_AI, False)
    result = walk("run")
    assert result.code == 0, result.stderr
    training = result.json()["settings"][0]
    assert (training["before"], training["after"], training["changed"]) == ("off", "off", False)
    assert site.saves == []
    assert not [r for r in site.requests if r.method != "GET"]


def test_status_changes_nothing_and_exits_1_when_a_setting_is_on(site, cli):
    site.configure(layout="2025-09")
    site.set_setting(CREATION, False)
    before = site.settings()
    result = cli("status", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 1, result.stderr
    report = result.json()
    assert report["outcome"] == "changes_needed"
    assert report["dry_run"] is True
    assert states(report) == {
        TRAINING: ("on", "on"),
        "ai-creation-tools": ("off", "off"),
    }
    assert site.settings() == before
    assert site.saves == []


def test_run_dry_run_is_status(site, cli):
    site.set_setting(GEN_AI, False)
    result = cli("run", "--dry-run", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stderr
    assert result.json()["dry_run"] is True
    assert site.saves == []


def test_only_limits_the_run_to_one_setting(site, walk):
    site.configure(layout="2025-09")
    result = walk("run", only=["ai-creation-tools"])
    assert result.code == 0, result.stderr
    assert [s["key"] for s in result.json()["settings"]] == ["ai-creation-tools"]
    assert site.settings()[CREATION] is False
    assert site.settings()[GEN_AI] is True  # not asked for: not touched


def test_table_output_names_each_setting_and_the_result(site, cli):
    # NO_COLOR empty is unset: no colour all the same, as neither stream is a terminal.
    # 120 columns: at 80 a long title folds under its indent (tests/test_terminal.py).
    result = cli("run", "--timeout", TOOL_TIMEOUT, env={"NO_COLOR": "", "COLUMNS": "120"})
    assert result.code == 0
    assert "\x1b[" not in result.output
    assert "Data for Generative AI Improvement" in result.stdout
    assert "yes (reloaded)" in result.stdout
    assert "Opened Data privacy" in result.stderr  # steps as they happen, on stderr


def test_no_session_exits_3_with_the_command_that_fixes_it(site, cli):
    result = cli("run", "--json", li_at=None)
    assert result.code == 3
    assert result.json()["outcome"] == "auth_required"
    assert "linkedin-optout login" in result.stderr
    assert site.requests == []  # no session: not even a page load


def test_an_unknown_page_exits_4_and_touches_nothing(site, cli, tmp_path):
    site.configure(layout="redesign")
    # The tool gives up waiting for a switch the page never shows: a short limit.
    diag = str(tmp_path / "diag")
    result = cli("run", "--json", "--timeout", GIVE_UP_TIMEOUT, "--diagnostics", diag)
    assert result.code == 4, result.stderr
    report = result.json()
    assert report["outcome"] == "page_not_recognized"
    assert "not recognized" in result.stderr or "no switch" in result.stderr
    assert f"Diagnostics saved in {diag}." in result.stderr  # the path is printed
    assert site.saves == []
    assert (tmp_path / "diag" / "page.html").exists()


def test_a_save_that_fails_exits_5_and_says_why_on_stderr(site, cli):
    site.configure(save_fault="error")
    result = cli("run", "--json", "--timeout", TOOL_TIMEOUT, "--retries", "0")
    assert result.code == 5, result.stderr
    report = result.json()
    assert report["outcome"] == "change_failed"
    assert report["error"]["setting"] == TRAINING
    assert site.settings()[GEN_AI] is True
    # The error, its cause (LinkedIn answered HTTP 500), and what to do.
    assert any(GEN_AI_TITLE in line and "500" in line for line in error_lines(result))
    assert report["error"]["advice"] in result.stderr


def test_help_works_without_a_browser(tmp_path):
    env = {"PATH": "/nonexistent", "HOME": str(tmp_path), "LINKEDIN_OPTOUT_BROWSER": "/nonexistent"}
    for args in ([], ["run"], ["status"], ["login"], ["selectors", "probe"]):
        proc = subprocess.run(
            [sys.executable, "-m", "linkedin_optout", *args, "--help"],
            env=env,
            capture_output=True,
            text=True,
            timeout=SLOW_MACHINE_DEADLINE_S,
        )
        assert proc.returncode == 0, proc.stderr
        assert "Usage:" in proc.stdout


def test_importing_the_cli_does_not_import_playwright():
    code = "import sys, linkedin_optout.cli; print('playwright' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=SLOW_MACHINE_DEADLINE_S,
    )
    assert out.stdout.strip() == "False"
