"""The fixture site behaves like the real pages of docs/real-site.md: its API for
tests, the session gate, client rendering and signing in.

Every behaviour is checked against the server's own state (`site.settings()`,
`site.saves`, `site.requests`), not only against what the page shows: the tool's
tests rely on the fixture telling the truth about what was persisted. The other
test_fixture_*.py files cover saving, layouts and the server itself.
"""

from __future__ import annotations

import re

import pytest
from helpers import GEN_AI, GEN_AI_LABEL, GEN_AI_PAGE, HUB, fetch, gen_ai_switch, sign_in
from playwright.sync_api import Page, expect

from fixtures.site import DEFAULT_SETTINGS, FixtureSite, Req

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
