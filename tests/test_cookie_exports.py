"""Bad cookie exports (login --import-cookies): each ends in exit 2 and one plain
line naming the file and what is wrong, with nothing half-written and no browser
started. The parser behind them, parse_cookie_export, is also checked in-process
with hypothesis: any input (JSON, Netscape cookies.txt, damaged) ends in a state
with a live li_at or a one-line UsageError, never in another exception, and never
in an expiry Playwright refuses.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest
from helpers import FUTURE
from hypothesis import example, given
from hypothesis import strategies as st
from input_helpers import (
    PAST,
    PROPS,
    assert_one_line_usage_error,
    event,
    json_documents,
    mutated,
    playwright_accepts_expiry,
    says,
    state_json,
    the_error_line,
    write,
)

from linkedin_optout.errors import UsageError
from linkedin_optout.statefile import parse_cookie_export

# -- cookie exports (login --import-cookies) --------------------------------------------------

BAD_EXPORTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "json-without-li_at": (
        json.dumps([{"name": "JSESSIONID", "value": "ajax:made-up", "domain": "127.0.0.1"}]),
        ("no li_at",),
    ),
    "json-li_at-of-another-site": (
        json.dumps([{"name": "li_at", "value": "made-up-4", "domain": "example.com"}]),
        ("no li_at",),
    ),
    "netscape-without-li_at": (
        "# Netscape HTTP Cookie File\n127.0.0.1\tFALSE\t/\tFALSE\t0\tlang\ten\n",
        ("no li_at",),
    ),
    "json-li_at-expired": (
        json.dumps(
            [{"name": "li_at", "value": "made-up-5", "domain": "127.0.0.1", "expirationDate": PAST}]
        ),
        ("expired",),
    ),
    "netscape-li_at-expired": (
        f"#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t{PAST}\tli_at\tmade-up-6\n",
        ("expired",),
    ),
    "empty": ("", ("empty",)),
    "truncated-json": ('[{"name": "li_at", "value": "made-up-7", "dom', ("truncated", "json")),
}


def import_cookies(cli: Any, site: Any, export: Path, target: Path) -> Any:
    """`login --import-cookies EXPORT --state TARGET` for the fixture site."""
    return cli(
        "login",
        "--import-cookies",
        str(export),
        "--state",
        str(target),
        "--base-url",
        site.url,
        li_at=None,
    )


@pytest.mark.parametrize("case", list(BAD_EXPORTS), ids=list(BAD_EXPORTS))
def test_a_bad_cookie_export_exits_2_naming_it(site, cli, tmp_path, case):
    text, what = BAD_EXPORTS[case]
    export = write(tmp_path / "cookies.txt", text)
    target = tmp_path / "out" / "state.json"
    result = import_cookies(cli, site, export, target)
    line = the_error_line(result)
    assert str(export) in line
    assert says(line, *what), line
    assert not target.exists()  # nothing half-written
    assert site.requests == []


def test_a_good_cookie_export_is_imported_0600(site, cli, tmp_path):
    """The control: the same kind of export with a live li_at is taken."""
    text = f"#HttpOnly_127.0.0.1\tFALSE\t/\tFALSE\t{FUTURE}\tli_at\tmade-up-8\n"
    export = write(tmp_path / "cookies.txt", text)
    target = tmp_path / "out" / "state.json"
    result = import_cookies(cli, site, export, target)
    assert result.code == 0, result.stderr
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert [c["name"] for c in json.loads(target.read_text())["cookies"]] == ["li_at"]


@pytest.mark.parametrize("kind", ["missing", "a-folder"])
def test_a_cookie_export_path_that_is_not_a_file_exits_2(site, cli, tmp_path, kind):
    path = tmp_path / "cookies.txt"
    if kind == "a-folder":
        path.mkdir()
    target = tmp_path / "out" / "state.json"
    result = import_cookies(cli, site, path, target)
    line = the_error_line(result)
    assert str(path) in line
    assert (
        says(line, "does not exist", "not found")
        if kind == "missing"
        else says(line, "folder", "directory")
    ), line
    assert not target.exists()


# -- property tests: parse_cookie_export, in-process ---------------------------------------------

BASE_URLS = ["http://127.0.0.1:8765", "https://www.linkedin.com"]
netscape_fields = st.lists(
    st.sampled_from(
        [
            "127.0.0.1",
            ".linkedin.com",
            "TRUE",
            "FALSE",
            "/",
            "0",
            str(PAST),
            str(FUTURE),
            "1e20",
            "nan",
            "-inf",
            "li_at",
            "JSESSIONID",
            "made-up-14",
            "",
        ]
    )
    | st.text(alphabet=st.characters(blacklist_characters="\t\n\r", codec="utf-8"), max_size=10),
    min_size=0,
    max_size=9,
)
netscape_lines = st.tuples(st.sampled_from(["", "#HttpOnly_", "# ", "#"]), netscape_fields).map(
    lambda t: t[0] + "\t".join(t[1])
)
netscape_files = st.tuples(
    st.lists(netscape_lines, max_size=5), st.sampled_from(["\n", "\r\n", "\r"])
).map(lambda t: t[1].join(t[0]).encode())

EXPORT_SEEDS = [
    json.dumps(
        [
            {
                "domain": ".linkedin.com",
                "expirationDate": FUTURE,
                "hostOnly": False,
                "httpOnly": True,
                "name": "li_at",
                "path": "/",
                "sameSite": "no_restriction",
                "secure": True,
                "session": False,
                "storeId": "0",
                "value": "made-up-15",
            },
            {
                "domain": "127.0.0.1",
                "expirationDate": FUTURE,
                "httpOnly": True,
                "name": "li_at",
                "path": "/",
                "sameSite": "lax",
                "secure": False,
                "value": "made-up-16",
            },
        ],
        indent=2,
    ).encode(),
    (
        "# Netscape HTTP Cookie File\n"
        f"#HttpOnly_.linkedin.com\tTRUE\t/\tTRUE\t{FUTURE}\tli_at\tmade-up-17\n"
        f"127.0.0.1\tFALSE\t/\tFALSE\t{FUTURE}\tli_at\tmade-up-18\n"
        '.www.linkedin.com\tTRUE\t/\tTRUE\t0\tJSESSIONID\t"ajax:0"\n'
    ).encode(),
    state_json("made-up-19").encode(),
]


def check_export(raw: bytes, base_url: str) -> dict[str, Any] | None:
    try:
        state = parse_cookie_export(raw, "cookies.txt", base_url)
    except UsageError as exc:
        assert_one_line_usage_error(exc, "cookies.txt")
        event(f"refused: {exc.message.split(':')[0].replace('cookies.txt', 'FILE')}")
        return None
    assert isinstance(state, dict) and isinstance(state["cookies"], list)
    now = time.time()
    live_li_at = [
        c
        for c in state["cookies"]
        if c["name"] == "li_at" and c["value"] and (c["expires"] == -1 or c["expires"] > now)
    ]
    assert live_li_at, "an export without a live li_at was accepted"
    event("accepted")
    return state


@PROPS
@given(
    raw=st.binary(max_size=300) | json_documents | netscape_files,
    base_url=st.sampled_from(BASE_URLS),
)
@example(raw=b"[" * 100_000, base_url=BASE_URLS[0])
@example(raw=b"\t\t\t\t\t\t", base_url=BASE_URLS[0])
@example(raw=b'{"cookies": 1}', base_url=BASE_URLS[1])
def test_parse_cookie_export_any_input_is_a_state_or_one_line_usage_error(raw, base_url):
    check_export(raw, base_url)


@PROPS
@given(raw=mutated(EXPORT_SEEDS), base_url=st.sampled_from(BASE_URLS))
def test_parse_cookie_export_damaged_files_are_a_state_or_one_line_usage_error(raw, base_url):
    check_export(raw, base_url)


@PROPS
@given(
    raw=json_documents | netscape_files | mutated(EXPORT_SEEDS),
    base_url=st.sampled_from(BASE_URLS),
)
@example(
    raw=b"127.0.0.1\tFALSE\t/\tFALSE\t1e20\tli_at\tmade-up-20\n",
    base_url=BASE_URLS[0],
)
def test_every_cookie_export_accepted_has_expiries_playwright_accepts(raw, base_url):
    state = check_export(raw, base_url)
    if state is not None:
        bad = [c["expires"] for c in state["cookies"] if not playwright_accepts_expiry(c)]
        assert not bad, f"accepted, but Playwright refuses these expiries: {bad}"
