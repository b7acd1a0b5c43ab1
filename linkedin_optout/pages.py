"""What a page shows, and what the selector files say it means.

`page_scan.js` reads each frame into a `FrameScan`; the functions here are pure:
they take scans and selector data and answer which selector file describes it, which
switch is which setting (and by which strategy), where the Data privacy link and
a setting's row are, and whether the page says "page not found".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar, cast

from linkedin_optout.selectors import SelectorFile, Setting
from linkedin_optout.text import any_label_matches, labels_for, normalize, text_matches

SwitchState = Literal["on", "off", "unknown"]


@dataclass(frozen=True)
class OptionMark:
    """One option of a choice on the page: its value, its radio, and the radio's label."""

    value: str
    mark: str
    label_mark: str = ""  # the <label> a person clicks when the radio itself is hidden
    visible: bool = True


@dataclass(frozen=True)
class Switch:
    """A control that holds a setting's value: a switch (on/off), or a choice's
    group of radios (its state is the checked option's value; `options` marks each)."""

    frame: int  # index into the page's frames at scan time
    mark: str
    labelledby: tuple[str, ...]
    name: str
    contexts: tuple[str, ...]
    state: str  # a switch: on, off, unknown; a choice: an option's value, or unknown
    disabled: bool
    visible: bool
    waiting: bool = False  # a placeholder sign: busy, skeleton, no state yet
    element_id: str = ""  # the switch's own id (most are generated; a few are stable)
    options: tuple[OptionMark, ...] = ()  # a choice's options, as matched

    @property
    def marks(self) -> tuple[str, ...]:
        """What to watch while it settles: the switch, or every radio of the choice."""
        return tuple(o.mark for o in self.options) or (self.mark,)

    def option(self, value: str) -> OptionMark | None:
        return next((o for o in self.options if o.value == value), None)


@dataclass(frozen=True)
class Radio:
    """One radio as the page shows it, with the group it belongs to."""

    frame: int
    mark: str
    group: str  # its group's mark (a radiogroup or fieldset), or "name:<its name>"
    group_name: str  # the group's own label or legend
    contexts: tuple[str, ...]  # the text around the group, nearest first
    element_id: str
    name: str  # its label
    checked: bool
    disabled: bool
    visible: bool
    label_mark: str
    waiting: bool


@dataclass(frozen=True)
class Link:
    frame: int
    mark: str
    href: str
    text: str
    visible: bool


@dataclass(frozen=True)
class Button:
    frame: int
    mark: str
    name: str


@dataclass(frozen=True)
class Overlay:
    frame: int
    mark: str
    holds_switch: bool  # a dialog holding a switch may be the setting itself
    buttons: tuple[Button, ...]


@dataclass(frozen=True)
class PageScan:
    """Every frame of one page, read at one moment."""

    url: str
    lang: str
    text: str
    switches: tuple[Switch, ...] = ()
    radios: tuple[Radio, ...] = ()
    links: tuple[Link, ...] = ()
    overlays: tuple[Overlay, ...] = ()
    marker_hits: frozenset[str] = frozenset()
    sign_in_form: bool = False
    status: int | None = None

    @classmethod
    def from_frames(cls, frames: Sequence[dict[str, Any]], status: int | None) -> PageScan:
        switches, radios, links, overlays, hits = [], [], [], [], set()
        for index, raw in enumerate(frames):
            switches += [
                Switch(
                    frame=index,
                    mark=s["mark"],
                    labelledby=tuple(s["labelledby"]),
                    name=s["name"],
                    contexts=tuple(s["contexts"]),
                    state=cast(SwitchState, s["state"]),
                    disabled=s["disabled"],
                    visible=s["visible"],
                    waiting=s["waiting"],
                    element_id=s["id"],
                )
                for s in raw["switches"]
            ]
            radios += [
                Radio(
                    frame=index,
                    mark=r["mark"],
                    group=f"{index}:{r['group']}",
                    group_name=r["groupName"],
                    contexts=tuple(r["contexts"]),
                    element_id=r["id"],
                    name=r["name"],
                    checked=r["checked"],
                    disabled=r["disabled"],
                    visible=r["visible"],
                    label_mark=r["labelMark"],
                    waiting=r["waiting"],
                )
                for r in raw.get("radios", [])
            ]
            links += [
                Link(index, x["mark"], x["href"], x["text"], x["visible"]) for x in raw["links"]
            ]
            overlays += [
                Overlay(
                    index,
                    o["mark"],
                    o["holdsSwitch"],
                    tuple(Button(index, b["mark"], b["name"]) for b in o["buttons"]),
                )
                for o in raw["overlays"]
            ]
            hits.update(raw["markerHits"])
        main = frames[0]
        lang = next((f["lang"] for f in frames if f["lang"]), "")
        return cls(
            url=main["url"],
            lang=lang,
            text="\n".join(f["text"] for f in frames),
            switches=tuple(switches),
            radios=tuple(radios),
            links=tuple(links),
            overlays=tuple(overlays),
            marker_hits=frozenset(hits),
            sign_in_form=any(f["signInForm"] for f in frames),
            status=status,
        )


def page_language(lang_attr: str, known: Sequence[str], forced: str | None) -> list[str]:
    """Languages to match labels in: the forced one only; else the page's
    `<html lang>` first, then the others (LinkedIn leaves some strings untranslated)."""
    if forced:
        return [forced]
    lang = lang_attr.split("-")[0].lower()
    return ([lang] if lang in known else []) + [x for x in known if x != lang]


# --- markers, selector files, pages -------------------------------------------------


def markers_match(css: Iterable[str], text: dict[str, list[str]], scan: PageScan) -> bool:
    if any(c in scan.marker_hits for c in css):
        return True
    return any(text_matches(label, scan.text) for labels in text.values() for label in labels)


def detect_selector_file(
    selector_files: Sequence[SelectorFile], scan: PageScan
) -> SelectorFile | None:
    """The newest selector file whose fingerprint is on the page; else the newest whose
    Data privacy markers are; else None (not recognized)."""
    for selector_file in selector_files:
        if markers_match(selector_file.fingerprint.css, selector_file.fingerprint.text, scan):
            return selector_file
    for selector_file in selector_files:
        if markers_match(selector_file.hub.markers.css, selector_file.hub.markers.text, scan):
            return selector_file
    return None


def is_hub(selector_files: Sequence[SelectorFile], scan: PageScan) -> bool:
    return any(markers_match(v.hub.markers.css, v.hub.markers.text, scan) for v in selector_files)


def is_not_found(selector_files: Sequence[SelectorFile], scan: PageScan) -> bool:
    if scan.switches or scan.radios:
        return False
    if any(scan.status in v.page.not_found_status for v in selector_files):
        return True
    return any(
        text_matches(label, scan.text)
        for v in selector_files
        for labels in v.page.not_found_text.values()
        for label in labels
    )


def _first_link(links: Iterable[Link], href: str | None, texts: list[str]) -> Link | None:
    candidates = [link for link in links if link.visible] or list(links)
    if href:
        by_href = [link for link in candidates if link.href.rstrip("/") == href.rstrip("/")]
        if by_href:
            return by_href[0]
    for label in texts:
        wanted = normalize(label)
        for link in candidates:
            if normalize(link.text) == wanted:
                return link
    for label in texts:
        for link in candidates:
            if text_matches(label, link.text):
                return link
    return None


def find_hub_link(
    selector_files: Sequence[SelectorFile], scan: PageScan, langs: list[str]
) -> Link | None:
    for selector_file in selector_files:
        link = _first_link(
            scan.links, selector_file.hub.link_href, labels_for(selector_file.hub.link_text, langs)
        )
        if link:
            return link
    return None


def find_row(setting: Setting, scan: PageScan, langs: list[str]) -> Link | None:
    """The Data privacy row that leads to a setting: by its URL, else by its text."""
    return _first_link(scan.links, setting.row.href, labels_for(setting.row.text, langs))


# --- switches -----------------------------------------------------------------


@dataclass(frozen=True)
class Attempt:
    """One strategy tried for one setting: kept for the report and the diagnostics."""

    setting: str
    strategy: str
    result: str  # "matched", "no match", "ambiguous (N switches)"


@dataclass
class SwitchMatches:
    found: dict[str, tuple[Switch, str]] = field(default_factory=dict)  # key -> (switch, strategy)
    attempts: list[Attempt] = field(default_factory=list)
    # A choice whose group was found but whose options were not all identified:
    # key -> why. Never a reading (the walk says "not recognized").
    unidentified: dict[str, str] = field(default_factory=dict)


def is_protected(switch: Switch, selector_file: SelectorFile) -> bool:
    never = set(selector_file.never_touch)
    return bool(set(switch.labelledby) & never) or switch.element_id in never


def names_by_id(setting: Setting, switch: Switch) -> bool:
    """The setting names this switch by a stable id (its aria-labelledby, or its own id)."""
    return bool(set(switch.labelledby) & set(setting.labelledby)) or (
        bool(switch.element_id) and switch.element_id in setting.ids
    )


def owned(switch: Switch, selector_file: SelectorFile) -> bool:
    """A switch that one of the selector file's settings names by its stable id."""
    return any(names_by_id(s, switch) for s in selector_file.settings)


def _near_labels(setting: Setting, langs: list[str]) -> list[str]:
    return labels_for(setting.labels, langs) + labels_for(setting.row.text, langs)


def find_switches(
    selector_file: SelectorFile, keys: Sequence[str], scan: PageScan, langs: list[str]
) -> SwitchMatches:
    """Which switch on the page is which setting. Strategies run strongest first
    across all settings; a switch is claimed once; a strategy that finds more
    than one switch finds none (never guess); never-touch switches are skipped."""
    matches = SwitchMatches()
    settings = [s for s in selector_file.settings if s.key in keys and s.control == "switch"]
    # A switch that is another setting's by its stable id is never a candidate:
    # nothing outside the settings asked for is touched.
    others = [s for s in selector_file.settings if s.key not in keys]
    claimed: set[str] = {sw.mark for sw in scan.switches for o in others if names_by_id(o, sw)}

    def free() -> list[Switch]:
        return [
            s for s in scan.switches if s.mark not in claimed and not is_protected(s, selector_file)
        ]

    for strategy in ("labelledby", "id", "role-name", "label-near"):
        for setting in settings:
            if setting.key in matches.found or strategy not in setting.strategies:
                continue
            if strategy == "labelledby":
                hits = [s for s in free() if set(s.labelledby) & set(setting.labelledby)]
            elif strategy == "id":
                hits = [s for s in free() if s.element_id and s.element_id in setting.ids]
            elif strategy == "role-name":
                hits = [s for s in free() if any_label_matches(setting.labels, langs, s.name)]
            else:
                hits = _near(setting, selector_file, free(), langs)
            if len(hits) == 1:
                matches.found[setting.key] = (hits[0], strategy)
                claimed.add(hits[0].mark)
                result = "matched"
            else:
                result = f"ambiguous ({len(hits)} switches)" if hits else "no match"
            matches.attempts.append(Attempt(setting.key, strategy, result))
    return matches


def _near(
    setting: Setting, selector_file: SelectorFile, free: list[Switch], langs: list[str]
) -> list[Switch]:
    """Switches whose nearest surrounding text names this setting and no other."""
    others = [s for s in selector_file.settings if s.key != setting.key]
    return near_hits(setting, others, [(sw, sw.contexts) for sw in free], langs)


C = TypeVar("C")


def near_hits(
    setting: Setting,
    others: list[Setting],
    items: list[tuple[C, tuple[str, ...]]],
    langs: list[str],
) -> list[C]:
    """The items whose nearest surrounding text names this setting and no other."""
    for level in range(6):
        hits = []
        for item, contexts in items:
            if level >= len(contexts):
                continue
            context = contexts[level]
            if not any(text_matches(label, context) for label in _near_labels(setting, langs)):
                continue
            if any(
                text_matches(label, context)
                for other in others
                for label in _near_labels(other, langs)
            ):
                continue  # this text names two settings: not this switch's own label
            hits.append(item)
        if hits:
            return hits
    return []
