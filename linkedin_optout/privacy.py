"""Personal data kept out of what the tool writes for others to see: the
diagnostic bundle and `--screenshots`.

A LinkedIn page carries the member's name (the "Me" photo's alt, the name beside
it, the title), e-mail addresses and phone numbers, the profile slug (`/in/...`),
`urn:li:` ids and the member id, and the CSRF token (JSESSIONID's `ajax:...`).
`learn` reads the name and the ids the page itself reveals; `rules` turns them,
with the shapes of e-mails, phones, urns and tokens, into regexes written so that
Python's `re` and JavaScript read them alike: sanitize.js applies them in the page
and `scrub` applies them again to every file written. `privacy_mask` covers the
same things in a screenshot.

Phone numbers are matched by their written shapes only (a `+` prefix, an area
code in brackets, 3-3-4 groups, a national `0...` prefix with groups), never as
bare digit runs, so dates, times, version strings and generated ids stay.
"""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page


@dataclass(frozen=True)
class Rule:
    source: str  # a regex that Python's re and JavaScript read the same way
    replacement: str
    ignore_case: bool = False
    min_digits: int = 0  # a phone shape with fewer digits than this is left alone
    keep_prefix: bool = False  # group 1 (a JSON key, a cookie name) stays

    def compiled(self) -> re.Pattern[str]:
        return _compile(self.source, self.ignore_case)

    def apply(self, text: str) -> str:
        def replace(match: re.Match[str]) -> str:
            found = match.group(0)
            if self.min_digits and sum(c.isdigit() for c in found) < self.min_digits:
                return found
            return (match.group(1) if self.keep_prefix else "") + self.replacement

        return self.compiled().sub(replace, text)

    def for_js(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "replacement": self.replacement,
            "ignoreCase": self.ignore_case,
            "minDigits": self.min_digits,
            "keepPrefix": self.keep_prefix,
        }


@lru_cache(maxsize=256)
def _compile(source: str, ignore_case: bool) -> re.Pattern[str]:
    return re.compile(source, re.IGNORECASE if ignore_case else 0)


SEP = r"[ .\-\u00a0]"  # between the digit groups of a phone number
NO_SEP = r"[ \-\u00a0]"  # the same without the dot: "124.100.6367" is a version
PHONE = "[phone removed]"

# Values of JSON keys that name personal data, as LinkedIn embeds them in pages.
KEYED = Rule(
    r'("[\w$]*(?:phone|email|member|firstname|lastname|fullname|publicidentifier|vanityname'
    r'|plainid|profileid|csrf|jsessionid|li_at)[\w$]*"\s*:\s*)(?:"(?:[^"\\]|\\.)*"|[\d.]+)',
    '"[removed]"',
    ignore_case=True,
    keep_prefix=True,
)
COOKIE = Rule(
    r'((?:JSESSIONID|li_at|li_rm|li_a|bscookie|bcookie)"?\s*[=:]\s*)"?[^\s";,<>&]+"?',
    "[redacted]",
    keep_prefix=True,
)
CSRF = Rule(r"ajax(?::|%3[Aa])\d{4,}", "[redacted]")  # JSESSIONID's value, the csrf-token
URN = Rule(r"urn(?::|%3A)li(?::|%3A)[\w%:().,~-]*[\w)]", "[urn removed]", ignore_case=True)
PROFILE_LINK = Rule(
    r"(?:https?://[\w.-]*)?(?:/|%2F)in(?:/|%2F)[\w%.~-]+/?",
    "[profile link removed]",
    ignore_case=True,
)
EMAIL = Rule(
    r"(?<![\w.%+*-])[\w.%+*-]{1,64}(?:@|%40)[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}"
    r"\.[A-Za-z]{2,24}",
    "[email removed]",
    ignore_case=True,
)
PHONES = (
    # +1 (415) 555-0134, +31 6 12345678, +44 20 7946 0958, +14155550134
    Rule(rf"(?<![\w+])\+\d{{1,3}}(?:{SEP}?\(?\d{{1,5}}\)?){{1,6}}", PHONE, min_digits=8),
    # (415) 555-0134, (030) 1234 5678
    Rule(rf"(?<![\w)])\(\d{{2,5}}\){SEP}?\d{{2,5}}(?:{SEP}?\d{{2,5}}){{0,3}}", PHONE, min_digits=8),
    # 415-555-0134, 415 555 0134 (not a date: no 3-3-4 date exists)
    Rule(rf"(?<![\w.:/-])\d{{3}}{NO_SEP}\d{{3}}{NO_SEP}\d{{4}}(?![\w:/-]|\.\d)", PHONE),
    # 06 12345678, 020 7946 0958, 030-1234567: a national number starts with 0
    Rule(
        rf"(?<![\w.:/+-])0\d{{1,4}}{NO_SEP}\d{{3,8}}(?:{NO_SEP}\d{{2,4}}){{0,2}}(?![\w:/-]|\.\d)",
        PHONE,
        min_digits=9,
    ),
)
PROFILE_ID = Rule(r"(?<![\w-])AC[ow]AA[\w-]{8,}", "[id removed]")  # fsd_profile ids
SHAPES = (KEYED, COOKIE, CSRF, URN, PROFILE_LINK, EMAIL, *PHONES, PROFILE_ID)

NAME = "[name removed]"
NAME_GAP = r"(?:\s|&nbsp;|%20|\+)+"  # how the words of a name are joined in text and URLs


@dataclass(frozen=True)
class Known:
    """What the page itself says about the member, to be removed wherever it appears."""

    names: tuple[str, ...] = ()  # full names: the Me photo's alt, the profile link's text
    name_words: tuple[str, ...] = ()  # the capitalized words of the Me photo's name
    ids: tuple[str, ...] = ()  # member ids, profile ids and slugs found in the page


NOTHING = Known()


@lru_cache(maxsize=32)
def rules(known: Known = NOTHING) -> tuple[Rule, ...]:
    """Every rule, in order: shapes first (a urn holding an id goes as a whole)."""
    learned = [
        Rule(rf"(?<!\w){NAME_GAP.join(map(re.escape, name.split()))}(?!\w)", NAME, ignore_case=True)
        for name in sorted(known.names, key=len, reverse=True)
    ]
    learned += [Rule(rf"(?<!\w){re.escape(word)}(?!\w)", NAME) for word in known.name_words]
    learned += [
        Rule(rf"(?<![\w.-]){re.escape(value)}(?![\w-]|\.\d)", "[id removed]", ignore_case=True)
        for value in sorted(known.ids, key=len, reverse=True)
    ]
    return (*SHAPES, *learned)


def scrub(text: str, known: Known = NOTHING) -> str:
    """`text` without personal data: the second line of defence after sanitize.js."""
    for rule in rules(known):
        text = rule.apply(text)
    return text


# --- learning from the page -------------------------------------------------------------

# The member's own name: the Me photo's alt and the profile links' text in the global nav.
LEARN_JS = """() => {
  const nav = ":is(#global-nav, header, [class*='global-nav'])";
  const text = (el) => (el.textContent || "").replace(/\\s+/g, " ").trim();
  const photos = document.querySelectorAll(`${nav} img[alt], img[class*='global-nav__me'][alt]`);
  return {
    photos: [...photos].map((img) => img.alt.trim()),
    links: [...document.querySelectorAll(`${nav} a[href*='/in/']`)].map(text),
  };
}"""
ID_URN = re.compile(
    r"urn(?::|%3A)li(?::|%3A)(?:member|fsd?_profile|fsd?_miniProfile|fs_normalized_profile"
    r"|person)(?::|%3A)([\w-]+)",
    re.IGNORECASE,
)
SLUG = re.compile(
    r"(?:/|%2F)in(?:/|%2F)([\w%.~-]+)"
    r"|(?:\"|&quot;)(?:publicIdentifier|vanityName)(?:\"|&quot;)\s*:\s*(?:\"|&quot;)([\w%.~-]+)",
    re.IGNORECASE,
)


def plausible_name(text: str) -> bool:
    return 2 <= len(text) <= 80 and any(c.isalpha() for c in text) and len(text.split()) <= 6


def learn_names(page: Page) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(full names, capitalized words of the Me photo's name) from the top page."""
    found = page.evaluate(LEARN_JS)
    photos = [t for t in found["photos"] if plausible_name(t)]
    names = dict.fromkeys([*photos, *(t for t in found["links"] if plausible_name(t))])
    words = {w.strip(".,'\u2019") for t in photos for w in t.split()}
    return tuple(names), tuple(sorted(w for w in words if len(w) >= 3 and w[0].isupper()))


def learn_ids(html: str) -> set[str]:
    """Member ids, profile ids and profile slugs in a page's HTML (code blobs included)."""
    ids = {m.group(1) for m in ID_URN.finditer(html) if len(m.group(1)) >= 5}
    for match in SLUG.finditer(html):
        slug = unquote(match.group(1) or match.group(2)).strip("/")
        # A vanity slug can be a plain word ("privacy"): removed from text only
        # when it cannot be one, so settings paths survive; its links go anyway.
        if len(slug) >= 10 or (len(slug) >= 5 and re.search(r"[\d-]", slug)):
            ids.add(slug)
    return ids


def learn(page: Page) -> Known:
    """Names from the top page (the global nav lives there); ids from every frame of the site."""
    names, words = learn_names(page)
    origin = urlsplit(page.url)[:2]
    ids: set[str] = set()
    for frame in page.frames:
        if urlsplit(frame.url)[:2] == origin:
            ids |= learn_ids(frame.content())
    return Known(names=names, name_words=words, ids=tuple(sorted(ids)))


# --- screenshots ------------------------------------------------------------------------

MASKED_CSS = (
    "img, picture, video, a[href*='/in/'], #global-nav, a[href^='mailto:' i], a[href^='tel:'],"
    " input[type=email], input[type=tel], [data-linkedin-optout-mask]"
)
# Marks the element around every text (or form value) that a rule matches. Text
# nodes, not elements: "Phone: <a>...</a> or 06 12345678" has one in each.
MARK_JS = """(rules) => {
  const compiled = rules.map((r) => ({
    ...r, re: new RegExp(r.source, r.ignoreCase ? "gi" : "g") }));
  const digits = (text) => (text.match(/\\d/g) || []).length;
  const shows = (text) => compiled.some((r) =>
    [...text.matchAll(r.re)].some((m) => !r.minDigits || digits(m[0]) >= r.minDigits));
  const mark = (el) => el && el.setAttribute("data-linkedin-optout-mask", "");
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.nodeValue.trim() && shows(node.nodeValue)) mark(node.parentElement);
  }
  for (const el of document.querySelectorAll("input, textarea, select")) {
    if (el.value && shows(el.value)) mark(el);
  }
}"""


def privacy_mask(page: Page, known: Known | None = None) -> list[Locator]:
    """Covered in screenshots: photos, profile and contact links, the global nav, and
    every element whose text shows an e-mail address, a phone number, the member's
    name or ids, or a token."""
    js_rules = [rule.for_js() for rule in rules(learn(page) if known is None else known)]
    masks: list[Locator] = []
    for frame in page.frames:
        with suppress(Exception):  # a frame gone meanwhile is not in the screenshot either
            frame.evaluate(MARK_JS, js_rules)
        masks.append(frame.locator(MASKED_CSS))
    return masks
