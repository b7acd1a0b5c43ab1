"""The fixture site behaves like the real pages of docs/real-site.md.

Every behaviour is checked against the server's own state (`site.settings()`,
`site.saves`, `site.requests`), not only against what the page shows: the tool's
tests rely on the fixture telling the truth about what was persisted.
"""

from __future__ import annotations

import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from email.message import Message
from http.client import RemoteDisconnected
from pathlib import Path
from typing import Any

import pytest
from conftest import SLOW_MACHINE_DEADLINE_S
from helpers import GEN_AI, GEN_AI_PAGE, HUB, wait_until
from playwright.sync_api import Page, expect

from fixtures.site import DEFAULT_SETTINGS, FixtureSite, Req, Save, SessionKind

AI_TOOLS_PAGE = "/mypreferences/d/settings/ai-creation-tools"
GEN_AI_LABEL = "Use my data for training content creation AI models"
SAVE_API = f"/voyager/api/settings/{GEN_AI}"
REPO = Path(__file__).resolve().parents[1]


# -- helpers ---------------------------------------------------------------------------


def sign_in(page: Page, site: FixtureSite, kind: SessionKind = "valid") -> str:
    value = site.new_session(kind)
    page.context.add_cookies([{"name": "li_at", "value": value, "url": site.url}])
    return value


def gen_ai_switch(page: Page) -> Any:
    return page.get_by_role("switch", name=GEN_AI_LABEL)


def posts(site: FixtureSite) -> list[Req]:
    return [r for r in site.requests if r.method == "POST"]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # we want to see the redirect itself


def fetch(url: str, cookie: str | None = None) -> tuple[int, Message, str]:
    """A raw GET: status, headers, body, without following redirects or running scripts."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=SLOW_MACHINE_DEADLINE_S) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


# -- the API for tests -----------------------------------------------------------------


def test_config_names_values_and_reset(site: FixtureSite) -> None:
    with pytest.raises(TypeError):
        site.configure(layuot="2025-09")
    with pytest.raises(ValueError):
        site.configure(layout="2025-9")
    with pytest.raises(ValueError):
        site.config.lang = "es"  # type: ignore[assignment]
    site.configure(layout="2025-09", lang="nl", save_fault="drop")
    site.set_setting(GEN_AI, False)
    value = site.new_session()
    site.reset()
    assert site.config.layout == "2024-09" and site.config.save_fault is None
    assert site.settings() == DEFAULT_SETTINGS
    assert site.session_kind(value) is None
    assert site.saves == [] and site.requests == [] and site.csrf_failures == 0


def test_session_values_are_made_up(site: FixtureSite) -> None:
    values = {site.new_session(), site.new_session("checkpoint")}
    assert len(values) == 2
    for value in values:
        assert value.startswith("fixture-li_at-") and not value.startswith("AQED")
    snapshot = site.settings()
    snapshot[GEN_AI] = False
    assert site.settings()[GEN_AI] is True  # a copy, not the live state


# -- session gate ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "location"),
    [
        (None, r"^/authwall\?trk=[^&]+&sessionRedirect=http%3A%2F%2F.+privacy$"),
        ("bogus", r"^/login\?session_redirect=http%3A%2F%2F.+privacy$"),
        ("checkpoint", r"^/checkpoint/challenge/[\w-]{16,}$"),
    ],
)
def test_session_gate_redirects(site: FixtureSite, kind: str | None, location: str) -> None:
    cookie = None
    if kind == "bogus":
        cookie = "li_at=fixture-li_at-unknown"
    elif kind == "checkpoint":
        cookie = f"li_at={site.new_session('checkpoint')}"
    status, headers, _ = fetch(site.url + HUB, cookie)
    assert status == 302
    assert re.match(location, headers["Location"])
    assert site.requests == [Req("GET", HUB, 302)]


def test_session_gate_in_the_browser(page: Page, site: FixtureSite) -> None:
    page.goto(site.url + HUB)
    expect(page).to_have_url(re.compile(r"/authwall\?"))
    expect(page.get_by_role("link", name="Join LinkedIn")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()

    sign_in(page, site)
    site.revoke_sessions()  # signed out elsewhere
    page.goto(site.url + HUB)
    expect(page).to_have_url(re.compile(r"/login\?session_redirect="))
    expect(page.locator("#username")).to_be_visible()

    sign_in(page, site, "checkpoint")
    page.goto(site.url + HUB)
    expect(page).to_have_url(re.compile(r"/checkpoint/challenge/"))
    expect(page.get_by_text("Let's do a quick security check")).to_be_visible()
    assert [r.status for r in site.requests if r.path == HUB] == [302, 302, 302]


# -- client rendering ------------------------------------------------------------------


def test_first_html_is_an_empty_shell(site: FixtureSite) -> None:
    status, headers, body = fetch(site.url + GEN_AI_PAGE, f"li_at={site.new_session()}")
    assert status == 200
    assert '<html lang="en">' in body and '<main id="app"></main>' in body
    assert '<script src="/static/app.js"' in body
    assert "Generative" not in body and "switch" not in body and "allowData" not in body
    # JSESSIONID: quoted, readable by the script (not HttpOnly).
    cookies = headers.get_all("Set-Cookie") or []
    assert len(cookies) == 1
    assert re.fullmatch(r'JSESSIONID="ajax:\d{19}"; Path=/; SameSite=Lax', cookies[0])


def test_content_appears_after_load(page: Page, site: FixtureSite) -> None:
    site.config.render_delay_ms = 300
    sign_in(page, site)
    # Count the switches inside the page at its load event (no race with the test).
    page.add_init_script(
        "addEventListener('load', () =>"
        " { window.switchesAtLoad = document.querySelectorAll('[role=switch]').length })"
    )
    response = page.goto(site.url + GEN_AI_PAGE)
    assert response is not None and response.status == 200
    expect(gen_ai_switch(page)).to_be_checked()
    assert page.evaluate("window.switchesAtLoad") == 0  # loaded, but not rendered then
    expect(page.get_by_role("heading", name="Data for Generative AI Improvement")).to_be_visible()
    assert Req("GET", "/voyager/api/settings", 200) in site.requests
    # The exact DOM of the real switch; class and id are generated.
    switch = page.locator(f'input[type="checkbox"][role="switch"][aria-labelledby="{GEN_AI}"]')
    expect(switch).to_have_id(re.compile(r"^ember\d+$"))
    expect(switch).to_have_class(re.compile(r"^_[0-9a-z]+$"))
    expect(page.locator(f"p#{GEN_AI}")).to_have_text(GEN_AI_LABEL)


# -- saving ----------------------------------------------------------------------------


def test_switch_off_persists_and_survives_a_reload(page: Page, site: FixtureSite) -> None:
    sign_in(page, site)
    page.goto(site.url + GEN_AI_PAGE)
    expect(gen_ai_switch(page)).to_be_checked()
    gen_ai_switch(page).click()
    expect(page.get_by_role("status")).to_have_text("Setting updated")
    assert site.saves == [Save(GEN_AI, False, 200, True)]
    assert site.settings() == {**DEFAULT_SETTINGS, GEN_AI: False}
    assert site.csrf_failures == 0
    page.reload()
    expect(gen_ai_switch(page)).not_to_be_checked()
    page.goto(site.url + HUB)
    row = page.get_by_role("link", name="Data for Generative AI Improvement")
    expect(row).to_contain_text("Off")


def test_api_needs_the_csrf_token_and_a_session(page: Page, site: FixtureSite) -> None:
    sign_in(page, site)
    page.goto(site.url + GEN_AI_PAGE)
    expect(gen_ai_switch(page)).to_be_visible()
    url = site.url + SAVE_API
    assert page.request.post(url, data={"value": False}).status == 403
    wrong = page.request.post(url, data={"value": False}, headers={"csrf-token": "ajax:1"})
    assert wrong.status == 403
    assert site.csrf_failures == 2 and site.saves == [] and site.settings()[GEN_AI] is True

    jsessionid = next(c["value"] for c in page.context.cookies() if c["name"] == "JSESSIONID")
    right = page.request.post(
        url, data={"value": False}, headers={"csrf-token": jsessionid.strip('"')}
    )
    assert right.status == 200 and right.json() == {"value": False}
    assert site.settings()[GEN_AI] is False

    status, _, body = fetch(site.url + "/voyager/api/settings")  # no session at all
    assert (status, body) == (401, '{"status": 401}')


def test_save_error_reverts_the_switch(page: Page, site: FixtureSite) -> None:
    site.configure(save_fault="error", save_fault_count=1)
    sign_in(page, site)
    page.goto(site.url + GEN_AI_PAGE)
    gen_ai_switch(page).click()
    expect(page.get_by_role("alert")).to_have_text("Something went wrong. Please try again.")
    expect(gen_ai_switch(page)).to_be_checked()
    assert site.saves == [Save(GEN_AI, False, 500, False)]
    assert site.settings()[GEN_AI] is True
    # Only the first save fails: a retry sticks.
    gen_ai_switch(page).click()
    expect(page.get_by_role("status")).to_have_text("Setting updated")
    assert [s.status for s in site.saves] == [500, 200]
    assert site.settings()[GEN_AI] is False


def test_dropped_save_looks_fine_until_the_reload(page: Page, site: FixtureSite) -> None:
    site.config.save_fault = "drop"
    sign_in(page, site)
    page.goto(site.url + GEN_AI_PAGE)
    gen_ai_switch(page).click()
    expect(page.get_by_role("status")).to_have_text("Setting updated")
    expect(gen_ai_switch(page)).not_to_be_checked()
    assert site.saves == [Save(GEN_AI, False, 200, False)]
    assert site.settings()[GEN_AI] is True
    page.reload()
    expect(gen_ai_switch(page)).to_be_checked()


def test_confirm_dialog_cancel_sends_nothing(page: Page, site: FixtureSite) -> None:
    site.config.confirm_dialog = True
    sign_in(page, site)
    page.goto(site.url + GEN_AI_PAGE)
    gen_ai_switch(page).click()
    dialog = page.get_by_role("dialog", name=f"Turn off {GEN_AI_LABEL}?")
    expect(dialog).to_be_visible()
    expect(dialog).to_have_attribute("aria-modal", "true")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    expect(gen_ai_switch(page)).to_be_checked()
    assert posts(site) == [] and site.saves == []

    gen_ai_switch(page).click()
    dialog.get_by_role("button", name="Turn off").click()
    expect(page.get_by_role("status")).to_have_text("Setting updated")
    assert site.saves == [Save(GEN_AI, False, 200, True)]


def test_cookie_banner_blocks_clicks_until_refused(page: Page, site: FixtureSite) -> None:
    site.config.overlay = "cookie-consent"
    sign_in(page, site)
    page.goto(site.url + GEN_AI_PAGE)
    banner = page.get_by_role("dialog", name="Cookie consent")
    expect(banner).to_contain_text("LinkedIn and 3rd parties use essential and non-essential")
    expect(gen_ai_switch(page)).to_be_visible()
    box = gen_ai_switch(page).bounding_box()
    assert box is not None
    point = [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2]
    on_top = "([x, y]) => document.elementFromPoint(x, y).getAttribute('role')"
    assert page.evaluate(on_top, point) != "switch"  # the backdrop takes the click

    banner.get_by_role("button", name="Reject").click()
    expect(banner).to_be_hidden()
    assert site.settings()["nonEssentialCookieConsent"] is False
    assert page.evaluate(on_top, point) == "switch"
    gen_ai_switch(page).click()
    expect(page.get_by_role("status")).to_have_text("Setting updated")
    assert site.settings()[GEN_AI] is False
    page.reload()
    expect(gen_ai_switch(page)).to_be_visible()
    expect(banner).to_have_count(0)  # answered once, never again


def test_a_second_save_after_signout_goes_to_login(page: Page, site: FixtureSite) -> None:
    calls: list[tuple[str, bool]] = []
    site.configure(
        signout_after_saves=1, save_delay_ms=50, on_save=lambda i, v: calls.append((i, v))
    )
    sign_in(page, site)
    page.goto(site.url + GEN_AI_PAGE)
    gen_ai_switch(page).click()
    expect(page.get_by_role("status")).to_have_text("Setting updated")
    assert calls == [(GEN_AI, False)]
    assert site.settings()[GEN_AI] is False
    gen_ai_switch(page).click()  # the session died after the first save
    page.wait_for_url(re.compile(r"/login\?session_redirect="))
    assert site.saves == [Save(GEN_AI, False, 200, True)]
    assert Req("POST", SAVE_API, 401) in site.requests
    assert site.settings()[GEN_AI] is False


# -- layouts, regions, languages -------------------------------------------------------


def test_eu_2024_has_no_gen_ai_row_and_no_page(page: Page, site: FixtureSite) -> None:
    site.config.region = "eu-2024"
    sign_in(page, site)
    page.goto(site.url + HUB)
    expect(page.get_by_role("link", name="Social, economic and workplace research")).to_be_visible()
    expect(page.get_by_role("link", name="Data for Generative AI Improvement")).to_have_count(0)
    response = page.goto(site.url + GEN_AI_PAGE)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.locator("#global-nav")).to_be_visible()
    expect(page.get_by_role("switch")).to_have_count(0)

    site.configure(not_found_status=200, lang="nl")
    response = page.goto(site.url + "/mypreferences/d/settings/data-for-generative-ai-improvement")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", name="Pagina niet gevonden")).to_be_visible()


def test_iframe_variant_renders_inside_the_frame(page: Page, site: FixtureSite) -> None:
    site.config.iframe = True
    sign_in(page, site)
    page.goto(site.url + GEN_AI_PAGE)
    frame = page.frame_locator('iframe[title="Settings"]')
    switch = frame.get_by_role("switch", name=GEN_AI_LABEL)
    expect(switch).to_be_checked()
    expect(page.locator("#global-nav")).to_be_visible()
    assert page.get_by_role("switch").count() == 0  # nothing in the top document
    switch.click()
    expect(frame.get_by_role("status")).to_have_text("Setting updated")
    assert site.settings()[GEN_AI] is False
    assert Req("GET", GEN_AI_PAGE + "?embed=1", 200) in site.requests


@pytest.mark.parametrize(
    ("lang", "privacy", "row", "switch", "turn_off"),
    [
        (
            "nl",
            "Gegevensprivacy",
            "Gegevens voor verbetering van generatieve AI",
            "Mijn gegevens gebruiken voor training van AI-modellen waarmee content wordt gemaakt",
            "Uitschakelen",
        ),
        (
            "de",
            "Datenschutz",
            "Daten zur Verbesserung generativer KI",
            "Ihre Daten zum Schulen von KI-Modellen verwenden, um Inhalte zu erstellen",
            "Deaktivieren",
        ),
        (
            "fr",
            "Confidentialité des données",
            "Données pour l'amélioration de l'IA générative",
            "Utiliser mes données pour entraîner des modèles d'IA de création de contenu",
            "Désactiver",
        ),
    ],
)
def test_languages_use_the_known_labels(
    page: Page, site: FixtureSite, lang: str, privacy: str, row: str, switch: str, turn_off: str
) -> None:
    site.configure(lang=lang, confirm_dialog=True)
    sign_in(page, site)
    page.goto(site.url + HUB)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    expect(page.get_by_role("heading", name=privacy, exact=True)).to_be_visible()
    page.get_by_role("link", name=row).click()
    page.wait_for_url(site.url + GEN_AI_PAGE)
    expect(page.get_by_role("heading", name=row)).to_be_visible()
    control = page.get_by_role("switch", name=switch)
    expect(control).to_have_attribute("aria-labelledby", GEN_AI)
    control.click()
    page.get_by_role("dialog").get_by_role("button", name=turn_off).click()
    expect(page.get_by_role("status")).to_be_visible()
    assert site.settings()[GEN_AI] is False


def test_layout_2025_09_hub_and_pages(page: Page, site: FixtureSite) -> None:
    site.config.layout = "2025-09"
    sign_in(page, site)
    page.goto(site.url + HUB)
    ai_section = page.get_by_role("region", name="Generative AI and other models")
    train = ai_section.get_by_role("link", name="Use your data to train and develop AI models")
    expect(train).to_contain_text("Yes")
    tools = ai_section.get_by_role("link", name="AI creation tools for your profile and messages")
    expect(tools).to_have_attribute("href", AI_TOOLS_PAGE)
    how = page.get_by_role("region", name="How LinkedIn uses your data")
    expect(how.get_by_role("link", name="Social, economic and workplace research")).to_be_visible()
    expect(page.locator(f'a[href="{GEN_AI_PAGE}"]')).to_have_count(1)  # only in the new section

    tools.click()
    switch = page.get_by_role("switch", name="AI creation tools for your profile and messages")
    expect(switch).to_have_attribute("aria-labelledby", "allowAICreationTools")
    switch.click()
    expect(page.get_by_role("status")).to_have_text("Setting updated")
    assert site.saves == [Save("allowAICreationTools", False, 200, True)]

    page.goto(site.url + GEN_AI_PAGE)
    switch = page.get_by_role("switch", name="Use your data to train and develop AI models")
    expect(switch).to_have_attribute("aria-labelledby", GEN_AI)
    page.goto(site.url + HUB)
    expect(tools).to_contain_text("No")

    site.config.layout = "2024-09"  # the slug is new in 2025-09
    status, _, _ = fetch(site.url + AI_TOOLS_PAGE, f"li_at={site.new_session()}")
    assert status == 404


def test_layout_2025_09_inline_button_switches(page: Page, site: FixtureSite) -> None:
    site.configure(layout="2025-09", inline_switches=True, switch_shape="button", lang="de")
    sign_in(page, site)
    page.goto(site.url + HUB)
    ai_section = page.get_by_role("region", name="Generative AI and other models")
    switch = ai_section.get_by_role("switch", name="Use your data to train and develop AI models")
    expect(switch).to_have_attribute("aria-labelledby", GEN_AI)
    expect(switch).to_have_attribute("aria-checked", "true")
    expect(ai_section.get_by_role("switch")).to_have_count(2)
    expect(ai_section.get_by_role("link")).to_have_count(0)
    expect(page.locator("button[role=switch]")).to_have_count(2)
    switch.click()
    expect(page.get_by_role("status")).to_have_text("Einstellung aktualisiert")
    expect(switch).to_have_attribute("aria-checked", "false")
    assert site.settings()[GEN_AI] is False
    assert site.settings()["allowAICreationTools"] is True


def test_redesign_has_no_recognisable_switch(page: Page, site: FixtureSite) -> None:
    site.config.layout = "redesign"
    sign_in(page, site)
    page.goto(site.url + HUB)
    expect(page.get_by_role("heading", name="Privacy center")).to_be_visible()
    page.get_by_role("link", name="AI & you").click()
    page.wait_for_url(site.url + GEN_AI_PAGE)
    expect(page.get_by_text("Let LinkedIn improve AI with my content")).to_be_visible()
    expect(page.get_by_role("switch")).to_have_count(0)
    expect(page.locator("[aria-labelledby]")).to_have_count(0)
    toggle = page.locator("[tabindex='0'][class^='tgl-']")
    toggle.click()
    expect(page.get_by_role("status")).to_have_text("Setting updated")
    assert site.saves == [Save(GEN_AI, False, 200, True)]


@pytest.mark.parametrize(
    ("path", "ids"),
    [
        ("/mypreferences/d/settings/policy-and-academic-research", ["allowAnonymizedDataResearch"]),
        (
            "/mypreferences/d/settings/share-data-with-select-partners",
            ["shareDataWithTrustedPartners"],
        ),
        (
            "/mypreferences/d/settings/linkedin-promotions",
            ["allowProfileAndActivityDataForMarketingAds", "tipsForUsingLinkedinViaEmail"],
        ),
    ],
)
def test_other_switches_follow_the_pattern(
    page: Page, site: FixtureSite, path: str, ids: list[str]
) -> None:
    sign_in(page, site)
    page.goto(site.url + path)
    for setting_id in ids:
        switch = page.locator(f'input[role="switch"][aria-labelledby="{setting_id}"]')
        expect(switch).to_be_checked()
        expect(page.locator(f"p#{setting_id}")).not_to_be_empty()
    expect(page.get_by_role("switch")).to_have_count(len(ids))


def test_from_the_feed_to_the_setting(page: Page, site: FixtureSite) -> None:
    sign_in(page, site)
    page.goto(site.url + "/feed/")
    nav = page.locator("header#global-nav")
    expect(nav.get_by_role("img", name="Jane Example")).to_be_visible()
    expect(nav.get_by_role("link", name="Jane Example")).to_have_attribute(
        "href", "/in/jane-example-1a2b3c/"
    )
    nav.get_by_role("button", name="Me").click()
    nav.get_by_role("link", name="Settings & Privacy").click()
    page.wait_for_url(site.url + "/mypreferences/d/categories/account")
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Data privacy").click()
    page.wait_for_url(site.url + HUB)
    page.get_by_role("link", name="Data for Generative AI Improvement").click()
    page.wait_for_url(site.url + GEN_AI_PAGE)
    expect(gen_ai_switch(page)).to_be_checked()
    assert site.saves == []


# -- sign-in ---------------------------------------------------------------------------


def test_login_sets_li_at_and_lands_on_the_feed(page: Page, site: FixtureSite) -> None:
    page.goto(site.url + "/login")
    user, password = site.test_account
    page.locator("#username").fill(user)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.url + "/feed/")
    expect(page.locator("#global-nav")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "li_at")
    assert cookie["httpOnly"] and cookie["path"] == "/" and cookie["sameSite"] == "Lax"
    assert site.session_kind(cookie["value"]) == "valid"
    assert Req("POST", "/checkpoint/lg/login-submit", 303) in site.requests


def test_login_with_a_wrong_password_shows_the_form_again(page: Page, site: FixtureSite) -> None:
    page.goto(site.url + "/login")
    page.locator("#username").fill(site.test_account[0])
    page.locator("#password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Wrong email or password")
    assert Req("POST", "/checkpoint/lg/login-submit", 200) in site.requests
    assert all(c["name"] != "li_at" for c in page.context.cookies())


def test_expired_session_signs_in_again_and_returns(page: Page, site: FixtureSite) -> None:
    site.config.autologin = True
    sign_in(page, site)
    site.revoke_sessions()
    page.goto(site.url + GEN_AI_PAGE)
    # /login?session_redirect=..., then the autologin submits, then back to the page.
    page.wait_for_url(site.url + GEN_AI_PAGE)
    expect(gen_ai_switch(page)).to_be_checked()
    assert Req("POST", "/checkpoint/lg/login-submit", 303) in site.requests


# -- delays, hangs and the CLI ---------------------------------------------------------


def _hanging_get(url: str, outcome: dict[str, BaseException]) -> threading.Thread:
    def get() -> None:
        try:
            # The response ends when the site releases it; this limit is only for a hang.
            urllib.request.urlopen(url, timeout=SLOW_MACHINE_DEADLINE_S)
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=get, daemon=True)
    thread.start()
    return thread


def test_hanging_page_ends_on_reset(site: FixtureSite) -> None:
    site.configure(hang_paths=("/mypreferences/",), page_delay_ms=20)
    outcome: dict[str, BaseException] = {}
    thread = _hanging_get(site.url + HUB, outcome)
    wait_until(lambda: Req("GET", HUB, 0) in site.requests)
    assert thread.is_alive()
    site.reset()
    thread.join(timeout=SLOW_MACHINE_DEADLINE_S)
    assert not thread.is_alive()
    assert isinstance(outcome["error"], RemoteDisconnected)


def test_hanging_page_ends_on_stop() -> None:
    site = FixtureSite().start()
    site.config.hang_paths = ("/feed/",)
    outcome: dict[str, BaseException] = {}
    thread = _hanging_get(site.url + "/feed/", outcome)
    wait_until(lambda: len(site.requests) == 1)
    site.stop()
    thread.join(timeout=SLOW_MACHINE_DEADLINE_S)
    assert not thread.is_alive()
    assert isinstance(outcome["error"], RemoteDisconnected)


def _serving_thread(client: socket.socket) -> threading.Thread | None:
    """The site's thread that serves this client connection, once it has one."""
    for thread in threading.enumerate():
        args = getattr(thread, "_args", ())  # (request, client_address) while it runs
        if len(args) == 2 and args[1] == client.getsockname():
            return thread
    return None


def test_stop_does_not_wait_for_an_idle_connection() -> None:
    """Browsers keep sockets open (preconnected, keep-alive); stop() must not wait
    until such a socket's read limit (_Handler.timeout) runs out."""
    site = FixtureSite().start()
    assert site._server is not None
    with socket.create_connection((site.host, site._server.server_port)) as client:
        client.sendall(b"GET /feed/ HTTP/1.1\r\n")  # and never the rest of the request
        wait_until(lambda: _serving_thread(client) is not None)
        serving = _serving_thread(client)
        assert serving is not None
        site.stop()
        # Had stop() waited for the connection, its thread would have ended first.
        assert serving.is_alive()
    serving.join(timeout=SLOW_MACHINE_DEADLINE_S)  # the socket closed: it ends


def _lines(stream: Any) -> queue.Queue[str]:
    """The lines of `stream` as they come, read in a thread: a test can wait for the
    next one with a deadline (a plain readline() waits forever if none comes)."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)
        lines.put("")  # end of stream

    threading.Thread(target=read, daemon=True).start()
    return lines


def test_cli_serves_until_interrupted() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "fixtures.site", "--port", "0", "--layout", "2025-09"],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        lines = _lines(process.stderr)
        banner = "".join(lines.get(timeout=SLOW_MACHINE_DEADLINE_S) for _ in range(3))
        url = re.search(r"at (http://\S+)\n", banner)
        li_at = re.search(r"li_at=(\S+)", banner)
        assert url and li_at and not li_at.group(1).startswith("AQED"), banner
        status, _, _ = fetch(url.group(1) + AI_TOOLS_PAGE, f"li_at={li_at.group(1)}")
        assert status == 200
        process.send_signal(signal.SIGINT)
        # Ctrl-C ends it cleanly (exit 0); how soon depends on how busy the machine is.
        assert process.wait(timeout=SLOW_MACHINE_DEADLINE_S) == 0
    finally:
        process.kill()
        process.wait()
