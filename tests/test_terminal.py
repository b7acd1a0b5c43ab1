"""What run, status and checkup print (terminal.py), through rich's own capture at
80 and 120 columns: the outcome first in words and numbers, the command that fixes
it, a table that fits and stays aligned, titles folded under their indent, links
as hyperlinks on a terminal and short paths off one, colour only where it means
something."""

from __future__ import annotations

import re

import pytest

from linkedin_optout import terminal
from linkedin_optout.checkup import setting_link
from linkedin_optout.choices import known_settings, setting_groups
from linkedin_optout.report import Report, SettingReport, derive_outcome, now
from linkedin_optout.selectors import bundled_selector_files

BASE = "https://www.linkedin.com"
SELECTOR_FILES = known_settings(bundled_selector_files())
GROUPS = setting_groups(SELECTOR_FILES)
KEYS = list(GROUPS)
LONG_TITLE = (
    "A made-up setting whose title is long enough to fold at eighty columns and more, "
    "and at one hundred and twenty too, as a title in another language may"
)
SGR_COLOUR = re.compile(r"\x1b\[[0-9;]*3[0-7](;[0-9]+)*m")  # a foreground colour
HYPERLINK = "\x1b]8;"


def title(key: str) -> str:
    return next(s.title for v in SELECTOR_FILES if (s := v.setting(key)))


def row(key: str, after: str, **extra: object) -> SettingReport:
    values = {"label": title(key), "group": GROUPS[key], "recommended": "off"}
    values.update(extra)
    return SettingReport(key=key, before=after, after=after, verified=True, **values)  # type: ignore[arg-type]


def made_up(settings: list[SettingReport], dry_run: bool = True) -> Report:
    return Report(
        outcome=derive_outcome(settings, dry_run, None),  # type: ignore[arg-type]
        dry_run=dry_run,
        selectors_version="2025-09",
        settings=settings,
        started_at=now(),
        finished_at=now(),
        locale="en",
    )


def switches() -> list[str]:
    entries = {k: next(s for v in SELECTOR_FILES if (s := v.setting(k))) for k in KEYS}
    return [k for k in KEYS if entries[k].control == "switch"]


def thirteen() -> Report:
    """9 on, 3 off, 1 not offered, one of them with a long title and a detail."""
    keys = switches()[:13]
    rows = [row(k, "on") for k in keys[:9]]
    rows += [row(k, "off") for k in keys[9:12]]
    rows.append(row(keys[12], "absent"))
    rows[0] = rows[0].model_copy(
        update={"label": LONG_TITLE, "detail": "A detail that is long enough to fold as well."}
    )
    return made_up(rows)


def show(report: Report, command: str, width: int, **how: bool) -> str:
    how = {"colour": False, "terminal": False, **how}
    return terminal.render(
        report,
        command,  # type: ignore[arg-type]
        base_url=BASE,
        selector_files=SELECTOR_FILES,
        width=width,
        **how,
    )


def visible(text: str) -> str:
    text = re.sub(r"\x1b\]8;[^\x1b]*\x1b\\", "", text)  # hyperlinks' own sequences
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize("command", ["checkup", "status"])
def test_the_first_lines_say_the_outcome_in_numbers_then_the_command_that_fixes_it(width, command):
    lines = show(thirteen(), command, width).splitlines()
    assert lines[0] == (
        "9 of 12 settings offered to you let LinkedIn use your data; 1 is not offered."
    )
    fix = lines[1].removeprefix("To fix it: ")
    assert fix.startswith("linkedin-optout run ") and fix != lines[1]
    if command == "checkup":
        assert fix == "linkedin-optout run --all"


def test_a_few_settings_to_fix_are_named_and_none_to_fix_says_so():
    keys = switches()
    few = made_up([row(keys[0], "on"), row(keys[1], "off")])
    lines = show(few, "status", 80).splitlines()
    assert lines[0] == "1 of 2 settings offered to you let LinkedIn use your data."
    assert lines[1] == f"To fix it: linkedin-optout run --only {keys[0]}"
    fine = show(made_up([row(keys[0], "off"), row(keys[1], "absent")]), "status", 120)
    assert fine.splitlines()[0] == (
        "The 1 setting offered to you does not let LinkedIn use your data; 1 is not offered."
    )
    assert "To fix it" not in fine


@pytest.mark.parametrize("width", [80, 120])
@pytest.mark.parametrize(
    ("command", "dry_run"), [("checkup", True), ("status", True), ("run", False)]
)
def test_the_table_fits_the_width_and_stays_aligned(width, command, dry_run):
    report = thirteen()
    if not dry_run:
        report = report.model_copy(update={"dry_run": False})
    text = show(report, command, width)
    lines = text.splitlines()
    end = next(i for i, line in enumerate(lines) if line.startswith("Selectors:"))
    table = lines[3:end]  # the header, the groups, their settings
    assert all(len(line) <= width for line in lines if not line.startswith("To fix it:"))
    header = table[0]
    column = header.index(header.split()[1])  # where State (or Before) starts
    cells = [line for line in table[1:] if len(line) > column and line[column] != " "]
    assert len(cells) == len(report.settings)  # one state per setting, each in its column
    assert all(line[column - 2 : column] == "  " for line in cells)
    # The long title folds, and each of its lines keeps the indent.
    start = next(i for i, line in enumerate(lines) if line.strip().startswith("A made-up"))
    folded = [lines[start], lines[start + 1]]
    assert all(line.startswith("  ") and not line.startswith("   ") for line in folded)
    assert " ".join(line[:column].strip() for line in folded) in LONG_TITLE
    assert text.count("A detail that") == 1


@pytest.mark.parametrize("width", [80, 120])
def test_off_a_terminal_no_escape_codes_and_pages_as_short_paths(width):
    text = show(thirteen(), "checkup", width)
    assert "\x1b" not in text
    link = setting_link(BASE, switches()[1], SELECTOR_FILES)
    assert link not in text  # the whole link is said once, as a prefix
    prefix = re.search(r"^Pages: (\S+)<the path under the title>$", text, re.M)
    assert prefix is not None and link.startswith(prefix[1])
    assert link.removeprefix(prefix[1]) in text.split()


def test_on_a_terminal_each_page_is_a_hyperlink_on_short_text():
    text = show(thirteen(), "checkup", 80, colour=True, terminal=True)
    link = setting_link(BASE, switches()[1], SELECTOR_FILES)
    assert f"{HYPERLINK}id=" in text and f"{link}\x1b\\open" in text
    assert all(len(line) <= 80 for line in visible(text).splitlines())


def test_colour_marks_only_the_states_and_none_with_no_color():
    coloured = show(thirteen(), "checkup", 120, colour=True, terminal=True)
    painted = {visible(m.group(0)).strip() for m in re.finditer(r"\x1b\[3[12]m[^\x1b]*", coloured)}
    assert painted <= {"on <-", "off"}, painted
    first = coloured.splitlines()[0]
    assert "\x1b" not in first  # the outcome is words, not colour
    no_color = show(thirteen(), "checkup", 120, colour=False, terminal=True)
    assert not SGR_COLOUR.search(no_color) and HYPERLINK in no_color


def test_a_read_that_read_nothing_says_only_the_result():
    keys = switches()
    report = made_up([row(keys[0], "unknown")])
    report = report.model_copy(update={"outcome": "auth_required"})
    assert show(report, "status", 80) == "Result: Not signed in."
