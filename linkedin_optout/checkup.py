"""`linkedin-optout checkup`: every setting the catalogue knows, read and shown
grouped, each with its recommended value and a link to its page, then what no
switch covers. Its report is `status --all`'s; only the rendering is its own.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import TYPE_CHECKING

from linkedin_optout.layouts import Layouts
from linkedin_optout.report import (
    Report,
    SettingReport,
    at_recommended,
    back_on_line,
    result_line,
    state_word,
)

if TYPE_CHECKING:
    from linkedin_optout.selectors import SelectorFile

# LinkedIn's Data Processing Objection Form: the way to object to processing no
# switch covers, and the fallback where a switch is missing.
OBJECTION_FORM_PATH = "/help/linkedin/ask/TS-DPRO"
STYLES = {"on": "red", "off": "green", "absent": "dim", "unknown": "yellow"}
WIDTH = 200  # columns when stdout is not a terminal (a file, a pipe, a mail from cron)
PARAGRAPH_WIDTH = 88


def objection_paragraph(base_url: str) -> str:
    return (
        "What no switch covers: LinkedIn's Data Processing Objection Form "
        f"({base_url}{OBJECTION_FORM_PATH}) takes objections to the processing these "
        "switches do not reach, such as the non-generative models LinkedIn uses for "
        "personalisation and moderation. It is also the way to object where a setting "
        "is not offered on your account."
    )


def setting_link(base_url: str, key: str, versions: Sequence[SelectorFile]) -> str:
    """The setting's own page, or Data privacy when the data names none."""
    entry = Layouts(tuple(versions)).entry(key)
    if entry is not None and entry.url:
        return base_url + entry.url
    return base_url + versions[0].urls.hub if versions else base_url


def grouped(settings: Sequence[SettingReport]) -> dict[str, list[SettingReport]]:
    """Settings by group, groups in the order their first setting comes."""
    groups: dict[str, list[SettingReport]] = {}
    for setting in settings:
        groups.setdefault(setting.group or "other", []).append(setting)
    return groups


def state_text(setting: SettingReport) -> str:
    return state_word(setting.after, setting.key)


def render(
    report: Report,
    base_url: str,
    versions: Sequence[SelectorFile],
    *,
    colour: bool,
    closing: bool = True,
    width: int | None = None,
) -> str:
    """The check-up as text: a table grouped by group (a heading row per group),
    the versions and session, the result, and (`closing`) the paragraph on what
    no switch covers. Colour only when `colour` (a terminal without NO_COLOR)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    out = io.StringIO()
    console = Console(
        file=out,
        width=width or (None if colour else WIDTH),
        force_terminal=colour,
        no_color=not colour,
        highlight=False,
        soft_wrap=False,
    )
    result = result_line(report, checkup=True)
    lines: list[str] = []
    read = [s for s in report.settings if (s.before, s.after) != ("unknown", "unknown")]
    if read:
        table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
        table.add_column("Setting", overflow="fold")
        table.add_column("State", overflow="fold")
        table.add_column("Recommended", overflow="fold")
        table.add_column("Page", overflow="fold")
        for number, (group, settings) in enumerate(grouped(report.settings).items()):
            if number:
                table.add_row()
            table.add_row(Text(group, style="bold"))
            for s in settings:
                mark = "" if at_recommended(s) or s.after == "unknown" else "  <-"
                label = Text(f"  {s.label}")
                if s.detail:
                    label.append(f"\n    {s.detail}", style="dim")
                link = setting_link(base_url, s.key, versions)
                table.add_row(
                    label,
                    Text(state_text(s) + mark, style=STYLES.get(s.after, "")),
                    state_word(s.recommended or "off", s.key),
                    Text(link, style=f"link {link}" if colour else ""),  # clickable if folded
                )
        console.print(table)
        version = report.selectors_version or "none matched"
        locale = f", page language {report.locale}" if report.locale else ""
        lines += ["", f"Selectors: {version}{locale}"]
        lines += [back_on_line(c) for c in report.changed_since_last]
    if report.session:
        lines.append(f"Session: {report.session}")
    lines.append(f"Result: {result}")
    for line in lines:
        console.print(line, markup=False)
    if closing:
        console.print()
        console.print(objection_paragraph(base_url), markup=False, width=PARAGRAPH_WIDTH)
    return "\n".join(line.rstrip() for line in out.getvalue().rstrip("\n").splitlines())
