"""Settings are data: a setting described only in a selector file is read and
switched on the fixture site, with no Python edited; keys, defaults and the
tests' protected set come from the selector data."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from conftest import TOOL_TIMEOUT
from helpers import GEN_AI, states
from pydantic import ValidationError

from linkedin_optout.errors import UsageError
from linkedin_optout.selectors import (
    USUAL_STRATEGIES,
    DatedFile,
    SelectorFile,
    Setting,
    bundled_selector_files,
    check_file,
    default_keys,
    site_facts,
)
from linkedin_optout.text import text_matches

REPO = Path(__file__).resolve().parents[1]
VISIBILITY_HUB = "/mypreferences/d/categories/profile-visibility"
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
        "ai-creation-tools": ("absent", "absent"),  # bundled, but not in this selector file
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


# A made-up setting, as a contributor would add one: one entry, nothing else.
MADE_UP_ID = "allowMadeUpProfiling"
MADE_UP_ENTRY = f"""
[[settings]]
key = "made-up-profiling"
group = "data-sharing"
title = "Profiling for a made-up purpose"
url = "/mypreferences/d/settings/made-up-profiling"
labelledby = ["{MADE_UP_ID}"]
[settings.row.text]
en = ["Made-up profiling"]
[settings.labels]
en = ["Use my data for made-up profiling"]
"""


def test_a_setting_added_as_one_entry_is_switched_off_on_the_fixture_site(site, cli, tmp_path):
    """A copy of the selector folder with one entry added: the fixture site draws its
    row, page and switch from that copy, and `run --only` switches it alone. The
    tool's --selectors takes a dated file (with the bundled site facts), so the
    entry goes in the copy's dated file; in the bundled data it would go in site.toml."""
    data = tmp_path / "selectors"
    shutil.copytree(REPO / "selectors", data)
    dated = data / "2024-09.toml"
    dated.write_text(dated.read_text() + MADE_UP_ENTRY)
    site.configure(selectors=data)
    before = site.settings()
    assert before[MADE_UP_ID] is True  # on, as LinkedIn's data uses start
    result = cli(
        "run", "--only", "made-up-profiling", "--json", "--selectors", str(dated),
        "--timeout", TOOL_TIMEOUT,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    assert states(result.json()) == {"made-up-profiling": ("on", "off")}
    assert site.settings() == before | {MADE_UP_ID: False}  # and nothing else changed
    assert [(s.setting_id, s.value) for s in site.saves] == [(MADE_UP_ID, False)]


def test_defaults_and_keys_come_from_the_data():
    selector_files = bundled_selector_files()
    groups = set(site_facts().default_groups)
    expected = {s.key for v in selector_files for s in v.settings if s.group in groups}
    assert set(default_keys(selector_files)) == expected
    # Every selector file shares the site facts: they are written once.
    assert all(v.urls == site_facts().urls for v in selector_files)


# --- the site's settings and a dated file's own ----------------------------------------

SITE_TOML = REPO / "selectors" / "site.toml"
DATED_2024 = REPO / "selectors" / "2024-09.toml"


def test_a_selector_file_lists_its_own_settings_first_then_the_sites():
    site = site_facts()
    for selector_file in bundled_selector_files():
        dated = DatedFile.model_validate(
            tomllib.loads((REPO / "selectors" / f"{selector_file.version}.toml").read_text())
        )
        own = [s.key for s in dated.settings]
        shared = [s.key for s in site.settings if s.key not in own]
        assert [s.key for s in selector_file.settings] == own + shared
        assert selector_file.urls.ads == "/mypreferences/d/categories/ads"


def test_a_selector_file_entry_replaces_the_sites_entry_of_the_same_key(tmp_path):
    research = next(s for s in site_facts().settings if s.key == "research")
    mine = research.model_copy(update={"title": "Research, as this selector file shows it"})
    dated = DatedFile.model_validate(tomllib.loads(DATED_2024.read_text()))
    dated = dated.model_copy(update={"settings": [*dated.settings, mine]})
    selector_file = SelectorFile.compose(site_facts(), dated)
    assert [s.key for s in selector_file.settings].count("research") == 1
    assert selector_file.setting("research") == mine


@pytest.mark.parametrize("path", [SITE_TOML, DATED_2024], ids=["site", "dated"])
def test_a_key_twice_in_one_file_is_an_error(tmp_path, path):
    text = path.read_text()
    start = text.index("[[settings]]")
    end = text.find("[[settings]]", start + 1)
    first = text[start : end if end > 0 else None]
    bad = tmp_path / path.name
    bad.write_text(text + "\n" + first)
    with pytest.raises(UsageError) as caught:
        check_file(bad)
    assert "twice" in caught.value.message and str(bad) in caught.value.message


def test_the_site_file_checks_and_names_its_settings():
    line = check_file(SITE_TOML)
    assert "valid site facts" in line and "non-essential-cookies" in line


def test_every_catalogue_setting_recommends_its_most_private_value_outside_the_defaults():
    site = site_facts()
    assert site.default_groups == ["ai"]
    assert site.settings  # the shared catalogue, however many it holds
    assert all(s.group != "ai" for s in site.settings)
    switches = [s for s in site.settings if s.control == "switch"]
    assert all(s.recommended == "off" for s in switches)
    choices = [s for s in site.settings if s.control == "choice"]
    assert choices and all(s.recommended == s.options[-1].value for s in choices)
    ads = [s for s in site.settings if s.group == "ads"]
    assert ads and all(s.row.on == site.urls.ads for s in ads)
    visibility = [s for s in site.settings if s.group == "visibility"]
    assert visibility and all(s.row.on == VISIBILITY_HUB for s in visibility)
    assert site.personal_groups == ["visibility"]
    others = [s for s in site.settings if s.group not in ("ads", "visibility")]
    assert all(s.row.on is None for s in others)


def test_the_visibility_settings_have_the_keys_and_values_scripts_call():
    by_key = {s.key: s for s in site_facts().settings if s.group == "visibility"}
    assert {k: (s.control, s.values, s.recommended) for k, s in by_key.items()} == {
        "profile-viewing": (
            "choice",
            ("name-and-headline", "private-characteristics", "private"),
            "private",
        ),
        "email-visibility": (
            "choice",
            ("everyone", "second-degree", "connections", "only-me"),
            "only-me",
        ),
        "email-download": ("switch", ("on", "off"), "off"),
        "connections-visibility": ("switch", ("on", "off"), "off"),
        "discover-by-email": (
            "choice",
            ("everyone", "second-degree", "connections", "nobody"),
            "nobody",
        ),
        "discover-by-phone": (
            "choice",
            ("everyone", "second-degree", "connections", "nobody"),
            "nobody",
        ),
        "discovery-off-linkedin": ("switch", ("on", "off"), "off"),
        "page-admins-export": ("switch", ("on", "off"), "off"),
        "share-profile-updates": ("switch", ("on", "off"), "off"),
    }
    assert by_key["email-download"].url == by_key["email-visibility"].url
    for setting in by_key.values():  # every option named in the four languages
        for option in setting.options:
            assert set(option.labels) == {"en", "nl", "de", "fr"}, (setting.key, option.value)


def test_a_choice_must_recommend_one_of_its_options():
    base = {
        "key": "x",
        "group": "g",
        "title": "A choice",
        "labels": {"en": ["A choice"]},
        "control": "choice",
        "options": [
            {"value": "open", "labels": {"en": ["Open"]}},
            {"value": "closed", "labels": {"en": ["Closed"]}},
        ],
    }
    assert Setting.model_validate(base).recommended == "closed"  # the most private
    assert Setting.model_validate(base).privacy("open") < Setting.model_validate(base).privacy(
        "closed"
    )
    with pytest.raises(ValidationError, match="not one of open, closed"):
        Setting.model_validate({**base, "recommended": "off"})
    with pytest.raises(ValidationError, match="a switch has no options"):
        Setting.model_validate({**base, "control": "switch"})


def test_an_entry_leaves_the_usual_values_to_the_model():
    """Recommended off, the usual strategies and a row linking to the setting's page
    are defaults: an entry says only what is its own, and site.toml repeats none."""
    entry = Setting.model_validate(
        {"key": "k", "group": "g", "title": "A title", "url": "/x", "labels": {"en": ["x y"]}}
    )
    assert entry.recommended == "off"
    assert tuple(entry.strategies) == USUAL_STRATEGIES
    assert entry.row.href == "/x" and entry.row.on is None
    elsewhere = Setting.model_validate(
        {
            "key": "k",
            "group": "g",
            "title": "A title",
            "url": "/x",
            "row": {"href": "/y"},
            "labels": {"en": ["x y"]},
        }
    )
    assert elsewhere.row.href == "/y"
    for raw in tomllib.loads(SITE_TOML.read_text())["settings"]:
        assert raw.get("recommended") != "off", raw["key"]
        assert raw.get("strategies") != list(USUAL_STRATEGIES), raw["key"]
        assert raw.get("row", {}).get("href") != raw.get("url"), raw["key"]


def test_no_label_of_one_setting_reads_as_another_settings():
    """Loose matching lets a long label lose a short word: no two settings' labels
    or rows may then read as each other's (a shared row, one page for two, aside)."""
    for selector_file in bundled_selector_files():
        for a in selector_file.settings:
            for b in selector_file.settings:
                if a.key == b.key:
                    continue
                for lang in selector_file.languages:
                    theirs = b.labels.get(lang, []) + (
                        [] if b.row.href == a.row.href else b.row.text.get(lang, [])
                    )
                    for mine in a.labels.get(lang, []) + a.row.text.get(lang, []):
                        for text in theirs:
                            assert not text_matches(mine, text), (
                                selector_file.version,
                                a.key,
                                b.key,
                            )
