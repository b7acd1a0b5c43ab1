"""The page driver: one browser page, and everything done to it.

Navigation with retries, waits on page state (settle.py), scans (page_scan.js),
clicks the way a person would, screenshots, the banner policy, and the one place
that turns a closed browser into exit 6. It knows nothing of settings: the
route and the switcher decide what to open and what to click.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from linkedin_optout.browser import first_line
from linkedin_optout.console import Console
from linkedin_optout.errors import BrowserUnavailable, NetworkFailed, RateLimited
from linkedin_optout.options import RunOptions
from linkedin_optout.pages import Button, Link, PageScan, Switch, page_language
from linkedin_optout.privacy import privacy_mask
from linkedin_optout.scan_rules import session_lost
from linkedin_optout.selector_files import SelectorFiles
from linkedin_optout.settle import NetworkWatch, Waiter
from linkedin_optout.text import normalize

if TYPE_CHECKING:
    from playwright.sync_api import Frame, Locator, Page, Response

    from linkedin_optout.session_guard import SessionGuard

SCAN_JS = resources.files("linkedin_optout").joinpath("page_scan.js").read_text()
OUTLINE_JS = """el => { el.scrollIntoView({block: 'center'});
  el.style.outline = '3px solid #d6336c'; el.style.outlineOffset = '3px'; }"""
CHOSEN_JS = """mark => {
  const el = document.querySelector(`[data-linkedin-optout="${mark}"]`);
  return !!el && (el.checked === true || el.getAttribute('aria-checked') === 'true'); }"""
# A link click that has not led anywhere by then is passed by (we go to the next
# page's own URL), so it gets a shorter wait than a step.
PASS_BY_WAIT_S = 10.0
# The longest Retry-After the tool waits out; LinkedIn asking for more means "stop".
MAX_RETRY_AFTER_S = 60.0
# A control that cannot be clicked by then is covered or hidden: click it through the DOM.
CLICK_WAIT_S = 5.0
# Whether what a click at the control's centre lands on is the control's own wrapper
# or label (a styled switch or radio whose input is hidden under the element that
# takes the click), not something else covering it: then that click is the person's.
OWN_WRAPPER_JS = """el => {
  el.scrollIntoView({block: 'center'});
  const r = el.getBoundingClientRect();
  if (!r.width || !r.height) return false;
  const hit = el.ownerDocument.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  if (!hit || hit === el) return false;
  if (el.contains(hit) || [...(el.labels || [])].some((label) => label.contains(hit))) return true;
  let box = hit;  // the nearest box holding both: the control's own widget if no other's
  while (box && !box.contains(el)) box = box.parentElement;
  const controls = "input, select, textarea, [role='switch'], [role='radio'], [role='checkbox']";
  return !!box && box !== el.ownerDocument.body && box.querySelectorAll(controls).length === 1; }"""
CLOSED_SIGNS = (
    "has been closed",
    "target closed",
    "browser closed",
    "connection closed",
    "browser has disconnected",
    "target crashed",
    "page crashed",
)


def backoff(attempt: int) -> None:
    """The pause before retry `attempt` of a failed step: 0.5 s, 1 s, 2 s..."""
    time.sleep(min(0.5 * 2 ** (attempt - 1), 4.0))


def retry_after(value: str | None, default: float = 1.0) -> float:
    """Seconds a 429's Retry-After asks for: a number of seconds, or an HTTP date."""
    text = (value or "").strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return default  # none, or unreadable: a short pause before the one retry
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def rate_limited(step: str, seconds: float | None = None) -> RateLimited:
    long_wait = seconds is not None and seconds > MAX_RETRY_AFTER_S
    asked = f" and asked for {seconds:.0f} s more" if long_wait else ""
    return RateLimited(
        f"LinkedIn asked the tool to slow down (HTTP 429){asked} while trying to {step}; "
        "the tool stopped rather than ask again.",
        step=step,
        advice="Nothing more was sent. Try again in an hour; what was switched off and "
        "confirmed so far is in the table.",
    )


def is_closed_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(sign in text for sign in CLOSED_SIGNS)


class PageDriver:
    def __init__(
        self,
        page: Page,
        opts: RunOptions,
        console: Console,
        guard: SessionGuard | None = None,
    ) -> None:
        self.page = page
        self.guard = guard  # watches li_at: LinkedIn may delete it at any answer
        self.opts = opts
        self.console = console
        self.known = known = SelectorFiles(opts.selector_files)
        page_signs = known.page
        self.waiter = Waiter(page, NetworkWatch(page, page_signs.long_lived), page_signs.loading)
        self.all_langs = known.languages
        self.langs = page_language("", self.all_langs, opts.locale)  # to match labels in
        self.page_lang: str | None = None  # the page's own language
        self.step = "start"  # what the run is doing: every failure names it
        self.status: int | None = None  # the last page's HTTP status
        self.navigations = 0  # counts pages: a scan is good until the next one
        self.covered = False  # a banner covers the page (seen in a dry run)
        self._frames: list[Frame] = []
        self._scans = 0

    @property
    def timeout_ms(self) -> float:
        return self.opts.timeout_s * 1000

    def url(self, path: str) -> str:
        return urljoin(self.opts.base_url, path)

    def path(self) -> str:
        return urlsplit(self.page.url).path

    def raise_if_closed(self, exc: BaseException) -> None:
        if is_closed_error(exc):
            raise self._closed() from None

    def raise_if_gone(self) -> None:
        """Exit 6 when the browser is gone, whatever error (or none) said so."""
        browser = self.page.context.browser
        if self.page.is_closed() or (browser is not None and not browser.is_connected()):
            raise self._closed()

    def _closed(self) -> BrowserUnavailable:
        return BrowserUnavailable(
            f"The browser closed unexpectedly while trying to {self.step}.",
            advice="Run the command again; if it keeps happening, run 'linkedin-optout doctor'.",
            step=self.step,
        )

    def locator(self, item: Switch | Link | Button) -> Locator:
        return self._frames[item.frame].locator(f'[data-linkedin-optout="{item.mark}"]')

    def wait_until_chosen(self, item: Switch, seconds: float) -> bool:
        """Until the radio `item` marks is the chosen one (checked), polling the page."""
        try:
            self._frames[item.frame].wait_for_function(
                CHOSEN_JS, arg=item.mark, timeout=max(seconds, 0.05) * 1000, polling=50
            )
        except PlaywrightTimeoutError:
            return False
        except Exception as exc:
            self.raise_if_closed(exc)
            raise
        return True

    def check_session(self) -> None:
        """Every page is checked: LinkedIn may end the session or sign the person
        out at any moment. A session it ended is said first: that is the cause."""
        if self.guard is not None:
            self.guard.check(self.step)
        reason = self.known.session_problem(self.path())
        if reason == "expired" and self.shows_account_chooser():
            reason = "account_chooser"
        if reason is not None:
            raise session_lost(reason, self.step)

    def shows_account_chooser(self) -> bool:
        try:
            return self.page.locator(self.known.session.account_chooser).count() > 0
        except Exception as exc:
            self.raise_if_closed(exc)
            return False

    def navigate(self, step: str, go: Callable[[], Response | None]) -> None:
        """Load a page, retrying time-outs, connection errors and 5xx answers."""
        self.step = step
        self.navigations += 1  # a new page: marks of the old one are gone
        cause = ""
        waited = False  # a 429's Retry-After was the pause already
        for attempt in range(self.opts.retries + 1):
            if attempt and not waited:
                self.console.step(f"Could not {step} ({cause}); trying again")
                backoff(attempt)
            waited = False
            try:
                response = go()
            except Exception as exc:
                self.raise_if_closed(exc)
                if isinstance(exc, PlaywrightTimeoutError):
                    cause = f"the page did not load within {self.opts.timeout_s:g} s"
                else:
                    cause = first_line(exc)
                continue
            self.status = response.status if response else None
            self.check_session()
            if self.status == 429 and response is not None:
                # LinkedIn's "slow down": wait what it asks, or stop; never hammer.
                wait = retry_after(response.header_value("retry-after"))
                if wait > MAX_RETRY_AFTER_S or attempt == self.opts.retries:
                    raise rate_limited(step, wait)
                self.console.step(f"LinkedIn asked to slow down: waiting {wait:g} s")
                time.sleep(wait)  # the wait LinkedIn asked for, not a guess
                waited = True
                continue
            if self.status is not None and self.status >= 500:
                cause = f"LinkedIn answered HTTP {self.status}"
                continue
            return
        from linkedin_optout.errors import unreachable  # no such host, refused: exit 7

        raise unreachable(cause, self.opts.base_url, step) or NetworkFailed(
            f"Could not {step}: {cause}.",
            step=step,
            advice="Check your connection and try again later; LinkedIn may be slow or down.",
        )

    def goto(self, path: str, step: str) -> None:
        self.navigate(
            step,
            lambda: self.page.goto(
                self.url(path), wait_until="domcontentloaded", timeout=self.timeout_ms
            ),
        )

    def reload(self, step: str) -> None:
        self.navigate(
            step, lambda: self.page.reload(wait_until="domcontentloaded", timeout=self.timeout_ms)
        )

    def wait_ready(self, css: Sequence[str], texts: Sequence[str], seconds: float) -> str | None:
        """Wait until the page shows any of these (or a sign-in form), or until its
        rendered content has settled without them; None at the deadline."""
        sign_in = [self.known.session.sign_in_form]
        texts = sorted({n for t in texts if (n := normalize(t))})
        try:
            ready = self.waiter.ready([*css, *sign_in], texts, seconds)
        except Exception as exc:
            self.raise_if_closed(exc)
            raise
        self.check_session()
        return ready

    def scan(self) -> PageScan:
        """Read every frame of the page at this moment."""
        self._scans += 1
        known = self.known
        arg = {
            "scanId": f"x{self._scans}",
            "switchCss": known.page.switch,
            "radioCss": known.page.radio,
            "overlayCss": known.overlays.containers,
            "markerCss": known.marker_css,
            "signInCss": known.session.sign_in_form,
            "loadingCss": known.page.loading,
        }
        frames, raws = [], []
        for frame in self.page.frames:
            try:
                raws.append(frame.evaluate(SCAN_JS, arg))
                frames.append(frame)
            except Exception as exc:
                self.raise_if_closed(exc)
                if frame is self.page.main_frame:
                    raise
        self._frames = frames
        scan = PageScan.from_frames(raws, self.status)
        if scan.sign_in_form:
            raise session_lost("expired", self.step)
        self.langs = page_language(scan.lang, self.all_langs, self.opts.locale)
        if scan.lang:  # the page's own language, whatever --locale forced
            self.page_lang = scan.lang.split("-")[0].lower()
        return scan

    def act(
        self, action: str, target: Locator, still_wanted: Callable[[], bool] | None = None
    ) -> None:
        """Click, the way a person would; in a headed run outlined first, and with
        --step only after Enter. A control covered by something we could not
        dismiss is clicked through the DOM instead, unless `still_wanted` says
        the first click went through after all."""
        if len(self.page.context.pages) > 1:
            # A page behind another gets no animation frames, and a click waits on
            # them (a second or two): bring the page to the front first (lanes.py).
            self.page.bring_to_front()
        if self.opts.browser.headed or self.console.step_through:
            target.evaluate(OUTLINE_JS)  # show what is about to be clicked
        self.console.ask(action)
        if self.covered:  # a dry run leaves the banner alone and clicks under it
            target.evaluate("el => el.click()")
            return
        try:
            if target.evaluate(OWN_WRAPPER_JS):
                # Its wrapper takes the click, as it does a person's: click there at
                # once (no waiting for the hidden input), and never a second time.
                target.click(force=True, timeout=min(self.timeout_ms, CLICK_WAIT_S * 1000))
                return
            target.click(timeout=min(self.timeout_ms, CLICK_WAIT_S * 1000))
        except Exception as exc:
            self.raise_if_closed(exc)
            if not isinstance(exc, PlaywrightTimeoutError):
                raise
            if still_wanted is None or still_wanted():
                target.evaluate("el => el.click()")

    def clear_overlays(self, scan: PageScan) -> PageScan:
        """Dismiss banners and dialogs that cover the page: a cookie banner by
        refusing non-essential cookies where it offers that, and where that setting
        was asked for. A dry run answers nothing (a cookie choice is a change too),
        nor does a run not asked to change the cookie setting: their clicks go
        through the DOM, under the banner."""
        if self.opts.dry_run:
            self.covered = self.known.overlay_button(scan, self.langs) is not None
            return scan
        answers = self.known.overlays.refuse_answers
        refuse = answers is None or answers in self.opts.keys
        for _ in range(3):
            choice = self.known.overlay_button(scan, self.langs, refuse)
            if choice is None:
                self.covered = self.known.overlay_button(scan, self.langs) is not None
                return scan
            overlay, button, kind = choice
            self.console.step(f"Dismissing a banner over the page ({kind} '{button.name}')")
            self.act(f"click '{button.name}' on the banner", self.locator(button))
            try:
                self.locator(overlay).wait_for(state="hidden", timeout=min(self.timeout_ms, 5000))
            except Exception as exc:
                self.raise_if_closed(exc)
            scan = self.scan()
        return scan

    def follow(self, link: Link, step: str) -> bool:
        """Click a link the way a person would; False when that did not lead anywhere."""
        self.step = step
        self.navigations += 1
        before = self.page.url
        try:
            self.act(step, self.locator(link))
            self.page.wait_for_url(
                lambda url: url != before,
                wait_until="domcontentloaded",
                timeout=min(self.timeout_ms, PASS_BY_WAIT_S * 1000),
            )
        except Exception as exc:
            self.raise_if_closed(exc)
            return False
        self.status = None
        self.check_session()
        return True

    def screenshot(self, key: str, phase: str) -> None:
        """--screenshots: evidence, not a step; a failure to save one is a warning."""
        if self.opts.screenshots is None:
            return
        path = self.opts.screenshots / f"{key}-{phase}.png"
        try:
            self.opts.screenshots.mkdir(parents=True, exist_ok=True, mode=0o700)
            self.page.screenshot(path=str(path), mask=privacy_mask(self.page))
        except Exception as exc:
            self.raise_if_closed(exc)
            self.console.warn(f"Could not save the screenshot {path}: {first_line(exc)}")
