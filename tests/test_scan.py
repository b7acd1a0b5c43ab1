"""The page scan in a real browser, on small pages written to show one thing
each: what the walk sees decides what it clicks."""

from __future__ import annotations

from typing import Any

from linkedin_optout.driver import SCAN_JS
from linkedin_optout.pages import PageScan, is_hub
from linkedin_optout.selectors import bundled_selector_files

SELECTOR_FILES = bundled_selector_files()
ARG = {
    "scanId": "t",
    "switchCss": SELECTOR_FILES[0].page.switch,
    "overlayCss": SELECTOR_FILES[0].overlays.containers,
    "markerCss": [],
    "signInCss": SELECTOR_FILES[0].session.sign_in_form,
    "loadingCss": SELECTOR_FILES[0].page.loading,
}


def scan(page: Any, html: str) -> PageScan:
    page.set_content(html)
    return PageScan.from_frames([page.evaluate(SCAN_JS, ARG)], status=200)


def test_inline_elements_are_read_as_separate_words(page):
    """innerText glues '<span>…messages</span><span>Yes</span>' into 'messagesYes'."""
    result = scan(
        page,
        "<a href='/mypreferences/d/settings/x'><span>AI creation tools for your profile and "
        "messages</span><span>Yes</span></a>",
    )
    assert result.links[0].text == "AI creation tools for your profile and messages Yes"


def test_hidden_text_is_not_read(page):
    result = scan(page, "<p>Shown</p><div hidden>Page not found</div>")
    assert "Shown" in result.text
    assert "Page not found" not in result.text


def test_a_dialog_holding_a_switch_is_not_a_banner(page):
    result = scan(
        page,
        "<div role='dialog'><p id='a'>AI creation tools for your profile and messages</p>"
        "<input type='checkbox' role='switch' aria-labelledby='a' checked>"
        "<button>Dismiss</button></div>"
        "<div role='dialog' aria-label='Cookie consent'><button>Reject</button></div>",
    )
    holds = {o.buttons[0].name: o.holds_switch for o in result.overlays}
    assert holds == {"Dismiss": True, "Reject": False}


def test_a_button_switch_keeps_one_mark_across_scans(page):
    page.set_content("<button role='switch' aria-checked='true' aria-label='Yes'>Yes</button>")
    first = PageScan.from_frames([page.evaluate(SCAN_JS, ARG)], status=200)
    second = PageScan.from_frames([page.evaluate(SCAN_JS, {**ARG, "scanId": "u"})], status=200)
    assert first.switches[0].mark == second.switches[0].mark
    assert page.locator(f"[data-linkedin-optout='{first.switches[0].mark}']").count() == 1


def test_the_data_privacy_name_alone_does_not_make_a_page_the_hub():
    """It stands in the left navigation of every settings page."""
    assert not is_hub(SELECTOR_FILES, PageScan(url="", lang="en", text="Settings Data privacy Ads"))
    hub = PageScan(url="", lang="en", text="Data privacy How LinkedIn uses your data")
    assert is_hub(SELECTOR_FILES, hub)
