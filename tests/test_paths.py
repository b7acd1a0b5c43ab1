"""Per-user folders (platformdirs): on Linux the same paths as before, honouring the
XDG variables, so that an update finds the profile, state file and history where
they were."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from linkedin_optout import history, session

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux paths")


def test_the_folders_follow_home_and_the_xdg_variables(monkeypatch, tmp_path):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    assert session.default_state_path() == tmp_path / ".config" / "linkedin-optout" / "state.json"
    share = tmp_path / ".local" / "share" / "linkedin-optout"
    assert session.default_profile_path() == share / "browser-profile"
    assert history.default_path() == share / "history.sqlite3"

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "conf"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert session.app_dir() == tmp_path / "conf" / "linkedin-optout"
    assert session.data_dir() == Path(tmp_path / "data" / "linkedin-optout")
