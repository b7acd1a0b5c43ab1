"""Which group of radios on a page is which choice setting, and which radio is
which of its options: pure decisions over a page scan, like `pages.find_switches`.

A group is found by an option's stable id, by the group's own name (its label or
legend), by the question near it, or last as the one group on the page whose every
option is one of the setting's. Each radio of the group must then be exactly one
option, by its id or its label: a radio the data does not know (a new answer, a
changed wording) leaves the whole group unidentified, and the walk says "not
recognized" rather than guess which answer is the private one.
"""

from __future__ import annotations

from collections.abc import Sequence

from linkedin_optout.pages import (
    Attempt,
    OptionMark,
    PageScan,
    Radio,
    Switch,
    SwitchMatches,
    find_switches,
    near_hits,
)
from linkedin_optout.selectors import SelectorFile
from linkedin_optout.setting_entry import CHOICE_STRATEGIES, Setting
from linkedin_optout.text import any_label_matches, labels_for, normalize


def radio_groups(scan: PageScan) -> dict[str, tuple[Radio, ...]]:
    """The page's radios by group, in page order."""
    groups: dict[str, list[Radio]] = {}
    for radio in scan.radios:
        groups.setdefault(radio.group, []).append(radio)
    return {mark: tuple(radios) for mark, radios in groups.items()}


def option_of(setting: Setting, radio: Radio, langs: list[str]) -> list[str]:
    """The option values a radio can be: by its stable id; else by its label, the
    exact wording first, then a loose match."""
    by_id = [o.value for o in setting.options if radio.element_id and radio.element_id in o.ids]
    if by_id:
        return by_id
    name = normalize(radio.name)
    exact = [
        o.value
        for o in setting.options
        if any(normalize(label) == name for label in labels_for(o.labels, langs))
    ]
    if exact or not name:
        return exact
    return [o.value for o in setting.options if any_label_matches(o.labels, langs, radio.name)]


def identify(
    setting: Setting, radios: Sequence[Radio], langs: list[str]
) -> tuple[OptionMark, ...] | str:
    """Each radio as one of the setting's options, or why that cannot be said."""
    marks: list[OptionMark] = []
    for radio in radios:
        values = option_of(setting, radio, langs)
        if len(values) != 1:
            shown = f"'{radio.name}'" if radio.name else "a radio with no label"
            how = "none of its known answers" if not values else "more than one known answer"
            return f"the option {shown} matches {how}"
        if any(m.value == values[0] for m in marks):
            return f"two radios read as the answer '{values[0]}'"
        marks.append(OptionMark(values[0], radio.mark, radio.label_mark, radio.visible))
    return tuple(marks)


def as_control(radios: Sequence[Radio], options: tuple[OptionMark, ...]) -> Switch:
    """The group as the walk reads a control: its state is the checked option's
    value; no option checked, or one busy, is a placeholder (no reading)."""
    checked = [o.value for o, r in zip(options, radios, strict=True) if r.checked]
    first = radios[0]
    return Switch(
        frame=first.frame,
        mark=first.group,
        labelledby=(),
        name=first.group_name,
        contexts=first.contexts,
        state=checked[0] if len(checked) == 1 else "unknown",
        # Locked only when every option is: one answer greyed out is not a placeholder.
        disabled=all(r.disabled for r in radios),
        visible=any(r.visible for r in radios),
        waiting=any(r.waiting for r in radios) or len(checked) != 1,
        options=options,
    )


def find_choices(
    selector_file: SelectorFile, keys: Sequence[str], scan: PageScan, langs: list[str]
) -> SwitchMatches:
    """Which radio group is which choice setting (strongest strategy first; a
    strategy that finds more than one group finds none), and its options."""
    matches = SwitchMatches()
    settings = [s for s in selector_file.settings if s.key in keys and s.control == "choice"]
    groups = radio_groups(scan)
    claimed: set[str] = set()
    for strategy in CHOICE_STRATEGIES:
        for setting in settings:
            if setting.key in matches.found or setting.key in matches.unidentified:
                continue
            if strategy not in setting.strategies:
                continue
            free = {g: rs for g, rs in groups.items() if g not in claimed}
            hits = _hits(strategy, setting, selector_file, free, langs)
            if len(hits) == 1:
                radios = groups[hits[0]]
                claimed.add(hits[0])
                options = identify(setting, radios, langs)
                if isinstance(options, str):
                    matches.unidentified[setting.key] = options
                    result = f"group found, {options}"
                else:
                    matches.found[setting.key] = (as_control(radios, options), strategy)
                    result = "matched"
            else:
                result = f"ambiguous ({len(hits)} groups)" if hits else "no match"
            matches.attempts.append(Attempt(setting.key, strategy, result))
    return matches


def _hits(
    strategy: str,
    setting: Setting,
    selector_file: SelectorFile,
    groups: dict[str, tuple[Radio, ...]],
    langs: list[str],
) -> list[str]:
    if strategy == "id":
        ids = {i for o in setting.options for i in o.ids}
        return [g for g, rs in groups.items() if any(r.element_id in ids for r in rs)]
    if strategy == "role-name":
        return [
            g
            for g, rs in groups.items()
            if rs[0].group_name and any_label_matches(setting.labels, langs, rs[0].group_name)
        ]
    if strategy == "label-near":
        others = [s for s in selector_file.settings if s.key != setting.key]
        return near_hits(setting, others, [(g, rs[0].contexts) for g, rs in groups.items()], langs)
    # "options": every radio is one of this setting's answers, and at least two are.
    return [
        g
        for g, rs in groups.items()
        if len(rs) >= 2 and all(len(option_of(setting, r, langs)) == 1 for r in rs)
    ]


def find_controls(
    selector_file: SelectorFile, keys: Sequence[str], scan: PageScan, langs: list[str]
) -> SwitchMatches:
    """Every setting asked for on this page: its switch, or its choice's radios."""
    switches = find_switches(selector_file, keys, scan, langs)
    choices = find_choices(selector_file, keys, scan, langs)
    return SwitchMatches(
        found={**switches.found, **choices.found},
        attempts=[*switches.attempts, *choices.attempts],
        unidentified=choices.unidentified,
    )
