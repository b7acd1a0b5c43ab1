"""Bad options: an unknown --only key, a malformed --base-url (or
LINKEDIN_OPTOUT_BASE_URL), and a --profile or --screenshots path that is a file.
Each ends in exit 2 and one plain line naming the option and what is wrong, with
no traceback and nothing switched. And the checking commands' options, written
once in cli_options.CHECK_OPTIONS, reach each command as one Choices.
"""

from __future__ import annotations

import pytest
from conftest import TOOL_TIMEOUT
from input_helpers import says, the_error_line, write

# -- options -------------------------------------------------------------------------------------


@pytest.mark.parametrize("command", ["run", "status"])
def test_an_unknown_only_key_exits_2_naming_the_option(site, cli, command):
    result = cli(command, "--json", "--only", "profile-visibility")
    line = the_error_line(result)
    assert "--only" in line and "profile-visibility" in line
    assert site.requests == []


BAD_URLS = [
    "ftp://www.linkedin.com",
    "www.linkedin.com",
    "http://",
    "https://www.linkedin.com:port",
    "http://exa mple.com",
    "",
]


# An empty LINKEDIN_OPTOUT_BASE_URL counts as unset (the default, the real site): not here.
@pytest.mark.parametrize(
    ("how", "url"),
    [("option", u) for u in BAD_URLS] + [("env", u) for u in BAD_URLS if u],
)
def test_a_malformed_base_url_exits_2(site, cli, how, url):
    if how == "option":
        result = cli("run", "--json", "--base-url", url)
    else:
        result = cli("run", "--json", env={"LINKEDIN_OPTOUT_BASE_URL": url})
    line = the_error_line(result)
    assert says(line, "--base-url", "LINKEDIN_OPTOUT_BASE_URL"), line
    assert says(line, "not an http", "not a number", "url"), line
    assert site.requests == []


def test_a_profile_path_that_is_a_file_exits_2(site, cli, tmp_path):
    path = write(tmp_path / "profile", "not a folder")
    result = cli("run", "--json", "--timeout", TOOL_TIMEOUT, "--profile", str(path))
    line = the_error_line(result)
    assert str(path) in line or "--profile" in line
    assert says(line, "not a folder", "not a directory", "is a file"), line
    assert site.saves == []


def test_a_screenshots_path_that_is_a_file_exits_2(site, cli, tmp_path):
    path = write(tmp_path / "shots", "not a folder")
    result = cli("run", "--json", "--timeout", TOOL_TIMEOUT, "--screenshots", str(path))
    line = the_error_line(result)
    assert str(path) in line or "--screenshots" in line
    assert says(line, "not a folder", "not a directory", "is a file", "exists"), line
    assert site.saves == []  # bad input is found before anything is switched


# -- the options of the checking commands, written once -----------------------------------------


def test_each_checking_option_fills_the_choices_field_of_its_name():
    import dataclasses

    from linkedin_optout.choices import Choices
    from linkedin_optout.cli_options import CHECK_OPTIONS

    fields = {f.name for f in dataclasses.fields(Choices)}
    names = [o.name for o in CHECK_OPTIONS]
    assert len(set(names)) == len(names)
    assert set(names) == fields - {"command"}


@pytest.mark.parametrize(
    ("command", "name"),
    [
        (["run"], "run"),
        (["status"], "status"),
        (["checkup"], "checkup"),
        (["selectors", "probe"], "probe"),
    ],
)
def test_a_checking_command_takes_its_rows_of_the_table_in_order(command, name):
    import typer

    from linkedin_optout.cli import app
    from linkedin_optout.cli_options import CHECK_OPTIONS

    group = typer.main.get_command(app)
    for word in command:
        group = group.commands[word]  # type: ignore[attr-defined]
    params = [p.name for p in group.params if p.name != "help"]
    own = ["dry_run"] if name == "run" else []
    assert params == [o.name for o in CHECK_OPTIONS if name in o.commands] + own


def test_the_body_gets_one_choices_with_tuples_and_the_command(monkeypatch):
    from typer.testing import CliRunner

    from linkedin_optout import cli, cli_selectors
    from linkedin_optout.choices import Choices

    seen: list[Choices] = []
    monkeypatch.setattr(cli, "check", seen.append)
    monkeypatch.setattr(cli_selectors, "check", seen.append)
    runner = CliRunner()
    runner.invoke(cli.app, ["run", "--dry-run", "--only", "research", "--group", "ads"])
    runner.invoke(cli.app, ["status", "--notify", "json://a", "--notify", "json://b"])
    runner.invoke(cli.app, ["checkup", "--timeout", "5"])
    runner.invoke(cli.app, ["selectors", "probe", "--step"])
    dry, status, checkup, probe = seen
    assert (dry.command, dry.only, dry.groups, dry.notify) == (
        "status",
        ("research",),
        ("ads",),
        (),
    )
    assert (status.command, status.notify) == ("status", ("json://a", "json://b"))
    assert checkup == Choices(command="checkup", timeout=5.0)
    assert (probe.command, probe.step) == ("probe", True)


def test_the_helps_setting_lists_are_the_validated_data():
    """--help reads keys and groups without parsing the TOML (selector_paths): the
    same keys, in a run's order, and the same groups as the pydantic-checked data."""
    from linkedin_optout.selector_paths import bundled_group_names, bundled_key_names
    from linkedin_optout.selectors import bundled_selector_files, setting_keys

    files = bundled_selector_files()
    assert bundled_key_names() == setting_keys(files)
    first = {key: next(s for v in files if (s := v.setting(key))) for key in setting_keys(files)}
    assert bundled_group_names() == list(dict.fromkeys(s.group for s in first.values()))
