"""Languages, page shapes, absent vs not recognized, and the selector tooling,
end to end against the fixture site, asserting the server's state."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import GIVE_UP_TIMEOUT, TOOL_TIMEOUT
from helpers import (
    CONSENT,
    CREATION,
    GEN_AI,
    GEN_AI_PAGE,
    TOOLS,
    TRAINING,
    posts,
    setting,
    states,
)

from linkedin_optout import __version__
from linkedin_optout.report import Report
from linkedin_optout.selectors import selectors_dir, site_facts

SETTING_PATH = GEN_AI_PAGE
LANGS = ["nl", "de", "fr"]


def bundled_text(version: str = "2024-09") -> str:
    return (selectors_dir() / f"{version}.toml").read_text(encoding="utf-8")


def edited(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the selector file changed: {old!r} is not there once"
    return text.replace(old, new)


def no_id_selectors(tmp_path: Path, strategies: list[str]) -> Path:
    """The 2024-09 file without the stable id: only the label strategies are left.
    Its own version name shows in the report that this file, not a bundled one, was used."""
    text = bundled_text()
    text = edited(text, '\nversion = "2024-09"\n', '\nversion = "2099-01"\n')
    text = edited(text, 'labelledby = ["allowDataForGenerativeAI"]\n', "")
    text = edited(
        text,
        'strategies = ["labelledby", "role-name", "label-near"]',
        "strategies = " + json.dumps(strategies),
    )
    path = tmp_path / "no-id.toml"
    path.write_text(text, encoding="utf-8")
    return path


def assert_switched_off(site, result, *, locale: str = "en", version: str = "2024-09") -> dict:
    assert result.code == 0, result.output
    report = result.json()
    Report.model_validate(report)
    assert report["outcome"] == "ok"
    assert report["selectors_version"] == version
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
    report = assert_switched_off(site, result, locale=lang, version="2099-01")
    assert setting(report, TRAINING)["strategy"] == "role-name"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_label_near_finds_the_switch_when_it_is_the_only_strategy(site, walk, tmp_path, lang):
    site.configure(lang=lang)
    selectors = no_id_selectors(tmp_path, ["label-near"])
    result = walk("run", selectors=str(selectors))
    report = assert_switched_off(site, result, locale=lang, version="2099-01")
    assert setting(report, TRAINING)["strategy"] == "label-near"


def test_locale_forces_the_language_of_the_labels(site, walk, tmp_path):
    site.configure(lang="de")
    selectors = no_id_selectors(tmp_path, ["role-name", "label-near"])
    result = walk("run", selectors=str(selectors), locale="de")
    report = assert_switched_off(site, result, locale="de", version="2099-01")
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
def test_each_ui_version_is_detected_by_its_fingerprint(site, walk, layout):
    site.configure(layout=layout)
    result = walk("status")
    assert result.code == 1, result.output
    assert result.json()["selectors_version"] == layout
    assert site.saves == []


def test_selectors_forces_a_version_over_the_fingerprint(site, walk):
    # The page is 2025-09, but 2024-09 is forced: it knows only the training switch,
    # so AI creation tools is not part of it and stays as it was on the server.
    site.configure(layout="2025-09")
    result = walk("run", selectors="2024-09")
    report = assert_switched_off(site, result, version="2024-09")
    assert states(report)[TOOLS] == ("absent", "absent")
    assert site.settings()[CREATION] is True


def test_an_unknown_selectors_version_is_a_usage_error(site, cli):
    result = cli("run", "--selectors", "2023-01", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 2, result.output
    assert "2023-01" in result.stderr
    assert "2024-09" in result.stderr  # the known versions are named
    assert site.requests == []


# --- absent vs not recognized -------------------------------------------------------------


@pytest.mark.parametrize("mode", ["run", "status"])
def test_a_setting_missing_in_the_region_is_absent_not_an_error(site, walk, mode):
    site.configure(region="eu-2024")
    result = walk(mode)
    assert result.code == 0, result.output
    report = result.json()
    assert report["outcome"] == "ok"
    assert report["selectors_version"] == "2024-09"
    training = setting(report, TRAINING)
    assert (training["before"], training["after"], training["changed"]) == (
        "absent",
        "absent",
        False,
    )
    assert training["detail"] and len(training["detail"]) > 10  # an explanation
    assert report["error"] is None
    assert report["diagnostics"] is None
    assert site.saves == []
    assert posts(site) == []


def test_absent_in_the_region_and_the_other_setting_still_switched_off(site, walk):
    site.configure(region="eu-2024", layout="2025-09")
    result = walk("run")
    assert result.code == 0, result.output
    report = result.json()
    assert report["selectors_version"] == "2025-09"
    assert states(report) == {TRAINING: ("absent", "absent"), TOOLS: ("on", "off")}
    assert setting(report, TRAINING)["detail"]
    assert [(s.setting_id, s.value) for s in site.saves] == [(CREATION, False)]
    assert site.settings()[CREATION] is False


@pytest.mark.parametrize("mode", ["run", "status"])
def test_an_unrecognized_page_exits_4_without_a_click(site, walk, tmp_path, mode):
    site.configure(layout="redesign")
    diag = tmp_path / "diag"
    # The tool gives up waiting for a switch the page never shows: a short limit.
    result = walk(mode, timeout=GIVE_UP_TIMEOUT, diagnostics=diag)
    assert result.code == 4, result.output
    report = result.json()
    Report.model_validate(report)
    assert report["outcome"] == "page_not_recognized"
    assert setting(report, TRAINING)["after"] in ("unknown",)
    assert site.saves == []
    assert posts(site) == []  # not the redesign's toggle, not even a cookie answer
    assert site.settings()[GEN_AI] is True
    assert report["diagnostics"] == str(diag)


def test_the_diagnostic_bundle_holds_what_a_maintainer_needs_and_nothing_private(
    site, walk, tmp_path
):
    site.configure(layout="redesign")
    li_at = site.new_session()
    diag = tmp_path / "diag"
    # The tool gives up waiting for a switch the page never shows: a short limit.
    result = walk("run", timeout=GIVE_UP_TIMEOUT, diagnostics=diag, li_at=li_at)
    assert result.code == 4, result.output
    assert site.saves == []
    # (That the CLI prints the path: test_run.py's test_an_unknown_page_exits_4...)
    assert result.json()["diagnostics"] == str(diag)

    files = {p.name: p for p in diag.iterdir() if p.is_file()}
    assert {"screenshot.png", "page.html", "report.json"} <= set(files)
    assert files["screenshot.png"].read_bytes().startswith(b"\x89PNG\r\n\x1a\n")

    # Nothing private, in any file: the session, the JSESSIONID (ajax:<19 digits>),
    # the person's name, their profile links.
    for name, path in files.items():
        data = path.read_bytes()
        assert li_at.encode() not in data, name
        assert b"fixture-li_at-" not in data, name
        if name.endswith((".html", ".json")):
            text = data.decode("utf-8")
            assert not re.search(r"ajax:\d|\d{19}", text), name
            assert "Jane Example" not in text, name
            assert "/in/" not in text, name
            assert "csrf" not in text.lower(), name

    html = files["page.html"].read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    # ...but the page itself is there, for whoever updates the selector files.
    assert "Let LinkedIn improve AI with my content" in html

    info = json.loads(files["report.json"].read_text(encoding="utf-8"))
    assert info["tool_version"] == __version__
    assert info["playwright_version"]
    assert info["browser"]
    assert "selectors_version" in info
    assert info["url_path"] == SETTING_PATH  # the path only: no host, no query
    strategies = info["strategies"]
    tried = {(s["strategy"], s["result"]) for s in strategies if s["setting"] == TRAINING}
    assert {s for s, _ in tried} == {"labelledby", "role-name", "label-near"}
    assert all(outcome for _, outcome in tried)
    assert ("labelledby", "matched") not in tried

    # Nor in what the tool printed.
    assert li_at not in result.output


# --- selector tooling ------------------------------------------------------------------------


def test_selectors_list_shows_versions_languages_and_settings(site, cli):
    result = cli("selectors", "list", li_at=None)
    assert result.code == 0, result.output
    out = result.stdout
    assert out.index("2025-09") < out.index("2024-09")  # newest first
    blocks = {}
    for version in ("2024-09", "2025-09"):
        lines = out.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith(version))
        blocks[version] = (lines[at + 1], lines[at + 2])
    for languages, _ in blocks.values():
        assert re.search(r"\ben, nl, de, fr\b", languages)
    # The layout's own settings first, then those every layout shares.
    shared = ", ".join(s.key for s in site_facts().settings)
    assert blocks["2024-09"][1].split(":", 1)[1].strip() == f"{TRAINING}, {shared}"
    assert blocks["2025-09"][1].split(":", 1)[1].strip() == f"{TRAINING}, {TOOLS}, {shared}"
    assert site.requests == []


@pytest.mark.parametrize("version", ["2024-09", "2025-09"])
def test_selectors_check_accepts_the_bundled_files(site, cli, version):
    result = cli("selectors", "check", str(selectors_dir() / f"{version}.toml"), li_at=None)
    assert result.code == 0, result.output
    assert "valid" in result.stdout
    assert version in result.stdout


def test_selectors_check_accepts_a_valid_edited_copy(site, cli, tmp_path):
    path = no_id_selectors(tmp_path, ["role-name", "label-near"])
    result = cli("selectors", "check", str(path), li_at=None)
    assert result.code == 0, result.output
    assert "2099-01" in result.stdout


KEY_LINE = 'key = "generative-ai-training"\n'
BROKEN = {
    "missing-field": (KEY_LINE, "", "settings.0.key:"),
    "missing-top-level-field": ('\nversion = "2024-09"\n', "\n", "version:"),
    "unknown-field": (KEY_LINE, KEY_LINE + 'colour = "red"\n', "settings.0.colour:"),
    "unknown-nested-field": (
        "[hub_markers]\n",
        '[hub_markers]\nshade = "dark"\n',
        "hub_markers.shade:",
    ),
    "wrong-type": (
        'strategies = ["labelledby", "role-name", "label-near"]',
        'strategies = "labelledby"',
        "settings.0.strategies:",
    ),
    "wrong-item": (
        'strategies = ["labelledby", "role-name", "label-near"]',
        'strategies = ["labelledby", "guess"]',
        "settings.0.strategies.1:",
    ),
    "wrong-number-type": ("schema_version = 2\n", 'schema_version = "2"\n', "schema_version:"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_selectors_check_names_the_error_by_its_dotted_path(site, cli, tmp_path, case):
    old, new, where = BROKEN[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(edited(bundled_text(), old, new), encoding="utf-8")
    result = cli("selectors", "check", str(path), li_at=None)
    assert result.code == 2, result.output
    assert "Traceback" not in result.output
    assert "valid," not in result.stdout
    lines = [line.strip() for line in result.stderr.splitlines()]
    assert any(line.startswith(where) for line in lines), result.stderr
    assert str(path) in result.stderr


@pytest.mark.parametrize(
    "content",
    [
        'schema_version = 1\n[urls\nlanding = "/x"\n',
        'version = "2024-09\n',
        "\u00ff\u00fe".encode("latin-1"),
    ],
    ids=["unclosed-table", "unclosed-string", "not-utf8"],
)
def test_selectors_check_rejects_bad_toml_plainly(site, cli, tmp_path, content):
    path = tmp_path / "bad.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = cli("selectors", "check", str(path), li_at=None)
    assert result.code == 2, result.output
    assert "Traceback" not in result.output
    assert str(path) in result.stderr
    assert "TOML" in result.stderr


def test_selectors_check_of_a_missing_file_is_a_usage_error(site, cli, tmp_path):
    result = cli("selectors", "check", str(tmp_path / "nope.toml"), li_at=None)
    assert result.code == 2, result.output
    assert "nope.toml" in result.stderr


@pytest.mark.parametrize(
    ("config", "version", "lang", "expected"),
    [
        ({}, "2024-09", "en", {TRAINING: ("on", "labelledby"), TOOLS: ("absent", "-")}),
        (
            {"layout": "2025-09", "lang": "de"},
            "2025-09",
            "de",
            {TRAINING: ("on", "labelledby"), TOOLS: ("on", "role-name")},
        ),
        (
            {"lang": "fr", "switch_shape": "button"},
            "2024-09",
            "fr",
            {TRAINING: ("on", "labelledby"), TOOLS: ("absent", "-")},
        ),
    ],
    ids=["2024-09-en", "2025-09-de", "2024-09-fr-button"],
)
def test_probe_finds_version_language_and_strategy_and_changes_nothing(
    site, walk, config, version, lang, expected
):
    site.configure(**config)
    before = site.settings()
    result = walk("probe")
    assert result.code == 0, result.output
    report = result.json()
    assert (report["selectors_version"], report["locale"]) == (version, lang)
    found = {s["key"]: (s["after"], s["strategy"] or "-") for s in report["settings"]}
    assert found == expected
    assert site.settings() == before
    assert site.saves == []
    assert posts(site) == []


def test_selectors_probe_prints_version_language_and_strategy_and_changes_nothing(site, cli):
    """The command's own output; what it finds on each shape is tested above."""
    site.configure(layout="2025-09", lang="de")
    before = site.settings()
    result = cli("selectors", "probe", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.output
    out = result.stdout
    assert re.search(r"^Selector version:\s+2025-09$", out, re.M), out
    assert re.search(r"^Page language:\s+de$", out, re.M), out
    expected = {TRAINING: ("on", "labelledby"), TOOLS: ("on", "role-name")}
    for key, (state, strategy) in expected.items():
        assert re.search(rf"^{key}: {state}, strategy {re.escape(strategy)}$", out, re.M), out
    assert "Strategies tried:" in out
    assert site.settings() == before
    assert site.saves == []
    assert posts(site) == []


def test_two_switches_on_one_page_with_a_confirm_dialog_both_go_off(site, walk):
    """The dialog's scan must not orphan the second switch's mark (it did)."""
    site.configure(layout="2025-09", inline_switches=True, confirm_dialog=True)
    result = walk("run")
    assert result.code == 0, result.stderr
    assert all(s["after"] == "off" and s["changed"] for s in result.json()["settings"])
    assert site.settings()["allowDataForGenerativeAI"] is False
    assert site.settings()["allowAICreationTools"] is False


def test_a_setting_the_page_still_shows_is_never_called_absent(site, walk):
    """Labels forced to a language the page does not use: the AI-creation switch
    is on the page but matches nothing. That is 'not recognized', not 'absent'."""
    site.configure(layout="2025-09", inline_switches=True)
    # The tool gives up waiting for German labels on an English page: a short limit.
    result = walk("status", only=["ai-creation-tools"], locale="de", timeout=GIVE_UP_TIMEOUT)
    assert result.code == 4, result.stderr
    assert result.json()["settings"][0]["after"] == "unknown"
    assert site.settings()["allowAICreationTools"] is True


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


def test_a_row_that_leads_to_page_not_found_is_not_absent(site, walk):
    """A region without the setting has no row; a row whose page is gone means
    the page changed (the setting may have moved): never 'absent', never exit 0."""
    site.configure(gone_slugs=("data-for-ai-improvement",))
    result = walk("run")  # "page not found" shows: no wait
    assert result.code == 4, result.stderr
    assert result.json()["settings"][0]["after"] == "unknown"
    assert site.saves == []
