"""The fixture site's layouts, regions and languages look like the real pages of
docs/real-site.md: the EU region, the iframe variant, each language's labels, the
2025-09 layout, the redesign, the other switches, and the way from the feed."""

from __future__ import annotations

import pytest
from helpers import (
    AI_TOOLS_PAGE,
    GEN_AI,
    GEN_AI_LABEL,
    GEN_AI_PAGE,
    HUB,
    fetch,
    gen_ai_switch,
    sign_in,
)
from playwright.sync_api import Page, expect

from fixtures.site import FixtureSite, Req, Save

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
