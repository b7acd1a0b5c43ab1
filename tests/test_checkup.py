"""The whole privacy check-up end to end, against every catalogue page of the
fixture site: `checkup` reads and changes nothing; `run --only/--group/--all`
switch exactly what was asked for, each proved after a reload; a region that
does not offer a setting reports it absent. Every test asserts the server's
state (the `cli` fixture also checks that nothing outside the asked-for
settings changed and that no save switched anything on)."""

from __future__ import annotations

import pytest
from conftest import TOOL_TIMEOUT

from fixtures.catalogue import AUDIENCE_NETWORK, CATALOGUE_IDS, COOKIE_CONSENT, PARTNERS
from fixtures.site import VISIBILITY_DEFAULTS
from linkedin_optout.report import Report
from linkedin_optout.selectors import bundled_selector_files, data_use_keys, setting_keys

KEYS = setting_keys(bundled_selector_files())
DATA_USE_KEYS = list(data_use_keys(bundled_selector_files()))
# Each visibility setting at its most private value, as the fixture keeps it.
MOST_PRIVATE = {
    s.key: (s.recommended if s.control == "choice" else False)
    for s in bundled_selector_files()[0].settings
    if s.group == "visibility"
}
GEN_AI = "allowDataForGenerativeAI"
RESEARCH = "allowAnonymizedDataResearch"
ADS_IDS = {s.labelledby[0] for s in bundled_selector_files()[0].settings if s.group == "ads"}
SAVES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def by_key(report: dict) -> dict[str, dict]:
    return {s["key"]: s for s in report["settings"]}


def changes(site) -> list[tuple[str, bool]]:
    return [(s.setting_id, s.value) for s in site.saves]


def test_checkup_reads_every_setting_and_changes_nothing(site, cli):
    site.set_setting(RESEARCH, False)
    result = cli("checkup", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 1, result.stderr  # settings are on: not at their recommended value
    report = result.json()
    Report.model_validate(report)
    assert report["dry_run"] is True
    settings = by_key(report)
    assert list(settings) == KEYS  # one entry per key of the catalogue
    research = settings["research"]
    assert research | {"before": "off", "after": "off", "verified": True} == research
    for key, entry in settings.items():
        assert entry["changed"] is False
        if key in VISIBILITY_DEFAULTS:  # read as LinkedIn sets them, by value
            value = VISIBILITY_DEFAULTS[key]
            value = value if isinstance(value, str) else ("on" if value else "off")
            assert (entry["before"], entry["after"], entry["verified"]) == (value, value, True)
            assert entry["group"] == "visibility"
            continue
        assert entry["recommended"] == "off"
        if key == "ai-creation-tools":  # not in the 2024-09 selector file
            assert entry["after"] == "absent"
        elif key != "research":
            assert (entry["before"], entry["after"], entry["verified"]) == ("on", "on", True), key
    assert settings["email-visibility"]["recommended"] == "only-me"
    assert settings["ads-age"]["group"] == "ads"
    assert settings["non-essential-cookies"]["strategy"] == "id"
    # Nothing was asked to change: not one saving request, not one setting.
    assert not [r for r in site.requests if r.method in SAVES]
    assert site.saves == []
    assert site.settings()[RESEARCH] is False and site.settings()[GEN_AI] is True
    assert site.visibility() == VISIBILITY_DEFAULTS


def test_checkup_exits_0_when_every_offered_setting_is_off(site, cli):
    for setting_id in (GEN_AI, *CATALOGUE_IDS):
        site.set_setting(setting_id, False)
    for key, value in MOST_PRIVATE.items():
        site.set_visibility(key, value)
    result = cli("checkup", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stderr
    assert "Data Processing Objection Form" in result.stdout
    assert site.saves == []


def test_run_only_research_changes_that_switch_alone(site, cli):
    before = site.settings()
    result = cli("run", "--only", "research", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stderr
    assert [s["key"] for s in result.json()["settings"]] == ["research"]
    assert changes(site) == [(RESEARCH, False)]
    assert site.settings() == before | {RESEARCH: False}


def test_run_group_ads_switches_every_ad_setting_and_linkedin_follows_with_partners(site, cli):
    before = site.settings()
    result = cli("run", "--group", "ads", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stderr
    settings = by_key(result.json())
    assert {s["group"] for s in settings.values()} == {"ads"}
    assert all(s["changed"] and s["verified"] and s["after"] == "off" for s in settings.values())
    assert {i for i, _ in changes(site)} == ADS_IDS
    # LinkedIn switches partner sharing off itself when ads beyond LinkedIn goes off:
    # the tool neither clicked it nor claims it.
    assert (PARTNERS, False) in site.linked_changes
    assert PARTNERS not in {i for i, _ in changes(site)}
    expected = before | dict.fromkeys(ADS_IDS, False) | {PARTNERS: False}
    assert site.settings() == expected


def test_run_all_switches_every_setting_off_each_proved(site, cli):
    result = cli("run", "--all", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stderr
    settings = by_key(result.json())
    assert list(settings) == DATA_USE_KEYS  # never a visibility choice
    assert site.visibility() == VISIBILITY_DEFAULTS
    for key, entry in settings.items():
        if key == "ai-creation-tools":
            assert entry["after"] == "absent"
            continue
        assert (entry["before"], entry["after"]) == ("on", "off"), key
        assert entry["verified"] and entry["changed"], key
    assert all(site.settings()[i] is False for i in (GEN_AI, *CATALOGUE_IDS))
    # One save each: nothing clicked twice, the cookie switch by its own id.
    # Partner sharing may have gone off by LinkedIn's hand before its turn came.
    saved = [i for i, _ in changes(site)]
    assert set(saved) - {PARTNERS} == {GEN_AI, *CATALOGUE_IDS} - {PARTNERS}
    assert len(saved) == len(set(saved))
    assert site.settings()[COOKIE_CONSENT] is False


def test_run_all_on_a_mixed_account_clicks_only_what_is_on(site, cli):
    already_off = (RESEARCH, "allowAdsByAge", "tipsForUsingLinkedinViaEmail", COOKIE_CONSENT)
    for setting_id in already_off:
        site.set_setting(setting_id, False)
    result = cli("run", "--all", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stderr
    settings = by_key(result.json())
    for key in ("research", "ads-age", "marketing-emails", "non-essential-cookies"):
        assert settings[key] | {"before": "off", "after": "off", "changed": False} == settings[key]
    assert not {i for i, _ in changes(site)} & set(already_off)
    assert settings["marketing-promotions"]["changed"] is True  # its page-mate was off
    assert all(site.settings()[i] is False for i in (GEN_AI, *CATALOGUE_IDS))


@pytest.mark.parametrize("command", ["checkup", "run"])
def test_partner_sharing_is_absent_where_linkedin_does_not_offer_it(site, cli, command):
    site.configure(region="eu")
    args = ("--all",) if command == "run" else ()
    result = cli(command, *args, "--json", "--timeout", TOOL_TIMEOUT)
    report = result.json()
    partners = by_key(report)["partner-data-sharing"]
    assert (partners["before"], partners["after"]) == ("absent", "absent")
    assert "not offer" in partners["detail"]
    if command == "checkup":
        assert result.code == 1, result.stderr  # the rest is on
        assert site.saves == []
    else:
        assert result.code == 0, result.stderr
        assert PARTNERS not in {i for i, _ in changes(site)}
        assert all(s["after"] in ("off", "absent") for s in report["settings"])


def test_run_only_ads_off_linkedin_reports_only_what_it_changed(site, cli):
    result = cli("run", "--only", "ads-off-linkedin", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stderr
    assert [s["key"] for s in result.json()["settings"]] == ["ads-off-linkedin"]
    assert changes(site) == [(AUDIENCE_NETWORK, False)]
    assert site.settings()[PARTNERS] is False  # LinkedIn's own doing, as on the real site
