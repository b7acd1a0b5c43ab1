"""What `run`, `status` and `checkup` print on stdout: the outcome in words and
numbers first, then the one command that fixes it, then the table.

The table is rich's: it fits the width it is given (80 columns when stdout is
not a terminal, unless COLUMNS says otherwise) and stays aligned at any width; a
title folds under its own indent. Each setting's page is a terminal hyperlink on
the short word "open" where stdout is a terminal, and a short path under the
title (the part after a prefix said once below the table) where it is not.
Colour marks what it means (a setting not at its recommended value, one read or
not) and nothing else; none with NO_COLOR or off a terminal.

Every value is said through `report.state_word`, so a choice's value reads as
its option's label, like a switch's on and off.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

from linkedin_optout.checkup import grouped, objection_paragraph, setting_link
from linkedin_optout.report import (
    Report,
    SettingReport,
    at_recommended,
    back_on_line,
    changed_text,
    result_line,
    state_word,
    verified_text,
)

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from linkedin_optout.selectors import SelectorFile

Command = Literal["run", "status", "checkup"]
PARAGRAPH_WIDTH = 88
INDENT = 2  # a setting's title under its group's heading
# Colours say one thing each: not at the recommended value, at it, not offered, not read.
WRONG, RIGHT, NOT_OFFERED, NOT_READ = "red", "green", "dim", "yellow"
# With this many settings or fewer to fix, the command names them (--only); else groups.
NAMED = 3
# Below WIDE columns a choice's words wrap within NARROW columns: the titles need the room.
WIDE, NARROW = 100, 14


def is_terminal(stream: object) -> bool:
    """Where a hyperlink works: a terminal that is not 'dumb'."""
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"


# --- the first lines --------------------------------------------------------------------


def offered(settings: Sequence[SettingReport]) -> list[SettingReport]:
    return [s for s in settings if s.after not in ("absent", "unknown")]


def not_at_recommended(settings: Sequence[SettingReport]) -> list[SettingReport]:
    return [s for s in offered(settings) if not at_recommended(s)]


def is_personal(setting: SettingReport) -> bool:
    """A visibility choice (selectors/site.toml personal_groups): not "your data"."""
    from linkedin_optout.selectors import site_facts

    return setting.group in site_facts().personal_groups


def _count(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def outcome_line(report: Report) -> str | None:
    """The outcome in words and numbers: "9 of 13 settings offered to you let
    LinkedIn use your data; 1 is not offered". None when nothing was read."""
    if all(s.after == "unknown" for s in report.settings):
        return None
    absent = sum(s.after == "absent" for s in report.settings)
    unread = sum(s.after == "unknown" for s in report.settings)
    personal = [s for s in report.settings if is_personal(s)]
    settings = [s for s in report.settings if not is_personal(s)]
    here = offered(settings)
    wrong = not_at_recommended(settings)
    if report.dry_run and not settings:
        line = _visibility(personal)
    elif report.dry_run:
        total = _count(len(here), "setting", "settings")
        if wrong:
            verb = "lets" if len(here) == 1 else "let"
            line = f"{len(wrong)} of {total} offered to you {verb} LinkedIn use your data"
        else:
            line = f"None of the {total} offered to you lets LinkedIn use your data"
            if len(here) == 1:
                line = "The 1 setting offered to you does not let LinkedIn use your data"
    elif not settings:  # a run of visibility settings only
        set_to = sum(s.changed for s in personal)
        line = f"{_count(set_to, 'visibility setting', 'visibility settings')} changed and "
        line += "proved after a reload"
        if kept := sum(not s.changed and s.verified for s in personal):
            line += f"; {kept} already as asked"
    else:
        changed = sum(s.changed for s in settings)
        already = sum(s.after == "off" and not s.changed for s in settings)
        parts = [f"{_count(changed, 'setting', 'settings')} switched off and proved after a reload"]
        if already:
            parts.append(f"{already} {'was' if already == 1 else 'were'} already off")
        if wrong:
            parts.append(
                f"{len(wrong)} still {'lets' if len(wrong) == 1 else 'let'} LinkedIn use your data"
            )
        line = "; ".join(parts)
    if personal and settings and report.dry_run:
        line += "; " + _visibility(personal)
    elif personal and settings and not report.dry_run:
        set_to = sum(s.changed for s in personal)
        line += f"; {_count(set_to, 'visibility setting', 'visibility settings')} changed"
    if absent:
        line += f"; {absent} {'is' if absent == 1 else 'are'} not offered"
    if unread:
        line += f"; {unread} could not be read"
    return line + "."


def _visibility(personal: Sequence[SettingReport]) -> str:
    """How many visibility settings are more open than their most private value."""
    here = offered(personal)
    wrong = not_at_recommended(personal)
    total = _count(len(here), "visibility setting", "visibility settings")
    verb = "is" if len(wrong) == 1 else "are"
    return f"{len(wrong)} of {total} {verb} more open than the most private choice"


def fix_command(report: Report, command: Command) -> str | None:
    """The one command that puts the settings a read found wrong at their
    recommended value; None when none is wrong or the run itself was that command."""
    wrong = not_at_recommended(report.settings)
    if not wrong or not report.dry_run or report.outcome != "changes_needed":
        return None
    # The data-use settings first; visibility only when it is all there is (a choice).
    wrong = [s for s in wrong if not is_personal(s)] or wrong
    if command == "checkup" and len(wrong) > NAMED and not is_personal(wrong[0]):
        return "linkedin-optout run --all"
    if len(wrong) <= NAMED or not all(s.group for s in wrong):
        return "linkedin-optout run " + " ".join(f"--only {s.key}" for s in wrong)
    groups = dict.fromkeys(str(s.group) for s in wrong)
    return "linkedin-optout run " + " ".join(f"--group {g}" for g in groups)


# --- the table -------------------------------------------------------------------------


def state_style(setting: SettingReport) -> str:
    if setting.after == "absent":
        return NOT_OFFERED
    if setting.after == "unknown":
        return NOT_READ
    return RIGHT if at_recommended(setting) else WRONG


def page_prefix(links: Sequence[str]) -> str:
    """What every page link shares, up to a '/': said once, under the table."""
    if not links:
        return ""
    # commonpath would drop the scheme's '//': the links share a site, compare them as text
    prefix = os.path.commonprefix(list(links))  # noqa: RUF071
    return prefix[: prefix.rfind("/") + 1] if "/" in prefix else ""


def _title(setting: SettingReport, indent: int, path: str | None) -> RenderableType:
    from rich.console import Group
    from rich.padding import Padding
    from rich.text import Text

    parts: list[RenderableType] = [Padding(Text(setting.label), (0, 0, 0, indent))]
    if setting.detail:
        parts.append(Padding(Text(setting.detail, style="dim"), (0, 0, 0, indent + 2)))
    if path:
        parts.append(Padding(Text(path, style="dim"), (0, 0, 0, indent + 2)))
    return Group(*parts)


def table(
    report: Report,
    command: Command,
    links: dict[str, str],
    *,
    terminal: bool,
    width: int,
) -> tuple[RenderableType, str]:
    """The table, and the prefix of the page paths it shows (off a terminal)."""
    from rich.table import Table
    from rich.text import Text

    prefix = "" if terminal or not links else page_prefix(list(links.values()))
    out = Table(box=None, pad_edge=False, show_edge=False, header_style="bold", expand=False)
    out.add_column("Setting", ratio=1, overflow="fold")
    # A value may be words ("Your name and headline"): below WIDE they wrap, at spaces.
    cap = NARROW if width < WIDE else None
    if command == "run" and not report.dry_run:
        for name in ("Before", "After"):
            out.add_column(name, min_width=len("not offered"), max_width=cap)
        out.add_column("Changed", max_width=len("unconfirmed") if cap else None)
        out.add_column("Verified", max_width=len("(reloaded)") if cap else None)
    else:
        out.add_column("State", min_width=len("not offered"), max_width=cap)
        if command == "checkup":
            out.add_column("Recommended", min_width=len("Recommended"), max_width=cap)
    if links and terminal:
        out.add_column("Page", no_wrap=True)
    groups = grouped(report.settings)
    indent = INDENT if len(groups) > 1 or command == "checkup" else 0
    for number, (group, settings) in enumerate(groups.items()):
        if indent:
            if number:
                out.add_row()
            out.add_row(Text(group, style="bold"))
        for s in settings:
            link = links.get(s.key)
            path = link[len(prefix) :] if link and not terminal else None
            state = Text(state_word(s.after, s.key), style=state_style(s))
            if not (at_recommended(s) or s.after == "unknown"):
                state.append(" <-")
            cells: list[RenderableType] = [_title(s, indent, path)]
            if command == "run" and not report.dry_run:
                cells += [
                    Text(state_word(s.before, s.key)),
                    state,
                    Text(changed_text(s)),
                    Text(verified_text(s)),
                ]
            else:
                cells.append(state)
                if command == "checkup":
                    cells.append(Text(state_word(s.recommended or "off", s.key)))
            if link and terminal:
                cells.append(Text("open", style=f"link {link}"))
            out.add_row(*cells)
    return out, prefix


def render(
    report: Report,
    command: Command,
    *,
    base_url: str,
    selector_files: Sequence[SelectorFile],
    colour: bool,
    terminal: bool,
    width: int | None = None,
    closing: bool = True,
) -> str:
    """The whole text: outcome, fix, table, selector file, session, result, and (checkup,
    `closing`) what no switch covers."""
    from rich.console import Console as RichConsole

    console = RichConsole(
        width=width,
        force_terminal=terminal,
        no_color=not colour,
        highlight=False,
        emoji=False,
    )
    with console.capture() as capture:  # rich's own capture: what a terminal would get
        _print(console, report, command, base_url, selector_files, terminal, closing)
    return "\n".join(line.rstrip() for line in capture.get().rstrip("\n").splitlines())


def _print(
    console: Console,
    report: Report,
    command: Command,
    base_url: str,
    selector_files: Sequence[SelectorFile],
    terminal: bool,
    closing: bool,
) -> None:
    checkup = command == "checkup"
    result = f"Result: {result_line(report, checkup=checkup)}"
    # A table once anything was read: a run stopped after a click still shows that row.
    if any((s.before, s.after) != ("unknown", "unknown") for s in report.settings):
        if (first := outcome_line(report)) is not None:
            console.print(first, markup=False)
            if fix := fix_command(report, command):
                console.print(f"To fix it: {fix}", markup=False, soft_wrap=True)  # to copy
            console.print()
        links = {s.key: setting_link(base_url, s.key, selector_files) for s in report.settings}
        if not checkup and not terminal:
            links = {}  # status and run: the table only; the check-up says where each page is
        shown, prefix = table(report, command, links, terminal=terminal, width=console.width)
        console.print(shown)
        console.print()
        selectors = report.selectors_version or "none matched"
        locale = f", page language {report.locale}" if report.locale else ""
        tail = [f"Selectors: {selectors}{locale}"]
        if prefix:
            tail.append(f"Pages: {prefix}<the path under the title>")
        tail += [back_on_line(c) for c in report.changed_since_last]
    else:
        tail = []
    if report.session:
        tail.append(f"Session: {report.session}")
    tail.append(result)
    for line in tail:
        # A path or a URL is never broken across lines: it is there to be copied.
        console.print(line, markup=False, soft_wrap=line.startswith(("Session:", "Pages:")))
    if checkup and closing:
        console.print()
        console.print(
            objection_paragraph(base_url),
            markup=False,
            width=min(PARAGRAPH_WIDTH, console.width),
        )
