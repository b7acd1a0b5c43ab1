"""The route: the way a person goes to each setting. Settings & Privacy, then
its Data privacy link; each setting by its row (on Data privacy, or on the page
the data names, such as Advertising data), else by its own URL; and "absent"
only where a recognized Data privacy page clearly does not offer it.

Several settings on pages of their own are visited at once, on up to
`MAX_PAGES` pages of one browser context (lanes.py): each visit is a generator
(steps.py) that yields whenever it has started a page load or waits for a page
to settle, so one page renders (or keeps quiet) while another is read. A headed
or step-by-step run goes one page at a time. The route owns what a page of the
walk is (`Lane`), the rows each page last read, and the visits that failed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from linkedin_optout.driver import PageDriver
from linkedin_optout.errors import NetworkFailed, OptoutError, PageNotRecognized
from linkedin_optout.findings import Findings, WalkState
from linkedin_optout.lanes import run_lanes
from linkedin_optout.pages import (
    Link,
    PageScan,
    find_row,
)
from linkedin_optout.row_values import value_on_row
from linkedin_optout.selectors import Setting
from linkedin_optout.steps import Steps, drain
from linkedin_optout.switcher import Switcher

# What ends one visit only, when several pages go at once: that setting stays
# unknown, the others are still read, and the first such error ends the walk.
VISIT_FAILURES = (PageNotRecognized, NetworkFailed)


@dataclass(eq=False)
class Lane:
    """One page of the walk: its driver, and the switcher reading it."""

    driver: PageDriver
    switcher: Switcher


@dataclass
class RowsRead:
    """The page of rows a lane last read, so that a row is clicked on the page shown."""

    scan: PageScan
    at: int  # as of this page load (driver.navigations)...
    of: str  # ...and which page that was: "hub" (Data privacy) or a path


class Route:
    def __init__(
        self,
        driver: PageDriver,
        findings: Findings,
        state: WalkState,
        new_driver: Callable[[], PageDriver] | None = None,
    ) -> None:
        self.findings = findings
        self.state = state
        self.main = self.lane(driver)
        self.driver = driver
        self.switcher = self.main.switcher
        self.new_driver = new_driver  # another page of the same context; None: one page only
        self.current = driver  # the page whose step is under way (for errors and bundles)
        self.hub_recognized = False
        self.rows: dict[str, Link] = {}  # every setting's row, wherever it was seen
        self.row_pages: dict[str, str] = {}  # setting -> the page its row is on (not Data privacy)
        self.rows_read: dict[Lane, RowsRead] = {}
        self.first_hub: PageScan | None = None  # Data privacy as first read
        self.failures: list[tuple[Lane, OptoutError]] = []  # visits that ended alone

    def lane(self, driver: PageDriver) -> Lane:
        return Lane(driver, Switcher(driver, self.findings, self.state))

    def walk(self) -> None:
        hub = self.open_hub()
        remaining = list(self.driver.opts.keys)
        self.first_hub = hub
        if hub is not None:
            on_hub = drain(self.switcher.handle_page(hub, remaining))
            remaining = [k for k in remaining if k not in on_hub]
            for key in remaining:
                s = self.setting_def(key)
                if s and not s.row.on and (row := find_row(s, hub, self.driver.langs)) is not None:
                    self.rows[key] = row
            self.read_row_pages(remaining)
        stops = self.stops(remaining)
        if self.new_driver is not None and len(stops) > 1:
            self.visit_at_once(self.new_driver, stops)
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

    def visit_at_once(self, new_driver: Callable[[], PageDriver], stops: list[list[str]]) -> None:
        """Each stop on a page of its own, up to lanes.MAX_PAGES at once. A page
        not recognized, or that will not load, ends only its own visit: its page
        is kept open for the diagnostic bundle, the other settings are still read
        (and switched), and the first such error is raised at the end."""
        run_lanes(
            stops,
            self.main,
            lambda: self.lane(new_driver()),
            lambda lane, stop: self.on_turn(lane, self.visit(lane, stop[0], stop, by_href=True)),
            VISIT_FAILURES,
            self.visit_failed,
        )
        if self.failures:
            lane, first = self.failures[0]
            self.current = lane.driver
            raise first

    def on_turn(self, lane: Lane, steps: Steps[set[str]]) -> Steps[set[str]]:
        """A visit that says, each time it resumes, that its page is the current one."""
        while True:
            self.current = lane.driver
            try:
                next(steps)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]
            yield

    def visit_failed(self, lane: Lane, stop: list[str], exc: Exception) -> None:
        """The other settings of a failed visit's page were not read: say why."""
        assert isinstance(exc, OptoutError)
        self.failures.append((lane, exc))
        for key in stop:
            was = self.findings[key]
            if was.before == "unknown" and key != exc.setting:
                self.findings.record(key, detail=was.detail or f"Not read: {exc.message}")

    def open_hub(self) -> PageScan | None:
        """Settings & Privacy, then its Data privacy link (its own URL where that fails)."""
        known, urls = self.driver.known, self.driver.known.urls
        self.driver.console.step("Opening Settings & Privacy")
        self.driver.goto(urls.landing, "open Settings & Privacy")
        link = None
        # Ends once the page has settled: --timeout is only the ceiling.
        if self.driver.status not in known.page.not_found_status and self.driver.wait_ready(
            known.hub_link_css, known.hub_link_texts, self.driver.opts.timeout_s
        ):
            self.driver.console.step("Signed in")
            scan = self.driver.clear_overlays(self.driver.scan())
            link = known.hub_link(scan, self.driver.langs)
        if link is None or not self.driver.follow(link, "open Data privacy"):
            self.driver.goto(urls.hub, "open Data privacy")
        scan = self.read_hub(self.driver)
        self.rows_read[self.main] = RowsRead(scan, self.driver.navigations, "hub")
        detected = known.detect(scan)
        self.hub_recognized = known.is_hub(scan) or detected is not None
        if not self.hub_recognized:
            return None
        self.driver.console.step("Opened Data privacy")
        self.state.selector_file = self.state.selector_file or detected
        return scan

    def read_hub(self, driver: PageDriver) -> PageScan:
        driver.step = "read Data privacy"
        driver.wait_ready(driver.known.hub_css, driver.known.hub_texts, driver.opts.timeout_s)
        return driver.clear_overlays(driver.scan())

    def read_row_page(self, driver: PageDriver, path: str, keys: list[str]) -> PageScan:
        """A page of rows other than Data privacy (Advertising data), once it shows one."""
        driver.goto(path, f"open {path}")
        driver.step = f"read {path}"
        settings = [s for k in keys if (s := self.setting_def(k))]
        css = [f"a[href*='{s.row.href}']" for s in settings if s.row.href]
        texts = [t for s in settings for ts in s.row.text.values() for t in ts]
        driver.wait_ready(css, texts, driver.opts.timeout_s)
        return driver.clear_overlays(driver.scan())

    def read_row_pages(self, keys: list[str]) -> None:
        """Open each other page of rows the asked-for settings live on, once."""
        by_page: dict[str, list[str]] = {}
        for key in keys:
            if (s := self.setting_def(key)) and s.row.on:
                by_page.setdefault(s.row.on, []).append(key)
        for path, page_keys in by_page.items():
            scan = self.read_row_page(self.driver, path, page_keys)
            if self.driver.known.is_not_found(scan):
                continue  # the settings' own URLs are tried instead
            for key in page_keys:
                setting = self.setting_def(key)
                if setting and (row := find_row(setting, scan, self.driver.langs)) is not None:
                    self.rows[key] = row
                    self.row_pages[key] = path
                    if value := value_on_row(setting, row.text, self.driver.langs):
                        self.state.row_values[key] = value

    def setting_def(self, key: str) -> Setting | None:
        return self.driver.known.setting(key, self.state.selector_file)

    def row_on_page(self, lane: Lane, key: str, setting: Setting) -> Link | None:
        """The setting's row on the page this lane shows, opening that page
        again if the lane has left it (a person clicks the row)."""
        path = self.row_pages.get(key)
        driver = lane.driver
        read = self.rows_read.get(lane)
        if read is None or read.at != driver.navigations or read.of != (path or "hub"):
            if path is None:
                driver.goto(driver.known.urls.hub, "open Data privacy")
                scan = self.read_hub(driver)
            else:
                scan = self.read_row_page(driver, path, [key])
            self.rows_read[lane] = read = RowsRead(scan, driver.navigations, path or "hub")
        return find_row(setting, read.scan, driver.langs)

    def visit(self, lane: Lane, key: str, remaining: list[str], by_href: bool) -> Steps[set[str]]:
        """Reach a setting's page, by its row, else by its own URL, and handle it;
        'absent' only when LinkedIn clearly does not offer it. With `by_href`, a
        row is followed by loading its link (as a click would), so that several
        pages can load at once. Yields after starting each page load."""
        driver, switcher = lane.driver, lane.switcher
        setting = self.setting_def(key)
        if setting is None:
            name = self.state.selector_file.version if self.state.selector_file else "?"
            self.absent_unless_named(
                key,
                f"open the '{switcher.title(key)}' page",
                f"Not part of LinkedIn's {name} pages.",
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
                    driver.goto(href, step)
                    return True

                ways.append(by_row_href)
            elif (row := self.row_on_page(lane, key, setting)) is not None:
                link = row
                ways.append(lambda: driver.follow(link, step))
        if (url := setting.url) is not None and not (
            row is not None and by_href and row.href.rstrip("/") == url.rstrip("/")
        ):

            def by_url() -> bool:
                driver.goto(url, step)
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
            scan = switcher.read_setting_page(step, [key])
            if driver.known.is_not_found(scan):
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
            found = yield from switcher.handle_page(scan, remaining)
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
        if hub is not None and self.driver.known.still_names(hub, key, self.state.claimed):
            raise PageNotRecognized(
                f"Data privacy mentions '{self.switcher.title(key)}' (or shows a switch), but no "
                "row or switch for it matched a selector file.",
                step=step,
                setting=key,
            )
        self.absent(key, why)

    def absent(self, key: str, why: str) -> None:
        label = self.switcher.title(key)
        if self.state.selector_file and (setting := self.state.selector_file.setting(key)):
            label = setting.title
        self.findings.record(
            key, label=label, before="absent", after="absent", verified=True, detail=why
        )
        self.driver.console.finding(key, label, f"not offered. {why}")
