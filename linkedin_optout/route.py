"""The route: the way a person goes to each setting. Settings & Privacy, then
its Data privacy link; each setting by its row there, else by its own URL; and
"absent" only where a recognized Data privacy page clearly does not offer it."""

from __future__ import annotations

from collections.abc import Callable

from linkedin_optout.decide import hub_still_names
from linkedin_optout.driver import PageDriver
from linkedin_optout.errors import PageNotRecognized
from linkedin_optout.pages import (
    PageScan,
    detect_version,
    find_hub_link,
    find_row,
    is_hub,
    is_not_found,
)
from linkedin_optout.selectors import Setting
from linkedin_optout.switcher import Switcher, WalkState


class Route:
    def __init__(self, driver: PageDriver, switcher: Switcher, state: WalkState) -> None:
        self.d = driver
        self.sw = switcher
        self.state = state
        self.hub_recognized = False
        self.hub_rows: set[str] = set()  # settings with a row on Data privacy
        self.first_hub: PageScan | None = None  # Data privacy as first read
        self.hub_scan: PageScan | None = None  # Data privacy as last read...
        self.hub_at = -1  # ...on this page (driver.navigations): its marks are good

    def walk(self) -> None:
        hub = self.open_hub()
        remaining = list(self.d.opts.keys)
        self.first_hub = hub
        if hub is not None:
            on_hub = self.sw.handle_page(hub, remaining)
            remaining = [k for k in remaining if k not in on_hub]
            self.hub_rows = {
                k
                for k in remaining
                if (s := self.setting_def(k)) and find_row(s, hub, self.d.langs)
            }
        while remaining:
            done = self.visit_setting(remaining[0], remaining)
            remaining = [k for k in remaining if k not in done]

    def open_hub(self) -> PageScan | None:
        """Settings & Privacy, then its Data privacy link (its own URL where that fails)."""
        urls = self.d.versions[0].urls
        self.d.console.step("Opening Settings & Privacy")
        self.d.goto(urls.landing, "open Settings & Privacy")
        link = None
        if self.d.status not in (404, 410):
            hub_links = [f"a[href*='{v.hub.link_href}']" for v in self.d.versions]
            texts = [t for v in self.d.versions for ts in v.hub.link_text.values() for t in ts]
            # Ends once the page has settled: --timeout is only the ceiling.
            if self.d.wait_ready(hub_links, texts, self.d.opts.timeout_s):
                self.d.console.step("Signed in")
                scan = self.d.clear_overlays(self.d.scan())
                link = find_hub_link(self.d.versions, scan, self.d.langs)
        if link is None or not self.d.follow(link, "open Data privacy"):
            self.d.goto(urls.hub, "open Data privacy")
        scan = self.read_hub()
        detected = detect_version(self.d.versions, scan)
        self.hub_recognized = is_hub(self.d.versions, scan) or detected is not None
        if not self.hub_recognized:
            return None
        self.d.console.step("Opened Data privacy")
        self.state.version = self.state.version or detected
        return scan

    def read_hub(self) -> PageScan:
        self.d.step = "read Data privacy"
        css = [c for v in self.d.versions for c in (*v.hub.markers.css, *v.fingerprint.css)]
        css += [
            f"a[href*='{s.row.href}']" for v in self.d.versions for s in v.settings if s.row.href
        ]
        texts = [
            t
            for v in self.d.versions
            for m in (v.hub.markers.text, v.fingerprint.text)
            for ts in m.values()
            for t in ts
        ]
        self.d.wait_ready(
            [*css, self.d.versions[0].page.switch],
            texts,
            self.d.opts.timeout_s,
        )
        self.hub_scan = self.d.clear_overlays(self.d.scan())
        self.hub_at = self.d.navigations
        return self.hub_scan

    def setting_def(self, key: str) -> Setting | None:
        if self.state.version is not None:
            return self.state.version.setting(key)
        return next((s for v in self.d.versions if (s := v.setting(key)) and s.url), None)

    def visit_setting(self, key: str, remaining: list[str]) -> set[str]:
        """Reach a setting's page, by its Data privacy row, else by its own URL,
        and handle it; 'absent' only when LinkedIn clearly does not offer it."""
        setting = self.setting_def(key)
        if setting is None:
            version = self.state.version.version if self.state.version else "?"
            self.absent_unless_named(
                key,
                f"open the '{self.sw.title(key)}' page",
                f"Not part of LinkedIn's {version} layout.",
            )
            return {key}
        step = f"open the '{setting.title}' page"
        row = None
        if key in self.hub_rows:
            if self.hub_scan is None or self.hub_at != self.d.navigations:
                self.d.goto(self.d.versions[0].urls.hub, "open Data privacy")
                self.hub_scan = self.read_hub()
            row = find_row(setting, self.hub_scan, self.d.langs)
        ways: list[Callable[[], bool]] = []
        if row is not None:
            ways.append(lambda: self.d.follow(row, step))
        if (url := setting.url) is not None:

            def by_url() -> bool:
                self.d.goto(url, step)
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
            scan = self.sw.read_setting_page(step, [key])
            if is_not_found(self.d.versions, scan):
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
            found = self.sw.handle_page(scan, remaining)
            if key in found:
                return found
        raise PageNotRecognized(
            f"The '{setting.title}' page shows no switch that a selector file describes.",
            step=step,
            setting=key,
        )

    def absent_unless_named(self, key: str, step: str, why: str) -> None:
        """'Absent', unless Data privacy still names the setting (in any language
        a selector file knows) or shows a switch no setting claimed: then the page
        changed, and 'absent' would be a guess that leaves a setting on."""
        hub = self.first_hub
        if hub is not None and hub_still_names(hub, key, self.d.versions, self.state.claimed):
            raise PageNotRecognized(
                f"Data privacy mentions '{self.sw.title(key)}' (or shows a switch), but no row or "
                "switch for it matched a selector file.",
                step=step,
                setting=key,
            )
        self.absent(key, why)

    def absent(self, key: str, why: str) -> None:
        report = self.sw.reports[key]
        if self.state.version and (setting := self.state.version.setting(key)):
            report.label = setting.title
        report.before = report.after = "absent"
        report.verified = True
        report.detail = why
        self.d.console.step(f"{report.label}: not offered here. {why}")
