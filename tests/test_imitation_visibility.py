"""The Visibility settings against an independent imitation of LinkedIn's pages
(tests/imitation_visibility.py, built from the public facts only). Each test
asserts what the SERVER holds and received, not only what the tool says."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TOOL_TIMEOUT, CliResult, in_this_process, tool_env
from imitation_visibility import API, BY_TOOL, DE, FR, NL, ImitationSite

VISIBILITY = (
    "profile-viewing",
    "email-visibility",
    "email-download",
    "connections-visibility",
    "discover-by-email",
    "discover-by-phone",
    "discovery-off-linkedin",
    "page-admins-export",
    "share-profile-updates",
)
MOST_PRIVATE = {
    "profile-viewing": "private",
    "email-visibility": "only-me",
    "discover-by-email": "nobody",
    "discover-by-phone": "nobody",
}
Run = Callable[..., CliResult]


@pytest.fixture(scope="module")
def imitation() -> Iterator[ImitationSite]:
    server = ImitationSite()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site(imitation: ImitationSite) -> ImitationSite:
    imitation.reset()
    return imitation


@pytest.fixture
def tool(
    site: ImitationSite,
    browser_executable: str,
    person_user_agent: str,
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Run]:
    """`tool(*args)`: the whole CLI in this process, in a context of the tests'
    browser, against the imitation with a fresh session. Afterwards: nothing the
    server refused (no session, a wrong csrf-token, a HeadlessChrome)."""

    def invoke(*args: str) -> CliResult:
        env = tool_env(
            home,
            LINKEDIN_OPTOUT_BASE_URL=site.url,
            LINKEDIN_OPTOUT_BROWSER=browser_executable,
            LINKEDIN_LI_AT=site.new_session(),
        )
        full = [*args, "--timeout", TOOL_TIMEOUT, "--diagnostics", str(tmp_path / "diag")]
        return in_this_process(request, monkeypatch, full, env, None, tmp_path)

    yield invoke
    assert site.refused == [], site.refused


def by_key(result: CliResult) -> dict[str, dict[str, Any]]:
    return {s["key"]: s for s in result.json()["settings"]}


def saves(site: ImitationSite) -> list[Any]:
    return [r.body for r in site.posts() if r.path == API]


def server_state(site: ImitationSite) -> dict[str, str]:
    return {key: site.tool_value(key) for key in VISIBILITY}


# --- reading --------------------------------------------------------------------------------


@pytest.mark.parametrize("style", ["native", "aria", "aria-sparse", "wrapped"])
def test_status_reads_every_visibility_setting(site: ImitationSite, tool: Run, style: str) -> None:
    site.reset(radio_style=style)
    site.set_tool_value("email-visibility", "only-me")
    site.set_tool_value("discover-by-phone", "connections")
    site.set_tool_value("share-profile-updates", "off")
    result = tool("status", "--group", "visibility", "--json")
    found = {k: s["before"] for k, s in by_key(result).items()}
    assert found == server_state(site), result.stderr
    assert result.code == 1  # most of them are not at their most private value
    assert saves(site) == []


# --- changing -------------------------------------------------------------------------------


# "aria-sparse": [role=radio] options that leave out aria-checked="false" (only the
# chosen one says "true"); the tool once read the option to choose as 'unknown' and
# never clicked it.
@pytest.mark.parametrize("style", ["native", "aria", "aria-sparse"])
def test_run_group_sets_the_most_private_answers(
    site: ImitationSite, tool: Run, style: str
) -> None:
    site.reset(radio_style=style)
    result = tool("run", "--group", "visibility", "--json")
    assert result.code == 0, result.output
    state = server_state(site)
    assert state == {k: MOST_PRIVATE.get(k, "off") for k in VISIBILITY}
    reported = by_key(result)
    for key in VISIBILITY:
        assert reported[key]["after"] == state[key]
        assert reported[key]["verified"] is True
        assert reported[key]["changed"] is True
    # one save per setting: nothing clicked twice, nothing saved on the way
    assert sorted(b["key"] for b in saves(site)) == sorted(BY_TOOL[k].key for k in VISIBILITY)


def test_run_set_picks_a_named_answer_on_a_wrapped_french_page(
    site: ImitationSite, tool: Run
) -> None:
    """The French note: the <input> sits under a styled wrapper that takes the click."""
    site.reset(lang=FR, radio_style="wrapped")
    site.set_tool_value("email-visibility", "only-me")
    result = tool(
        "run", "--set", "email-visibility=connections", "--only", "share-profile-updates", "--json"
    )
    assert result.code == 0, result.output
    assert site.tool_value("email-visibility") == "connections"
    assert site.tool_value("share-profile-updates") == "off"
    assert site.tool_value("email-download") == "on"  # same page, not asked for
    assert by_key(result)["email-visibility"]["after"] == "connections"


@pytest.mark.parametrize("lang", [NL, DE, FR])
def test_run_in_other_languages(site: ImitationSite, tool: Run, lang: str) -> None:
    site.reset(lang=lang, radio_style="aria" if lang == DE else "native")
    keys = ("profile-viewing", "discover-by-email", "page-admins-export")
    result = tool("run", *[a for k in keys for a in ("--only", k)], "--json")
    assert result.code == 0, result.output
    assert {k: site.tool_value(k) for k in keys} == {
        "profile-viewing": "private",
        "discover-by-email": "nobody",
        "page-admins-export": "off",
    }
    assert site.tool_value("discover-by-phone") == "everyone"  # not asked for


# --- the e-mail page: a choice and a switch under it -----------------------------------------


def test_only_the_switch_leaves_the_choice_alone(site: ImitationSite, tool: Run) -> None:
    result = tool("run", "--only", "email-download", "--json")
    assert result.code == 0, result.output
    assert site.tool_value("email-download") == "off"
    assert site.tool_value("email-visibility") == "everyone"
    assert [b["key"] for b in saves(site)] == ["allowEmailExport"]


def test_set_the_choice_leaves_the_switch_alone(site: ImitationSite, tool: Run) -> None:
    site.set_tool_value("email-visibility", "only-me")
    result = tool("run", "--set", "email-visibility=connections", "--json")
    assert result.code == 0, result.output
    assert site.tool_value("email-visibility") == "connections"
    assert site.tool_value("email-download") == "on"
    assert saves(site) == [{"key": "emailVisibility", "value": "FIRST_DEGREE"}]


# --- placeholders ---------------------------------------------------------------------------


@pytest.mark.parametrize(("placeholder", "delay"), [("disabled-default", 2.5), ("busy-none", 2.0)])
def test_a_placeholder_is_not_a_reading(
    site: ImitationSite, tool: Run, placeholder: str, delay: float
) -> None:
    """The page draws the default answer (Anyone on LinkedIn) before the member's."""
    site.reset(placeholder=placeholder, value_delay_s=delay, radio_style="aria")
    site.set_tool_value("email-visibility", "connections")
    site.set_tool_value("discover-by-email", "nobody")
    result = tool(
        "run", "--set", "email-visibility=connections", "--only", "discover-by-email", "--json"
    )
    assert result.code == 0, result.output
    assert saves(site) == []  # both already as asked: nothing to click
    found = by_key(result)
    assert found["email-visibility"]["before"] == "connections"
    assert found["discover-by-email"]["before"] == "nobody"


def test_a_silent_placeholder_is_not_a_reading(site: ImitationSite, tool: Run) -> None:
    """Defaults drawn enabled, with no sign; the page asks for the member's values
    only after a pause (lazy code, a queue). The tool waits 1.5 s of quiet, then
    sees the page disagree with the Visibility hub's row and waits for it to agree."""
    site.reset(placeholder="silent-default", pause_ms=2500)
    site.set_tool_value("email-visibility", "only-me")
    result = tool("status", "--only", "email-visibility", "--json")
    assert by_key(result)["email-visibility"]["before"] == "only-me", result.output


# --- what the tool does not know ------------------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        {"extra_options": {"emailVisibility": [("GROUPS", "Members of your groups")]}},
        {"renamed": {("emailVisibility", "ONLY_ME"): "Hidden from everyone"}},
        {"renamed": {("emailVisibility", "EVERYONE"): "Only visible to me and recruiters"}},
    ],
    ids=["fifth-option", "renamed-private", "renamed-to-look-private"],
)
def test_an_unknown_answer_is_not_recognized(
    site: ImitationSite, tool: Run, change: dict[str, Any]
) -> None:
    site.reset(**change)
    result = tool("run", "--group", "visibility", "--json")
    assert result.code == 4, result.output
    assert result.json()["outcome"] == "page_not_recognized"
    assert "emailVisibility" not in [b["key"] for b in saves(site)]
    assert site.tool_value("email-visibility") == "everyone"


# --- saves ------------------------------------------------------------------------------------


def test_a_failed_save_that_reverts_is_a_failure(site: ImitationSite, tool: Run) -> None:
    site.reset(save_fail={"emailVisibility"}, radio_style="native")
    result = tool("run", "--only", "email-visibility", "--retries", "1", "--json")
    assert result.code == 5, result.output
    assert site.tool_value("email-visibility") == "everyone"
    entry = by_key(result)["email-visibility"]
    assert entry["after"] == "everyone" and entry["changed"] is False
    assert len(saves(site)) == 2  # one try and one retry, no more


def test_a_save_without_a_toast_is_proved_by_the_reload(site: ImitationSite, tool: Run) -> None:
    site.reset(toast=False)
    result = tool("run", "--only", "profile-viewing", "--only", "share-profile-updates", "--json")
    assert result.code == 0, result.output
    assert site.tool_value("profile-viewing") == "private"
    assert site.tool_value("share-profile-updates") == "off"
    assert all(s["verified"] for s in result.json()["settings"])


# --- <code> data that disagrees with the page --------------------------------------------------


def test_the_rendered_control_wins_over_code_data(site: ImitationSite, tool: Run) -> None:
    site.reset(code="disagree")
    site.set_tool_value("email-visibility", "only-me")  # the <code> block says Anyone
    site.set_tool_value("discover-by-email", "everyone")  # the <code> block says Nobody
    site.set_tool_value("email-download", "off")  # the <code> block says on
    result = tool(
        "run",
        "--only",
        "email-visibility",
        "--only",
        "discover-by-email",
        "--only",
        "email-download",
        "--json",
    )
    assert result.code == 0, result.output
    found = by_key(result)
    assert found["email-visibility"]["before"] == "only-me"
    assert found["discover-by-email"]["before"] == "everyone"
    assert found["email-download"]["before"] == "off"
    assert saves(site) == [{"key": "discoverByEmail", "value": "NOBODY"}]


# --- regions -------------------------------------------------------------------------------------


def test_a_setting_a_region_lacks_is_absent(site: ImitationSite, tool: Run) -> None:
    site.reset(absent={"discoverByPhone", "allowConnectionsBrowse"})
    result = tool("status", "--group", "visibility", "--json")
    found = by_key(result)
    assert found["discover-by-phone"]["before"] == "absent", result.output
    assert found["connections-visibility"]["before"] == "absent"
    assert found["email-visibility"]["before"] == "everyone"
    assert result.code == 1


# --- reading only, and --all -------------------------------------------------------------------


def test_checkup_sends_no_save(site: ImitationSite, tool: Run) -> None:
    site.set_tool_value("email-visibility", "only-me")
    result = tool("checkup", "--json")
    assert result.code == 1, result.output
    assert site.posts() == []
    found = by_key(result)
    assert found["email-visibility"]["before"] == "only-me"
    assert found["profile-viewing"]["before"] == "name-and-headline"
    assert found["profile-viewing"]["recommended"] == "private"


def test_run_all_changes_no_visibility_value(site: ImitationSite, tool: Run) -> None:
    result = tool("run", "--all", "--json")
    assert result.code in (0, 1), result.output
    assert saves(site) == []
    assert server_state(site) == {k: site.tool_value(k) for k in VISIBILITY}
    assert site.tool_value("email-visibility") == "everyone"
    assert site.tool_value("share-profile-updates") == "on"


# --- LinkedIn moves a value back -----------------------------------------------------------------


def test_a_value_moved_back_is_said_to_be_less_private(
    site: ImitationSite, tool: Run, tmp_path: Path
) -> None:
    history = str(tmp_path / "history.sqlite3")
    keys = ("--only", "email-visibility", "--only", "share-profile-updates")
    site.set_tool_value("email-visibility", "only-me")
    site.set_tool_value("share-profile-updates", "off")
    first = tool("status", *keys, "--history", history, "--json")
    assert first.code == 0, first.output
    assert first.json()["changed_since_last"] == []
    site.set_tool_value("email-visibility", "second-degree")  # LinkedIn moved it
    site.set_tool_value("share-profile-updates", "on")
    second = tool("status", *keys, "--history", history, "--json")
    assert second.code == 1, second.output
    moved = {c["key"]: (c["was"], c["now"]) for c in second.json()["changed_since_last"]}
    assert moved == {
        "email-visibility": ("only-me", "second-degree"),
        "share-profile-updates": ("off", "on"),
    }
    assert site.posts() == []


def test_a_save_the_server_does_not_keep_is_a_failure(site: ImitationSite, tool: Run) -> None:
    """The page shows the new answer and a toast; the reload shows the old one."""
    site.reset(forget={"discoverByPhone"}, radio_style="aria")
    result = tool("run", "--only", "discover-by-phone", "--retries", "0", "--json")
    assert result.code == 5, result.output
    entry = by_key(result)["discover-by-phone"]
    assert entry["after"] == "everyone" and entry["changed"] is False
    assert site.tool_value("discover-by-phone") == "everyone"


def test_a_page_that_moved_is_reached_by_its_row(site: ImitationSite, tool: Run) -> None:
    old = "/mypreferences/d/profile-viewing-options"
    site.reset(moved={old: "/mypreferences/d/settings/profile-viewing"})
    result = tool("run", "--only", "profile-viewing", "--json")
    assert result.code == 0, result.output
    assert site.tool_value("profile-viewing") == "private"


@pytest.mark.parametrize(
    "value", ["email-visibility=nobody", "email-download=on", "profile-viewing", "nope=only-me"]
)
def test_set_refuses_what_a_setting_cannot_be(site: ImitationSite, tool: Run, value: str) -> None:
    result = tool("run", "--set", value, "--json")
    assert result.code == 2, result.output
    assert site.requests == []
