"""Bad state files (--state): each ends in exit 2 and one plain line naming the
file and what is wrong, with no traceback and no browser started (the fixture
site sees no request). The parser behind them, validate_state, is also checked
in-process with hypothesis: any input ends in a valid state or a one-line
UsageError, never in another exception, and never in an expiry Playwright refuses.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import TOOL_TIMEOUT
from helpers import FUTURE, GEN_AI
from hypothesis import example, given
from hypothesis import strategies as st
from input_helpers import (
    MAX_EXPIRES,
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
from linkedin_optout.statefile import validate_state

# -- state files (--state) ---------------------------------------------------------------


def test_a_valid_private_state_file_is_accepted(site, cli, tmp_path):
    """The control for the tests below: the same kind of file, well formed, works."""
    state = write(tmp_path / "state.json", state_json(site.new_session()))
    result = cli("status", "--json", "--timeout", TOOL_TIMEOUT, "--state", str(state), li_at=None)
    assert result.code == 1, result.stderr
    assert result.json()["settings"][0]["after"] == "on"
    assert site.settings()[GEN_AI] is True


BAD_STATES: dict[str, tuple[bytes, tuple[str, ...]]] = {
    "empty": (b"", ("empty",)),
    "blank": (b"  \n\t\n", ("empty",)),
    "truncated": (state_json("made-up-1").encode()[:37], ("truncated", "not valid json")),
    "binary": (bytes(range(128, 256)) * 4, ("binary", "not text")),
    "a-list": (b"[1, 2, 3]", ("storage state",)),
    "no-cookies": (b'{"origins": []}', ("storage state", "cookies")),
    "cookies-a-string": (b'{"cookies": "li_at=made-up"}', ("storage state", "cookies")),
    "cookie-without-name": (
        b'{"cookies": [{"value": "made-up", "domain": "127.0.0.1"}]}',
        ("storage state", "name"),
    ),
    "deeply-nested": (b"[" * 100_000, ("nested", "not valid json", "truncated")),
    "cookie-value-with-a-semicolon": (
        state_json("made-up;3").encode(),
        ("value", "storage state", "cookie"),
    ),
}


@pytest.mark.parametrize("case", list(BAD_STATES), ids=list(BAD_STATES))
def test_a_bad_state_file_exits_2_naming_it(site, cli, tmp_path, case):
    data, what = BAD_STATES[case]
    state = write(tmp_path / "state.json", data)
    result = cli("run", "--json", "--timeout", TOOL_TIMEOUT, "--state", str(state), li_at=None)
    line = the_error_line(result)
    assert str(state) in line
    assert says(line, *what), line
    assert site.requests == []  # refused before any browser or page
    assert site.saves == []


def test_a_state_file_others_can_read_is_refused_with_its_own_message(site, cli, tmp_path):
    state = write(tmp_path / "state.json", state_json(site.new_session()), mode=0o644)
    result = cli("run", "--json", "--timeout", TOOL_TIMEOUT, "--state", str(state), li_at=None)
    line = the_error_line(result)
    assert str(state) in line
    assert says(line, "others", "0644"), line
    assert "chmod 600" in result.stderr
    assert site.requests == []


@pytest.mark.parametrize("kind", ["missing", "a-folder"])
def test_a_state_path_that_is_not_a_file_exits_2(site, cli, tmp_path, kind):
    path = tmp_path / "state.json"
    if kind == "a-folder":
        path.mkdir()  # the usual mode of a new folder (0755 here)
    result = cli("run", "--json", "--timeout", TOOL_TIMEOUT, "--state", str(path), li_at=None)
    line = the_error_line(result)
    assert str(path) in line
    if kind == "missing":
        assert says(line, "does not exist", "not found"), line
    else:
        assert says(line, "folder", "directory"), line
    assert site.requests == []


# -- property tests: validate_state, in-process --------------------------------------------------

STATE_SEEDS = [
    state_json("made-up-10").encode(),
    json.dumps(
        {
            "cookies": [
                json.loads(state_json("made-up-11", domain=".linkedin.com", secure=True))[
                    "cookies"
                ][0],
                {
                    "name": "JSESSIONID",
                    "value": '"ajax:0"',
                    "domain": ".www.linkedin.com",
                    "path": "/",
                    "expires": FUTURE,
                    "httpOnly": False,
                    "secure": True,
                    "sameSite": "None",
                    "partitionKey": "x",
                },
            ],
            "origins": [
                {
                    "origin": "https://www.linkedin.com",
                    "localStorage": [{"name": "k", "value": "v"}],
                }
            ],
        },
        indent=2,
    ).encode(),
]


def check_state(raw: bytes) -> dict[str, Any] | None:
    try:
        state = validate_state(raw, "state.json")
    except UsageError as exc:
        assert_one_line_usage_error(exc, "state.json")
        event(f"refused: {exc.message.split(':')[0]}")
        return None
    event("accepted")
    assert isinstance(state, dict) and isinstance(state["cookies"], list)
    for cookie in state["cookies"]:
        assert isinstance(cookie["name"], str) and cookie["name"]
        assert isinstance(cookie["value"], str) and isinstance(cookie["domain"], str)
    assert isinstance(state["origins"], list)
    return state


@PROPS
@given(raw=st.binary(max_size=300) | json_documents)
@example(raw=b"")
@example(raw=b"\xef\xbb\xbf")
@example(raw=b"[" * 100_000)
@example(raw=b'{"cookies": [], "origins": {}}')
@example(raw=b'{"cookies": [{"name": "li_at", "value": "x", "domain": "a", "expires": true}]}')
def test_validate_state_any_input_is_a_state_or_one_line_usage_error(raw):
    check_state(raw)


@PROPS
@given(raw=mutated(STATE_SEEDS))
def test_validate_state_damaged_files_are_a_state_or_one_line_usage_error(raw):
    check_state(raw)


def test_an_expiry_beyond_the_year_9999_is_read_as_forever():
    """Browsers cap cookie lifetimes; a state file saying 'in 1e20 seconds' is
    not broken, so it is accepted with the latest expiry Playwright takes."""
    state = validate_state(state_json("made-up-2", expires=1e20).encode(), "state.json")
    assert state["cookies"][0]["expires"] == MAX_EXPIRES


@PROPS
@given(raw=json_documents | mutated(STATE_SEEDS))
@example(raw=state_json("made-up-12", expires=1e20).encode())
@example(raw=state_json("made-up-13", expires=-5).encode())
def test_every_state_file_accepted_has_expiries_playwright_accepts(raw):
    state = check_state(raw)
    if state is not None:
        bad = [c["expires"] for c in state["cookies"] if not playwright_accepts_expiry(c)]
        assert not bad, f"accepted, but Playwright refuses these expiries: {bad}"
