"""Absent vs not recognized: a setting the region does not have is "absent" (not
an error); a page the tool does not recognize exits 4 without a click and leaves
a diagnostic bundle with nothing private in it."""

from __future__ import annotations

import json
import re

import pytest
from conftest import GIVE_UP_TIMEOUT
from helpers import (
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

SETTING_PATH = GEN_AI_PAGE


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


def test_a_setting_the_page_still_shows_is_never_called_absent(site, walk):
    """Labels forced to a language the page does not use: the AI-creation switch
    is on the page but matches nothing. That is 'not recognized', not 'absent'."""
    site.configure(layout="2025-09", inline_switches=True)
    # The tool gives up waiting for German labels on an English page: a short limit.
    result = walk("status", only=["ai-creation-tools"], locale="de", timeout=GIVE_UP_TIMEOUT)
    assert result.code == 4, result.stderr
    assert result.json()["settings"][0]["after"] == "unknown"
    assert site.settings()["allowAICreationTools"] is True


def test_a_row_that_leads_to_page_not_found_is_not_absent(site, walk):
    """A region without the setting has no row; a row whose page is gone means
    the page changed (the setting may have moved): never 'absent', never exit 0."""
    site.configure(gone_slugs=("data-for-ai-improvement",))
    result = walk("run")  # "page not found" shows: no wait
    assert result.code == 4, result.stderr
    assert result.json()["settings"][0]["after"] == "unknown"
    assert site.saves == []
