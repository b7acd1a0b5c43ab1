"""A switch drawn before its value arrives is not a reading; a locked switch is
reported as it is and never clicked.

The fixture site draws each switch first with a default (off, unless
`placeholder_on`) and fills in the member's value when a second request comes back
(`value_delay_ms` later, asked for `value_fetch_after_ms` after the page drew), in
several shapes of "not yet". The member's true value here is on, so a tool that
reads the placeholder says "off": the one thing it must never do. Each test
checks the exit code, the report, and the server's own state.
"""

from __future__ import annotations

import pytest
from conftest import GIVE_UP_TIMEOUT
from helpers import GEN_AI, TRAINING
from helpers import setting as gen_ai

SHAPES = ["disabled", "aria-disabled", "busy", "skeleton", "silent"]


@pytest.mark.parametrize("shape", SHAPES)
def test_status_waits_for_the_value_behind_a_placeholder(site, walk, shape):
    site.configure(placeholder=shape, value_delay_ms=1500)
    result = walk("status")
    assert result.code == 1, result.stderr
    setting = gen_ai(result.json())
    assert (setting["before"], setting["after"], setting["verified"]) == ("on", "on", True)
    assert site.settings()[GEN_AI] is True and site.saves == []


@pytest.mark.parametrize("shape", SHAPES)
def test_run_switches_off_what_the_placeholder_hid(site, walk, shape):
    site.configure(placeholder=shape, value_delay_ms=1500)
    result = walk("run")
    assert result.code == 0, result.stderr
    setting = gen_ai(result.json())
    assert (setting["before"], setting["after"], setting["changed"]) == ("on", "off", True)
    assert site.settings()[GEN_AI] is False
    assert [(s.setting_id, s.value) for s in site.saves] == [(GEN_AI, False)]


def test_a_placeholder_over_a_value_that_is_off_reads_off(site, walk):
    site.set_setting(GEN_AI, False)
    site.configure(placeholder="silent", value_delay_ms=1000)
    result = walk("status")
    assert result.code == 0, result.stderr
    assert gen_ai(result.json())["after"] == "off"


# Found by an independent imitation of the site: a page that draws its switches with
# a default and asks for the member's values only after a quiet pause of its own,
# with nothing out and no sign. The tool reads a switch only after 1.5 s of quiet
# (settle.QUIET_VALUE_S); these pauses stay under it.


@pytest.mark.parametrize("mode", ["status", "run"])
def test_a_default_drawn_off_before_a_silent_pause_is_not_read_as_off(site, walk, mode):
    site.configure(placeholder="silent", value_fetch_after_ms=1000)
    result = walk(mode)
    setting = gen_ai(result.json())
    assert setting["before"] == "on", result.stderr
    if mode == "status":
        assert result.code == 1 and setting["after"] == "on"
        assert site.saves == []
    else:
        assert result.code == 0 and (setting["after"], setting["changed"]) == ("off", True)
        assert site.settings()[GEN_AI] is False


@pytest.mark.parametrize("mode", ["status", "run"])
def test_a_default_drawn_on_over_a_value_that_is_off_is_never_clicked(site, walk, mode):
    """Clicking it would send a save for a switch that is off: with a save that
    toggles, that would switch it on."""
    site.set_setting(GEN_AI, False)
    site.configure(placeholder="silent", placeholder_on=True, value_fetch_after_ms=1000)
    result = walk(mode)
    setting = gen_ai(result.json())
    assert (setting["before"], setting["after"], setting["changed"]) == ("off", "off", False)
    assert [s for s in site.saves if s.setting_id == GEN_AI] == []
    assert site.settings()[GEN_AI] is False


def test_after_a_failed_save_the_reloaded_placeholder_is_not_read_as_off(site, walk):
    """The save fails (the server keeps it on) and the reloaded page again draws
    its switch off before the value arrives: never 'confirmed off'."""
    site.configure(placeholder="silent", value_delay_ms=1000, save_fault="error")
    result = walk("run", retries=0)
    assert result.code == 5, result.stderr
    setting = gen_ai(result.json())
    assert setting["after"] == "on" and setting["changed"] is False
    assert site.settings()[GEN_AI] is True


def test_a_locked_switch_that_is_on_is_reported_on_and_never_clicked(site, walk):
    site.configure(locked=(GEN_AI,))
    status = walk("status")
    assert status.code == 1, status.stderr
    assert gen_ai(status.json())["after"] == "on"

    result = walk("run")
    assert result.code == 5, result.stderr
    report = result.json()
    setting = gen_ai(report)
    assert (setting["before"], setting["after"], setting["changed"]) == ("on", "on", False)
    assert "cannot be changed on this account" in setting["detail"]
    assert report["error"]["setting"] == TRAINING
    assert report["error"]["step"].startswith("switch off")
    assert "Objection Form" in report["error"]["advice"]  # what to do next: not "try again"
    assert "cannot be changed on this account" in result.stderr  # said as it happens
    # No click, no retry: not one save was sent, and the page was read once and reloaded once.
    assert site.saves == []
    assert site.settings()[GEN_AI] is True


def test_a_locked_switch_that_is_off_is_fine(site, walk):
    site.set_setting(GEN_AI, False)
    site.configure(locked=(GEN_AI,))
    result = walk("run")
    assert result.code == 0, result.stderr
    assert gen_ai(result.json())["after"] == "off"
    assert site.saves == []


def test_a_placeholder_that_never_fills_in_is_unknown_not_off(site, walk):
    """The value request never gets an answer (the page keeps loading): the
    --timeout ceiling ends it, and the state is unknown."""
    site.configure(placeholder="disabled", value_delay_ms=600_000)
    # The value never comes: the tool must give up at --timeout, however fast the machine.
    result = walk("status", timeout=GIVE_UP_TIMEOUT)
    assert result.code == 4, result.stderr
    setting = gen_ai(result.json())
    assert setting["after"] == "unknown" and setting["verified"] is False
    assert site.settings()[GEN_AI] is True


def test_the_realtime_long_poll_does_not_hold_up_a_verdict(site, walk):
    """Every fixture page keeps a long-poll open, as LinkedIn's do: the tool must
    not wait for 'network idle', which never comes."""
    site.configure(layout="2025-09")
    result = walk("status")
    assert result.code == 1, result.stderr
    assert site.realtime_polls >= 1
