"""The known selector files as one object: every question the walk asks of the
selector data, answered in one place.

The site-wide facts (URLs, session signs, the switch, banners, "page not
found") are the same in every loaded selector file, since each is composed with
`selectors/site.toml`; what differs (fingerprints, Data privacy's markers, the
settings) is asked of every selector file, newest first. The walk never loops
over selector files itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from linkedin_optout import pages, scan_rules
from linkedin_optout.pages import Button, Link, PageScan
from linkedin_optout.selectors import (
    Overlays,
    PageSigns,
    SelectorFile,
    SessionSigns,
    Setting,
    Urls,
    all_languages,
)


@dataclass(frozen=True)
class SelectorFiles:
    selector_files: tuple[SelectorFile, ...]  # newest first, as detection tries them

    # --- site-wide facts ----------------------------------------------------------

    @property
    def urls(self) -> Urls:
        return self.selector_files[0].urls

    @property
    def page(self) -> PageSigns:
        return self.selector_files[0].page

    @property
    def session(self) -> SessionSigns:
        return self.selector_files[0].session

    @property
    def overlays(self) -> Overlays:
        return self.selector_files[0].overlays

    @cached_property
    def languages(self) -> list[str]:
        return all_languages(self.selector_files)

    @cached_property
    def not_found_texts(self) -> list[str]:
        return [t for ts in self.page.not_found_text.values() for t in ts]

    # --- what identifies a page ---------------------------------------------------

    @cached_property
    def marker_css(self) -> list[str]:
        """Fingerprints and Data privacy markers: kept in a scan's `markers`."""
        return sorted(
            {c for v in self.selector_files for c in (*v.fingerprint.css, *v.hub.markers.css)}
        )

    @cached_property
    def hub_link_css(self) -> list[str]:
        return sorted({f"a[href*='{v.hub.link_href}']" for v in self.selector_files})

    @cached_property
    def hub_link_texts(self) -> list[str]:
        return [t for v in self.selector_files for ts in v.hub.link_text.values() for t in ts]

    @cached_property
    def hub_css(self) -> list[str]:
        """What shows Data privacy has rendered: its markers, a row, a switch."""
        css = [c for v in self.selector_files for c in (*v.hub.markers.css, *v.fingerprint.css)]
        css += [
            f"a[href*='{s.row.href}']"
            for v in self.selector_files
            for s in v.settings
            if s.row.href
        ]
        return [*dict.fromkeys(css), self.page.switch]

    @cached_property
    def hub_texts(self) -> list[str]:
        return [
            t
            for v in self.selector_files
            for m in (v.hub.markers.text, v.fingerprint.text)
            for ts in m.values()
            for t in ts
        ]

    def detect(self, scan: PageScan) -> SelectorFile | None:
        return pages.detect_selector_file(self.selector_files, scan)

    def is_hub(self, scan: PageScan) -> bool:
        return pages.is_hub(self.selector_files, scan)

    def is_not_found(self, scan: PageScan) -> bool:
        return pages.is_not_found(self.selector_files, scan)

    def hub_link(self, scan: PageScan, langs: list[str]) -> Link | None:
        return pages.find_hub_link(self.selector_files, scan, langs)

    def session_problem(self, path: str) -> str | None:
        return scan_rules.session_problem(path, self.selector_files)

    def overlay_button(
        self, scan: PageScan, langs: list[str], refuse: bool = True
    ) -> tuple[Any, Button, str] | None:
        return scan_rules.overlay_button(scan, self.selector_files, langs, refuse)

    def still_names(self, hub: PageScan, key: str, claimed: set[str]) -> bool:
        return scan_rules.hub_still_names(hub, key, self.selector_files, claimed)

    # --- settings -----------------------------------------------------------------

    def setting(self, key: str, selector_file: SelectorFile | None = None) -> Setting | None:
        """The setting in the selector file the pages showed; before that, the
        newest selector file's entry that has a URL of its own."""
        if selector_file is not None:
            return selector_file.setting(key)
        return next((s for v in self.selector_files if (s := v.setting(key)) and s.url), None)

    def entry(self, key: str) -> Setting | None:
        """The first selector file's entry for `key`, whichever one a page shows:
        for what every selector file says alike (group, recommended value, its page)."""
        return next((s for v in self.selector_files if (s := v.setting(key)) is not None), None)

    @cached_property
    def _titles(self) -> dict[str, str]:
        return {s.key: s.title for v in self.selector_files for s in v.settings}

    def title(self, key: str) -> str:
        """The oldest selector file's name for it, until a page shows which one it is."""
        return self._titles.get(key, key)
