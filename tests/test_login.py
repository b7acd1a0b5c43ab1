"""Signing in and out: `login` in a browser (to a state file or a profile),
`login --import-cookies` (Netscape cookies.txt and browser-extension JSON exports),
and `logout`.

Every run is a real `linkedin-optout` process against the fixture site; the
assertions read the server's own state (site.settings(), site.saves,
site.requests), not only what the tool printed."""

from __future__ import annotations

import json
import re
import secrets
from pathlib import Path
from typing import Any

import pytest
from conftest import TOOL_TIMEOUT
from helpers import FUTURE, GEN_AI, HOST, exported, mode_of, write_state_file

from linkedin_optout.report import Report

# --- helpers -------------------------------------------------------------------------


def cookies_in(path: Path) -> list[dict[str, Any]]:
    data = json.loads(path.read_text())
    assert isinstance(data["cookies"], list)
    return data["cookies"]


def li_at_of(path: Path) -> str:
    values = [c["value"] for c in cookies_in(path) if c["name"] == "li_at"]
    assert len(values) == 1, values
    return values[0]


def netscape(*lines: tuple[str, str, str, str, int, str, str]) -> str:
    """cookies.txt: (domain, include-subdomains, path, secure, expiry, name, value);
    a domain starting with '#HttpOnly_' marks an HttpOnly cookie, as curl writes it."""
    out = ["# Netscape HTTP Cookie File", "# https://curl.se/docs/http-cookies.html", ""]
    out += ["\t".join(str(f) for f in line) for line in lines]
    return "\n".join(out) + "\n"


def assert_run_switched_off(site: Any, result: Any) -> None:
    assert result.code == 0, result.output
    report = result.json()
    Report.model_validate(report)
    assert report["outcome"] == "ok"
    assert site.settings()[GEN_AI] is False
    assert [(s.setting_id, s.value, s.persisted) for s in site.saves] == [(GEN_AI, False, True)]
    assert site.csrf_failures == 0


# --- login in a browser ----------------------------------------------------------------


def test_login_saves_the_session_0600_in_a_new_0700_folder_and_run_uses_it(site, cli, tmp_path):
    site.configure(autologin=True)
    path = tmp_path / "sessions" / "mine" / "state.json"
    result = cli("login", "--headless", "--state", str(path), "--timeout", TOOL_TIMEOUT, li_at=None)
    assert result.code == 0, result.output
    # The browser opened the sign-in page and the (auto) person signed in there.
    assert any(r.method == "GET" and r.path.startswith("/login") for r in site.requests)
    assert any(r.method == "POST" and r.path.startswith("/checkpoint/lg/") for r in site.requests)
    assert path.is_file()
    assert mode_of(path) == 0o600
    assert mode_of(path.parent) == 0o700  # the tool created this folder
    assert str(path) in result.stdout  # says where the session is
    # What it saved is the session the site handed out, for the site's own host only.
    cookies = cookies_in(path)
    assert {c["domain"].lstrip(".") for c in cookies} == {HOST}
    value = li_at_of(path)
    assert site.session_kind(value) == "valid"
    assert value not in result.output

    site_requests_before = len(site.requests)
    run = cli("run", "--state", str(path), "--json", "--timeout", TOOL_TIMEOUT, li_at=None)
    assert_run_switched_off(site, run)
    assert len(site.requests) > site_requests_before
    assert value not in run.output


def test_login_without_state_signs_in_to_the_tools_own_profile_and_runs_use_it(site, cli, home):
    site.configure(autologin=True)
    # An earlier imported session: a new sign-in replaces it.
    old = write_state_file(home / ".config" / "linkedin-optout" / "state.json", site.new_session())
    result = cli("login", "--headless", "--timeout", TOOL_TIMEOUT, li_at=None)
    assert result.code == 0, result.output
    profile = home / ".local" / "share" / "linkedin-optout" / "browser-profile"
    assert profile.is_dir(), list(home.rglob("*"))
    assert mode_of(profile) == 0o700
    assert mode_of(profile / "linkedin-optout-identity.json") == 0o600
    assert str(profile) in result.stdout
    assert not old.exists() and str(old) in result.stdout

    # No --state, no LINKEDIN_LI_AT: the profile login made is the session.
    run = cli("run", "--json", "--timeout", TOOL_TIMEOUT, li_at=None, process=True)
    assert_run_switched_off(site, run)
    assert run.json()["session"] == f"browser profile {profile}"
    assert site.killed == [] and len(site.identities) == 1

    # A new login starts a fresh profile: the old session is not in it.
    marker = profile / "left-from-the-last-sign-in"
    marker.write_text("")
    again = cli("login", "--headless", "--timeout", TOOL_TIMEOUT, li_at=None)
    assert again.code == 0, again.output
    assert not marker.exists()
    assert (profile / "linkedin-optout-identity.json").is_file()


def test_login_timeout_ends_with_a_clear_message_and_writes_nothing(site, cli, tmp_path):
    site.configure(autologin=False)
    path = tmp_path / "sessions" / "state.json"
    # Nobody ever signs in, so the wait always runs out, whatever the machine's speed; the
    # sign-in page itself loads under Playwright's own limit, not this one.
    result = cli("login", "--headless", "--state", str(path), "--timeout", "2", li_at=None)
    assert result.code != 0
    err = result.stderr.lower()
    assert "sign" in err and re.search(r"within|timed? ?out|no one|nobody", err), result.stderr
    assert "linkedin-optout login" in result.stderr
    assert "Traceback" not in result.output
    assert not path.exists()
    assert not path.parent.exists() or not any(path.parent.iterdir())
    # It did open the sign-in page, and nobody signed in.
    assert any(r.path.startswith("/login") for r in site.requests)
    assert not any(r.method == "POST" for r in site.requests)


# --- login --import-cookies ------------------------------------------------------------


def test_import_netscape_cookies_keeps_only_the_sites_own_and_run_works(site, cli, tmp_path):
    valid = site.new_session()
    other = f"other-site-li_at-{secrets.token_hex(8)}"
    source = tmp_path / "inputs" / "cookies.txt"
    source.parent.mkdir()
    source.write_text(
        netscape(
            (f"#HttpOnly_{HOST}", "FALSE", "/", "FALSE", 0, "li_at", valid),
            (HOST, "FALSE", "/", "FALSE", FUTURE, "lang", "v=2&lang=en-us"),
            (".example.com", "TRUE", "/", "TRUE", FUTURE, "li_at", other),
            (".google.com", "TRUE", "/", "TRUE", FUTURE, "NID", "made-up-google-value"),
        )
    )
    target = tmp_path / "state" / "state.json"
    result = cli("login", "--import-cookies", str(source), "--state", str(target), li_at=None)
    assert result.code == 0, result.output
    assert site.requests == []  # no browser, no page load
    assert str(target) in result.stdout
    assert mode_of(target) == 0o600
    assert mode_of(target.parent) == 0o700
    cookies = cookies_in(target)
    assert {c["domain"].lstrip(".") for c in cookies} == {HOST}
    assert sorted(c["name"] for c in cookies) == ["lang", "li_at"]
    assert li_at_of(target) == valid
    assert other not in target.read_text()
    assert valid not in result.output

    run = cli("run", "--state", str(target), "--json", "--timeout", TOOL_TIMEOUT, li_at=None)
    assert_run_switched_off(site, run)


def test_import_json_export_keeps_only_the_sites_own_and_run_works(site, cli, tmp_path):
    valid = site.new_session()
    other = f"other-site-li_at-{secrets.token_hex(8)}"
    export = [
        exported("li_at", valid, HOST, httpOnly=True),
        exported("JSESSIONID", '"ajax:4711000000000000042"', HOST),
        exported("lidc", "b=made-up", HOST, session=True, expirationDate=None),
        exported("timezone", "Europe/Amsterdam", HOST, sameSite="unspecified"),
        exported("li_at", other, ".example.com", secure=True, sameSite="no_restriction"),
        exported("_ga", "GA1.1.made-up", ".google.com", sameSite="no_restriction", secure=True),
    ]
    source = tmp_path / "inputs" / "cookies.json"
    source.parent.mkdir()
    source.write_text(json.dumps(export, indent=2))
    target = tmp_path / "state.json"
    result = cli("login", "--import-cookies", str(source), "--state", str(target), li_at=None)
    assert result.code == 0, result.output
    assert site.requests == []
    assert mode_of(target) == 0o600
    cookies = cookies_in(target)
    assert {c["domain"].lstrip(".") for c in cookies} == {HOST}
    assert sorted(c["name"] for c in cookies) == ["JSESSIONID", "li_at", "lidc", "timezone"]
    assert li_at_of(target) == valid
    assert other not in target.read_text()
    for secret in (valid, "4711000000000000042"):
        assert secret not in result.output

    run = cli("run", "--state", str(target), "--json", "--timeout", TOOL_TIMEOUT, li_at=None)
    assert_run_switched_off(site, run)
    for secret in (valid, "4711000000000000042"):
        assert secret not in run.output


def test_import_for_linkedin_keeps_linkedin_cookies_only(site, cli, tmp_path):
    export = [
        exported("li_at", "made-up-linkedin-session-0001", ".linkedin.com", secure=True),
        exported("JSESSIONID", '"ajax:1000000000000000001"', ".www.linkedin.com", secure=True),
        exported("lang", "v=2&lang=en-us", "www.linkedin.com"),
        exported("li_at", "made-up-lookalike-0002", ".notlinkedin.com", secure=True),
        exported("li_at", "made-up-lookalike-0003", "linkedin.com.evil.example", secure=True),
        exported("NID", "made-up-google-0004", ".google.com", secure=True),
    ]
    source = tmp_path / "inputs" / "cookies.json"
    source.parent.mkdir()
    source.write_text(json.dumps(export))
    target = tmp_path / "state.json"
    result = cli(
        "login", "--import-cookies", str(source), "--state", str(target),
        "--base-url", "https://www.linkedin.com", li_at=None,
    )  # fmt: skip
    assert result.code == 0, result.output
    cookies = cookies_in(target)
    assert sorted((c["name"], c["domain"]) for c in cookies) == [
        ("JSESSIONID", ".www.linkedin.com"),
        ("lang", "www.linkedin.com"),
        ("li_at", ".linkedin.com"),
    ]
    text = target.read_text()
    for value in ("0002", "0003", "0004"):
        assert value not in text
    assert site.requests == []


REFUSED_IMPORTS = {
    "empty": "",
    "blank-lines": "\n\n",
    "netscape-without-li_at": netscape(
        (HOST, "FALSE", "/", "FALSE", FUTURE, "lang", "v=2&lang=en-us"),
        (HOST, "FALSE", "/", "FALSE", FUTURE, "JSESSIONID", '"ajax:1234567890123456789"'),
    ),
    "netscape-li_at-of-another-site": netscape(
        (".example.com", "TRUE", "/", "TRUE", FUTURE, "li_at", "made-up-elsewhere"),
        (HOST, "FALSE", "/", "FALSE", FUTURE, "lang", "v=2&lang=en-us"),
    ),
    "json-without-li_at": json.dumps(
        [exported("lang", "v=2", HOST), exported("bcookie", "made-up", HOST)]
    ),
    "json-li_at-of-another-site": json.dumps(
        [exported("li_at", "made-up-elsewhere", ".example.com"), exported("lang", "v=2", HOST)]
    ),
    "json-empty-list": "[]",
}


@pytest.mark.parametrize("content", REFUSED_IMPORTS.values(), ids=REFUSED_IMPORTS.keys())
def test_import_without_a_session_cookie_for_the_site_is_refused(site, cli, tmp_path, content):
    source = tmp_path / "inputs" / "cookies.txt"
    source.parent.mkdir()
    source.write_text(content)
    target = tmp_path / "state" / "state.json"
    result = cli("login", "--import-cookies", str(source), "--state", str(target), li_at=None)
    assert result.code == 2, result.output
    err = result.stderr.lower()
    assert "error" in err
    assert str(source) in result.stderr  # names the file
    if content.strip() and content.strip() != "[]":
        assert "li_at" in result.stderr
    else:
        assert "empty" in err or "li_at" in err
    assert "made-up-elsewhere" not in result.output
    assert not target.exists()
    assert site.requests == []


# --- logout ------------------------------------------------------------------------------


def test_logout_deletes_the_saved_state(site, cli, home, tmp_path):
    default = write_state_file(
        home / ".config" / "linkedin-optout" / "state.json", site.new_session()
    )
    other = write_state_file(tmp_path / "other" / "state.json", site.new_session())

    result = cli("logout", "--state", str(other), li_at=None)
    assert result.code == 0, result.output
    assert not other.exists()
    assert default.exists()  # only the one asked for

    profile = home / ".local" / "share" / "linkedin-optout" / "browser-profile"
    profile.mkdir(parents=True)
    (profile / "Default").mkdir()
    result = cli("logout", li_at=None)
    assert result.code == 0, result.output
    assert not default.exists() and not profile.exists()  # both kinds login saves
    assert str(default) in result.stdout and str(profile) in result.stdout

    # LINKEDIN_LI_AT still signs in: logout says so rather than "no saved session".
    kept = cli("logout", li_at="fixture-li_at-set-elsewhere")
    assert "LINKEDIN_LI_AT is still set" in kept.output

    again = cli("logout", li_at=None)
    assert again.code == 0, again.output
    assert not default.exists()

    # Signed out: a run finds no session and loads no page.
    run = cli("run", "--json", li_at=None)
    assert run.code == 3, run.output
    assert run.json()["outcome"] == "auth_required"
    assert site.requests == []


def test_login_into_a_profile_then_run_with_it(site, cli, tmp_path):
    """--profile keeps the session in a browser profile of the tool's own."""
    profile = tmp_path / "profile"
    site.configure(autologin=True)
    result = cli(
        "login", "--headless", "--profile", str(profile), "--timeout", TOOL_TIMEOUT, li_at=None
    )
    assert result.code == 0, result.stderr
    assert oct(profile.stat().st_mode & 0o777) == "0o700"
    result = cli("run", "--profile", str(profile), "--json", "--timeout", TOOL_TIMEOUT, li_at=None)
    assert result.code == 0, result.stderr
    assert result.json()["session"] == f"browser profile {profile}"
    assert site.settings()["allowDataForGenerativeAI"] is False
