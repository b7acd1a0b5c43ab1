"""Languages and page shapes, end to end against the fixture site, asserting the
server's state: each language's labels, a forced locale, each shape of page
(switch kinds, iframe, slow render, banner, dialog) and each selector file's fingerprint."""

from __future__ import annotations

import pytest
from conftest import GIVE_UP_TIMEOUT, TOOL_TIMEOUT
from helpers import (
    CONSENT,
    CREATION,
    GEN_AI,
    TOOLS,
    TRAINING,
    no_id_selectors,
    posts,
    setting,
    states,
)

from linkedin_optout.report import Report

LANGS = ["nl", "de", "fr"]


def assert_switched_off(site, result, *, locale: str = "en", selectors: str = "2024-09") -> dict:
    assert result.code == 0, result.output
    report = result.json()
    Report.model_validate(report)
    assert report["outcome"] == "ok"
    assert report["selectors_version"] == selectors
    assert report["locale"] == locale
    training = setting(report, TRAINING)
    assert (training["before"], training["after"]) == ("on", "off")
    assert training["changed"] is True
    assert training["verified"] is True
    assert site.settings()[GEN_AI] is False
    assert [(s.setting_id, s.value) for s in site.saves] == [(GEN_AI, False)]
    assert site.csrf_failures == 0
    return report


# --- languages --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_run_switches_off_in_each_language(site, walk, lang):
    site.configure(lang=lang)
    result = walk("run")
    report = assert_switched_off(site, result, locale=lang)
    assert setting(report, TRAINING)["strategy"] == "labelledby"
    assert states(report)[TOOLS] == ("absent", "absent")


@pytest.mark.parametrize("lang", LANGS)
def test_localized_cookie_banner_and_confirm_dialog_are_answered(site, walk, lang):
    # "Weigeren"/"Ablehnen"/"Refuser", then "Uitschakelen"/"Deaktivieren"/"Désactiver".
    site.configure(lang=lang, overlay="cookie-consent", confirm_dialog=True)
    result = walk("run", only=["generative-ai-training", "non-essential-cookies"])
    assert_switched_off(site, result, locale=lang)
    assert site.settings()[CONSENT] is False


@pytest.mark.parametrize("lang", LANGS)
def test_labels_find_the_switch_without_its_stable_id_in_each_language(site, walk, tmp_path, lang):
    site.configure(lang=lang)
    selectors = no_id_selectors(tmp_path, ["role-name", "label-near"])
    result = walk("run", selectors=str(selectors))
    report = assert_switched_off(site, result, locale=lang, selectors="2099-01")
    assert setting(report, TRAINING)["strategy"] == "role-name"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_label_near_finds_the_switch_when_it_is_the_only_strategy(site, walk, tmp_path, lang):
    site.configure(lang=lang)
    selectors = no_id_selectors(tmp_path, ["label-near"])
    result = walk("run", selectors=str(selectors))
    report = assert_switched_off(site, result, locale=lang, selectors="2099-01")
    assert setting(report, TRAINING)["strategy"] == "label-near"


def test_locale_forces_the_language_of_the_labels(site, walk, tmp_path):
    site.configure(lang="de")
    selectors = no_id_selectors(tmp_path, ["role-name", "label-near"])
    result = walk("run", selectors=str(selectors), locale="de")
    report = assert_switched_off(site, result, locale="de", selectors="2099-01")
    assert setting(report, TRAINING)["strategy"] == "role-name"


def test_a_forced_locale_that_is_not_the_pages_matches_no_label_and_clicks_nothing(
    site, walk, tmp_path
):
    # A Dutch page, French labels only, no stable id: nothing may be matched (or guessed).
    site.configure(lang="nl")
    selectors = no_id_selectors(tmp_path, ["role-name", "label-near"])
    result = walk(
        "run",
        selectors=str(selectors),
        locale="fr",
        timeout=GIVE_UP_TIMEOUT,  # it waits for a label that is not on the page, then gives up
    )
    assert result.code == 4, result.output
    report = result.json()
    assert report["outcome"] == "page_not_recognized"
    assert report["locale"] == "nl"  # the page's own language, whatever was forced
    assert setting(report, TRAINING)["strategy"] is None
    assert site.saves == []
    assert posts(site) == []
    assert site.settings()[GEN_AI] is True


# --- page shapes ------------------------------------------------------------------------

SHAPES = {
    "input-switch": {},
    "button-switch": {"switch_shape": "button"},
    "iframe": {"iframe": True},
    "slow-render": {"render_delay_ms": 3000},
    "cookie-consent": {"overlay": "cookie-consent"},
    "confirm-dialog": {"confirm_dialog": True},
    "2025-09-button-iframe": {"layout": "2025-09", "switch_shape": "button", "iframe": True},
}


@pytest.mark.parametrize("mode", ["run", "status"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_each_page_shape(site, walk, shape, mode):
    config = SHAPES[shape]
    site.configure(**config)
    layout = config.get("layout", "2024-09")
    targets = [GEN_AI, CREATION] if layout == "2025-09" else [GEN_AI]
    before = site.settings()

    result = walk(mode)

    assert result.code == (0 if mode == "run" else 1), result.output
    report = result.json()
    Report.model_validate(report)
    assert report["selectors_version"] == layout
    assert report["locale"] == "en"
    expected_keys = {TRAINING, TOOLS} if layout == "2025-09" else {TRAINING}
    found = {s["key"] for s in report["settings"] if s["after"] != "absent"}
    assert found == expected_keys
    after = site.settings()
    if mode == "run":
        assert report["outcome"] == "ok"
        for key in expected_keys:
            entry = setting(report, key)
            assert (entry["before"], entry["after"], entry["changed"], entry["verified"]) == (
                "on",
                "off",
                True,
                True,
            ), entry
        assert all(after[t] is False for t in targets)
        assert sorted((s.setting_id, s.value) for s in site.saves) == sorted(
            (t, False) for t in targets
        )
        assert all(s.status == 200 and s.persisted for s in site.saves)
    else:
        assert report["outcome"] == "changes_needed"
        assert report["dry_run"] is True
        for key in expected_keys:
            entry = setting(report, key)
            assert (entry["before"], entry["after"], entry["changed"], entry["verified"]) == (
                "on",
                "on",
                False,
                True,
            ), entry
        assert site.saves == []
        assert {k: v for k, v in after.items() if k != CONSENT} == {
            k: v for k, v in before.items() if k != CONSENT
        }
    if config.get("iframe"):
        # The settings really were inside the frame the site serves with ?embed=1.
        assert any("embed=1" in r.path for r in site.requests)
    if config.get("overlay"):
        # Never accepted; and not refused either: refusing is the cookie setting's
        # choice, and neither a dry run nor a run for the AI settings makes it.
        assert after[CONSENT] is None
        assert "/voyager/api/consent" not in [r.path for r in site.requests]
    else:
        assert after[CONSENT] is None
    assert site.csrf_failures == 0


def test_the_cookie_banner_is_refused_first_when_the_cookie_setting_is_asked_for(site, walk):
    site.configure(overlay="cookie-consent")
    result = walk("run", only=["generative-ai-training", "non-essential-cookies"])
    assert_switched_off(site, result)
    assert site.settings()[CONSENT] is False
    calls = [r.path for r in posts(site)]
    assert calls[0] == "/voyager/api/consent"
    assert calls.count("/voyager/api/consent") == 1


def test_the_cookie_banner_is_left_alone_when_the_cookie_setting_is_not_asked_for(site, walk):
    # Refusing is the cookie setting's choice: a run for the AI settings must not make it.
    site.configure(overlay="cookie-consent")
    result = walk("run")
    assert_switched_off(site, result)
    assert site.settings()[CONSENT] is None
    assert "/voyager/api/consent" not in [r.path for r in posts(site)]


def test_the_confirm_dialog_is_confirmed_once(site, walk):
    site.configure(confirm_dialog=True)
    result = walk("run")
    assert_switched_off(site, result)
    # Without "Turn off" no save is sent at all; with it, exactly one.
    assert [r.path for r in posts(site)] == [f"/voyager/api/settings/{GEN_AI}"]


@pytest.mark.parametrize("layout", ["2024-09", "2025-09"])
def test_each_selector_file_is_detected_by_its_fingerprint(site, walk, layout):
    site.configure(layout=layout)
    result = walk("status")
    assert result.code == 1, result.output
    assert result.json()["selectors_version"] == layout
    assert site.saves == []


def test_selectors_forces_a_selector_file_over_the_fingerprint(site, walk):
    # The page is 2025-09, but 2024-09 is forced: it knows only the training switch,
    # so AI creation tools is not part of it and stays as it was on the server.
    site.configure(layout="2025-09")
    result = walk("run", selectors="2024-09")
    report = assert_switched_off(site, result, selectors="2024-09")
    assert states(report)[TOOLS] == ("absent", "absent")
    assert site.settings()[CREATION] is True


def test_an_unknown_selector_file_is_a_usage_error(site, cli):
    result = cli("run", "--selectors", "2023-01", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 2, result.output
    assert "2023-01" in result.stderr
    assert "2024-09" in result.stderr  # the known selector files are named
    assert site.requests == []


def test_two_switches_on_one_page_with_a_confirm_dialog_both_go_off(site, walk):
    """The dialog's scan must not orphan the second switch's mark (it did)."""
    site.configure(layout="2025-09", inline_switches=True, confirm_dialog=True)
    result = walk("run")
    assert result.code == 0, result.stderr
    assert all(s["after"] == "off" and s["changed"] for s in result.json()["settings"])
    assert site.settings()["allowDataForGenerativeAI"] is False
    assert site.settings()["allowAICreationTools"] is False


def test_an_unknown_locale_is_a_usage_error(site, cli):
    result = cli("status", "--locale", "xx")
    assert result.code == 2
    assert "--locale xx" in result.stderr
    assert site.requests == []


def test_a_switch_disabled_for_a_moment_is_waited_for(site, walk):
    site.configure(switch_disabled_ms=1500)
    result = walk("run")
    assert result.code == 0, result.stderr
    assert site.settings()["allowDataForGenerativeAI"] is False
    assert len(site.saves) == 1
