"""The fixture site's data-use catalogue: every page in the real site's shape, every
switch saving and surviving a reload, the Advertising data rows, the region without
partner sharing, and LinkedIn switching partner sharing off by itself.

Only the fixture server and a browser page: the tool is not run here. Each page is
checked against the selector data too, so the fixture and the data cannot drift.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from fixtures.catalogue import CATALOGUE_IDS, CATALOGUE_PAGES, COOKIE_CONSENT, VISIBILITY_HUB
from fixtures.site import DEFAULT_SETTINGS, SWITCH_IDS, FixtureSite, Save
from linkedin_optout.selectors import Setting, site_facts
from linkedin_optout.text import text_matches

PREFS = "/mypreferences/d/"
HUB = PREFS + "categories/privacy"
ADS = PREFS + "categories/ads"
PARTNERS = "shareDataWithTrustedPartners"
AUDIENCE_NETWORK = "allowLinkedInAudienceNetwork"
# The data-use settings; the Visibility hub's are tests/test_fixture_visibility.py's.
SETTINGS = [s for s in site_facts().settings if s.row.on != VISIBILITY_HUB]
LANGS = ["en", "nl", "de", "fr"]


def stable_id(setting: Setting) -> str:
    return (setting.labelledby or setting.ids)[0]


def by_id(setting_id: str) -> Setting:
    return next(s for s in SETTINGS if stable_id(s) == setting_id)


def sign_in(page: Page, site: FixtureSite) -> None:
    page.context.add_cookies([{"name": "li_at", "value": site.new_session(), "url": site.url}])


def switch_for(page: Page, setting_id: str):  # type: ignore[no-untyped-def]
    if setting_id == COOKIE_CONSENT:
        return page.locator(f'input[type=checkbox][role=switch][id="{setting_id}"]')
    return page.locator(f'input[type=checkbox][role=switch][aria-labelledby="{setting_id}"]')


def test_the_fixture_and_the_selector_data_name_the_same_switches_on_the_same_pages():
    pages: dict[str | None, list[str]] = {s.url: [] for s in SETTINGS}
    for s in SETTINGS:
        pages[s.url].append(stable_id(s))
    assert {PREFS + p: list(ids) for p, ids in CATALOGUE_PAGES.items()} == pages
    assert set(CATALOGUE_IDS) <= set(DEFAULT_SETTINGS) and set(CATALOGUE_IDS) <= SWITCH_IDS
    # On by default, the cookie banner unanswered (which its switch shows as on).
    assert all(DEFAULT_SETTINGS[i] is True for i in CATALOGUE_IDS if i != COOKIE_CONSENT)
    assert DEFAULT_SETTINGS[COOKIE_CONSENT] is None


@pytest.mark.parametrize("path", list(CATALOGUE_PAGES))
def test_every_catalogue_page_renders_its_switches_on(page: Page, site: FixtureSite, path):
    sign_in(page, site)
    page.goto(site.url + PREFS + path)
    ids = CATALOGUE_PAGES[path]
    for setting_id in ids:
        switch = switch_for(page, setting_id)
        expect(switch).to_be_checked()
        # The English label on the page is one the selector data knows.
        name = switch.evaluate(
            "el => el.labels[0]?.textContent ?? "
            "document.getElementById(el.getAttribute('aria-labelledby')).textContent"
        )
        assert any(text_matches(label, name) for label in by_id(setting_id).labels["en"]), name
    expect(page.get_by_role("switch")).to_have_count(len(ids))


def test_the_cookie_switch_carries_its_id_and_no_labelledby(page: Page, site: FixtureSite):
    sign_in(page, site)
    page.goto(site.url + PREFS + "member-cookies")
    switch = page.get_by_role("switch", name="Allow non-essential cookies")
    expect(switch).to_have_attribute("id", COOKIE_CONSENT)
    expect(page.locator("[aria-labelledby]")).to_have_count(0)


@pytest.mark.parametrize("setting_id", CATALOGUE_IDS)
def test_a_save_persists_and_survives_a_reload(page: Page, site: FixtureSite, setting_id):
    path = next(p for p, ids in CATALOGUE_PAGES.items() if setting_id in ids)
    sign_in(page, site)
    page.goto(site.url + PREFS + path)
    switch = switch_for(page, setting_id)
    switch.click()
    expect(page.get_by_role("status")).to_have_text("Setting updated")
    assert site.saves == [Save(setting_id, False, 200, True)]
    assert site.settings()[setting_id] is False
    page.reload()
    expect(switch_for(page, setting_id)).not_to_be_checked()
    others = [i for i in CATALOGUE_PAGES[path] if i != setting_id]
    for other in others:  # the page's other switch stays as it was
        expect(switch_for(page, other)).to_be_checked()


def test_a_failed_save_reverts_the_switch_and_keeps_the_setting(page: Page, site: FixtureSite):
    site.configure(save_fault="error")
    sign_in(page, site)
    page.goto(site.url + PREFS + "settings/ads-by-age")
    switch_for(page, "allowAdsByAge").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(switch_for(page, "allowAdsByAge")).to_be_checked()
    assert site.settings()["allowAdsByAge"] is True


def test_placeholder_and_locked_work_on_catalogue_switches(page: Page, site: FixtureSite):
    site.configure(placeholder="disabled", value_delay_ms=200, locked=("allowAdsByGender",))
    sign_in(page, site)
    page.goto(site.url + PREFS + "settings/ads-inferred-location")
    # Drawn off and disabled first; on and enabled once the member's values come.
    expect(switch_for(page, "allowIpToPersonalizeAds")).to_be_checked()
    expect(switch_for(page, "allowIpToPersonalizeAds")).to_be_enabled()
    assert ("GET", "/voyager/api/settings/values") in [(r.method, r.path) for r in site.requests]
    page.goto(site.url + PREFS + "settings/ads-by-gender")
    expect(switch_for(page, "allowAdsByGender")).to_be_checked()  # the values have come
    expect(switch_for(page, "allowAdsByGender")).to_be_disabled()  # and it stays locked


def test_advertising_data_has_a_row_per_ads_setting(page: Page, site: FixtureSite):
    ads = [s for s in SETTINGS if s.group == "ads"]
    site.set_setting("allowAdsByGender", False)
    sign_in(page, site)
    page.goto(site.url + ADS)
    for setting in ads:
        row = page.locator(f'a[href="{setting.row.href}"]')
        expect(row).to_have_count(1)
        expect(row).to_contain_text(setting.row.text["en"][0])
        expect(row).to_contain_text("Off" if setting.key == "ads-gender" else "On")
    expect(
        page.locator(f'main a[href^="{PREFS}"]:not([href^="{PREFS}categories/"])')
    ).to_have_count(len(ads))
    expect(page.get_by_role("switch")).to_have_count(0)  # rows only, no switches
    page.locator(f'a[href="{PREFS}interest-categories"]').click()
    page.wait_for_url(site.url + PREFS + "interest-categories")
    expect(switch_for(page, "adsPrivacyAllowInterestsAndBehaviors")).to_be_checked()


@pytest.mark.parametrize("lang", LANGS)
def test_rows_read_as_the_selector_data_says_in_every_language(page: Page, site: FixtureSite, lang):
    site.configure(lang=lang)
    sign_in(page, site)
    for where, settings in (
        (HUB, [s for s in SETTINGS if s.row.on is None]),
        (ADS, [s for s in SETTINGS if s.row.on == ADS]),
    ):
        page.goto(site.url + where)
        for setting in settings:
            row = page.locator(f'a[href="{setting.row.href}"]')
            expect(row).to_have_count(1)
            text = row.inner_text()
            texts = setting.row.text.get(lang, [])  # none: the entry lacks this language
            assert any(text_matches(t, text) for t in texts), (setting.key, text)


@pytest.mark.parametrize("lang", ["nl", "de", "fr"])
def test_switch_labels_read_as_the_selector_data_says(page: Page, site: FixtureSite, lang):
    site.configure(lang=lang)
    sign_in(page, site)
    page.goto(site.url + PREFS + "settings/linkedin-promotions")
    for setting_id in CATALOGUE_PAGES["settings/linkedin-promotions"]:
        expect(switch_for(page, setting_id)).to_be_visible()
        text = page.locator(f"p#{setting_id}").inner_text()
        assert any(text_matches(label, text) for label in by_id(setting_id).labels[lang]), text


def test_data_privacy_rows_lead_to_the_catalogue_pages(page: Page, site: FixtureSite):
    sign_in(page, site)
    page.goto(site.url + HUB)
    promotions = page.get_by_role("link", name="LinkedIn promotions")
    expect(page.get_by_role("link", name="Cookie preferences")).to_contain_text("On")
    promotions.click()
    page.wait_for_url(site.url + PREFS + "settings/linkedin-promotions")
    expect(page.get_by_role("switch")).to_have_count(2)


def test_the_eu_region_has_no_partner_sharing(page: Page, site: FixtureSite):
    site.configure(region="eu", layout="2025-09")
    sign_in(page, site)
    page.goto(site.url + HUB)
    expect(
        page.get_by_role("link", name="Use your data to train and develop AI models")
    ).to_be_visible()
    expect(page.get_by_role("link", name="Social, economic and workplace research")).to_be_visible()
    expect(page.locator('a[href*="share-data-with-select-partners"]')).to_have_count(0)
    response = page.goto(site.url + PREFS + "settings/share-data-with-select-partners")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
    expect(page.get_by_role("switch")).to_have_count(0)
    page.goto(site.url + PREFS + "settings/data-for-ai-improvement")
    expect(page.get_by_role("switch")).to_have_count(1)


def test_global_region_still_has_partner_sharing(page: Page, site: FixtureSite):
    sign_in(page, site)
    page.goto(site.url + HUB)
    expect(page.locator('a[href*="share-data-with-select-partners"]')).to_have_count(1)


def test_ads_beyond_linkedin_off_switches_partner_sharing_off_by_itself(
    page: Page, site: FixtureSite
):
    sign_in(page, site)
    page.goto(site.url + PREFS + "settings/ads-beyond-linkedin")
    switch_for(page, AUDIENCE_NETWORK).click()
    expect(page.get_by_role("status")).to_have_text("Setting updated")
    assert site.settings()[PARTNERS] is False
    assert site.saves == [Save(AUDIENCE_NETWORK, False, 200, True)]  # LinkedIn's, not a save
    assert site.linked_changes == [(PARTNERS, False)]
    page.goto(site.url + PREFS + "settings/share-data-with-select-partners")
    expect(switch_for(page, PARTNERS)).not_to_be_checked()


def test_a_failed_ads_beyond_linkedin_save_leaves_partner_sharing_on(page: Page, site: FixtureSite):
    site.configure(save_fault="drop")
    sign_in(page, site)
    page.goto(site.url + PREFS + "settings/ads-beyond-linkedin")
    switch_for(page, AUDIENCE_NETWORK).click()
    expect(page.get_by_role("status")).to_be_visible()
    assert site.settings()[PARTNERS] is True and site.linked_changes == []


def test_partner_sharing_off_leaves_ads_beyond_linkedin_on(page: Page, site: FixtureSite):
    sign_in(page, site)
    page.goto(site.url + PREFS + "settings/share-data-with-select-partners")
    switch_for(page, PARTNERS).click()
    expect(page.get_by_role("status")).to_have_text("Setting updated")
    assert site.settings()[AUDIENCE_NETWORK] is True and site.linked_changes == []
