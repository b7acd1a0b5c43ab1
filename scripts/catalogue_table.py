"""Keeps the catalogue table in the docs equal to the selector data.

The table sits between `<!-- catalogue:start -->` and `<!-- catalogue:end -->` in
README.md or any docs/*.md (wherever the markers are). `python -m
scripts.catalogue_table`, from the top of the checkout (so that it reads this
checkout's selector data), rewrites it; the test suite calls `stale_files()` and
fails when any differs, so adding a setting to the data needs no docs edit by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

from linkedin_optout.selectors import SelectorFile, Setting, bundled_versions, setting_keys

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- catalogue:start -->", "<!-- catalogue:end -->"
BLOCK = re.compile(re.escape(START) + r"\n.*?" + re.escape(END), re.S)
PREFS = "/mypreferences/d/"
HEADER = (
    "| key | group | what it controls | page | row on | switch |\n"
    "|---|---|---|---|---|---|\n"
)


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _what(entries: dict[str, Setting], layouts: list[str]) -> str:
    titles = _distinct([s.title for s in entries.values()])
    if len(titles) == 1:
        what = titles[0]
    else:  # layouts word it differently: each with its layout
        what = "; ".join(f"{s.title} ({v})" for v, s in entries.items())
    if len(entries) < len(layouts):
        what += f" ({', '.join(entries)} layout only)"
    recommended = _distinct([s.recommended for s in entries.values()])
    if recommended != ["off"]:
        what += f" (recommended: {', '.join(recommended)})"
    return what


def _page(setting: Setting, shared: list[Setting]) -> str:
    if setting.url is None:
        return "its row's link"
    page = f"`{setting.url.removeprefix(PREFS)}`"
    if len(shared) > 1:  # one page, several switches
        page += f" (switch {shared.index(setting) + 1} of {len(shared)})"
    return page


def _row_on(setting: Setting, version: SelectorFile) -> str:
    names = {version.urls.hub: "Data privacy", version.urls.ads: "Advertising data"}
    on = setting.row.on or version.urls.hub
    return names.get(on, f"`{on}`")


def _switch(setting: Setting) -> str:
    if setting.labelledby:
        return " or ".join(f"`{i}`" for i in setting.labelledby)
    if setting.ids:
        return "the switch's own id " + " or ".join(f"`{i}`" for i in setting.ids)
    return "found by its label"


def render_table() -> str:
    """One row per setting key, in the order a run reads them."""
    versions = bundled_versions()
    layouts = [v.version for v in versions]
    lines = []
    for key in setting_keys(versions):
        entries = {v.version: s for v in versions if (s := v.setting(key)) is not None}
        newest = next(v for v in versions if v.version in entries)
        setting = entries[newest.version]
        shared = [s for s in newest.settings if setting.url and s.url == setting.url]
        cells = [
            f"`{key}`",
            f"`{setting.group}`",
            _what(entries, layouts),
            _page(setting, shared),
            _row_on(setting, newest),
            _switch(setting),
        ]
        lines.append("| " + " | ".join(cells) + " |\n")
    return HEADER + "".join(lines)


def render(text: str) -> str:
    return BLOCK.sub(lambda _: f"{START}\n{render_table()}{END}", text)


def marked_files() -> list[Path]:
    return [p for p in doc_files() if START in p.read_text(encoding="utf-8")]


def stale_files() -> list[str]:
    """The files whose table differs from the data (by name)."""
    stale = []
    for path in marked_files():
        text = path.read_text(encoding="utf-8")
        if render(text) != text:
            stale.append(path.name)
    return stale


if __name__ == "__main__":
    for path in marked_files():
        path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
        print(f"{path.relative_to(ROOT)}: catalogue table updated.")
