"""The diagnostic bundle carries no personal data.

The fixture site's `personal_data` pages show the member's e-mail address, phone
numbers, name, profile slug, urn ids, member id and CSRF token in text,
attributes, a `<code>` JSON blob, a meta tag, links and the title. The real walk
(in this process) writes a bundle on exit 4 and exit 5, and no file of it may hold any of them,
while the switch's id, the settings path and the labels a maintainer needs stay.
The scrub itself is tested without a browser, and sanitize.js against it.
"""

from __future__ import annotations

import html
import re

import pytest
from conftest import GIVE_UP_TIMEOUT, RecordingSecrets
from helpers import GEN_AI_PAGE
from playwright.sync_api import Page, expect

from fixtures import routes as fixture_routes  # it mints the JSESSIONID tokens
from linkedin_optout.diagnostics import SANITIZE_JS, report_json
from linkedin_optout.errors import ChangeFailed
from linkedin_optout.privacy import (
    Known,
    learn,
    learn_ids,
    privacy_mask,
    rules,
    scrub,
)
from linkedin_optout.report import RunResult, SettingReport

# What fixtures/pages/pages.js shows of its member when personal_data is on.
EMAIL = "jane.example@example.com"
PHONES = ("+1 (415) 555-0134", "+14155550134", "06 12345678", "+31 6 12345678")
MEMBER_ID = "418273645"
PROFILE_ID = "ACoAAB3x9KqZ7vLmN2pQrStUvWx"
SLUG = "jane-example-1a2b3c"
PERSONAL = (EMAIL, *PHONES, "Jane Example", MEMBER_ID, PROFILE_ID, SLUG)
# Beside them on the page, and needed by whoever reads the bundle.
KEPT = ("Last sign-in 2025-09-01 12:30:45, app 124.0.6367.91",)


def leaks(text: str, tokens: list[str], li_at: str = "") -> list[str]:
    """Every personal datum or session value in `text`."""
    found = [value for value in (*PERSONAL, *tokens, li_at) if value and value in text]
    lowered = text.lower()
    found += [
        shape for shape in ("jane", "urn:li", "urn%3ali", "ajax:", "ajax%3a") if shape in lowered
    ]
    found += ["/in/"] if "/in/" in text else []
    return found


# --- the walk against the fixture site ------------------------------------------------


@pytest.mark.parametrize(
    ("config", "code", "kept"),
    [
        # exit 4: the redesigned page has no switch a selector file knows
        ({"layout": "redesign"}, 4, "Let LinkedIn improve AI with my content"),
        # exit 5: every save fails; the page holds the switch the tool found
        ({"save_fault": "error"}, 5, 'aria-labelledby="allowDataForGenerativeAI"'),
        # exit 5 with the settings app in a frame: frame-1.html is scrubbed as well
        ({"save_fault": "error", "iframe": True}, 5, 'aria-labelledby="allowDataForGenerativeAI"'),
    ],
    ids=["not-recognized", "change-failed", "change-failed-in-frame"],
)
def test_the_bundle_holds_no_personal_data(site, walk, tmp_path, monkeypatch, config, code, kept):
    recorder = RecordingSecrets()
    monkeypatch.setattr(fixture_routes, "secrets", recorder)
    site.configure(personal_data=True, **config)
    li_at = site.new_session()
    diag = tmp_path / "diag"
    # The run must end in exit 4 or 5 (a redesign, a failed save): a give-up limit.
    result = walk("run", timeout=GIVE_UP_TIMEOUT, retries=0, diagnostics=diag, li_at=li_at)
    assert result.code == code, result.output
    assert result.json()["diagnostics"] == str(diag)
    assert recorder.tokens, "the site set no JSESSIONID: the check below would prove nothing"

    files = {p.name: p for p in diag.iterdir() if p.is_file()}
    pages = sorted(n for n in files if n.endswith(".html"))
    assert {"screenshot.png", "page.html", "report.json"} <= set(files)
    if config.get("iframe"):
        assert "frame-1.html" in pages
    for name, path in files.items():
        text = path.read_bytes().decode("utf-8", "replace")
        assert leaks(text, recorder.tokens, li_at) == [], name

    # What a maintainer needs is still there.
    bundle = "\n".join(files[n].read_text(encoding="utf-8") for n in pages)
    assert kept in bundle
    for text in KEPT:
        assert text in bundle
    assert "[email removed]" in bundle and "[name removed]" in bundle  # scrubbed, not dropped
    report = files["report.json"].read_text(encoding="utf-8")
    assert f'"url_path": "{GEN_AI_PAGE}"' in report
    assert result.json()["outcome"] == ("page_not_recognized" if code == 4 else "change_failed")


def test_the_fixture_really_shows_the_personal_data(page: Page, site, monkeypatch):
    """Positive control: the page the bundle is made from holds every datum, so the
    check above would see one that got through."""
    recorder = RecordingSecrets()
    monkeypatch.setattr(fixture_routes, "secrets", recorder)
    site.configure(personal_data=True)
    page.context.add_cookies([{"name": "li_at", "value": site.new_session(), "url": site.url}])
    page.goto(site.url + GEN_AI_PAGE)
    expect(page.locator("aside")).to_be_visible()
    raw = page.content()
    found = leaks(raw, recorder.tokens)
    for value in (*PERSONAL, recorder.tokens[0], "jane", "urn:li", "ajax:", "/in/"):
        assert value in found, value
    assert page.title().startswith("Jane Example")
    assert page.get_by_role("img", name="Jane Example").count() == 1

    # What the bundle writer learns from it: the name from the Me photo, the ids.
    known = learn(page)
    assert "Jane Example" in known.names
    assert {"Jane", "Example"} <= set(known.name_words)
    assert {MEMBER_ID, PROFILE_ID, SLUG} <= set(known.ids)


# --- the scrub, without a browser ---------------------------------------------------------

KNOWN = Known(names=("Jane Example",), name_words=("Example", "Jane"), ids=(MEMBER_ID, SLUG))


@pytest.mark.parametrize(
    ("text", "removed"),
    [
        ("Write to jane.example@example.com.", EMAIL),
        ("mailto:jane.example%40example.com", "example%40example.com"),
        ("shown as j***@example.com", "j***@example.com"),
        ("Phone +1 (415) 555-0134 today", "555-0134"),
        ("tel:+14155550134", "4155550134"),
        ("+31 6 12345678", "12345678"),
        ("+44 20 7946 0958", "7946 0958"),
        ("(415) 555-0134", "555-0134"),
        ("415-555-0134 or 415 555 0134", "555"),
        ("06 12345678, 020 7946 0958, 030-1234567", "0"),
        ("Jane Example | LinkedIn", "Jane"),
        ("JANE EXAMPLE and Jane&nbsp;Example and Jane%20Example", "xample"),
        ("Jane's profile", "Jane"),
        (f"member {MEMBER_ID}", MEMBER_ID),
        (f"https://www.linkedin.com/in/{SLUG}/?trk=x", "/in/"),
        (f"profile /in/{SLUG}/", SLUG),
        (f"slug {SLUG}", SLUG),
        ("urn:li:member:418273645 urn:li:fsd_profile:ACoAAB3x9KqZ7vLmN2pQrStUvWx", "urn:li"),
        ("urn%3Ali%3Afsd_profile%3AACoAAB3x9KqZ7vLmN2pQrStUvWx", "ACoAA"),
        (f"id {PROFILE_ID}", PROFILE_ID),
        ('JSESSIONID="ajax:0123456789012345678"', "0123456789"),
        ("csrf-token: ajax:0123456789012345678", "ajax:"),
        ("csrf=ajax%3A0123456789012345678", "0123456789"),
        # Made up, shaped like a real li_at (AQED...): built here, never written whole.
        ("li_at=" + "AQED" + "AQNxyz0123456789abcdef", "AQED"),
        ('{"emailAddress":"a@b.c","plainId":418273645,"firstName":"J"}', '"J"'),
        ('{"publicIdentifier":"jane-doe","phoneNumber":{"number":"+316"}}', "jane-doe"),
    ],
)
def test_scrub_removes(text, removed):
    out = scrub(text, KNOWN)
    assert removed not in out, out
    assert "removed]" in out or "[redacted]" in out


@pytest.mark.parametrize(
    "text",
    [
        # dates, times, timestamps
        "2025-09-01",
        "01.09.2025",
        "09/01/2025",
        "2025/09/01",
        "1 Sep 2025",
        "20250901",
        "12:30",
        "12:30:45",
        "2025-09-01T12:30:45.123456+00:00",
        "1719830400000",
        # versions, addresses, counts
        "124.0.6367.91",
        "chromium 156.0.8078.79",
        "1.65.2",
        "3.11.4",
        "v10.2.0",
        "124.100.6367",
        "192.168.100.200",
        "1,234,567",
        "1 234 567",
        "100 000",
        # generated ids, plain numbers, the report's own values
        "ember123",
        "ember4155550134",
        "id=ember1234567",
        "tgl-1i5wcl4",
        "_jki1fm",
        "HTTP 500",
        "after 3 attempts",
        "+1 reaction",
        "Top 10% (2024)",
        "(2024)",
        "C++ 17",
        "UTC+02:00",
        "10:00-12:00",
        # what a maintainer needs
        'aria-labelledby="allowDataForGenerativeAI"',
        GEN_AI_PAGE,
        "/mypreferences/d/categories/privacy",
        "Use my data for training content creation AI models",
        "Data for Generative AI Improvement",
        "janet",
        "Examples",
        "Janeway",
    ],
)
def test_scrub_leaves_alone(text):
    assert scrub(text, KNOWN) == text


def test_a_vanity_slug_that_is_a_word_is_not_learned_as_an_id():
    """Its links go anyway; a bare 'privacy' elsewhere is a settings path."""
    ids = learn_ids(
        '<a href="/in/privacy/">x</a> <a href="/in/jane-example-1a2b3c/">y</a>'
        '<code>{"objectUrn":"urn:li:member:418273645","publicIdentifier":"janedoe2"}</code>'
        "<code>{&quot;entityUrn&quot;:&quot;urn:li:fsd_profile:ACoAAB3x9Kq&quot;}</code>"
    )
    assert ids == {"jane-example-1a2b3c", MEMBER_ID, "janedoe2", "ACoAAB3x9Kq"}
    assert scrub("/mypreferences/d/categories/privacy", Known(ids=tuple(ids))).endswith("privacy")


def test_scrubbing_is_what_keeps_the_data_out():
    """The checks above see a leak when nothing is scrubbed (they can fail)."""
    raw = f"{EMAIL} {PHONES[0]} Jane Example urn:li:member:{MEMBER_ID} ajax:0123456789012"
    assert len(leaks(raw, [])) >= 5
    assert leaks(scrub(raw, KNOWN), []) == []


def test_report_json_carries_no_personal_data_in_messages_details_or_the_path():
    """Error messages and details can quote a URL or what the page said."""
    result = RunResult(
        settings=[
            SettingReport(
                key="generative-ai-training",
                label="Data for Generative AI Improvement",
                detail=f"The page said: 'Signed in as José Núñez ({EMAIL}, +31 6 12345678)'",
            )
        ],
        error=ChangeFailed(
            f"Could not open https://www.linkedin.com/in/{SLUG}/?miniProfileUrn="
            f"urn%3Ali%3Afsd_profile%3A{PROFILE_ID}: net::ERR_ABORTED",
            step="open the page",
        ),
        page_url_path=f"/in/{SLUG}/",
        browser="chromium 156.0.8078.79",
    )
    text = report_json(result, Known(names=("José Núñez",)))
    assert leaks(text, []) == [] and "José" not in text and "Núñez" not in text
    assert "chromium 156.0.8078.79" in text and "net::ERR_ABORTED" in text
    assert '"url_path": "[profile link removed]"' in text


# --- sanitize.js and the screenshot mask, in a browser ---------------------------------------

SAMPLES = [
    f"Signed in as Jane Example ({EMAIL})",
    "Call +1 (415) 555-0134 or 06 12345678 before 2025-09-01 12:30",
    f"urn:li:member:{MEMBER_ID} and /in/{SLUG}/ and {PROFILE_ID}",
    "Version 124.0.6367.91, ember123, ajax:0123456789012345678",
    'data {"emailAddress":"x@example.org","memberId":418273645}',
]


def test_sanitize_js_applies_the_same_rules_as_python(page: Page):
    """One set of regexes, read by two engines: they must agree."""
    body = "".join(f'<p id="s{i}">{html.escape(s, quote=False)}</p>' for i, s in enumerate(SAMPLES))
    page.set_content(
        f"<title>Jane Example | LinkedIn</title>{body}"
        f'<span role="note" title="{EMAIL}" data-x="+1 (415) 555-0134">x</span>'
        f'<a href="mailto:{EMAIL}?subject=hi">mail</a><!-- {EMAIL} -->'
    )
    out = page.evaluate(SANITIZE_JS, [rule.for_js() for rule in rules(KNOWN)])
    for i, sample in enumerate(SAMPLES):
        match = re.search(rf'<p id="s{i}">(.*?)</p>', out)
        assert match is not None
        assert html.unescape(match.group(1)) == scrub(sample, KNOWN), sample
    assert "<title>[name removed] | LinkedIn</title>" in out
    assert 'title="Signed in' not in out and f'title="{EMAIL}"' not in out
    assert 'title="[email removed]" data-x="[phone removed]"' in out
    assert 'href="mailto:[email removed]"' in out
    assert leaks(out, []) == [] and "example.org" not in out


def test_the_screenshot_mask_covers_text_showing_personal_data(page: Page):
    page.set_content(
        "<header id='global-nav'><img alt='Jane Example'><a href='/in/jane-1/'>Jane Example</a>"
        "</header>"
        "<p id='mail'>Write to <b>x</b> or jane@example.com</p>"
        "<p id='phone'>Phone: <a>+1 (415) 555-0134</a> or 06 12345678</p>"
        "<p id='name'>Thanks, Jane!</p>"
        "<p id='ids'>urn:li:member:418273645</p>"
        "<p id='date'>2025-09-01 12:30:45, 124.0.6367.91, ember123</p>"
        "<p id='label'>Use my data for training content creation AI models</p>"
        "<input id='field' type='text' value='jane@example.com'>"
    )
    masks = privacy_mask(page)  # learns the name from the Me photo itself
    marked = page.locator("[data-linkedin-optout-mask]")
    ids = sorted(filter(None, (marked.nth(i).get_attribute("id") for i in range(marked.count()))))
    assert ids == ["field", "ids", "mail", "name", "phone"]  # not #date, not #label
    # Those, the nav, its photo and link, and the phone link inside #phone: nothing else.
    assert masks[0].count() == 9


def test_the_screenshot_mask_reaches_into_frames(page: Page):
    page.set_content(f"<iframe srcdoc='<p id=inner>{EMAIL}</p>'></iframe><p>nothing</p>")
    frame = page.frame_locator("iframe")
    expect(frame.locator("#inner")).to_be_visible()
    privacy_mask(page, KNOWN)
    expect(frame.locator("#inner")).to_have_attribute("data-linkedin-optout-mask", "")
