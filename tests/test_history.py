"""Keep watch: the history of every check, nothing secret in it, where it is
kept, "back on since", and the timeline `history` shows."""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import TOOL_TIMEOUT
from helpers import GEN_AI, GEN_AI_TITLE, checks, history_file

from linkedin_optout.history import History
from linkedin_optout.report import Report, SettingReport, back_on_line

GEN_AI_LABEL = GEN_AI_TITLE


def private(path: Path) -> bool:
    return stat.S_IMODE(path.stat().st_mode) == 0o600


# --- a record per check, and nothing secret in it ------------------------------------


def test_each_check_is_recorded_without_the_session(site, cli, home):
    li_at = site.new_session()
    status = cli("status", "--json", "--timeout", TOOL_TIMEOUT, li_at=li_at)
    assert status.code == 1, status.stderr
    run = cli("run", "--json", "--timeout", TOOL_TIMEOUT, li_at=li_at)
    assert run.code == 0, run.stderr

    records = checks(cli)
    assert [(c["command"], c["outcome"], c["exit_code"]) for c in records] == [
        ("status", "changes_needed", 1),
        ("run", "ok", 0),
    ]
    for record, report in zip(records, (status.json(), run.json()), strict=True):
        assert record["tool_version"] == report["tool_version"]
        assert (record["selectors_version"], record["locale"]) == ("2024-09", "en")
        assert record["finished_at"] and record["started_at"] < record["finished_at"]
        assert record["settings"] == [
            {k: s[k] for k in ("key", "label", "before", "after", "changed", "verified")}
            for s in report["settings"]
        ]
    assert records[1]["settings"][0]["before"] == "on"
    assert records[1]["settings"][0]["after"] == "off"

    path = history_file(home)
    assert private(path)
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    stored = b"".join(p.read_bytes() for p in path.parent.iterdir())
    for secret in (li_at, "ajax:", "JSESSIONID", "LINKEDIN_LI_AT", "Session"):
        assert secret.encode() not in stored, secret


def test_no_history_writes_nothing_and_history_path_moves_it(site, cli, home, tmp_path):
    site.set_setting(GEN_AI, False)
    result = cli("status", "--no-history", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.stderr
    assert not (home / ".local").exists()

    # Where a check is recorded does not depend on how far it got: these two find
    # no session (exit 3, no browser), and are recorded all the same.
    elsewhere = tmp_path / "records" / "watch.db"
    assert cli("status", "--history", str(elsewhere), li_at=None).code == 3
    by_env = tmp_path / "by-env.db"
    env = {"LINKEDIN_OPTOUT_HISTORY": str(by_env)}
    assert cli("status", env=env, li_at=None).code == 3
    assert not (home / ".local").exists()
    assert private(elsewhere) and private(by_env)
    for records in (checks(cli, "--history", str(elsewhere)), checks(cli, env=env)):
        assert [(c["command"], c["outcome"]) for c in records] == [("status", "auth_required")]


def test_the_history_and_its_wal_files_are_private_whatever_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        history = History.open(tmp_path / "new" / "history.sqlite3")
        assert history is not None
        history.start("status", datetime.now(UTC))
        files = sorted(p.name for p in (tmp_path / "new").iterdir())
        # While a connection is open, SQLite keeps its -wal and -shm files beside it.
        assert files == ["history.sqlite3", "history.sqlite3-shm", "history.sqlite3-wal"]
        assert all(private(tmp_path / "new" / name) for name in files)
        history.close()
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    con = sqlite3.connect(tmp_path / "new" / "history.sqlite3")
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert con.execute("PRAGMA user_version").fetchone() == (1,)
    con.close()


def test_a_history_folder_is_a_usage_error_before_any_browser(site, cli, tmp_path):
    result = cli("status", "--history", str(tmp_path))
    assert result.code == 2
    assert f"--history {tmp_path} is a folder" in result.stderr
    assert site.requests == []


# --- "back on since", and the timeline ------------------------------------------------


def test_a_setting_switched_back_on_is_named_with_the_date_it_was_off(site, cli, tmp_path):
    assert cli("run", "--timeout", TOOL_TIMEOUT).code == 0
    site.set_setting(GEN_AI, True)  # LinkedIn switches it back on
    report_file = tmp_path / "status.json"
    result = cli("status", "--timeout", TOOL_TIMEOUT, "--report", str(report_file))
    assert result.code == 1  # exit codes are unchanged
    run_record = checks(cli)[0]
    day = run_record["started_at"][:10]
    assert f"LinkedIn switched '{GEN_AI_LABEL}' back on since {day}." in result.stdout
    report = json.loads(report_file.read_text())
    Report.model_validate(report)
    assert report["changed_since_last"] == [
        {
            "key": "generative-ai-training",
            "label": GEN_AI_LABEL,
            "was": "off",
            "now": "on",
            "since": run_record["started_at"].replace("+00:00", "Z"),
        }
    ]
    # Said once: the check after this one saw it on already.
    again = cli("status", "--json", "--timeout", TOOL_TIMEOUT)
    assert again.json()["changed_since_last"] == []
    # A run that finds it back on says so too, and switches it off.
    site.set_setting(GEN_AI, False)
    assert cli("status", "--timeout", TOOL_TIMEOUT).code == 0
    site.set_setting(GEN_AI, True)
    fixed = cli("run", "--json", "--timeout", TOOL_TIMEOUT)
    assert fixed.code == 0
    assert [c["key"] for c in fixed.json()["changed_since_last"]] == ["generative-ai-training"]

    timeline = cli("history", "--full", li_at=None)
    assert timeline.code == 0, timeline.stderr
    lines = timeline.stdout.splitlines()
    gen_ai = lines[lines.index(f"{GEN_AI_LABEL} (generative-ai-training)") + 1 :][:5]
    assert [line.split(maxsplit=3)[2:] for line in gen_ai] == [
        ["run", "on, switched off"],
        ["status", f"found back on (off on {day})"],
        ["status", "on"],
        ["status", "off"],
        ["run", f"found back on (off on {day}), switched off"],
    ]


def _report(started: str, gen_ai: tuple[str, str], changed: bool = False) -> Report:
    when = datetime.fromisoformat(started).replace(tzinfo=UTC)
    settings = [
        SettingReport(
            key="generative-ai-training",
            label=GEN_AI_LABEL,
            before=gen_ai[0],  # type: ignore[arg-type]
            after=gen_ai[1],  # type: ignore[arg-type]
            changed=changed,
            verified=True,
        ),
        SettingReport(
            key="ai-creation-tools", label="AI creation tools", before="off", after="off"
        ),
    ]
    outcome = "changes_needed" if "on" in gen_ai and not changed else "ok"
    return Report(
        outcome=outcome,  # type: ignore[arg-type]
        dry_run=not changed,
        selectors_version="2025-09",
        settings=settings,
        started_at=when,
        finished_at=when,
        locale="en",
    )


@pytest.fixture
def weeks_of_history(tmp_path) -> Path:
    """Four weekly checks, recorded through the history's own API."""
    path = tmp_path / "weeks.sqlite3"
    history = History.open(path)
    assert history is not None
    history.finish(None, "status", _report("2026-10-04T09:00", ("on", "on")))
    history.finish(None, "run", _report("2026-10-11T09:00", ("on", "off"), changed=True))
    history.finish(None, "status", _report("2026-10-18T09:00", ("off", "off")))
    back = history.finish(None, "status", _report("2026-10-25T09:00", ("on", "on")))
    assert [(c.key, c.since.date().isoformat()) for c in back] == [
        ("generative-ai-training", "2026-10-18")
    ]
    history.close()
    return path


def test_history_json_since_and_setting(cli, weeks_of_history):
    result = cli("history", "--history", str(weeks_of_history), "--json", li_at=None)
    assert result.code == 0, result.stderr
    data = result.json()
    assert data["database"] == str(weeks_of_history)
    assert [c["command"] for c in data["checks"]] == ["status", "run", "status", "status"]
    gen_ai, creation = data["timeline"]
    assert [(e["at"][:10], e["event"]) for e in gen_ai["events"]] == [
        ("2026-10-04", "seen_on"),
        ("2026-10-11", "seen_on"),
        ("2026-10-11", "switched_off"),
        ("2026-10-18", "seen_off"),
        ("2026-10-25", "found_back_on"),
    ]
    assert gen_ai["events"][-1]["off_since"].startswith("2026-10-18T09:00")
    assert {e["event"] for e in creation["events"]} == {"seen_off"}

    since = cli("history", "--history", str(weeks_of_history), "--json", "--since", "2026-10-18")
    data = since.json()
    assert [c["started_at"][:10] for c in data["checks"]] == ["2026-10-18", "2026-10-25"]
    # Found back on is worked out from the whole history, before the date too.
    assert [e["event"] for e in data["timeline"][0]["events"]] == ["seen_off", "found_back_on"]

    only = cli(
        "history", "--history", str(weeks_of_history), "--json", "--setting", "ai-creation-tools"
    )
    data = only.json()
    assert [t["key"] for t in data["timeline"]] == ["ai-creation-tools"]
    assert all(s["key"] == "ai-creation-tools" for c in data["checks"] for s in c["settings"])

    text = cli("history", "--history", str(weeks_of_history), "--setting", "ai-creation-tools")
    assert text.stdout.splitlines()[2:] == [
        "AI creation tools (ai-creation-tools)",
        "  2026-10-04 09:00  status  off (4 checks, until 2026-10-25 09:00)",
    ]

    bad = cli("history", "--history", str(weeks_of_history), "--since", "last week")
    assert bad.code == 2
    assert bad.stderr.strip() == "error: --since last week: not a date; give one like 2026-11-01."


def test_history_without_a_database_says_so_and_creates_nothing(cli, home):
    result = cli("history", li_at=None)
    assert result.code == 0
    assert result.stdout.strip() == f"No history yet: {history_file(home)} does not exist."
    assert not (home / ".local").exists()


def _choice_report(started: str, before: str, after: str, changed: bool = False) -> Report:
    when = datetime.fromisoformat(started).replace(tzinfo=UTC)
    setting = SettingReport(
        key="email-visibility",
        label="Who can see your email address",
        group="visibility",
        recommended="only-me",
        before=before,
        after=after,
        changed=changed,
        verified=True,
    )
    return Report(
        outcome="ok",
        dry_run=not changed,
        selectors_version="2025-09",
        settings=[setting],
        started_at=when,
        finished_at=when,
        locale="en",
    )


def test_a_choice_moved_to_a_less_private_value_is_named_with_both_values(cli, tmp_path):
    path = tmp_path / "choices.sqlite3"
    history = History.open(path)
    assert history is not None
    history.finish(None, "status", _choice_report("2026-10-25T09:00", "everyone", "everyone"))
    made_private = history.finish(
        None, "run", _choice_report("2026-11-01T09:00", "everyone", "only-me", changed=True)
    )
    assert made_private == []  # the person's own change is not LinkedIn's
    back = history.finish(
        None, "status", _choice_report("2026-11-08T09:00", "everyone", "everyone")
    )
    more_private = history.finish(
        None, "status", _choice_report("2026-11-15T09:00", "connections", "connections")
    )
    history.close()
    assert [(c.was, c.now, c.since.date().isoformat()) for c in back] == [
        ("only-me", "everyone", "2026-11-01")
    ]
    assert back_on_line(back[0]) == (
        "LinkedIn changed 'Who can see your email address' from Only visible to me to "
        "Anyone on LinkedIn since 2026-11-01."
    )
    assert more_private == []  # more private than the last check: not "back"

    data = cli("history", "--history", str(path), "--json", li_at=None).json()
    events = [
        (e["at"][:10], e["event"], e.get("value"), e.get("was"))
        for e in data["timeline"][0]["events"]
    ]
    assert events == [
        ("2026-10-25", "seen_value", "everyone", None),
        ("2026-11-01", "seen_value", "everyone", None),
        ("2026-11-01", "set_value", "only-me", None),
        ("2026-11-08", "found_less_private", "everyone", "only-me"),
        ("2026-11-15", "seen_value", "connections", None),
    ]
    text = cli("history", "--history", str(path), "--full", li_at=None)
    assert text.code == 0, text.stderr
    assert (
        "changed by LinkedIn from Only visible to me to Anyone on LinkedIn since 2026-11-01"
        in text.stdout
    )
