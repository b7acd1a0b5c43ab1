"""The fixture site's Visibility settings: the hub and its rows' values, the old
path's redirect, each page's radios and switches in the selector data's words, a
picked radio saving and surviving a reload, a failed save putting the radio back,
and placeholders drawn before the member's value.

Only the fixture server and a browser page: the tool is not run here. What a test
asserts of the page it also asserts of the server (`site.visibility()`,
`site.saves`), and the expected words come from the selector data, not from a copy.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from helpers import fetch, sign_in
from playwright.sync_api import Locator, Page, Route, expect

from fixtures.site import DEFAULT_SETTINGS, VISIBILITY_DEFAULTS, FixtureSite, Save
from fixtures.visibility import OLD_VISIBILITY_HUB, VISIBILITY_HUB
from linkedin_optout.selectors import Setting, site_facts

SETTINGS = {s.key: s for s in site_facts().settings if s.row.on == VISIBILITY_HUB}
# One page per URL, its settings in file order (the e-mail page: the choice, then the switch).
PAGES: dict[str, list[Setting]] = {}
for _s in SETTINGS.values():
    PAGES.setdefault(str(_s.url), []).append(_s)
CHOICES = [k for k, s in SETTINGS.items() if s.control == "choice"]
ON_OFF = {"en": ("On", "Off"), "nl": ("Aan", "Uit")}  # labels.js
SECTIONS = {
    "en": ("Visibility of your profile & network", "Visibility of your LinkedIn activity"),
    "nl": ("Zichtbaarheid van uw profiel en netwerk", "Zichtbaarheid van uw LinkedIn-activiteit"),
}
EMAIL_PAGE = "/mypreferences/d/settings/email-address-visibility"


def first(localized: dict[str, list[str]], lang: str) -> str:
    return localized[lang][0]


def words(setting: Setting, value: str | bool, lang: str) -> str:
    """A value as the page shows it in `lang`."""
    if isinstance(value, bool):
        return ON_OFF[lang][0 if value else 1]
    return setting.words(value, lang)


def radio(page: Page, setting: Setting, value: str, lang: str = "en") -> Locator:
    option = setting.option(value)
    assert option is not None
    return page.get_by_role("radio", name=first(option.labels, lang), exact=True)


def group(page: Page, setting: Setting, lang: str = "en") -> Locator:
    return page.get_by_role("group", name=first(setting.labels, lang), exact=True)


def switch(page: Page, setting: Setting, lang: str = "en") -> Locator:
    return page.get_by_role("switch", name=first(setting.labels, lang), exact=True)


def saves_done(page: Page, count: int) -> None:
    """Wait until the page has handled `count` choice saves (shown or reverted)."""
    page.wait_for_function(f"choiceSavesDone >= {count}")


# -- the server's side -------------------------------------------------------------------


def test_the_nine_settings_start_at_linkedins_defaults(site: FixtureSite) -> None:
    assert set(SETTINGS) == set(VISIBILITY_DEFAULTS) and len(SETTINGS) == 9
    assert VISIBILITY_DEFAULTS == {
        "profile-viewing": "name-and-headline",
        "email-visibility": "connections",
        "email-download": True,
        "connections-visibility": True,
        "discover-by-email": "everyone",
        "discover-by-phone": "everyone",
        "discovery-off-linkedin": True,
        "page-admins-export": True,
        "share-profile-updates": True,
    }
    for key, value in VISIBILITY_DEFAULTS.items():  # a value the setting can have
        assert (value in SETTINGS[key].values) if isinstance(value, str) else True
    assert site.visibility() == VISIBILITY_DEFAULTS
    assert site.settings() == DEFAULT_SETTINGS  # the switches' state keeps its shape
    assert not set(site.settings()) & set(VISIBILITY_DEFAULTS)


def test_initial_values_from_the_config_and_changes_on_the_server(site: FixtureSite) -> None:
    site.configure(visibility={"email-visibility": "only-me", "email-download": False})
    assert site.visibility() == {
        **VISIBILITY_DEFAULTS,
        "email-visibility": "only-me",
        "email-download": False,
    }
    site.set_visibility("email-visibility", "everyone")  # LinkedIn moved it back
    assert site.visibility()["email-visibility"] == "everyone"
    with pytest.raises(KeyError):
        site.configure(visibility={"profile-visibility": "private"})
    with pytest.raises(ValueError):
        site.configure(visibility={"email-visibility": "nobody"})
    with pytest.raises(ValueError):
        site.set_visibility("email-download", "off")
    site.reset()
    assert site.visibility() == VISIBILITY_DEFAULTS and site.config.visibility == {}


def test_the_old_hub_path_redirects_to_the_hub(site: FixtureSite) -> None:
    status, headers, _ = fetch(site.url + OLD_VISIBILITY_HUB, f"li_at={site.new_session()}")
    assert (status, headers["Location"]) == (302, VISIBILITY_HUB)
    # The pages go through the session gate like every other page.
    for path in (VISIBILITY_HUB, *PAGES):
        status, headers, _ = fetch(site.url + path)
        assert status == 302 and headers["Location"].startswith("/authwall?"), path


def test_a_save_of_a_value_the_setting_cannot_have_is_refused(page: Page, site: FixtureSite):
    sign_in(page, site)
    page.goto(site.url + VISIBILITY_HUB)
    expect(page.get_by_role("heading", name="Visibility", exact=True)).to_be_visible()
    answers = page.evaluate(
        """async () => Promise.all([
            ["email-visibility", "nobody"], ["email-download", "off"], ["no-such-setting", true],
        ].map(async ([key, value]) => (await api("POST", `/voyager/api/settings/${key}`,
            { value })).status))"""
    )
    assert answers == [400, 400, 404]
    assert site.saves == [] and site.visibility() == VISIBILITY_DEFAULTS


# -- the hub -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "nl"])
def test_the_hub_has_a_row_per_page_showing_its_value(page: Page, site: FixtureSite, lang):
    site.configure(lang=lang, visibility={"profile-viewing": "private"})
    site.set_visibility("share-profile-updates", False)
    values = site.visibility()
    sign_in(page, site)
    page.goto(site.url + OLD_VISIBILITY_HUB)  # the old path: redirected
    expect(page).to_have_url(site.url + VISIBILITY_HUB)
    for title in SECTIONS[lang]:
        expect(page.get_by_role("heading", name=title)).to_be_visible()
    for url, settings in PAGES.items():
        row = page.locator(f'main a[href="{url}"]')
        expect(row).to_have_count(1)
        shown = words(settings[0], values[settings[0].key], lang)
        expect(row).to_have_text(first(settings[0].row.text, lang) + shown)
        expect(row.locator("span").last).to_have_text(shown)  # the value at the row's end
    activity = page.get_by_role("region", name=SECTIONS[lang][1])
    expect(activity.locator("a")).to_have_count(1)
    expect(activity).to_contain_text(words(SETTINGS["share-profile-updates"], False, lang))
    # One row per page: the e-mail page's serves both its settings.
    expect(page.locator("main section[aria-labelledby] a")).to_have_count(len(PAGES))


def test_the_settings_page_links_to_the_hub(page: Page, site: FixtureSite) -> None:
    sign_in(page, site)
    page.goto(site.url + "/mypreferences/d/categories/account")
    page.get_by_role("navigation", name="Settings").get_by_role("link", name="Visibility").click()
    page.wait_for_url(site.url + VISIBILITY_HUB)
    page.get_by_role("link", name=re.compile("^Who can see or download your email")).click()
    page.wait_for_url(site.url + EMAIL_PAGE)
    expect(group(page, SETTINGS["email-visibility"])).to_be_visible()


# -- the pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "de"])
@pytest.mark.parametrize("url", list(PAGES))
def test_each_page_draws_its_controls_after_load(page: Page, site: FixtureSite, url, lang):
    site.configure(lang=lang, render_delay_ms=200)
    values = site.visibility()
    sign_in(page, site)
    page.add_init_script(
        "addEventListener('load', () => { window.atLoad ="
        " document.querySelectorAll('input, [role=switch], fieldset').length })"
    )
    page.goto(site.url + url)
    settings = PAGES[url]
    expect(page.get_by_role("heading", level=1)).to_have_text(first(settings[0].row.text, lang))
    for s in settings:
        if s.control == "switch":
            control = switch(page, s, lang)
            expect(control).to_be_checked(checked=bool(values[s.key]))
            # No stable id: the switch and its label's id are generated.
            expect(control).to_have_id(re.compile(r"^ember\d+$"))
            expect(control).to_have_attribute("aria-labelledby", re.compile(r"^ember\d+$"))
            continue
        expect(group(page, s, lang).get_by_role("radio")).to_have_count(len(s.options))
        for option in s.options:
            control = group(page, s, lang).get_by_role(
                "radio", name=first(option.labels, lang), exact=True
            )
            expect(control).to_be_checked(checked=option.value == values[s.key])
            expect(control).to_have_id(option.ids[0] if option.ids else re.compile(r"^ember\d+$"))
        names = (
            group(page, s, lang)
            .locator("input[type=radio]")
            .evaluate_all("els => new Set(els.map((el) => el.name)).size")
        )
        assert names == 1  # one group: the radios share a name
    expect(page.get_by_role("switch")).to_have_count(sum(s.control == "switch" for s in settings))
    assert page.evaluate("window.atLoad") == 0  # loaded, but not rendered then
    data = page.locator("code").text_content()
    assert data and all(f'"{s.key.upper().replace("-", "_")}"' in data for s in settings)


def test_the_page_data_says_what_the_server_has(page: Page, site: FixtureSite) -> None:
    site.configure(visibility={"email-visibility": "second-degree", "email-download": False})
    sign_in(page, site)
    page.goto(site.url + EMAIL_PAGE)
    settings = page.locator("code").evaluate("el => JSON.parse(el.textContent).data.settings")
    assert [(s["key"], s["settingDisplayType"], selected(s)) for s in settings] == [
        ("EMAIL_VISIBILITY", "RADIO", ["SECOND_DEGREE"]),
        ("EMAIL_DOWNLOAD", "TOGGLE", ["OFF"]),
    ]


def selected(setting: dict[str, Any]) -> list[str]:
    return [v["value"] for v in setting["settingDisplayValues"] if v["selected"]]


def test_a_radiogroup_shape_is_named_by_its_question(page: Page, site: FixtureSite) -> None:
    site.configure(choice_shape="radiogroup", lang="fr")
    sign_in(page, site)
    page.goto(site.url + "/mypreferences/d/settings/discover-me-by-phone-number")
    setting = SETTINGS["discover-by-phone"]
    named = page.get_by_role("radiogroup", name=first(setting.labels, "fr"), exact=True)
    expect(named.get_by_role("radio")).to_have_count(4)
    expect(named.get_by_role("radio", name="Tout le monde")).to_be_checked()
    expect(page.locator("fieldset")).to_have_count(0)


# -- saving --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", CHOICES)
def test_a_picked_radio_saves_and_survives_a_reload(page: Page, site: FixtureSite, key):
    setting = SETTINGS[key]
    private = setting.recommended
    before = site.visibility()[key]
    sign_in(page, site)
    page.goto(site.url + str(setting.url))
    expect(radio(page, setting, str(before))).to_be_checked()
    radio(page, setting, private).check()
    expect(page.get_by_role("status")).to_have_text("Setting updated")
    assert site.saves == [Save(key, private, 200, True)]
    assert site.visibility() == {**VISIBILITY_DEFAULTS, key: private}
    page.reload()
    expect(radio(page, setting, private)).to_be_checked()
    expect(radio(page, setting, str(before))).not_to_be_checked()
    page.goto(site.url + VISIBILITY_HUB)  # the hub's row says so too
    expect(page.locator(f'main a[href="{setting.url}"]')).to_contain_text(setting.words(private))


def test_the_switch_under_the_email_choice_saves_by_its_key(page: Page, site: FixtureSite):
    setting = SETTINGS["email-download"]
    sign_in(page, site)
    page.goto(site.url + EMAIL_PAGE)
    switch(page, setting).click()
    expect(page.get_by_role("status")).to_have_text("Setting updated")
    assert site.saves == [Save("email-download", False, 200, True)]
    assert site.visibility()["email-download"] is False
    assert site.visibility()["email-visibility"] == "connections"  # the choice is untouched
    page.reload()
    expect(switch(page, setting)).not_to_be_checked()


def test_a_value_changed_on_the_server_shows_on_the_next_load(page: Page, site: FixtureSite):
    setting = SETTINGS["discover-by-email"]
    sign_in(page, site)
    page.goto(site.url + str(setting.url))
    radio(page, setting, "nobody").check()
    expect(page.get_by_role("status")).to_be_visible()
    site.set_visibility("discover-by-email", "everyone")  # LinkedIn moved it back
    page.reload()
    expect(radio(page, setting, "everyone")).to_be_checked()
    assert site.saves == [Save("discover-by-email", "nobody", 200, True)]


def test_a_failed_save_puts_the_radio_back(page: Page, site: FixtureSite) -> None:
    site.configure(save_fault="error", save_fault_count=1)
    setting = SETTINGS["email-visibility"]
    sign_in(page, site)
    page.goto(site.url + EMAIL_PAGE)
    radio(page, setting, "only-me").click()  # not check(): it may be back before that looks
    expect(page.get_by_role("alert")).to_have_text("Something went wrong. Please try again.")
    expect(radio(page, setting, "connections")).to_be_checked()
    expect(radio(page, setting, "only-me")).not_to_be_checked()
    assert site.saves == [Save("email-visibility", "only-me", 500, False)]
    assert site.visibility()["email-visibility"] == "connections"
    radio(page, setting, "only-me").check()  # the next save goes through
    expect(page.get_by_role("status")).to_be_visible()
    assert site.visibility()["email-visibility"] == "only-me"


def test_a_dropped_save_looks_good_until_a_reload(page: Page, site: FixtureSite) -> None:
    site.configure(save_fault="drop", choice_toast=False)
    setting = SETTINGS["profile-viewing"]
    sign_in(page, site)
    page.goto(site.url + str(setting.url))
    radio(page, setting, "private").check()
    saves_done(page, 1)
    expect(page.get_by_role("status")).to_have_count(0)  # choice_toast=False: no toast
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(radio(page, setting, "private")).to_be_checked()
    assert site.saves == [Save("profile-viewing", "private", 200, False)]
    assert site.visibility()["profile-viewing"] == "name-and-headline"
    page.reload()
    expect(page.locator("#discloseAsProfileViewer__DISCLOSE_FULL")).to_be_checked()


def test_a_throttled_choice_save_is_429_and_reverts(page: Page, site: FixtureSite) -> None:
    site.configure(throttle_after_saves=1, retry_after_s=60)
    setting = SETTINGS["discover-by-phone"]
    sign_in(page, site)
    page.goto(site.url + str(setting.url))
    radio(page, setting, "connections").check()
    saves_done(page, 1)
    radio(page, setting, "nobody").click()  # not check(): it may be back before that looks
    saves_done(page, 2)
    expect(radio(page, setting, "connections")).to_be_checked()
    expect(page.get_by_role("alert")).to_be_visible()
    assert [(s.value, s.status) for s in site.saves] == [("connections", 200), ("nobody", 429)]
    assert site.visibility()["discover-by-phone"] == "connections"


# -- before the value, and locked ------------------------------------------------------------


@pytest.mark.parametrize(
    ("shape", "shows"),
    [("disabled", "private"), ("busy", "open"), ("skeleton", "default"), ("silent", "none")],
)
def test_a_placeholder_comes_before_the_members_value(page: Page, site: FixtureSite, shape, shows):
    site.configure(placeholder=shape, placeholder_choice=shows)
    site.set_visibility("discover-by-email", "connections")  # unlike every placeholder
    setting = SETTINGS["discover-by-email"]
    held: list[Route] = []  # the member's values wait until the test lets them go
    page.route("**/voyager/api/settings/values", lambda route: held.append(route))
    sign_in(page, site)
    with page.expect_request("**/voyager/api/settings/values"):
        page.goto(site.url + str(setting.url))
    placeholder = {"private": "nobody", "open": "everyone", "default": "everyone"}.get(shows)
    radios = group(page, setting).get_by_role("radio")
    expect(radios).to_have_count(4)
    for option in setting.options:
        expect(radio(page, setting, option.value)).to_be_checked(
            checked=option.value == placeholder
        )
    if shape == "disabled":
        for i in range(4):
            expect(radios.nth(i)).to_be_disabled()
    if shape == "busy":
        expect(group(page, setting)).to_have_attribute("aria-busy", "true")
    if shape == "skeleton":
        expect(page.locator(".skeleton-loader[data-state=loading]")).to_have_count(1)
    assert len(held) == 1
    held[0].continue_()
    expect(radio(page, setting, "connections")).to_be_checked()
    for i in range(4):
        expect(radios.nth(i)).to_be_enabled()
    expect(group(page, setting)).not_to_have_attribute("aria-busy", "true")
    expect(page.locator(".skeleton-loader")).to_have_count(0)
    assert site.saves == []


def test_a_locked_choice_shows_its_value_and_takes_no_click(page: Page, site: FixtureSite):
    site.configure(locked=("profile-viewing",), visibility={"profile-viewing": "private"})
    setting = SETTINGS["profile-viewing"]
    sign_in(page, site)
    page.goto(site.url + str(setting.url))
    expect(radio(page, setting, "private")).to_be_checked()
    for option in setting.options:
        expect(radio(page, setting, option.value)).to_be_disabled()
    assert site.saves == []
