"""Keeps the catalogue tables in the docs equal to the selector data.

Two tables: the data-use settings, between `<!-- catalogue:start -->` and
`<!-- catalogue:end -->`, and the visibility choices (the personal groups),
between `<!-- visibility:start -->` and `<!-- visibility:end -->`, in README.md or
any docs/*.md (wherever the markers are). `python -m scripts.catalogue_table`, from
the top of the checkout (so that it reads this checkout's selector data), rewrites
them; the test suite calls `stale_files()` and fails when any differs, so adding a
setting to the data needs no docs edit by hand.
"""

from __future__ import annotations

import re
from pathlib import Path

from linkedin_optout.selectors import SelectorFile, Setting, bundled_selector_files, setting_keys

ROOT = Path(__file__).resolve().parent.parent
PREFS = "/mypreferences/d/"
HEADER = "| key | group | what it controls | page | row on | switch |\n|---|---|---|---|---|---|\n"


def doc_files() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _distinct(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def _what(entries: dict[str, Setting], names: list[str]) -> str:
    titles = _distinct([s.title for s in entries.values()])
    if len(titles) == 1:
        what = titles[0]
    else:  # selector files word it differently: each with its selector file's name
        what = "; ".join(f"{s.title} ({v})" for v, s in entries.items())
    if len(entries) < len(names):
        what += f" ({', '.join(entries)} selector file only)"
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


def _row_on(setting: Setting, selector_file: SelectorFile) -> str:
    names = {selector_file.urls.hub: "Data privacy", selector_file.urls.ads: "Advertising data"}
    on = setting.row.on or selector_file.urls.hub
    return names.get(on, f"`{on}`")


def _switch(setting: Setting) -> str:
    if setting.labelledby:
        return " or ".join(f"`{i}`" for i in setting.labelledby)
    if setting.ids:
        return "the switch's own id " + " or ".join(f"`{i}`" for i in setting.ids)
    return "found by its label"


def _personal(key: str) -> bool:
    selector_files = bundled_selector_files()
    return any((s := v.setting(key)) and s.group in v.personal_groups for v in selector_files)


def render_table() -> str:
    """One row per data-use setting key, in the order a run reads them."""
    selector_files = bundled_selector_files()
    names = [v.version for v in selector_files]
    lines = []
    for key in setting_keys(selector_files):
        if _personal(key):
            continue
        entries = {v.version: s for v in selector_files if (s := v.setting(key)) is not None}
        newest = next(v for v in selector_files if v.version in entries)
        setting = entries[newest.version]
        shared = [s for s in newest.settings if setting.url and s.url == setting.url]
        cells = [
            f"`{key}`",
            f"`{setting.group}`",
            _what(entries, names),
            _page(setting, shared),
            _row_on(setting, newest),
            _switch(setting),
        ]
        lines.append("| " + " | ".join(cells) + " |\n")
    return HEADER + "".join(lines)


VISIBILITY_HEADER = (
    "| key | what it controls | page | control | values, most open first | recommended |\n"
    "|---|---|---|---|---|---|\n"
)


def _values(setting: Setting) -> str:
    if setting.control == "switch":
        return "`on`, `off`"
    return ", ".join(f"`{o.value}` ({o.labels['en'][0]})" for o in setting.options)


def render_visibility_table() -> str:
    """One row per personal setting (visibility), in the order a run reads them."""
    selector_files = bundled_selector_files()
    lines = []
    for key in setting_keys(selector_files):
        if not _personal(key):
            continue
        setting = next(s for v in selector_files if (s := v.setting(key)) is not None)
        cells = [
            f"`{key}`",
            setting.title,
            f"`{(setting.url or '').removeprefix(PREFS)}`",
            "choice" if setting.control == "choice" else "switch",
            _values(setting),
            f"`{setting.recommended}`",
        ]
        lines.append("| " + " | ".join(cells) + " |\n")
    return VISIBILITY_HEADER + "".join(lines)


TABLES = {"catalogue": render_table, "visibility": render_visibility_table}


def _block(name: str) -> re.Pattern[str]:
    return re.compile(
        re.escape(f"<!-- {name}:start -->") + r"\n.*?" + re.escape(f"<!-- {name}:end -->"), re.S
    )


def render(text: str) -> str:
    for name, table in TABLES.items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        text = _block(name).sub(lambda _, s=start, e=end, t=table: f"{s}\n{t()}{e}", text)
    return text


def marked_files() -> list[Path]:
    return [
        p
        for p in doc_files()
        if any(f"<!-- {name}:start -->" in p.read_text(encoding="utf-8") for name in TABLES)
    ]


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
