"""Settings are data: a setting described only in a selector file is read and
switched on the fixture site, with no Python edited; keys, defaults and the
tests' protected set come from the selector data."""

from __future__ import annotations

from pathlib import Path

from helpers import GEN_AI, states

from linkedin_optout.selectors import bundled_versions, default_keys, site_facts

REPO = Path(__file__).resolve().parents[1]
EXTRA = "allowMadeUpPurpose"
EXTRA_SETTING = f"""
[[settings]]
key = "made-up-purpose"
group = "ai"
title = "Made-up purpose"
url = "/mypreferences/d/settings/data-for-ai-improvement"
strategies = ["labelledby", "role-name"]
labelledby = ["{EXTRA}"]
[settings.row]
[settings.labels]
en = ["Let LinkedIn use my data for a made-up purpose"]
"""


def selector_file_with_extra_setting(tmp_path: Path) -> Path:
    path = tmp_path / "with-extra.toml"
    path.write_text((REPO / "selectors" / "2024-09.toml").read_text() + EXTRA_SETTING)
    return path


def test_a_setting_added_as_data_is_read_and_switched_off(site, walk, tmp_path):
    site.configure(extra_setting=EXTRA)
    site.set_setting(EXTRA, True)
    path = selector_file_with_extra_setting(tmp_path)

    status = walk("status", selectors=str(path))
    assert status.code == 1, status.stderr
    assert states(status.json())["made-up-purpose"] == ("on", "on")

    result = walk("run", selectors=str(path))
    assert result.code == 0, result.stderr
    assert states(result.json()) == {
        "generative-ai-training": ("on", "off"),
        "ai-creation-tools": ("absent", "absent"),  # bundled, but not in this layout
        "made-up-purpose": ("on", "off"),
    }
    assert site.settings()[EXTRA] is False and site.settings()[GEN_AI] is False


def test_only_a_setting_added_as_data_leaves_the_others_alone(site, walk, tmp_path):
    site.configure(extra_setting=EXTRA)
    site.set_setting(EXTRA, True)
    path = selector_file_with_extra_setting(tmp_path)
    result = walk("run", selectors=str(path), only=["made-up-purpose"])
    assert result.code == 0, result.stderr
    assert [s["key"] for s in result.json()["settings"]] == ["made-up-purpose"]
    assert [(s.setting_id, s.value) for s in site.saves] == [(EXTRA, False)]
    assert site.settings()[GEN_AI] is True  # not asked for: never touched


def test_a_switch_of_a_setting_not_asked_for_is_never_a_candidate(site, walk, tmp_path):
    """The made-up setting's switch carries the training label's words too; asked
    only for training, the tool must still pick the training switch alone."""
    site.configure(extra_setting=EXTRA)
    site.set_setting(EXTRA, True)
    path = selector_file_with_extra_setting(tmp_path)
    result = walk("run", selectors=str(path), only=["generative-ai-training"])
    assert result.code == 0, result.stderr
    assert site.settings()[EXTRA] is True
    assert [(s.setting_id, s.value) for s in site.saves] == [(GEN_AI, False)]


def test_defaults_and_keys_come_from_the_data():
    versions = bundled_versions()
    groups = set(site_facts().default_groups)
    expected = {s.key for v in versions for s in v.settings if s.group in groups}
    assert set(default_keys(versions)) == expected
    # Every layout shares the site facts: they are written once.
    assert all(v.urls == site_facts().urls for v in versions)
