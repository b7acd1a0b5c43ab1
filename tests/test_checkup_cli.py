"""The check-up and the choice of settings, in-process: `--only`, `--group` and
`--all` as a union, unknown names as usage errors, `checkup`'s exit codes, JSON
fields and text (the table by group, the paragraph on the objection form), and
the console's progress. The walk is replaced by a RunResult built by hand, so no
browser starts; tests/test_run.py runs the real thing end to end.
"""

from __future__ import annotations

import io
import json
import re
import sys
from typing import Any

import pytest
from conftest import TOOL_TIMEOUT
from typer.testing import CliRunner

from linkedin_optout import browser_run, choices, cli, session, terminal
from linkedin_optout.console import Console
from linkedin_optout.errors import AuthRequired, PageNotRecognized, UsageError
from linkedin_optout.findings import new_findings
from linkedin_optout.report import (
    Report,
    RunResult,
    SettingReport,
    at_recommended,
    derive_outcome,
)
from linkedin_optout.selectors import (
    SelectorFile,
    bundled_selector_files,
    data_use_keys,
    default_keys,
    setting_keys,
)

BASE = "http://127.0.0.1:9"
DPO = "/help/linkedin/ask/TS-DPRO"


# --- a catalogue with more groups than the bundled data has today ---------------------


def catalogue_with_groups() -> tuple[SelectorFile, ...]:
    """The newest bundled selector file plus made-up settings in two more groups, so that the
    tests do not depend on which groups the bundled data holds."""
    newest = bundled_selector_files()[0]
    model = newest.settings[0]
    extra = [
        model.model_copy(
            update={"key": f"made-up-{group}-{n}", "group": group, "title": f"Made up {group} {n}"}
        )
        for group in ("sharing", "adverts")
        for n in (1, 2)
    ]
    return (newest.model_copy(update={"settings": [*newest.settings, *extra]}),)


def visibility_keys() -> set[str]:
    return {s.key for v in bundled_selector_files() for s in v.settings if s.group == "visibility"}


def test_no_choice_is_the_default_groups():
    selector_files = bundled_selector_files()
    assert choices.check_keys((), (), False, selector_files) == default_keys(selector_files)


def test_group_all_and_only_combine_as_a_union():
    selector_files = catalogue_with_groups()
    every = setting_keys((*selector_files, *bundled_selector_files()))
    sharing = ("made-up-sharing-1", "made-up-sharing-2")
    assert choices.check_keys((), ("sharing",), False, selector_files) == sharing
    only = every[0]
    assert choices.check_keys((only,), ("sharing",), False, selector_files) == (only, *sharing)
    both = choices.check_keys((), ("adverts", "sharing"), False, selector_files)
    assert set(both) == {*sharing, "made-up-adverts-1", "made-up-adverts-2"}
    # --all: every data-use setting, never a personal choice (visibility)
    data_use = tuple(k for k in every if k not in visibility_keys())
    assert choices.check_keys((), (), True, selector_files) == data_use
    # --only twice, or a key also in a chosen group: each setting once
    twice = choices.check_keys(
        ("made-up-sharing-2", "made-up-sharing-2"), ("sharing",), False, selector_files
    )
    assert twice == ("made-up-sharing-2", "made-up-sharing-1")


@pytest.mark.parametrize(
    ("only", "groups", "option"),
    [(("no-such-setting",), (), "--only"), ((), ("no-such-group",), "--group")],
)
def test_an_unknown_key_or_group_is_a_usage_error_listing_the_known(only, groups, option):
    selector_files = catalogue_with_groups()
    with pytest.raises(UsageError) as err:
        choices.check_keys(only, groups, False, selector_files)
    message = err.value.message
    assert message.startswith(f"{option} no-such-")
    advice = err.value.advice or ""
    listed = advice.removeprefix("Known: ").rstrip(".").split(", ")
    if option == "--group":
        groups = [*dict.fromkeys(s.group for s in selector_files[0].settings)]
        assert listed == groups and groups[-2:] == ["sharing", "adverts"]
    else:
        assert set(listed) == set(setting_keys((*selector_files, *bundled_selector_files())))


runner = CliRunner()


@pytest.mark.parametrize("command_name", ["run", "status"])
def test_an_unknown_group_exits_2_before_any_browser(command_name, monkeypatch):
    monkeypatch.setattr(browser_run, "run", no_walk)
    result = runner.invoke(cli.app, [command_name, "--group", "no-such-group", "--no-history"])
    assert result.exit_code == 2, result.output
    known = ", ".join(dict.fromkeys(s.group for v in bundled_selector_files() for s in v.settings))
    assert f"error: --group no-such-group: no such group.\n  Known: {known}." in result.output


def test_all_and_group_reach_the_walk_as_keys(monkeypatch):
    seen = fake_walk(monkeypatch, {})
    result = runner.invoke(cli.app, ["status", "--all", "--json", "--no-history"])
    assert result.exit_code == 0, result.output
    assert seen["opts"].keys == data_use_keys(bundled_selector_files())
    assert not set(seen["opts"].keys) & visibility_keys()
    group = bundled_selector_files()[0].settings[0].group
    runner.invoke(cli.app, ["status", "--group", group, "--json", "--no-history"])
    wanted = [s.key for v in bundled_selector_files() for s in v.settings if s.group == group]
    assert set(seen["opts"].keys) == set(wanted)


# --- checkup, on a RunResult built by hand ---------------------------------------------


def no_walk(*args: Any) -> Any:
    raise AssertionError("no browser may start")


def fake_walk(
    monkeypatch: pytest.MonkeyPatch, states: dict[str, str], error: Exception | None = None
) -> dict[str, Any]:
    """browser_run.run replaced: each key asked for is read as `states` says (default:
    its recommended value, off for a switch); like the engine, it tells the console as
    it goes."""
    seen: dict[str, Any] = {}

    def walk(opts: Any, source: Any, console: Console, diagnostics: Any) -> RunResult:
        seen["opts"] = opts
        findings = new_findings(opts)
        console.progress_start(len(opts.keys))
        for key in opts.keys:
            state = states.get(key, opts.targets.get(key, "off"))
            found = findings.record(key, before=state, after=state, verified=state != "unknown")
            console.finding(key, found.label, found.after)
        return RunResult(
            settings=findings.reports(), selectors_version="2025-09", locale="en", error=error
        )

    monkeypatch.setattr(browser_run, "run", walk)
    monkeypatch.setattr(session, "choose_source", lambda *a, **k: session.SessionSource("env"))
    return seen


def every_key() -> list[str]:
    return setting_keys(bundled_selector_files())


def run_checkup(*args: str) -> Any:
    return runner.invoke(cli.app, ["checkup", "--base-url", BASE, "--no-history", *args])


def test_checkup_reads_every_setting_and_changes_nothing(monkeypatch):
    seen = fake_walk(monkeypatch, {})
    result = run_checkup("--json")
    assert result.exit_code == 0, result.output
    assert seen["opts"].dry_run is True
    assert list(seen["opts"].keys) == every_key()
    report = json.loads(result.stdout)
    Report.model_validate(report)
    assert [s["key"] for s in report["settings"]] == every_key()


def test_checkup_json_entries_carry_group_and_recommended_from_the_data(monkeypatch):
    fake_walk(monkeypatch, {})
    report = json.loads(run_checkup("--json").stdout)
    data = {s.key: s for v in bundled_selector_files() for s in reversed(v.settings)}
    for entry in report["settings"]:
        assert entry["group"] == data[entry["key"]].group
        assert entry["recommended"] == data[entry["key"]].recommended


@pytest.mark.parametrize(
    ("states", "code", "outcome"),
    [
        ({}, 0, "ok"),
        ({0: "absent"}, 0, "ok"),  # not offered: not a failure
        ({0: "on"}, 1, "changes_needed"),
        ({0: "absent", 1: "on"}, 1, "changes_needed"),
        ({0: "unknown"}, 4, "page_not_recognized"),
    ],
    ids=["all-off", "one-absent", "one-on", "absent-and-on", "one-unknown"],
)
def test_checkup_exit_codes(monkeypatch, states, code, outcome):
    keys = every_key()
    # The cases name settings by position: the data must hold that many (a failure, not a skip).
    assert len(keys) > max(states, default=-1), f"{len(keys)} settings in the data: {keys}"
    fake_walk(monkeypatch, {keys[i]: state for i, state in states.items()})
    result = run_checkup("--json")
    assert result.exit_code == code, result.output
    assert json.loads(result.stdout)["outcome"] == outcome


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (AuthRequired("Signed out.", reason="signed_out", advice="Sign in."), 3),
        (PageNotRecognized("Not a page we know."), 4),
    ],
)
def test_checkup_failures_keep_their_exit_codes(monkeypatch, error, code):
    fake_walk(monkeypatch, {key: "unknown" for key in every_key()}, error=error)
    result = run_checkup("--json")
    assert result.exit_code == code, result.output


def test_checkup_with_no_session_exits_3(monkeypatch, tmp_path):
    monkeypatch.setattr(browser_run, "run", no_walk)
    monkeypatch.delenv("LINKEDIN_LI_AT", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / ".config"))
    result = run_checkup("--json")
    assert result.exit_code == 3, result.output
    assert json.loads(result.stdout)["outcome"] == "auth_required"


def test_checkup_text_ends_with_the_objection_form(monkeypatch):
    fake_walk(monkeypatch, {})
    result = run_checkup()
    assert result.exit_code == 0, result.output
    tail = " ".join(result.stdout.split()[-80:])
    assert f"{BASE}{DPO}" in tail
    assert "non-generative models" in tail
    assert "Result: Every setting offered is at its recommended value." in result.stdout


@pytest.mark.parametrize("option", ["--json", "--quiet"])
def test_no_objection_paragraph_with_json_or_quiet(monkeypatch, option):
    fake_walk(monkeypatch, {})
    result = run_checkup(option)
    assert result.exit_code == 0, result.output
    assert DPO not in result.stdout
    if option == "--quiet":
        assert "Result:" in result.stdout


def test_checkup_prints_each_finding_as_a_step_when_not_on_a_terminal(monkeypatch):
    fake_walk(monkeypatch, {})
    result = run_checkup()
    keys = every_key()
    titles = [next(s.title for v in bundled_selector_files() if (s := v.setting(k))) for k in keys]
    assert f"- {titles[-1]}: off ({len(keys)} of {len(keys)})" in result.stderr


# --- the table, rendered directly ----------------------------------------------------------


def made_up_report(settings: list[SettingReport]) -> Report:
    from linkedin_optout.report import now

    return Report(
        outcome=derive_outcome(settings, True, None),  # type: ignore[arg-type]
        dry_run=True,
        selectors_version="2025-09",
        settings=settings,
        started_at=now(),
        finished_at=now(),
    )


def setting(key: str, group: str, after: str) -> SettingReport:
    return SettingReport(
        key=key, label=f"Label of {key}", group=group, recommended="off", before=after, after=after
    )


def render(
    report: Report, selector_files: Any, *, colour: bool, width: int = 120, closing: bool = True
) -> str:
    """What `checkup` prints (terminal.render), on a terminal when coloured."""
    return terminal.render(
        report,
        "checkup",
        base_url=BASE,
        selector_files=selector_files,
        colour=colour,
        terminal=colour,
        width=width,
        closing=closing,
    )


def test_the_table_has_a_heading_per_group_in_order_and_a_link_per_setting():
    selector_files = catalogue_with_groups()
    rows = [
        setting("generative-ai-training", "ai", "off"),
        setting("made-up-sharing-1", "sharing", "on"),
        setting("made-up-sharing-2", "sharing", "absent"),
        setting("made-up-adverts-1", "adverts", "off"),
    ]
    text = render(made_up_report(rows), selector_files, colour=False, width=200)
    lines = [line.rstrip() for line in text.splitlines()]
    header = next(line for line in lines if line.startswith("Setting"))
    assert re.split(r"\s{2,}", header.strip()) == ["Setting", "State", "Recommended"]
    headings = [line.strip() for line in lines if line.strip() in ("ai", "sharing", "adverts")]
    assert headings == ["ai", "sharing", "adverts"]
    order = [next(i for i, line in enumerate(lines) if f"Label of {r.key}" in line) for r in rows]
    assert order == sorted(order)
    assert lines.index("sharing") < order[1] < order[2] < lines.index("adverts")
    url = selector_files[0].setting("made-up-sharing-1").url  # type: ignore[union-attr]
    pages = next(line for line in lines if line.startswith("Pages: "))
    prefix = pages.removeprefix("Pages: ").removesuffix("<the path under the title>")
    assert prefix + lines[order[1] + 1].strip() == f"{BASE}{url}"  # its page, under its title
    assert "not offered" in lines[order[2]] and "absent" not in lines[order[2]]
    assert (
        "Result: 1 setting is not at its recommended value. "
        "Run 'linkedin-optout run --all' to switch it off." in text
    )
    assert "\x1b[" not in text


def test_the_table_is_coloured_only_when_asked():
    rows = [setting("generative-ai-training", "ai", "on")]
    coloured = render(made_up_report(rows), bundled_selector_files(), colour=True)
    assert "\x1b[" in coloured
    assert DPO in render(made_up_report(rows), bundled_selector_files(), colour=False)
    plain = render(made_up_report(rows), bundled_selector_files(), colour=False, closing=False)
    assert DPO not in plain


def test_recommended_on_turns_the_check_around():
    on = SettingReport(key="k", label="K", recommended="on", before="on", after="on")
    off = SettingReport(key="k", label="K", recommended="on", before="off", after="off")
    assert at_recommended(on) and not at_recommended(off)
    assert derive_outcome([off], True, None) == "changes_needed"
    assert derive_outcome([on], True, None) == "ok"


# --- the console's progress ---------------------------------------------------------------


class FakeTty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_on_a_terminal_prints_each_finding_once(monkeypatch):
    # Set in the test, not a fixture: pytest puts its own sys.stderr back before a test.
    stderr = FakeTty()
    monkeypatch.setattr(sys, "stderr", stderr)
    monkeypatch.setenv("NO_COLOR", "1")
    console = Console()
    console.progress_start(3)
    console.finding("a", "Setting A", "off")
    console.finding("a", "Setting A", "off")  # read again: not counted twice
    console.finding("b", "Setting [B]", "on")
    assert console._progress.tasks[0].completed == 2
    console.progress_end()
    console.progress_end()  # safe twice
    text = stderr.getvalue()
    assert text.count("Setting A: off") == 1
    assert "Setting [B]: on" in text
    assert "Reading settings" in text


def test_progress_prints_steps_with_the_count_when_not_a_terminal(monkeypatch):
    stream = io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    console = Console()
    console.progress_start(2)
    console.finding("a", "Setting A", "absent")
    console.progress_end()
    assert stream.getvalue() == "- Setting A: not offered (1 of 2)\n"


@pytest.mark.parametrize("tty", [True, False])
def test_progress_prints_nothing_when_quiet(monkeypatch, tty):
    stream = FakeTty() if tty else io.StringIO()
    monkeypatch.setattr(sys, "stderr", stream)
    console = Console(quiet=True)  # --quiet, and --json
    console.progress_start(2)
    console.finding("a", "Setting A", "on")
    console.progress_end()
    assert stream.getvalue() == ""


# --- end to end, against the fixture site --------------------------------------------------


def test_checkup_of_the_fixture_site_as_it_starts_exits_1_and_saves_nothing(site, cli):
    """The real CLI against the fixture site as it starts (LinkedIn's 2024-09 pages, every
    setting on): each setting of the data is reported in order, with its group and
    recommendation from the data, read as on or (not on those pages) absent, never
    unknown; so `checkup` exits 1, changes needed, and sends no save."""
    before = site.settings()
    result = cli("checkup", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 1, result.stderr
    report = result.json()
    assert report["outcome"] == "changes_needed"
    assert [s["key"] for s in report["settings"]] == every_key()
    data = {s.key: s for v in bundled_selector_files() for s in reversed(v.settings)}
    for entry in report["settings"]:
        setting = data[entry["key"]]
        assert (entry["group"], entry["recommended"]) == (setting.group, setting.recommended)
        if setting.control == "choice":  # LinkedIn's default answer, never the private one
            assert entry["after"] in setting.values[:-1], entry
        else:
            assert entry["after"] in ("on", "absent"), entry
    training = next(s for s in report["settings"] if s["key"] == "generative-ai-training")
    assert (training["after"], training["group"], training["recommended"]) == ("on", "ai", "off")
    assert site.settings() == before
    assert site.saves == []


def test_checkup_help_lists_no_selection_options():
    result = runner.invoke(cli.app, ["checkup", "--help"])
    assert result.exit_code == 0
    assert "--only" not in result.stdout and "--all" not in result.stdout
    assert "--history" in result.stdout and "--json" in result.stdout


def test_status_help_names_the_groups_from_the_data():
    result = runner.invoke(cli.app, ["status", "--help"], env={"COLUMNS": "200"})
    groups = dict.fromkeys(s.group for v in bundled_selector_files() for s in v.settings)
    assert f"--only, both): {', '.join(groups)}." in " ".join(result.stdout.split())


def test_a_message_names_a_setting_not_an_ai_setting_when_more_groups_were_read():
    from linkedin_optout.notify import compose

    ai_only = made_up_report([setting("generative-ai-training", "ai", "on")])
    assert compose(ai_only, "status")[0] == "linkedin-optout: an AI setting is on"
    wider = made_up_report(
        [setting("generative-ai-training", "ai", "off"), setting("made-up", "sharing", "on")]
    )
    assert compose(wider, "checkup")[0] == "linkedin-optout: a setting is on"


# --- run --set KEY=VALUE ----------------------------------------------------------------


def test_set_sends_only_the_named_settings_with_their_values(monkeypatch):
    seen = fake_walk(monkeypatch, {})
    args = ["run", "--set", "email-visibility=connections", "--json", "--no-history"]
    result = runner.invoke(cli.app, args)
    assert result.exit_code == 0, result.output
    assert seen["opts"].keys == ("email-visibility",)
    assert seen["opts"].targets == {"email-visibility": "connections"}


def test_set_with_a_group_sets_the_rest_of_the_group_to_its_most_private_value(monkeypatch):
    seen = fake_walk(monkeypatch, {})
    args = ["run", "--group", "visibility", "--set", "discover-by-phone=connections"]
    result = runner.invoke(cli.app, [*args, "--json", "--no-history"])
    assert result.exit_code == 0, result.output
    targets = seen["opts"].targets
    assert targets["discover-by-phone"] == "connections"
    assert targets["profile-viewing"] == "private" and targets["email-download"] == "off"
    assert set(seen["opts"].keys) == visibility_keys()


@pytest.mark.parametrize(
    ("given", "said", "allowed"),
    [
        (
            "email-visibility=public",
            "no such value",
            "everyone, second-degree, connections, only-me",
        ),
        ("email-download=on", "a switch is only ever switched off", "off"),
        ("no-such-setting=off", "no such setting", None),
        ("email-visibility", "give KEY=VALUE", None),
    ],
)
def test_an_unknown_key_or_value_for_set_is_exit_2_listing_what_is_allowed(
    given, said, allowed, monkeypatch
):
    seen = fake_walk(monkeypatch, {})
    result = runner.invoke(cli.app, ["run", "--set", given, "--no-history"])
    assert result.exit_code == 2, result.output
    assert said in result.output
    if allowed:
        assert f"Allowed: {allowed}." in result.output
    assert "opts" not in seen  # no browser, nothing read


def test_set_is_an_option_of_run_only():
    for command_name in ("status", "checkup"):
        result = runner.invoke(cli.app, [command_name, "--set", "email-visibility=only-me"])
        assert result.exit_code == 2, result.output
