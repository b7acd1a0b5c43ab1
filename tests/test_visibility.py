"""The visibility check-up end to end, against the fixture site's Visibility pages:
choices (radios) and switches, each changed only when named, each proved after a
reload. Every test asserts the server's state; the `cli` fixture also checks that
no setting outside the ones asked for changed, and that a save only ever switched
off or picked an answer of a choice that was asked for."""

from __future__ import annotations

import pytest
from conftest import TOOL_TIMEOUT

from fixtures.site import VISIBILITY_DEFAULTS
from linkedin_optout.selectors import bundled_selector_files

SETTINGS = {s.key: s for s in bundled_selector_files()[0].settings if s.group == "visibility"}
# Each setting at its most private value, as the fixture keeps it (a switch as a bool).
MOST_PRIVATE = {
    key: (s.recommended if s.control == "choice" else False) for key, s in SETTINGS.items()
}


def by_key(report: dict) -> dict[str, dict]:
    return {s["key"]: s for s in report["settings"]}


def saved(site) -> list[tuple[str, object]]:
    return [(s.setting_id, s.value) for s in site.saves if s.persisted]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_run_group_visibility_makes_each_setting_most_private_each_proved(site, cli, lang):
    site.configure(lang=lang)
    before = site.settings()
    result = cli("run", "--group", "visibility", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stderr
    settings = by_key(result.json())
    assert set(settings) == set(SETTINGS)
    for key, entry in settings.items():
        default = VISIBILITY_DEFAULTS[key]
        was = default if isinstance(default, str) else ("on" if default else "off")
        assert (entry["before"], entry["after"]) == (was, SETTINGS[key].recommended), key
        assert entry["changed"] and entry["verified"], key
    assert site.visibility() == MOST_PRIVATE
    assert sorted(saved(site), key=str) == sorted(MOST_PRIVATE.items(), key=str)
    assert site.settings() == before  # no data-use switch was touched


def test_set_changes_only_the_named_choice(site, cli):
    site.configure(visibility={"email-visibility": "everyone"})
    result = cli(
        "run", "--set", "email-visibility=connections", "--json", "--timeout", TOOL_TIMEOUT
    )
    assert result.code == 0, result.stderr
    (entry,) = result.json()["settings"]
    assert (entry["key"], entry["before"], entry["after"]) == (
        "email-visibility",
        "everyone",
        "connections",
    )
    assert entry["verified"] and entry["changed"]
    assert saved(site) == [("email-visibility", "connections")]
    # The switch on the same page, and every other setting, as they were.
    assert site.visibility() == {**VISIBILITY_DEFAULTS, "email-visibility": "connections"}


def test_set_may_open_a_choice_the_person_names(site, cli):
    """A less private value is the person's choice, when they name it."""
    site.configure(visibility={"profile-viewing": "private"})
    result = cli("run", "--set", "profile-viewing=name-and-headline", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stderr
    assert site.visibility()["profile-viewing"] == "name-and-headline"
    first, *_, last = result.stdout.splitlines()
    assert first == "1 visibility setting changed and proved after a reload."
    assert last == "Result: Every setting asked for is at the value asked for, or not offered."
    assert "Profile viewing options: confirmed Your name and headline after reload" in (
        result.stderr
    )


def test_a_choice_already_at_the_value_asked_for_is_not_clicked(site, cli):
    site.configure(visibility={"email-visibility": "only-me", "email-download": False})
    result = cli("run", "--only", "email-visibility", "--only", "email-download", "--json")
    assert result.code == 0, result.stderr
    assert site.saves == []
    assert all(not s["changed"] and s["verified"] for s in result.json()["settings"])


@pytest.mark.parametrize("placeholder", ["disabled", "busy", "skeleton"])
def test_a_placeholders_answer_is_never_read_nor_trusted(site, cli, placeholder):
    """The page first draws 'Only visible to me' checked (the most private answer:
    the trap), then the member's 'Anyone on LinkedIn' arrives. A reading taken from
    the placeholder would report it private and click nothing."""
    site.configure(
        visibility={"email-visibility": "everyone"},
        placeholder=placeholder,
        placeholder_choice="private",
        value_delay_ms=600,
    )
    status = cli("status", "--only", "email-visibility", "--json", "--timeout", TOOL_TIMEOUT)
    assert status.code == 1, status.stderr  # not at its most private value
    assert by_key(status.json())["email-visibility"]["before"] == "everyone"
    assert site.saves == []
    result = cli("run", "--only", "email-visibility", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stderr
    assert saved(site) == [("email-visibility", "only-me")]
    assert site.visibility()["email-visibility"] == "only-me"


def test_a_failed_save_is_not_reported_as_set(site, cli):
    site.configure(visibility={"discover-by-phone": "everyone"}, save_fault="error")
    result = cli("run", "--only", "discover-by-phone", "--json", "--timeout", TOOL_TIMEOUT)
    assert result.code == 5, result.stderr
    entry = by_key(result.json())["discover-by-phone"]
    assert (entry["after"], entry["changed"]) == ("everyone", False)
    assert "Still Everyone" in entry["detail"]
    assert site.visibility()["discover-by-phone"] == "everyone"
    assert not saved(site)


def test_a_value_linkedin_moves_back_is_named_by_the_next_check(site, cli, tmp_path):
    history = str(tmp_path / "history.sqlite3")
    site.configure(visibility=MOST_PRIVATE)
    first = cli("status", "--group", "visibility", "--history", history, "--timeout", TOOL_TIMEOUT)
    assert first.code == 0, first.stderr
    site.set_visibility("email-visibility", "everyone")  # LinkedIn moved it back
    site.set_visibility("share-profile-updates", True)
    second = cli(
        "status", "--group", "visibility", "--history", history, "--json", "--timeout", "30"
    )
    assert second.code == 1, second.stderr
    changes = {c["key"]: (c["was"], c["now"]) for c in second.json()["changed_since_last"]}
    assert changes == {
        "email-visibility": ("only-me", "everyone"),
        "share-profile-updates": ("off", "on"),
    }
    text = cli("history", "--history", history, "--full", li_at=None).stdout
    assert "changed by LinkedIn from Only visible to me to Anyone on LinkedIn" in text
    assert site.saves == []
