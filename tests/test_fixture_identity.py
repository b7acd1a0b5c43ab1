"""The fixture site ties a session to the browser that made it, as LinkedIn does
(docs/real-site.md, "A session belongs to the browser that made it"); it rate limits
saves (429 with Retry-After); it has the restriction page and the saved-account
chooser, and can end sessions mid-run in each of those ways.

Raw HTTP (`fixtures.client`) where the headers are the point, real Chromium where the page
script is (the fingerprint beacon, the switch reverting, the chooser's links).
"""

from __future__ import annotations

import re
import time
from email.message import Message
from typing import Any
from unittest.mock import patch
from urllib.parse import quote

import pytest
from conftest import SLOW_MACHINE_DEADLINE_S
from helpers import GEN_AI, GEN_AI_PAGE, HUB, gen_ai_switch, sign_in, wait_until
from playwright.sync_api import Browser, BrowserContext, Page, expect

from fixtures import site as site_module
from fixtures.client import CHROME, FIREFOX, Client
from fixtures.site import FixtureSite, Identity, Killed, Save

RESTRICTION = "/flagship-web/login/login-restriction/"
HEADLESS_UA = CHROME.user_agent.replace("Chrome/", "HeadlessChrome/")
DELETE_ME = 'li_at="delete me"; Path=/'


def set_cookies(headers: Message) -> list[str]:
    return headers.get_all("Set-Cookie") or []


class Person(Client):
    """A browser on this site, saving the training switch."""

    def __init__(self, site: FixtureSite, identity: Identity, li_at: str | None = None) -> None:
        super().__init__(site.url, identity, li_at, timeout=SLOW_MACHINE_DEADLINE_S)

    def save(self, setting_id: str = GEN_AI, value: bool = False) -> tuple[int, Message]:
        return super().save(setting_id, value)


def client(site: FixtureSite, identity: Identity = CHROME, **session: Any) -> Person:
    return Person(site, identity, site.new_session(**session))


# -- a session belongs to a browser -----------------------------------------------------


def test_first_use_binds_and_another_browser_kills(site: FixtureSite) -> None:
    person = client(site)
    person.language = "nl-NL,nl;q=0.9"
    li_at = person.cookies["li_at"]
    assert person.request(HUB)[0] == 200
    assert person.request("/voyager/api/settings")[0] == 403  # no CSRF token: not killed
    assert site.killed == [] and site.identities == [CHROME]

    tool = Person(site, FIREFOX, li_at)
    status, headers, _ = tool.request(GEN_AI_PAGE)
    assert (status, headers["Location"]) == (302, GEN_AI_PAGE)  # the same URL again
    assert DELETE_ME in set_cookies(headers)
    assert site.killed == [Killed(GEN_AI_PAGE, "identity", CHROME, FIREFOX)]
    assert site.session_kind(li_at) is None
    assert site.identities == [CHROME, FIREFOX]
    assert site.accept_languages == ["nl-NL,nl;q=0.9", "en-US,en;q=0.9"]
    # The person's own browser is signed out too.
    status, headers, _ = person.request(HUB)
    assert status == 302 and headers["Location"].startswith("/login?session_redirect=")
    assert len(site.killed) == 1


@pytest.mark.parametrize(
    "seen",
    [
        CHROME._replace(sec_ch_ua='"Google Chrome";v="156", "Chromium";v="156"'),
        CHROME._replace(sec_ch_ua_platform='"Windows"'),
        CHROME._replace(sec_ch_ua="", sec_ch_ua_platform=""),  # no client hints at all
    ],
)
def test_other_client_hints_kill_an_api_request(site: FixtureSite, seen: Identity) -> None:
    person = client(site)
    assert person.request(HUB)[0] == 200
    status, headers, body = Person(site, seen, person.cookies["li_at"]).request(
        "/voyager/api/settings"
    )
    assert (status, body) == (401, '{"status": 401}')
    assert set_cookies(headers) == [DELETE_ME]
    assert site.killed == [Killed("/voyager/api/settings", "identity", CHROME, seen)]


@pytest.mark.parametrize(
    "identity",
    [
        CHROME._replace(user_agent=HEADLESS_UA),
        CHROME._replace(sec_ch_ua='"HeadlessChrome";v="156", "Chromium";v="156"'),
    ],
)
def test_a_headless_chrome_kills_at_first_use(site: FixtureSite, identity: Identity) -> None:
    status, headers, _ = client(site, identity).request(HUB)
    assert (status, headers["Location"]) == (302, HUB) and DELETE_ME in set_cookies(headers)
    assert site.killed == [Killed(HUB, "headless", identity, identity)]


def test_new_session_with_a_user_agent_is_bound_to_it(site: FixtureSite) -> None:
    li_at = site.new_session(user_agent=FIREFOX.user_agent)
    other = Person(site, CHROME, li_at)
    assert other.request(HUB)[0] == 302
    assert site.killed == [Killed(HUB, "identity", CHROME._replace(user_agent=FIREFOX[0]), CHROME)]

    li_at = site.new_session(user_agent=CHROME.user_agent)
    assert Person(site, CHROME, li_at).request(HUB)[0] == 200  # binds the client hints
    windows = CHROME._replace(sec_ch_ua_platform='"Windows"')
    assert Person(site, windows, li_at).request(HUB)[0] == 302
    assert site.killed[1:] == [Killed(HUB, "identity", CHROME, windows)]


def test_the_sign_in_form_binds_the_browser_that_posted_it(site: FixtureSite) -> None:
    person = Person(site, CHROME)
    user, password = site.test_account
    form = f"session_key={quote(user)}&session_password={password}".encode()
    status, _, _ = person.request("/checkpoint/lg/login-submit", "POST", form)
    assert status == 303 and site.session_kind(person.cookies["li_at"]) == "valid"
    # The POST carried no session: nothing seen yet.
    assert site.identities == []
    assert Person(site, FIREFOX, person.cookies["li_at"]).request(HUB)[0] == 302
    assert site.killed == [Killed(HUB, "identity", CHROME, FIREFOX)]


def test_signing_in_in_the_browser_binds_it(page: Page, site: FixtureSite) -> None:
    page.goto(site.url + "/login")
    user, password = site.test_account
    page.locator("#username").fill(user)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.url + "/feed/")
    expect(page.locator("#global-nav")).to_be_visible()
    page.goto(site.url + GEN_AI_PAGE)
    expect(gen_ai_switch(page)).to_be_checked()
    # Pages, API calls and Playwright's own requests (with conftest's headers): one browser.
    assert page.request.get(site.url + "/voyager/api/settings/values").status == 403
    assert site.killed == [] and len(site.identities) == 1
    browser_identity = site.identities[0]
    assert "HeadlessChrome" not in browser_identity.user_agent
    li_at = next(c["value"] for c in page.context.cookies() if c["name"] == "li_at")
    assert Person(site, FIREFOX, li_at).request(HUB)[0] == 302
    assert site.killed == [Killed(HUB, "identity", browser_identity, FIREFOX)]


@pytest.mark.parametrize("kill_cookie", ["replace", "expire"])
def test_the_browser_is_signed_out(page: Page, site: FixtureSite, kill_cookie: str) -> None:
    site.configure(kill_cookie=kill_cookie)
    li_at = site.new_session(user_agent=FIREFOX.user_agent)  # made in another browser
    page.context.add_cookies([{"name": "li_at", "value": li_at, "url": site.url}])
    page.goto(site.url + HUB)
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    if kill_cookie == "replace":  # a cookie that names no session: the sign-in page
        expect(page).to_have_url(re.compile(r"/login\?session_redirect="))
        expect(page.locator("#username")).to_be_visible()
        assert cookies["li_at"] == '"delete me"'
    else:  # expired: the browser dropped it, as if never signed in
        expect(page).to_have_url(re.compile(r"/authwall\?"))
        assert "li_at" not in cookies
    assert [k.reason for k in site.killed] == ["identity"]


def test_a_headless_browser_is_killed(browser: Browser, site: FixtureSite) -> None:
    context = browser.new_context()  # Playwright's own: HeadlessChrome, as the tool's was
    try:
        page = context.new_page()
        sign_in(page, site)
        page.goto(site.url + HUB)
        expect(page).to_have_url(re.compile(r"/login\?session_redirect="))
        assert [(k.path, k.reason) for k in site.killed] == [(HUB, "headless")]
        assert "HeadlessChrome/" in site.killed[0].seen.user_agent
    finally:
        context.close()


# -- the page script's fingerprint -------------------------------------------------------


def test_the_page_reports_what_it_sees(page: Page, site: FixtureSite) -> None:
    sign_in(page, site)
    page.goto(site.url + GEN_AI_PAGE)
    expect(gen_ai_switch(page)).to_be_checked()
    wait_until(lambda: site.fingerprints, "the fingerprint beacon")
    [seen] = site.fingerprints
    navigator = page.evaluate(
        "({userAgent: navigator.userAgent, languages: [...navigator.languages],"
        " webdriver: navigator.webdriver, width: innerWidth, height: innerHeight,"
        " screen: `${screen.width}x${screen.height}`,"
        " timezone: Intl.DateTimeFormat().resolvedOptions().timeZone})"
    )
    assert {k: seen[k] for k in navigator} == navigator
    assert all(re.fullmatch(r"[^/]+/\d+", b) for b in seen["brands"]) and seen["brands"]
    assert seen["platform"] == "Linux" and seen["session_ok"] is True
    assert seen["webdriver"] is True and site.killed == []  # recorded, never acted on
    assert not [r for r in site.requests if r.path.startswith("/li/track")]
    page.reload()
    expect(gen_ai_switch(page)).to_be_checked()
    wait_until(lambda: len(site.fingerprints) == 2, "one beacon per page load")


def _headless_navigator(context: BrowserContext) -> None:
    """The headers say Chrome; only navigator (the context's user_agent) says headless."""

    def rewrite(route: Any) -> None:
        headers = route.request.all_headers()
        route.continue_(headers={**headers, "user-agent": CHROME.user_agent})

    context.route("**/*", rewrite)


@pytest.mark.parametrize("bind", [True, False])
def test_headless_chrome_in_navigator_kills(
    browser: Browser, site: FixtureSite, bind: bool
) -> None:
    site.configure(bind_identity=bind)
    context = browser.new_context(user_agent=HEADLESS_UA)
    try:
        _headless_navigator(context)
        page = context.new_page()
        li_at = sign_in(page, site)
        # Waited for in Playwright: the route handler only runs while Playwright is called.
        with page.expect_response(lambda r: "/li/track?" in r.url):
            page.goto(site.url + GEN_AI_PAGE)
        expect(gen_ai_switch(page)).to_be_checked()
        assert site.fingerprints[0]["userAgent"] == HEADLESS_UA
        assert [i.user_agent for i in site.identities] == [CHROME.user_agent]  # the headers
        if not bind:
            assert site.killed == [] and site.session_kind(li_at) == "valid"
            return
        [killed] = site.killed
        assert (killed.path, killed.reason, killed.seen.user_agent) == (
            GEN_AI_PAGE,
            "headless",
            HEADLESS_UA,
        )
        assert site.session_kind(li_at) is None
        page.reload()  # the next request gets the delete-me redirect, then the sign-in page
        expect(page).to_have_url(re.compile(r"/login\?session_redirect="))
        assert {c["name"]: c["value"] for c in context.cookies()}["li_at"] == '"delete me"'
        assert len(site.killed) == 1
    finally:
        context.close()


def test_without_binding_nothing_is_killed(site: FixtureSite) -> None:
    site.configure(bind_identity=False)
    li_at = site.new_session(user_agent=FIREFOX.user_agent)
    headless = CHROME._replace(user_agent=HEADLESS_UA)
    for identity in (CHROME, FIREFOX, headless):
        assert Person(site, identity, li_at).request(HUB)[0] == 200
    assert site.killed == [] and site.identities == [CHROME, FIREFOX, headless]


# -- rate limiting -----------------------------------------------------------------------


def test_429_with_retry_after_and_early_saves(site: FixtureSite) -> None:
    site.configure(throttle_after_saves=1, retry_after_s=30)
    person = client(site)
    assert person.save()[0] == 200
    status, headers = person.save()
    assert (status, headers["Retry-After"]) == (429, "30")
    assert site.early_saves == 0
    status, headers = person.save()  # while Retry-After runs
    assert status == 429 and 1 <= int(headers["Retry-After"]) <= 30
    assert site.early_saves == 1
    assert site.saves == [
        Save(GEN_AI, False, 200, True),
        Save(GEN_AI, False, 429, False),
        Save(GEN_AI, False, 429, False),
    ]


def test_throttling_clears_after_retry_after(site: FixtureSite) -> None:
    site.configure(throttle_after_saves=2, retry_after_s=1)
    person = client(site)
    assert [person.save()[0] for _ in range(3)] == [200, 200, 429]
    time.sleep(1.1)  # Retry-After: 1, waited out
    assert [person.save()[0] for _ in range(3)] == [200, 200, 429]  # the count restarted
    assert site.early_saves == 0 and site.settings()[GEN_AI] is False


def test_throttling_that_does_not_clear(site: FixtureSite) -> None:
    site.configure(throttle_after_saves=1, retry_after_s=1, throttle_clears=False)
    person = client(site)
    assert [person.save()[0] for _ in range(2)] == [200, 429]
    time.sleep(1.1)
    status, headers = person.save()
    assert (status, headers["Retry-After"], site.early_saves) == (429, "1", 0)


def test_the_page_reverts_a_throttled_save(page: Page, site: FixtureSite) -> None:
    site.configure(throttle_after_saves=0, retry_after_s=5)
    sign_in(page, site)
    page.goto(site.url + GEN_AI_PAGE)
    gen_ai_switch(page).click()
    expect(page.get_by_role("alert")).to_have_text("Something went wrong. Please try again.")
    expect(gen_ai_switch(page)).to_be_checked()
    assert site.saves == [Save(GEN_AI, False, 429, False)]
    assert site.settings()[GEN_AI] is True


# -- restriction, chooser, sessions that end mid-run --------------------------------------


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "Your account has been restricted"), ("de", "Ihr Konto")]
)
def test_a_restricted_account(page: Page, site: FixtureSite, lang: str, title: str) -> None:
    site.configure(lang=lang)
    person = client(site, kind="restricted")
    status, headers, _ = person.request(HUB)
    assert (status, headers["Location"]) == (302, RESTRICTION)
    assert person.request("/voyager/api/settings")[0] == 401
    sign_in(page, site, "restricted")
    page.goto(site.url + HUB)
    expect(page).to_have_url(site.url + RESTRICTION)
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    assert site.killed == []


def test_the_account_chooser(page: Page, site: FixtureSite) -> None:
    li_at = sign_in(page, site, "chooser")
    page.goto(site.url + GEN_AI_PAGE)
    expect(page).to_have_url(re.compile(r"/login\?session_redirect="))
    chooser = page.locator("#rememberme-div")
    expect(chooser.get_by_role("button", name="Jane Example m****@example.com")).to_be_visible()
    assert page.locator("#username").count() == 0
    chooser.get_by_role("link", name="Sign in using another account").click()
    expect(page.locator("#username")).to_have_value("")
    page.go_back()
    page.locator("#rememberme-div").get_by_role("button").click()
    expect(page.locator("#username")).to_have_value(site.test_account[0])
    page.locator("#password").fill(site.test_account[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(site.url + GEN_AI_PAGE)  # back where the session ended
    expect(gen_ai_switch(page)).to_be_checked()
    assert site.session_kind(li_at) == "chooser" and site.killed == []


@pytest.mark.parametrize(
    ("end", "location", "kind"),
    [
        ("deleted", f"^{HUB}$", None),
        ("signed_out", r"^/login\?session_redirect=", None),
        ("restricted", f"^{RESTRICTION}$", "restricted"),
        ("chooser", r"^/login\?session_redirect=", "chooser"),
        ("checkpoint", r"^/checkpoint/challenge/", "checkpoint"),
    ],
)
def test_sessions_end_after_saves(
    site: FixtureSite, end: str, location: str, kind: str | None
) -> None:
    site.configure(end_session_after_saves=2, end_session_as=end)
    person = client(site)
    li_at = person.cookies["li_at"]
    assert person.save()[0] == 200
    assert site.session_kind(li_at) == "valid"  # one save is not enough
    assert person.save()[0] == 200  # answered, then the session ends
    assert site.session_kind(li_at) == kind
    status, headers, _ = person.request(HUB)
    assert status == 302 and re.match(location, headers["Location"])
    if end == "deleted":
        assert set_cookies(headers) == [DELETE_ME]
        assert site.killed == [Killed(HUB, "ended", CHROME, CHROME)]
    else:
        assert site.killed == []
    if end == "chooser":
        _, _, body = person.request(headers["Location"])
        assert 'id="rememberme-div"' in body and 'id="username"' not in body


def test_signout_after_saves_still_works(site: FixtureSite) -> None:
    site.configure(signout_after_saves=1)
    person = client(site)
    assert person.save()[0] == 200
    assert site.session_kind(person.cookies["li_at"]) is None
    assert person.save()[0] == 401


# -- reset and the command line ----------------------------------------------------------


def test_reset_forgets_it_all(site: FixtureSite) -> None:
    site.configure(throttle_after_saves=0, retry_after_s=30, bind_identity=True)
    person = client(site)
    person.save()
    person.save()
    Person(site, FIREFOX, person.cookies["li_at"]).request(HUB)
    site._fingerprint(None, {"userAgent": "x"}, HUB)
    assert site.killed and site.identities and site.fingerprints and site.early_saves
    site.reset()
    assert site.killed == [] and site.identities == [] and site.accept_languages == []
    assert site.fingerprints == [] and site.early_saves == 0 and site.saves == []
    assert site.config.throttle_after_saves is None and site.config.bind_identity is True
    assert client(site).save()[0] == 200  # no throttle period left over


def test_command_line_flags() -> None:
    configs: list[Any] = []

    def start(self: FixtureSite) -> FixtureSite:
        configs.append(self.config)
        raise KeyboardInterrupt  # Ctrl-C as soon as it would serve

    with patch.object(site_module.FixtureSite, "start", start):
        assert site_module.main(["--no-bind-identity", "--throttle-after-saves", "3"]) == 0
        assert site_module.main([]) == 0
    assert (configs[0].bind_identity, configs[0].throttle_after_saves) == (False, 3)
    assert (configs[1].bind_identity, configs[1].throttle_after_saves) == (True, None)
