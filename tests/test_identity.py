"""One browser identity from sign-in to every run (LinkedIn ends a session used
from another browser, and signs the person's own browser out too).

The fixture site ties each session to the User-Agent and client hints that made
it and answers any other, or HeadlessChrome, with `li_at="delete me"`; its
pages report what the browser says about itself (site.fingerprints). The
assertions read the server: one identity, no session killed, the settings as
stored. Sign-in happens in a visible window on a virtual screen (Xvfb)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TOOL_TIMEOUT
from helpers import CREATION, GEN_AI, SERVER_ID, error_lines

from linkedin_optout.driver import retry_after
from linkedin_optout.errors import UsageError
from linkedin_optout.identity import check_user_agent, hints_differ
from linkedin_optout.report import UNCONFIRMED
from linkedin_optout.session import IDENTITY_FILE

# A person's everyday browser elsewhere: what a cookie export came from.
WINDOWS_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Chrome/155.0.0.0 Safari/537.36"
)


@pytest.fixture(scope="module")
def display() -> Iterator[str]:
    """A virtual screen for the sign-in window, as a person's desktop would be."""
    xvfb = shutil.which("Xvfb")
    assert xvfb, "Xvfb is missing: 'make test' installs it (scripts/ensure-xvfb.sh)"
    for number in range(90, 140):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            break
    proc = subprocess.Popen(
        [xvfb, f":{number}", "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    socket_path = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 30
    while not socket_path.exists():  # the screen is there once its socket is
        assert proc.poll() is None, "Xvfb did not start"
        assert time.monotonic() < deadline, "Xvfb did not open its socket"
        time.sleep(0.05)
    yield f":{number}"
    proc.terminate()
    proc.wait(timeout=30)


def profile_dir(home: Path) -> Path:
    return home / ".local" / "share" / "linkedin-optout" / "browser-profile"


def sign_in(cli: Any, display: str, **env: str) -> Any:
    """`login` in its window, the person (the fixture's autologin) signing in there."""
    result = cli("login", "--timeout", TOOL_TIMEOUT, li_at=None, env={"DISPLAY": display, **env})
    assert result.code == 0, result.output
    return result


def assert_one_identity(site: Any) -> None:
    assert site.killed == [], site.killed
    assert len(site.identities) == 1, site.identities
    (seen,) = site.identities
    assert "HeadlessChrome" not in seen.user_agent + seen.sec_ch_ua
    assert len(site.accept_languages) == 1, site.accept_languages
    looks = {
        json.dumps({k: v for k, v in f.items() if k not in ("session_ok", "page")}, sort_keys=True)
        for f in site.fingerprints
    }
    assert len(looks) == 1, looks  # navigator, time zone and window: the same every time
    assert "HeadlessChrome" not in next(iter(looks))


@pytest.mark.slow
def test_sign_in_in_a_window_then_every_command_headless_keeps_one_identity(
    site, cli, home, display
):
    site.configure(autologin=True, layout="2025-09")
    # The person signs in on their desktop; the scheduled check later runs with
    # another time zone and language in its environment (as cron does).
    sign_in(cli, display, TZ="Europe/Amsterdam", LANG="nl_NL.UTF-8")
    profile = profile_dir(home)
    assert oct(profile.stat().st_mode & 0o777) == "0o700"
    recorded = json.loads((profile / IDENTITY_FILE).read_text())
    assert oct((profile / IDENTITY_FILE).stat().st_mode & 0o777) == "0o600"
    assert recorded["timezone"] == "Europe/Amsterdam"
    assert "HeadlessChrome" not in recorded["user_agent"]

    cron = {"TZ": "UTC", "LANG": "C"}
    status = cli("status", "--json", "--timeout", TOOL_TIMEOUT, li_at=None, env=cron, process=True)
    assert status.code == 1, status.output  # both on: nothing switched
    assert status.json()["session"] == f"browser profile {profile}"
    run = cli("run", "--json", "--timeout", TOOL_TIMEOUT, li_at=None, env=cron, process=True)
    assert run.code == 0, run.output
    checkup = cli("checkup", "--timeout", TOOL_TIMEOUT, li_at=None, env=cron, process=True)
    assert checkup.code in (0, 1), checkup.output
    assert site.settings()[GEN_AI] is False and site.settings()[CREATION] is False
    assert_one_identity(site)
    assert {f["timezone"] for f in site.fingerprints} == {"Europe/Amsterdam"}
    assert "FOREIGN" not in run.stderr and "another browser" not in run.stderr


@pytest.mark.slow
def test_doctor_shows_what_the_site_will_see_and_that_it_matches_the_sign_in(
    site, cli, home, display
):
    site.configure(autologin=True)
    sign_in(cli, display)
    result = cli("doctor", li_at=None)
    assert "What LinkedIn will see" in result.stdout, result.output
    assert "matches the sign-in" in result.stdout
    assert str(profile_dir(home)) in result.stdout
    assert "HeadlessChrome" not in result.stdout
    assert site.requests == [] or all(
        not r.path.startswith("/mypreferences") for r in site.requests
    )


@pytest.mark.slow
def test_an_updated_browser_is_carried_on_with_and_recorded(site, cli, home, display):
    site.configure(autologin=True)
    sign_in(cli, display)
    path = profile_dir(home) / IDENTITY_FILE
    recorded = json.loads(path.read_text())
    real_version, real_agent = recorded["version"], recorded["user_agent"]
    major = real_version.split(".")[0]
    older = str(int(major) - 1)
    # As if the sign-in had been made before the browser updated itself.
    recorded["version"] = f"{older}.0.1.2"
    recorded["user_agent"] = real_agent.replace(f"Chrome/{major}.", f"Chrome/{older}.")
    path.write_text(json.dumps(recorded))
    os.chmod(path, 0o600)
    run = cli("run", "--timeout", TOOL_TIMEOUT, li_at=None, process=True)
    assert run.code == 0, run.output
    assert "updated" in run.output
    after = json.loads(path.read_text())
    assert after["version"] == real_version and after["user_agent"] == real_agent
    assert site.killed == []  # the old User-Agent never reached the site
    assert site.settings()[GEN_AI] is False


@pytest.mark.slow
def test_another_browser_than_the_sign_in_is_refused_before_any_request(
    site, cli, home, display, tmp_path
):
    site.configure(autologin=True)
    sign_in(cli, display)
    other = tmp_path / "other-chrome"
    other.write_text('#!/bin/sh\nexec /usr/bin/chromium "$@"\n')
    other.chmod(0o755)
    before = len(site.requests)
    run = cli("status", "--browser-path", str(other), li_at=None)
    assert run.code == 2, run.output
    (line,) = error_lines(run)
    assert "LinkedIn ends sessions that change browsers" in line
    assert "--browser-path" in run.stderr  # what to do
    assert len(site.requests) == before


def test_an_imported_cookie_with_its_browsers_user_agent_works(site, cli, tmp_path):
    value = site.new_session(user_agent=WINDOWS_CHROME)
    export = tmp_path / "cookies.json"
    host = site.url.split("//")[1].split(":")[0]
    export.write_text(json.dumps([{"name": "li_at", "value": value, "domain": host}]))
    imported = cli(
        "login", "--import-cookies", str(export), "--user-agent", WINDOWS_CHROME, li_at=None
    )
    assert imported.code == 0, imported.output
    assert "another browser" not in imported.output  # no warning: the browser is named
    run = cli("run", "--json", "--timeout", TOOL_TIMEOUT, li_at=None)
    assert run.code == 0, run.output
    assert site.killed == []
    assert {i.user_agent for i in site.identities} == {WINDOWS_CHROME}
    assert site.settings()[GEN_AI] is False
    assert value not in run.output + imported.output


def test_the_environment_session_with_its_user_agent_works(site, cli):
    value = site.new_session(user_agent=WINDOWS_CHROME)
    run = cli("status", "--json", li_at=value, env={"LINKEDIN_OPTOUT_USER_AGENT": WINDOWS_CHROME})
    assert run.code == 1, run.output  # read: the setting is on
    assert site.killed == []
    assert "another browser" not in run.stderr


def test_a_session_from_elsewhere_without_its_user_agent_is_warned_about_once(site, cli):
    run = cli("status", "--json", env={"LINKEDIN_OPTOUT_USER_AGENT": ""})
    assert run.code == 1, run.output
    assert run.stderr.count("made by another browser") == 1
    assert "linkedin-optout login" in run.stderr


def test_the_same_cookie_from_another_identity_ends_in_exit_3_and_is_not_retried(site, cli):
    value = site.new_session(user_agent=WINDOWS_CHROME)  # made by the person's browser
    # ...and used with this browser's own User-Agent.
    run = cli("run", "--json", "--timeout", TOOL_TIMEOUT, li_at=value)
    assert run.code == 3, run.output
    report = run.json()
    assert report["outcome"] == "auth_required"
    (line,) = error_lines(run)
    assert "LinkedIn ended this session" in line
    assert "signed out too" in run.stderr  # the browser it came from
    assert len(site.killed) == 1
    # Nothing was retried: no save, and no settings page asked for after the kill.
    assert [s for s in site.saves] == []
    killed_at = site.killed[0].path
    pages = [r.path for r in site.requests if r.path.startswith("/mypreferences")]
    assert pages.count(killed_at) <= 2, pages  # the refused request and its redirect
    assert len(pages) <= 2, pages
    history = cli("history", "--json", li_at=None)
    checks = json.loads(history.stdout)["checks"]
    assert checks[-1]["outcome"] == "auth_required"


@pytest.mark.parametrize("kill_cookie", ["replace", "expire"])
def test_a_session_ended_mid_run_stops_at_once(site, cli, kill_cookie):
    site.configure(
        layout="2025-09",
        end_session_after_saves=1,
        end_session_as="deleted",
        kill_cookie=kill_cookie,
    )
    run = cli("run", "--json", "--timeout", TOOL_TIMEOUT)
    assert run.code == 3, run.output
    assert "LinkedIn ended this session" in run.stderr
    assert len(site.saves) == 1  # nothing after the end
    report = run.json()
    for entry in report["settings"]:
        if entry["after"] == "off":  # claimed only when a reload showed it
            assert entry["verified"] is True


@pytest.mark.parametrize(
    ("ending", "words"),
    [
        ("restricted", "restriction page"),
        ("chooser", "saved-account chooser"),
        ("checkpoint", "security check"),
        ("signed_out", "sign-in page"),
    ],
)
def test_a_session_blocked_mid_run_ends_in_exit_3_naming_what_happened(site, cli, ending, words):
    site.configure(layout="2025-09", end_session_after_saves=1, end_session_as=ending)
    run = cli("run", "--json", "--timeout", TOOL_TIMEOUT)
    assert run.code == 3, run.output
    (line,) = error_lines(run)
    assert words in line, line
    assert len(site.saves) == 1
    report = run.json()
    assert report["outcome"] == "auth_required"
    # The one click that went through is said, whichever page saw the end first.
    (saved,) = [
        key for key, server_id in SERVER_ID.items() if server_id == site.saves[0].setting_id
    ]
    entry = next(e for e in report["settings"] if e["key"] == saved)
    assert entry["detail"] == UNCONFIRMED["clicked"], entry
    assert entry["after"] != "off"


def test_a_burst_of_saves_under_429_ends_with_every_setting_off_and_waits_each_retry_after(
    site, cli
):
    site.configure(throttle_after_saves=1, retry_after_s=1)
    run = cli("run", "--group", "ads", "--json", "--timeout", TOOL_TIMEOUT)
    assert run.code == 0, run.output
    throttled = [s for s in site.saves if s.status == 429]
    assert throttled, "the site never said 429: the test tests nothing"
    assert site.early_saves == 0  # no save while a Retry-After ran
    stored = {s.setting_id for s in site.saves if s.persisted}
    assert stored and all(site.settings()[i] is False for i in stored)
    assert all(e["after"] in ("off", "absent") for e in run.json()["settings"])


def test_a_429_that_does_not_clear_stops_the_run_without_hammering(site, cli):
    site.configure(throttle_after_saves=0, retry_after_s=1, throttle_clears=False)
    run = cli("run", "--json", "--retries", "2", "--timeout", TOOL_TIMEOUT)
    assert run.code == 5, run.output
    (line,) = error_lines(run)
    assert "slow down" in line and "429" in line
    assert site.early_saves == 0
    assert len(site.saves) <= 3  # one try and two retries, each after its Retry-After
    assert site.settings()[GEN_AI] is True


def test_a_429_that_does_not_clear_on_any_setting_stops_after_the_retries_in_all(site, cli):
    site.configure(throttle_after_saves=0, retry_after_s=1, throttle_clears=False)
    run = cli("run", "--group", "ads", "--json", "--retries", "1", "--timeout", TOOL_TIMEOUT)
    assert run.code == 5, run.output
    assert len(site.saves) == 2  # one try and one retry in all, not per setting
    assert site.early_saves == 0
    assert "switch off" in error_lines(run)[0]  # the step that got the 429


def test_retry_after_is_read_as_seconds_or_as_an_http_date():
    assert retry_after("3") == 3.0
    later = time.time() + 20
    stamp = time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(later))
    assert 17 <= retry_after(stamp) <= 21
    assert retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # in the past: no wait
    assert retry_after(None) == 1.0 and retry_after("soon") == 1.0


def test_a_user_agent_a_chromium_cannot_stand_for_is_refused_and_a_close_one_warned_about():
    firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0"
    with pytest.raises(UsageError, match="Firefox"):
        check_user_agent(firefox)
    with pytest.raises(UsageError):
        check_user_agent("li_at=AQEDnot-a-user-agent")
    own = WINDOWS_CHROME.replace("Chrome/155", "Chrome/156")
    assert hints_differ(own, own) is None
    assert "Chrome 155" in (hints_differ(WINDOWS_CHROME, own) or "")


def test_a_sign_in_that_did_not_finish_leaves_no_session_a_run_would_use(site, cli, home):
    site.configure(autologin=True)
    failed = cli("login", "--timeout", TOOL_TIMEOUT, li_at=None, env={"DISPLAY": ""})
    assert failed.code == 6, failed.output  # no screen for the window
    assert "ssh -X" in failed.stderr
    status = cli("status", "--json", li_at=None)
    assert status.code == 3, status.output
    assert "nobody has signed in" in status.stderr
    assert site.requests == []
