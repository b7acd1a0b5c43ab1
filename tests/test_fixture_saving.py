"""The fixture site saves as the real pages do: a save persists and survives a
reload, the API needs the CSRF token and a session, and the faults a save can
meet (an error, a dropped save, a confirm dialog, a cookie banner, a sign-out),
each checked against the server's own state."""

from __future__ import annotations

import re

from helpers import GEN_AI, GEN_AI_LABEL, GEN_AI_PAGE, HUB, fetch, gen_ai_switch, sign_in
from playwright.sync_api import Page, expect

from fixtures.site import DEFAULT_SETTINGS, FixtureSite, Req, Save

SAVE_API = f"/voyager/api/settings/{GEN_AI}"


def posts(site: FixtureSite) -> list[Req]:
    return [r for r in site.requests if r.method == "POST"]


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
