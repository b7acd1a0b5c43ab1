"""Never lie about a setting: faults the fixture site injects.

Every test runs the real walk against the fixture site with one fault switched
on (in this process, `walk`, unless the fault is in the process itself: then the
real CLI, `cli`), and checks the exit code, the outcome, and that the report
agrees with the server's own state (`site.settings()`, `site.saves`,
`site.requests`): a setting is reported `off` only when the server has it off,
`on` only when the server has it on, and anything the tool could not read back
is `unknown` and not verified. Both fixtures check afterwards that nothing else
changed and that no save switched anything on.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys

import pytest
from conftest import CLI_DEADLINE_S, GIVE_UP_TIMEOUT, TOOL_TIMEOUT, CliResult, tool_env
from helpers import (
    CREATION,
    GEN_AI,
    GEN_AI_PAGE,
    GEN_AI_TITLE,
    SERVER_ID,
    TOOLS,
    TRAINING,
    assert_report_tells_the_truth,
    by_key,
    descendants,
    error_lines,
    free_port,
    is_browser,
)

# -- save faults ---------------------------------------------------------------------


@pytest.mark.parametrize("retries", [0, 1])
def test_a_save_the_server_refuses_is_retried_then_reported_on_with_exit_5(site, walk, retries):
    site.configure(save_fault="error")
    result = walk("run", retries=retries)
    assert result.code == 5, result.stderr
    report = result.json()
    assert report["outcome"] == "change_failed"
    assert site.settings()[GEN_AI] is True
    # Bounded: one save per attempt, every one refused and none kept.
    assert [(s.setting_id, s.value, s.status, s.persisted) for s in site.saves] == [
        (GEN_AI, False, 500, False)
    ] * (retries + 1)
    training = by_key(report)[TRAINING]
    assert training == training | {
        "before": "on",
        "after": "on",
        "verified": True,
        "changed": False,
    }
    assert_report_tells_the_truth(report, site.settings())
    error = report["error"]
    assert error["setting"] == TRAINING
    assert error["step"], error
    assert GEN_AI_TITLE in error["message"]
    assert "500" in error["message"], error  # the cause: LinkedIn answered HTTP 500
    # (That the CLI says it on stderr: test_run.py's exit 5 test.)


def test_a_save_answered_as_success_but_not_kept_is_reported_on_with_exit_5(site, walk):
    site.configure(save_fault="drop")
    result = walk("run")  # the default: 2 retries
    assert result.code == 5, result.stderr
    report = result.json()
    assert report["outcome"] == "change_failed"
    assert site.settings()[GEN_AI] is True
    assert [(s.status, s.persisted) for s in site.saves] == [(200, False)] * 3
    training = by_key(report)[TRAINING]
    assert training == training | {"after": "on", "verified": True, "changed": False}
    assert_report_tells_the_truth(report, site.settings())
    error = report["error"]
    assert error["setting"] == TRAINING
    assert error["step"], error
    assert GEN_AI_TITLE in error["message"]
    # The cause: the save looked fine, the reload showed otherwise.
    assert "reload" in error["message"].lower() or "success" in error["message"].lower()


def test_a_fault_that_clears_after_the_first_save_ends_off_with_exit_0(site, walk):
    site.configure(save_fault="error", save_fault_count=1)
    result = walk("run", retries=1)
    assert result.code == 0, result.stderr
    report = result.json()
    assert report["outcome"] == "ok"
    assert report["error"] is None
    assert site.settings()[GEN_AI] is False
    assert [(s.status, s.persisted) for s in site.saves] == [(500, False), (200, True)]
    training = by_key(report)[TRAINING]
    assert training == training | {
        "before": "on",
        "after": "off",
        "verified": True,
        "changed": True,
    }
    assert_report_tells_the_truth(report, site.settings())


def test_a_refused_first_save_does_not_disturb_the_other_setting(site, walk):
    site.configure(layout="2025-09", save_fault="error", save_fault_count=1)
    result = walk("run", retries=1)
    assert result.code == 0, result.stderr
    report = result.json()
    assert {k: s["after"] for k, s in by_key(report).items()} == {
        TRAINING: "off",
        "ai-creation-tools": "off",
    }
    assert site.settings()[GEN_AI] is False
    assert site.settings()[CREATION] is False
    assert [s.status for s in site.saves] == [500, 200, 200]
    assert_report_tells_the_truth(report, site.settings())


# -- slow and hanging pages ------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    "delay", [{"page_delay_ms": 2500}, {"save_delay_ms": 3000}], ids=["slow-pages", "slow-save"]
)
def test_slow_pages_and_slow_saves_still_succeed(site, walk, delay):
    site.configure(**delay)
    result = walk("run")
    assert result.code == 0, result.stderr
    report = result.json()
    assert report["outcome"] == "ok"
    assert by_key(report)[TRAINING]["after"] == "off"
    assert site.settings()[GEN_AI] is False
    assert [(s.status, s.persisted) for s in site.saves] == [(200, True)]
    assert_report_tells_the_truth(report, site.settings())


@pytest.mark.parametrize("retries", [0, 1])
def test_a_page_that_never_loads_fails_with_exit_5_naming_the_step(site, walk, retries):
    site.configure(hang_paths=(GEN_AI_PAGE,))
    # The tool must give up here, so its limit is short: the hung page never answers,
    # whatever the machine's speed. The pages before it must load within the same
    # limit (the tool has one per step): GIVE_UP_TIMEOUT leaves them ample room.
    result = walk("run", timeout=GIVE_UP_TIMEOUT, retries=retries)
    assert result.code == 5, result.stderr
    report = result.json()
    assert report["outcome"] == "change_failed"
    error = report["error"]
    assert error["step"] and GEN_AI_TITLE in error["step"], error
    assert f"{GIVE_UP_TIMEOUT} s" in error["message"] or "load" in error["message"], error
    # Nothing was read, so nothing is claimed; nothing was saved.
    training = by_key(report)[TRAINING]
    assert (training["after"], training["verified"]) == ("unknown", False)
    assert site.saves == []
    assert site.settings()[GEN_AI] is True
    assert_report_tells_the_truth(report, site.settings())
    # Bounded: one try per attempt (plus, at most, the click on the hub's row).
    hung = [r for r in site.requests if r.path.startswith(GEN_AI_PAGE)]
    assert retries + 1 <= len(hung) <= retries + 2, hung


@pytest.mark.parametrize("how", ["walk", "env"])
def test_a_server_that_refuses_connections_is_unreachable_exit_7(site, cli, walk, how):
    url = f"http://127.0.0.1:{free_port()}"
    # A refused connection fails at once: the tool's limit is never reached.
    if how == "walk":
        result = walk("run", base_url=url, retries=1)
    else:
        result = cli(
            "run",
            "--json",
            "--timeout",
            TOOL_TIMEOUT,
            "--retries",
            "1",
            env={"LINKEDIN_OPTOUT_BASE_URL": url},
        )
    assert result.code == 7, result.stderr  # the site cannot be reached: not a failed change
    report = result.json()
    assert report["outcome"] == "unreachable"
    error = report["error"]
    assert error["step"], error
    assert "refused" in error["message"].lower(), error  # the cause, in its words
    assert all(s["after"] == "unknown" and not s["verified"] for s in report["settings"])
    if how == "env":
        assert error_lines(result), result.stderr
    assert site.requests == []  # the fixture site was never the one asked
    assert_report_tells_the_truth(report, site.settings())


# -- session and browser lost mid-run ------------------------------------------------------


def test_signed_out_mid_run_exits_3_and_claims_nothing_it_did_not_read(site, walk):
    """The session ends with the first save. Both AI settings are on pages of their
    own, walked at once (lanes.py), so which is clicked first, and whether the other
    is clicked too before the sign-out shows, depends on timing. What holds in every
    order: exit 3; each save the server took (one after the sign-out gets a 401) is of
    a setting asked for and switches it off, once at most (no retry follows a reload
    that never came); the server has a setting off only if a save of it got through;
    and as no page loaded after a click while signed in, no setting is reported off
    or changed, and none saved is called on."""
    site.configure(layout="2025-09", signout_after_saves=1)
    result = walk("run")
    assert result.code == 3, result.stderr
    report = result.json()
    assert report["outcome"] == "auth_required"
    assert "linkedin-optout login" in report["error"]["advice"]
    asked = {GEN_AI, CREATION}
    saved = [s.setting_id for s in site.saves]
    assert saved, "no save reached the server: the session did not end mid-run"
    assert set(saved) <= asked, saved
    assert len(saved) == len(set(saved)), f"a setting was saved twice: {saved}"
    assert all(s.value is False for s in site.saves), site.saves
    server = site.settings()
    assert {i for i in asked if server[i] is False} == set(saved), server
    settings = by_key(report)
    assert set(settings) == {TRAINING, TOOLS}
    for key, entry in settings.items():
        assert entry["after"] != "off" and entry["changed"] is False, entry
        if SERVER_ID[key] in saved:  # clicked, never read again: not a claim either way
            assert (entry["after"], entry["verified"]) == ("unknown", False), entry
    assert_report_tells_the_truth(report, server)


def test_the_browser_dying_mid_run_exits_6(site, cli, browser_executable, home, tmp_path):
    cli_pid: dict[str, int] = {}
    killed: list[int] = []

    def kill_the_tools_browser(setting_id: str, value: bool) -> None:
        if killed:
            return
        for pid in descendants(cli_pid["pid"]):
            if is_browser(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed.append(pid)
                except ProcessLookupError:
                    pass

    site.configure(on_save=kill_the_tools_browser)
    env = tool_env(
        home,
        LINKEDIN_OPTOUT_BASE_URL=site.url,
        LINKEDIN_OPTOUT_BROWSER=browser_executable,
        LINKEDIN_LI_AT=site.new_session(),
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "linkedin_optout", "run", "--json", "--timeout", TOOL_TIMEOUT],
        env=env,
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    cli_pid["pid"] = proc.pid
    try:
        stdout, stderr = proc.communicate(timeout=CLI_DEADLINE_S)
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        pytest.fail(f"the tool hung after its browser died:\n{stderr}")
    result = CliResult(proc.returncode, stdout, stderr)
    assert killed, "no browser process of the tool was found to kill"
    assert "Traceback" not in stderr, stderr
    assert result.code == 6, stderr
    report = result.json()
    assert report["outcome"] == "browser_error"
    assert report["error"] and report["error"]["message"], report
    assert error_lines(result), stderr
    # The save reached the server; the tool never read it back, so does not claim it.
    assert [s.setting_id for s in site.saves] == [GEN_AI]
    training = by_key(report)[TRAINING]
    assert (training["after"], training["verified"]) == ("unknown", False)
    assert_report_tells_the_truth(report, site.settings())


def test_an_unreachable_site_writes_no_diagnostic_bundle(cli, tmp_path):
    """Nothing of LinkedIn's was shown: a bundle of the browser's error page helps no one."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = cli(
        "status",
        "--retries",
        "0",
        "--timeout",
        TOOL_TIMEOUT,  # a refused connection fails at once: no limit is reached
        env={"LINKEDIN_OPTOUT_BASE_URL": f"http://127.0.0.1:{port}"},
    )
    assert result.code == 7  # the site cannot be reached
    assert not list(tmp_path.glob("linkedin-optout-diagnostics-*"))


def test_every_setting_left_on_is_named_and_the_advice_links_its_page(site, walk):
    # Three catalogue settings whose saves all fail: the error names each, and says
    # where to switch the first by hand (its own page, not Data privacy's menu path).
    site.configure(save_fault="error")
    result = walk("run", only=["research", "ads-age", "ads-gender"], retries=0)
    assert result.code == 5, result.stderr
    error = result.json()["error"]
    titles = [s["label"] for s in result.json()["settings"]]
    assert all(f"'{title}'" in error["message"] for title in titles), error
    research_page = "/mypreferences/d/settings/policy-and-academic-research"
    assert error["advice"].endswith(f"{site.url}{research_page}."), error
    assert all(site.settings()[i] is True for i in ("allowAnonymizedDataResearch", "allowAdsByAge"))
