"""The route: the way a person goes to each setting. Settings & Privacy, then
its Data privacy link; each setting by its row (on Data privacy, or on the page
the data names, such as Advertising data), else by its own URL; and "absent"
only where a recognized Data privacy page clearly does not offer it.

Several settings on pages of their own are visited at once, on up to
`MAX_PAGES` pages of one browser context (lanes.py): each visit is a generator
that yields whenever it has started a page load or waits for a page to settle,
so one page renders (or keeps quiet) while another is read. A headed or
step-by-step run goes one page at a time.
"""

from __future__ import annotations

from collections.abc import Callable

from linkedin_optout.driver import PageDriver
from linkedin_optout.errors import PageNotRecognized
from linkedin_optout.lanes import Lane, Steps, drain, run_lanes
from linkedin_optout.pages import (
    Link,
    PageScan,
    find_row,
)
from linkedin_optout.selectors import Setting
from linkedin_optout.switcher import Switcher, WalkState


class Route:
    def __init__(
        self,
        driver: PageDriver,
        switcher: Switcher,
        state: WalkState,
        new_lane: Callable[[], Lane] | None = None,
    ) -> None:
        self.main = Lane(driver, switcher)
        self.d = driver
        self.sw = switcher
        self.state = state
        self.new_lane = new_lane  # another page of the same context; None: one page only
        self.current = driver  # the page whose step is under way (for errors and bundles)
        self.hub_recognized = False
        self.rows: dict[str, Link] = {}  # every setting's row, wherever it was seen
        self.row_pages: dict[str, str] = {}  # setting -> the page its row is on (not Data privacy)
        self.first_hub: PageScan | None = None  # Data privacy as first read

    def walk(self) -> None:
        hub = self.open_hub()
        remaining = list(self.d.opts.keys)
        self.first_hub = hub
        if hub is not None:
            on_hub = drain(self.sw.handle_page(hub, remaining))
            remaining = [k for k in remaining if k not in on_hub]
            for key in remaining:
                s = self.setting_def(key)
                if s and not s.row.on and (row := find_row(s, hub, self.d.langs)) is not None:
                    self.rows[key] = row
            self.read_row_pages(remaining)
        stops = self.stops(remaining)
        if self.new_lane is not None and len(stops) > 1:
            run_lanes(self, stops)
            return
        while remaining:
            done = drain(self.visit(self.main, remaining[0], remaining, by_href=False))
            remaining = [k for k in remaining if k not in done]

    def stops(self, keys: list[str]) -> list[list[str]]:
        """The settings grouped by the page they are reached on, in order."""
        pages: dict[str, list[str]] = {}
        for key in keys:
            setting = self.setting_def(key)
            row = self.rows.get(key)
            where = (row.href if row else None) or (setting.url if setting else None) or key
            pages.setdefault(where.rstrip("/"), []).append(key)
        return list(pages.values())

    def open_hub(self) -> PageScan | None:
        """Settings & Privacy, then its Data privacy link (its own URL where that fails)."""
        known, urls = self.d.layouts, self.d.layouts.urls
        self.d.console.step("Opening Settings & Privacy")
        self.d.goto(urls.landing, "open Settings & Privacy")
        link = None
        # Ends once the page has settled: --timeout is only the ceiling.
        if self.d.status not in known.page.not_found_status and self.d.wait_ready(
            known.hub_link_css, known.hub_link_texts, self.d.opts.timeout_s
        ):
            self.d.console.step("Signed in")
            scan = self.d.clear_overlays(self.d.scan())
            link = known.hub_link(scan, self.d.langs)
        if link is None or not self.d.follow(link, "open Data privacy"):
            self.d.goto(urls.hub, "open Data privacy")
        scan = self.read_hub(self.d)
        self.main.rows_scan, self.main.rows_at, self.main.rows_of = scan, self.d.navigations, "hub"
        detected = known.detect(scan)
        self.hub_recognized = known.is_hub(scan) or detected is not None
        if not self.hub_recognized:
            return None
        self.d.console.step("Opened Data privacy")
        self.state.version = self.state.version or detected
        return scan

    def read_hub(self, d: PageDriver) -> PageScan:
        d.step = "read Data privacy"
        d.wait_ready(d.layouts.hub_css, d.layouts.hub_texts, d.opts.timeout_s)
        return d.clear_overlays(d.scan())

    def read_row_page(self, d: PageDriver, path: str, keys: list[str]) -> PageScan:
        """A page of rows other than Data privacy (Advertising data), once it shows one."""
        d.goto(path, f"open {path}")
        d.step = f"read {path}"
        settings = [s for k in keys if (s := self.setting_def(k))]
        css = [f"a[href*='{s.row.href}']" for s in settings if s.row.href]
        texts = [t for s in settings for ts in s.row.text.values() for t in ts]
        d.wait_ready(css, texts, d.opts.timeout_s)
        return d.clear_overlays(d.scan())

    def read_row_pages(self, keys: list[str]) -> None:
        """Open each other page of rows the asked-for settings live on, once."""
        by_page: dict[str, list[str]] = {}
        for key in keys:
            if (s := self.setting_def(key)) and s.row.on:
                by_page.setdefault(s.row.on, []).append(key)
        for path, page_keys in by_page.items():
            scan = self.read_row_page(self.d, path, page_keys)
            if self.d.layouts.is_not_found(scan):
                continue  # the settings' own URLs are tried instead
            for key in page_keys:
                setting = self.setting_def(key)
                if setting and (row := find_row(setting, scan, self.d.langs)) is not None:
                    self.rows[key] = row
                    self.row_pages[key] = path

    def setting_def(self, key: str) -> Setting | None:
        return self.d.layouts.setting(key, self.state.version)

    def row_on_page(self, lane: Lane, key: str, setting: Setting) -> Link | None:
        """The setting's row on the page this lane shows, opening that page
        again if the lane has left it (a person clicks the row)."""
        path = self.row_pages.get(key)
        d = lane.d
        if lane.rows_at != d.navigations or lane.rows_of != (path or "hub"):
            if path is None:
                d.goto(d.layouts.urls.hub, "open Data privacy")
                lane.rows_scan = self.read_hub(d)
            else:
                lane.rows_scan = self.read_row_page(d, path, [key])
            lane.rows_at, lane.rows_of = d.navigations, path or "hub"
        assert lane.rows_scan is not None
        return find_row(setting, lane.rows_scan, d.langs)

    def visit(self, lane: Lane, key: str, remaining: list[str], by_href: bool) -> Steps[set[str]]:
        """Reach a setting's page, by its row, else by its own URL, and handle it;
        'absent' only when LinkedIn clearly does not offer it. With `by_href`, a
        row is followed by loading its link (as a click would), so that several
        pages can load at once. Yields after starting each page load."""
        d, sw = lane.d, lane.sw
        setting = self.setting_def(key)
        if setting is None:
            version = self.state.version.version if self.state.version else "?"
            self.absent_unless_named(
                key,
                f"open the '{sw.title(key)}' page",
                f"Not part of LinkedIn's {version} layout.",
            )
            return {key}
        step = f"open the '{setting.title}' page"
        row: Link | None = None
        ways: list[Callable[[], bool]] = []
        if key in self.rows:
            row = self.rows[key]
            if by_href and row.href.startswith("/"):
                href = row.href

                def by_row_href() -> bool:
                    d.goto(href, step)
                    return True

                ways.append(by_row_href)
            elif (row := self.row_on_page(lane, key, setting)) is not None:
                link = row
                ways.append(lambda: d.follow(link, step))
        if (url := setting.url) is not None and not (
            row is not None and by_href and row.href.rstrip("/") == url.rstrip("/")
        ):

            def by_url() -> bool:
                d.goto(url, step)
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
            yield  # the page loads while other lanes work
            scan = sw.read_setting_page(step, [key])
            if d.layouts.is_not_found(scan):
                if index + 1 < len(ways):
                    continue  # the row led nowhere: try the setting's own URL
                if row is not None:  # a region without it has no row (docs/real-site.md)
                    where = self.row_pages.get(key, "Data privacy")
                    raise PageNotRecognized(
                        f"{where} has a row for '{setting.title}', but its page says "
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
            found = yield from sw.handle_page(scan, remaining)
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
        if hub is not None and self.d.layouts.still_names(hub, key, self.state.claimed):
            raise PageNotRecognized(
                f"Data privacy mentions '{self.sw.title(key)}' (or shows a switch), but no row or "
                "switch for it matched a selector file.",
                step=step,
                setting=key,
            )
        self.absent(key, why)

    def absent(self, key: str, why: str) -> None:
        label = self.sw.title(key)
        if self.state.version and (setting := self.state.version.setting(key)):
            label = setting.title
        self.sw.findings.record(
            key, label=label, before="absent", after="absent", verified=True, detail=why
        )
        self.d.console.finding(key, label, f"not offered. {why}")
