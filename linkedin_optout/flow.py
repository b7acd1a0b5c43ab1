"""The walk: sign-in check, Settings & Privacy -> Data privacy -> each setting,
read, switch off, reload, read again.

Truth rules: a setting is `off` only when a page loaded after the last click
says so; only switches matched to a target setting are clicked, and only when
they are on; an unknown page ends in PageNotRecognized, never in a guess.
Waits are on page state (a marker, a URL, a request), never fixed sleeps; the
one deliberate pause is the back-off between retries of a failed step.
This module imports Playwright: the CLI imports it only when a command runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from linkedin_optout.browser import BrowserChoice, first_line, launch_browser
from linkedin_optout.console import Console
from linkedin_optout.diagnostics import save_trace, write_bundle
from linkedin_optout.errors import (
    AuthRequired,
    BrowserUnavailable,
    ChangeFailed,
    OptoutError,
    PageNotRecognized,
    UsageError,
)
from linkedin_optout.interrupt import Interrupted, armed, received, signal_name
from linkedin_optout.pages import (
    Attempt,
    Button,
    Link,
    PageScan,
    Switch,
    detect_version,
    find_hub_link,
    find_row,
    find_switches,
    is_hub,
    is_not_found,
    is_protected,
    page_language,
)
from linkedin_optout.privacy import privacy_mask
from linkedin_optout.report import SettingReport
from linkedin_optout.selectors import (
    SelectorFile,
    Setting,
    all_languages,
    labels_for,
    normalize,
    text_matches,
)
from linkedin_optout.session import LOGIN_ADVICE, SessionSource, env_cookie_value
from linkedin_optout.session import cookie_for as session_cookie
from linkedin_optout.settle import OBSERVER_JS, NetworkWatch, Waiter
from linkedin_optout.statefile import read_state

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Frame, Locator, Page, Request, Response

SCAN_JS = resources.files("linkedin_optout").joinpath("page_scan.js").read_text()
# The same reading as page_scan.js, for one switch right before it is clicked;
# "waiting" when it is disabled or inside a busy container: not a reading.
STATE_JS = """el => {
  const busy = el.closest("[aria-busy='true']");
  if (el.disabled || el.getAttribute('aria-disabled') === 'true' || busy) return 'waiting';
  if (el.tagName === 'INPUT' && (el.type === 'checkbox' || el.type === 'radio'))
    return el.indeterminate ? 'waiting' : el.checked ? 'on' : 'off';
  const aria = el.getAttribute('aria-checked');
  return aria === 'true' ? 'on' : aria === 'false' ? 'off' : 'unknown'; }"""
OUTLINE_JS = """el => { el.scrollIntoView({block: 'center'});
  el.style.outline = '3px solid #d6336c'; el.style.outlineOffset = '3px'; }"""
# A hub or landing page that has not shown what we look for by then is passed
# by (we go to the next page's own URL), so it gets a shorter wait than a step.
PASS_BY_WAIT_S = 10.0
FIRST_SAVE_WAIT_S = 5.0
# A control that cannot be clicked by then is covered or hidden: click it through the DOM.
CLICK_WAIT_S = 5.0
SAVE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
LOCKED_DETAIL = (
    "the switch stays disabled: it cannot be changed on this account (it may be managed "
    "by an employer or restricted). Change it on LinkedIn yourself if you can, or object "
    "through LinkedIn's Data Processing Objection Form (/help/linkedin/ask/TS-DPRO)."
)
LOCKED_CAUSE = "the switch is locked: it cannot be changed on this account"
CLOSED_SIGNS = (
    "has been closed",
    "target closed",
    "browser closed",
    "connection closed",
    "browser has disconnected",
    "target crashed",
    "page crashed",
)


@dataclass(frozen=True)
class RunOptions:
    base_url: str
    versions: tuple[SelectorFile, ...]
    forced_version: bool = False
    dry_run: bool = False
    keys: tuple[str, ...] = ()  # the settings asked for (cli.check_keys)
    timeout_s: float = 30.0
    retries: int = 2
    locale: str | None = None
    browser: BrowserChoice = field(default_factory=BrowserChoice)
    screenshots: Path | None = None
    trace: Path | None = None


@dataclass
class RunResult:
    settings: list[SettingReport]
    version: str | None = None
    locale: str | None = None
    error: OptoutError | None = None
    attempts: list[Attempt] = field(default_factory=list)
    browser: str | None = None
    page_url_path: str | None = None
    diagnostics: Path | None = None
    failed_steps: dict[str, str] = field(default_factory=dict)  # setting -> step
    interrupted: int | None = None  # the signal that stopped the run
    stopped_at: str | None = None  # the step it stopped in


class NetworkFailed(ChangeFailed):
    """A page would not load: exit 5 like any failed step, but with no page of
    LinkedIn's to put in a diagnostic bundle."""


# Why a session is not usable, as the person should read it, and what fixes it.
SESSION_LOST = {
    "expired": (
        "LinkedIn showed its sign-in page: the session has expired or is not valid.",
        LOGIN_ADVICE,
    ),
    "security_check": (
        "LinkedIn asks for a security check before it lets this session in.",
        "Open LinkedIn in your own browser and complete the security check yourself, "
        "then run 'linkedin-optout login'. This tool never works around one.",
    ),
    "signed_out": (
        "LinkedIn showed its signed-out page: this session is not signed in.",
        LOGIN_ADVICE,
    ),
}


def session_lost(reason: str, step: str) -> AuthRequired:
    message, advice = SESSION_LOST[reason]
    return AuthRequired(message, reason=reason, advice=advice, step=step)


def backoff(attempt: int) -> None:
    """The pause before retry `attempt` of a failed step: 0.5 s, 1 s, 2 s..."""
    time.sleep(min(0.5 * 2 ** (attempt - 1), 4.0))


def is_closed_error(exc: BaseException) -> bool:
    text = str(exc).lower()
    return any(sign in text for sign in CLOSED_SIGNS)


class SaveWatcher:
    """The background requests a click starts (a save is a POST/PUT/...), and
    their answers. A response counts as the answer: Playwright reports a
    request as finished only once the page reads its body, which a page that
    gets an error often never does."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.origin = base_url.rstrip("/")
        self.requests: list[Request] = []
        self.statuses: dict[int, int] = {}  # id(request) -> HTTP status
        self.failures: dict[int, str] = {}  # id(request) -> network error

    def __enter__(self) -> SaveWatcher:
        self.page.on("request", self._started)
        self.page.on("response", self._answered)
        self.page.on("requestfailed", self._failed)
        return self

    def __exit__(self, *exc: object) -> None:
        self.page.remove_listener("request", self._started)
        self.page.remove_listener("response", self._answered)
        self.page.remove_listener("requestfailed", self._failed)

    def _started(self, request: Request) -> None:
        # The page's own background calls to the site; not beacons to elsewhere.
        if (
            request.method in SAVE_METHODS
            and request.resource_type in ("fetch", "xhr")
            and request.url.startswith(self.origin + "/")
        ):
            self.requests.append(request)

    def _answered(self, response: Response) -> None:
        if response.request in self.requests:
            self.statuses[id(response.request)] = response.status

    def _failed(self, request: Request) -> None:
        if request in self.requests:
            self.failures[id(request)] = request.failure or "failed"

    def settled(self) -> bool:
        answered = self.statuses.keys() | self.failures.keys()
        return bool(self.requests) and all(id(r) in answered for r in self.requests)

    def describe(self) -> str:
        """What came of the save, in words for a person."""
        for request in self.requests:
            if id(request) in self.failures:
                return f"the save request failed ({self.failures[id(request)]})"
            status = self.statuses.get(id(request))
            if status is not None and status >= 400:
                return f"LinkedIn answered the save with HTTP {status}"
        return "the save was answered as a success, yet the reloaded page shows it on"


class Walker:
    def __init__(
        self, page: Page, opts: RunOptions, console: Console, reports: dict[str, SettingReport]
    ) -> None:
        self.page = page
        page_signs = opts.versions[0].page
        self.waiter = Waiter(page, NetworkWatch(page, page_signs.long_lived), page_signs.loading)
        self.failed_steps: dict[str, str] = {}  # setting -> the step it failed at
        self.opts = opts
        self.console = console
        self.reports = reports
        self.versions = opts.versions
        self.version: SelectorFile | None = opts.versions[0] if opts.forced_version else None
        self.all_langs = all_languages(opts.versions)
        self.langs = page_language("", self.all_langs, opts.locale)
        self.page_lang: str | None = None
        self.attempts: list[Attempt] = []
        self.hub_recognized = False
        self.hub_rows: set[str] = set()  # settings with a row on Data privacy
        self.hub_scan: PageScan | None = None  # while the page shown is Data privacy
        self.first_hub: PageScan | None = None  # Data privacy as first read
        self.claimed: set[str] = set()  # marks of switches matched to a setting
        self.covered = False  # a banner covers the page (seen in a dry run)
        self.status: int | None = None
        self.step = "start"
        self._frames: list[Frame] = []
        self._scans = 0
        self._marker_css = sorted(
            {c for v in self.versions for c in (*v.fingerprint.css, *v.hub.markers.css)}
        )

    # --- small helpers ---------------------------------------------------------

    @property
    def timeout_ms(self) -> float:
        return self.opts.timeout_s * 1000

    def url(self, path: str) -> str:
        return urljoin(self.opts.base_url, path)

    def path(self) -> str:
        return urlsplit(self.page.url).path

    def raise_if_closed(self, exc: BaseException) -> None:
        if is_closed_error(exc):
            raise BrowserUnavailable(
                f"The browser closed unexpectedly while trying to {self.step}.",
                advice="Run the command again; if it keeps happening, "
                "run 'linkedin-optout doctor'.",
                step=self.step,
            ) from None

    def locator(self, item: Switch | Link | Button) -> Locator:
        return self._frames[item.frame].locator(f'[data-linkedin-optout="{item.mark}"]')

    def title(self, key: str) -> str:
        return self.reports[key].label

    # --- session ----------------------------------------------------------------

    def check_session(self) -> None:
        """Every page is checked: LinkedIn may sign the person out at any moment."""
        path = self.path()
        signs = [v.session for v in self.versions]
        if any(path.startswith(p) for s in signs for p in s.sign_in_paths):
            raise session_lost("expired", self.step)
        if any(pattern in path for s in signs for pattern in s.security_check_patterns):
            raise session_lost("security_check", self.step)
        if any(path.startswith(p) for s in signs for p in s.signed_out_paths):
            raise session_lost("signed_out", self.step)

    # --- navigation -------------------------------------------------------------

    def navigate(self, step: str, go: Callable[[], Response | None]) -> None:
        """Load a page, retrying time-outs, connection errors and 5xx answers."""
        self.step = step
        self.hub_scan = None  # a new page: marks of the old one are gone
        cause = ""
        for attempt in range(self.opts.retries + 1):
            if attempt:
                self.console.step(f"Could not {step} ({cause}); trying again")
                backoff(attempt)
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
            if self.status is not None and self.status >= 500:
                cause = f"LinkedIn answered HTTP {self.status}"
                continue
            return
        raise NetworkFailed(
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
        sign_in = [v.session.sign_in_form for v in self.versions]
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
        first = self.versions[0]
        arg = {
            "scanId": f"x{self._scans}",
            "switchCss": first.page.switch,
            "overlayCss": sorted({c for v in self.versions for c in v.overlays.containers}),
            "markerCss": self._marker_css,
            "signInCss": first.session.sign_in_form,
            "loadingCss": first.page.loading,
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

    # --- acting -----------------------------------------------------------------

    def act(
        self, action: str, target: Locator, still_wanted: Callable[[], bool] | None = None
    ) -> None:
        """Click, the way a person would; in a headed run outlined first, and with
        --step only after Enter. A control covered by something we could not
        dismiss is clicked through the DOM instead, unless `still_wanted` says
        the first click went through after all."""
        if self.opts.browser.headed or self.console.step_through:
            target.evaluate(OUTLINE_JS)  # show what is about to be clicked
        self.console.ask(action)
        if self.covered:  # a dry run leaves the banner alone and clicks under it
            target.evaluate("el => el.click()")
            return
        try:
            target.click(timeout=min(self.timeout_ms, CLICK_WAIT_S * 1000))
        except Exception as exc:
            self.raise_if_closed(exc)
            if not isinstance(exc, PlaywrightTimeoutError):
                raise
            if still_wanted is None or still_wanted():
                target.evaluate("el => el.click()")

    def clear_overlays(self, scan: PageScan) -> PageScan:
        """Dismiss banners and dialogs that cover the page: a cookie banner by
        refusing non-essential cookies where it offers that. A dry run answers
        nothing (a cookie choice is a change too): its clicks go through the DOM."""
        if self.opts.dry_run:
            self.covered = self._overlay_button(scan) is not None
            return scan
        for _ in range(3):
            choice = self._overlay_button(scan)
            if choice is None:
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

    def _overlay_button(self, scan: PageScan) -> tuple[Any, Button, str] | None:
        for kind, field_name in (("refusing", "refuse"), ("closing", "close")):
            for overlay in scan.overlays:
                if overlay.holds_switch:
                    continue  # a dialog with a switch may be the setting itself
                for version in self.versions:
                    labels = labels_for(getattr(version.overlays, field_name), self.langs)
                    button = _button_named(overlay.buttons, labels)
                    if button:
                        return overlay, button, kind
        return None

    def follow(self, link: Link, step: str) -> bool:
        """Click a link the way a person would; False when that did not lead anywhere."""
        self.step = step
        self.hub_scan = None
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

    # --- the walk -----------------------------------------------------------------

    def walk(self) -> None:
        hub = self.open_hub()
        remaining = list(self.opts.keys)
        self.first_hub = hub
        if hub is not None:
            on_hub = self.handle_page(hub, remaining)
            remaining = [k for k in remaining if k not in on_hub]
            self.hub_rows = {
                k for k in remaining if (s := self.setting_def(k)) and find_row(s, hub, self.langs)
            }
        while remaining:
            done = self.visit_setting(remaining[0], remaining)
            remaining = [k for k in remaining if k not in done]

    def open_hub(self) -> PageScan | None:
        """Settings & Privacy, then its Data privacy link (its own URL where that fails)."""
        urls = self.versions[0].urls
        self.console.step("Opening Settings & Privacy")
        self.goto(urls.landing, "open Settings & Privacy")
        link = None
        if self.status not in (404, 410):
            hub_links = [f"a[href*='{v.hub.link_href}']" for v in self.versions]
            texts = [t for v in self.versions for ts in v.hub.link_text.values() for t in ts]
            if self.wait_ready(hub_links, texts, min(self.opts.timeout_s, PASS_BY_WAIT_S)):
                self.console.step("Signed in")
                scan = self.clear_overlays(self.scan())
                link = find_hub_link(self.versions, scan, self.langs)
        if link is None or not self.follow(link, "open Data privacy"):
            self.goto(urls.hub, "open Data privacy")
        scan = self.read_hub()
        detected = detect_version(self.versions, scan)
        self.hub_recognized = is_hub(self.versions, scan) or detected is not None
        if not self.hub_recognized:
            return None
        self.console.step("Opened Data privacy")
        self.version = self.version or detected
        return scan

    def read_hub(self) -> PageScan:
        self.step = "read Data privacy"
        css = [c for v in self.versions for c in (*v.hub.markers.css, *v.fingerprint.css)]
        css += [f"a[href*='{s.row.href}']" for v in self.versions for s in v.settings if s.row.href]
        texts = [
            t
            for v in self.versions
            for m in (v.hub.markers.text, v.fingerprint.text)
            for ts in m.values()
            for t in ts
        ]
        self.wait_ready(
            [*css, self.versions[0].page.switch], texts, min(self.opts.timeout_s, PASS_BY_WAIT_S)
        )
        self.hub_scan = self.clear_overlays(self.scan())
        return self.hub_scan

    def setting_def(self, key: str) -> Setting | None:
        if self.version is not None:
            return self.version.setting(key)
        return next((s for v in self.versions if (s := v.setting(key)) and s.url), None)

    def visit_setting(self, key: str, remaining: list[str]) -> set[str]:
        """Reach a setting's page, by its Data privacy row, else by its own URL,
        and handle it; 'absent' only when LinkedIn clearly does not offer it."""
        setting = self.setting_def(key)
        if setting is None:
            version = self.version.version if self.version else "?"
            self.absent_unless_named(
                key,
                f"open the '{self.title(key)}' page",
                f"Not part of LinkedIn's {version} layout.",
            )
            return {key}
        step = f"open the '{setting.title}' page"
        row = None
        if key in self.hub_rows:
            if self.hub_scan is None:
                self.goto(self.versions[0].urls.hub, "open Data privacy")
                self.hub_scan = self.read_hub()
            row = find_row(setting, self.hub_scan, self.langs)
        ways: list[Callable[[], bool]] = []
        if row is not None:
            ways.append(lambda: self.follow(row, step))
        if (url := setting.url) is not None:

            def by_url() -> bool:
                self.goto(url, step)
                return True

            ways.append(by_url)
        if not ways:
            if not self.hub_recognized:
                raise PageNotRecognized(
                    f"Could not find where '{setting.title}' lives: the Data privacy page was "
                    "not recognized.",
                    step=step,
                    setting=key,
                )
            self.absent_unless_named(
                key,
                step,
                "The Data privacy page has no row for it: LinkedIn does not offer "
                "it on this account (it varies by region).",
            )
            return {key}
        for index, reach in enumerate(ways):
            if not reach():
                continue
            scan = self.read_setting_page(step, [key])
            if is_not_found(self.versions, scan):
                if index + 1 < len(ways):
                    continue  # the row led nowhere: try the setting's own URL
                if row is not None:  # a region without it has no row (docs/real-site.md)
                    raise PageNotRecognized(
                        f"Data privacy has a row for '{setting.title}', but its page says "
                        "'page not found'.",
                        step=step,
                        setting=key,
                    )
                if not self.hub_recognized:
                    raise PageNotRecognized(
                        f"The '{setting.title}' page was not found, and the Data privacy page "
                        "was not recognized.",
                        step=step,
                        setting=key,
                    )
                self.absent_unless_named(
                    key,
                    step,
                    "Its page says 'page not found': LinkedIn does not offer it on "
                    "this account (it varies by region).",
                )
                return {key}
            found = self.handle_page(scan, remaining)
            if key in found:
                return found
        raise PageNotRecognized(
            f"The '{setting.title}' page shows no switch that a selector file describes.",
            step=step,
            setting=key,
        )

    def read_setting_page(self, step: str, keys: Sequence[str]) -> PageScan:
        """The page once its content shows (a switch, or 'page not found'). If a
        switch shows but not yet the one for `keys`, wait on for that setting's
        own marks (its id, its label): a page may render in steps."""
        self.step = step
        deadline = time.monotonic() + self.opts.timeout_s
        not_found = [t for v in self.versions for ts in v.page.not_found_text.values() for t in ts]
        shown = self.wait_ready([self.versions[0].page.switch], not_found, self.opts.timeout_s)
        scan = self.clear_overlays(self.scan())
        version = self.version or detect_version(self.versions, scan)
        if not shown or version is None or is_not_found(self.versions, scan):
            return scan
        found = find_switches(version, keys, scan, self.langs).found
        missing = [s for k in keys if k not in found and (s := version.setting(k))]
        if not missing:
            return scan
        css = [f"[aria-labelledby~='{i}']" for s in missing for i in s.labelledby]
        texts = [t for s in missing for ts in s.labels.values() for t in ts]
        if self.wait_ready(css, texts, max(deadline - time.monotonic(), 0.1)):
            scan = self.clear_overlays(self.scan())
        return scan

    def absent_unless_named(self, key: str, step: str, why: str) -> None:
        """'Absent', unless Data privacy still names the setting (in any language
        a selector file knows) or shows a switch no setting claimed: then the page
        changed, and 'absent' would be a guess that leaves a setting on."""
        hub = self.first_hub
        names = [
            text
            for version in self.versions
            if (setting := version.setting(key))
            for text in (
                setting.title,
                *(t for m in (setting.labels, setting.row.text) for ts in m.values() for t in ts),
            )
        ]
        if hub is not None and (
            any(text_matches(name, hub.text) for name in names)
            or any(
                s.mark not in self.claimed
                and not any(is_protected(s, version) for version in self.versions)
                for s in hub.switches
            )
        ):
            raise PageNotRecognized(
                f"Data privacy mentions '{self.title(key)}' (or shows a switch), but no row or "
                "switch for it matched a selector file.",
                step=step,
                setting=key,
            )
        self.absent(key, why)

    def absent(self, key: str, why: str) -> None:
        report = self.reports[key]
        if self.version and (setting := self.version.setting(key)):
            report.label = setting.title
        report.before = report.after = "absent"
        report.verified = True
        report.detail = why
        self.console.step(f"{report.label}: not offered here. {why}")

    def settle(
        self, version: SelectorFile, keys: Sequence[str], scan: PageScan
    ) -> tuple[PageScan, dict[str, tuple[Switch, str]], set[str]]:
        """Wait until the switches for `keys` show the member's values, not
        placeholders; read them again. Returns the new scan, the matches, and the
        keys whose switch stayed disabled on a quiet page (locked). A switch
        still showing a placeholder at the deadline reads as unknown."""
        deadline = time.monotonic() + self.opts.timeout_s
        while True:
            found = find_switches(version, keys, scan, self.langs).found
            if not found:
                return scan, found, set()
            try:
                outcome = self.waiter.switches([sw.mark for sw, _ in found.values()], deadline)
            except Exception as exc:
                self.raise_if_closed(exc)
                raise
            scan = self.scan()
            if outcome == "changed" and time.monotonic() < deadline:
                continue  # a placeholder was replaced by the real switch: match again
            found = find_switches(version, keys, scan, self.langs).found
            settled: dict[str, tuple[Switch, str]] = {}
            for key, (switch, strategy) in found.items():
                if outcome != "timeout" or not (switch.waiting or switch.disabled):
                    settled[key] = (switch, strategy)
                else:  # still a placeholder when time ran out: no reading
                    settled[key] = (replace(switch, state="unknown"), strategy)
            locked = {k for k, (sw, _) in settled.items() if sw.disabled and sw.state != "unknown"}
            return scan, settled, locked

    def handle_page(self, scan: PageScan, keys: Sequence[str]) -> set[str]:
        """Read (and, unless dry run, switch off) every target setting on this page."""
        version = self.version or detect_version(self.versions, scan)
        if version is None:
            return set()
        self.version = version
        matches = find_switches(version, keys, scan, self.langs)
        self.attempts += matches.attempts
        if matches.found:
            scan, found, locked = self.settle(version, keys, scan)
        else:
            found, locked = {}, set()
        self.claimed |= {switch.mark for switch, _ in found.values()}
        to_switch: list[str] = []
        for key, (switch, strategy) in found.items():
            report = self.reports[key]
            setting = version.setting(key)
            assert setting is not None
            report.label, report.strategy, report.before = setting.title, strategy, switch.state
            self.console.step(f"{report.label}: {switch.state} (found by {strategy})")
            self.screenshot(key, "before")
            if key in locked:
                self.locked(key, switch.state)
            elif switch.state == "on" and not self.opts.dry_run:
                to_switch.append(key)
            else:
                report.after = switch.state
                report.verified = switch.state in ("on", "off")
                if switch.state == "unknown":
                    report.detail = (
                        "The switch never showed a settled on/off state (it stayed disabled, "
                        f"busy or a placeholder for {self.opts.timeout_s:g} s)."
                        if switch.waiting or switch.disabled
                        else "The switch shows no on/off state the tool can read."
                    )
        if to_switch:
            switches = {k: found[k][0] for k in to_switch}
            self.switch_off(version, to_switch, list(found), switches)
        return set(found)

    def locked(self, key: str, state: str) -> None:
        """A switch that stays disabled on a settled page: its state is real, and
        it cannot be switched here. Reported as read; no click, no retry."""
        report = self.reports[key]
        report.after = "on" if state == "on" else "off" if state == "off" else "unknown"
        report.verified = state in ("on", "off")
        report.detail = f"LOCKED: {LOCKED_DETAIL}"
        self.console.step(f"{report.label}: {state}, and locked: {LOCKED_DETAIL}")
        if state == "on" and not self.opts.dry_run:
            self.failed_steps[key] = f"switch off '{report.label}'"

    def switch_off(
        self,
        version: SelectorFile,
        keys: list[str],
        page_keys: list[str],
        switches: dict[str, Switch],
    ) -> None:
        """Click each switch in `keys`, wait for its save, reload, and read every
        target setting on the page again; retry what stayed on."""
        causes: dict[str, str] = {}
        pending = keys
        for attempt in range(self.opts.retries + 1):
            if attempt:
                backoff(attempt)
            for key in pending:
                causes[key] = self.click_and_save(version, key, switches[key])
            try:
                self.reload("reload the page to confirm")
                scan = self.read_setting_page("read the page after the reload", page_keys)
                scan, rematch, locked = self.settle(version, page_keys, scan)
            except AuthRequired:
                for key in pending:
                    self.reports[key].detail = (
                        "Clicked off, but LinkedIn ended the session before a reload could "
                        "confirm it: run 'linkedin-optout status' after signing in again."
                    )
                raise
            for key in page_keys:
                self.record_after(key, rematch.get(key), clicked=key in keys)
            for key in pending:
                if key in locked or causes[key] == LOCKED_CAUSE:
                    self.locked(key, self.reports[key].after)
            pending = [
                k
                for k in pending
                if self.reports[k].after == "on" and k not in locked and causes[k] != LOCKED_CAUSE
            ]
            if not pending:
                return
            for key in pending:
                switches[key] = rematch[key][0]
                self.console.step(f"{self.title(key)}: still on after the reload ({causes[key]})")
        tries = self.opts.retries + 1
        for key in pending:
            why = f"Still on after {tries} attempt{'s' if tries > 1 else ''}: {causes[key]}."
            self.reports[key].detail = why

    def record_after(self, key: str, found: tuple[Switch, str] | None, clicked: bool) -> None:
        """A setting's state as the reloaded page shows it: the only `after` there is."""
        report = self.reports[key]
        if found is None:
            report.after, report.verified = "unknown", False
            report.detail = "After the reload the switch could not be found again."
            return
        state = found[0].state
        report.after, report.verified = state, state in ("on", "off")
        if state == "unknown":
            report.detail = "After the reload the switch never showed a settled on/off state."
        if report.verified:
            report.unconfirmed_click = None  # this page shows what the click did
        if clicked and state == "off" and not report.changed:
            report.changed = True
            self.console.step(f"{report.label}: confirmed off after reload")
        if clicked:
            self.screenshot(key, "after")

    def click_and_save(self, version: SelectorFile, key: str, switch: Switch) -> str:
        self.step = f"switch off '{self.title(key)}'"
        target = self.locator(switch)

        def state() -> str:
            return str(target.evaluate(STATE_JS))

        if state() == "waiting":  # it showed a placeholder again: wait for it once more
            outcome = self.waiter.switches([switch.mark], time.monotonic() + self.opts.timeout_s)
            if outcome == "locked":
                return LOCKED_CAUSE
            if outcome != "ready":
                return "the switch did not settle before its turn came, so it was not clicked"

        def still_on() -> bool:  # read again right before clicking: never switch on
            return state() == "on"

        if not still_on():
            return "it was no longer on when its turn came, so it was not clicked"
        with SaveWatcher(self.page, self.opts.base_url) as saves:
            self.reports[key].unconfirmed_click = "clicking"
            self.act(f"switch off '{self.title(key)}'", target, still_wanted=still_on)
            self.reports[key].unconfirmed_click = "clicked"
            self.console.step(f"{self.title(key)}: switched off, waiting for LinkedIn to save")
            return self.wait_for_save(version, saves)

    def wait_for_save(self, version: SelectorFile, saves: SaveWatcher) -> str:
        """Until the save's request has an answer, confirming a 'Turn off?' dialog
        if one appears first. Polls in short slices of waiting on request events."""
        now = time.monotonic
        deadline = now() + self.opts.timeout_s
        first_deadline = now() + min(self.opts.timeout_s, FIRST_SAVE_WAIT_S)
        confirmed = False
        while not saves.settled():
            if not saves.requests and not confirmed:
                button = self._confirm_button(version)
                if button is not None:
                    self.act(f"confirm with '{button.name}'", self.locator(button))
                    confirmed = True
                    first_deadline = now() + min(self.opts.timeout_s, FIRST_SAVE_WAIT_S)
                    continue
            if not saves.requests and now() > first_deadline:
                return "no save request followed the click"
            if now() > deadline:
                return f"the save got no answer within {self.opts.timeout_s:g} s"
            try:
                self.page.wait_for_event("response", timeout=250)
            except Exception as exc:
                self.raise_if_closed(exc)
        return saves.describe()

    def _confirm_button(self, version: SelectorFile) -> Button | None:
        """A dialog's button named exactly as a confirmation ('Turn off')."""
        labels = labels_for(version.confirm_buttons, self.langs)
        for overlay in self.scan().overlays:
            button = _button_named(overlay.buttons, labels, exact=True)
            if button is not None:
                return button
        return None

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


def _button_named(
    buttons: Sequence[Button], labels: list[str], exact: bool = False
) -> Button | None:
    for label in labels:  # the exact name first, then a name that contains it
        for button in buttons:
            if normalize(button.name) == normalize(label):
                return button
    if exact:
        return None
    for label in labels:
        for button in buttons:
            if text_matches(label, button.name):
                return button
    return None


# --- one run -------------------------------------------------------------------------


def new_reports(opts: RunOptions) -> dict[str, SettingReport]:
    # The oldest version's name until a page shows which version this is.
    titles: dict[str, str] = {s.key: s.title for v in opts.versions for s in v.settings}
    return {key: SettingReport(key=key, label=titles.get(key, key)) for key in opts.keys}


def session_state(source: SessionSource, base_url: str) -> tuple[Any, list[dict[str, Any]]]:
    """(storage_state, extra cookies) for a new context; read before any browser starts."""
    if source.kind == "state_file":
        assert source.path is not None
        return read_state(source.path, base_url), []
    if source.kind == "env":
        return None, [session_cookie(base_url, "li_at", env_cookie_value())]
    return None, []


@contextmanager
def browser_context(
    opts: RunOptions, source: SessionSource, console: Console
) -> Iterator[tuple[BrowserContext, str]]:
    """A context holding the person's session; traced with --trace."""
    from playwright.sync_api import sync_playwright

    state, cookies = session_state(source, opts.base_url)
    # A signal stops the run inside `armed()`; leaving `sync_playwright()` then
    # closes the browser and the driver.
    with sync_playwright() as pw, armed():
        if source.kind == "profile":
            assert source.path is not None
            source.path.mkdir(parents=True, exist_ok=True, mode=0o700)
            context, described = launch_browser(pw, opts.browser, profile=source.path)
        else:
            browser, described = launch_browser(pw, opts.browser)
            try:
                context = browser.new_context(storage_state=state)
            except Exception as exc:
                browser.close()
                raise UsageError(
                    f"State file {source.path} holds a cookie the browser refuses: "
                    f"{first_line(exc)}",
                    advice="Create it again with 'linkedin-optout login'.",
                ) from None
        try:
            described = f"{described} {context.browser.version if context.browser else ''}".strip()
            # Before any page script: it keeps the time of the last DOM change (settle.py).
            context.add_init_script(OBSERVER_JS)
            if cookies:
                context.add_cookies(cookies)
            context.set_default_timeout(opts.timeout_s * 1000)
            if opts.trace:
                context.tracing.start(screenshots=True, snapshots=True)
            yield context, described
        except Interrupted as stop:
            console.step(f"Stopping on {signal_name(stop.signum)}: closing the browser")
            raise
        finally:
            if opts.trace:
                try:
                    save_trace(context, opts.trace)
                except Exception as exc:
                    console.warn(f"The trace could not be saved in {opts.trace}: {first_line(exc)}")
            # Closing the browser closes its context; a profile's context is the browser.
            # It may be gone already: then there is nothing to close.
            with suppress(Exception):
                (context.browser or context).close()


def run(
    opts: RunOptions, source: SessionSource, console: Console, diagnostics_dir: Path | None
) -> RunResult:
    reports = new_reports(opts)
    result = RunResult(settings=list(reports.values()))
    walker: Walker | None = None
    try:
        with browser_context(opts, source, console) as (context, described):
            result.browser = described
            page = context.new_page()
            walker = Walker(page, opts, console, reports)
            try:
                walker.walk()
            except OptoutError as exc:
                result.error = exc
            except Exception as exc:
                walker.raise_if_closed(exc)
                result.error = ChangeFailed(
                    f"Unexpected failure while trying to {walker.step}: {first_line(exc)}",
                    step=walker.step,
                    advice="Run again with --headed to watch, or with --trace FILE to record it.",
                )
            result.version = walker.version.version if walker.version else None
            result.locale = walker.page_lang
            result.attempts = walker.attempts
            result.failed_steps = walker.failed_steps
            result.page_url_path = walker.path() if not page.is_closed() else None
            if needs_bundle(result, opts.dry_run) and not page.is_closed():
                result.diagnostics = write_bundle(page, context, result, diagnostics_dir, console)
    except Interrupted:
        pass  # the browser is closed: what was read is handed back below
    except UsageError:
        raise  # bad input (a state file, a cookie value): exit 2, no report
    except OptoutError as exc:
        result.error = result.error or exc
    except Exception as exc:  # the browser failed outside any step (opening a page...)
        result.error = result.error or (
            BrowserUnavailable(
                f"The browser stopped working: {first_line(exc)}",
                advice="Run the command again; 'linkedin-optout doctor' checks it.",
            )
            if is_closed_error(exc)
            else ChangeFailed(
                f"Unexpected browser failure: {first_line(exc)}",
                advice="Run again with --headed, or --trace FILE to record it.",
            )
        )
    # A signal stopped the run, or caused what ended it (Ctrl-C reaches a driver that
    # is still starting and has yet to ignore it): either way the run was stopped.
    if (signum := received()) is not None:
        result.interrupted = signum
        result.stopped_at = walker.step if walker else "start the browser"
        if walker is not None:
            result.version = walker.version.version if walker.version else None
            result.locale = walker.page_lang
    return result


def needs_bundle(result: RunResult, dry_run: bool) -> bool:
    """Exit 4 and 5 only: a bundle helps update the selectors, not sign in again."""
    if result.error is not None:
        return isinstance(result.error, (PageNotRecognized, ChangeFailed)) and not isinstance(
            result.error, NetworkFailed
        )
    return any(s.after == "unknown" or (s.after == "on" and not dry_run) for s in result.settings)
