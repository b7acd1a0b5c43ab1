"""Never lie about a setting: bad input.

Each bad file or option ends in exit 2 and one plain line that names the file or
option and says what is wrong: no traceback, no browser started (the fixture
site sees no request). The parsers behind them are also checked in-process with
hypothesis: any input ends in a valid result or a one-line UsageError, never in
another exception.
"""

from __future__ import annotations

import copy
import json
import math
import os
import re
import time
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import TOOL_TIMEOUT
from hypothesis import HealthCheck, example, given, settings
from hypothesis import event as hypothesis_event
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from linkedin_optout.errors import UsageError
from linkedin_optout.selector_paths import layout_files
from linkedin_optout.selectors import SelectorFile, parse_selector_file
from linkedin_optout.statefile import parse_cookie_export, validate_state

REPO = Path(__file__).resolve().parents[1]
SELECTOR_FILES = layout_files(REPO / "selectors")
GEN_AI = "allowDataForGenerativeAI"
FUTURE = int(time.time()) + 30 * 86400
PAST = 1_000_000_000  # 2001
# Playwright refuses a cookie whose expiry is not -1 or a time before year 10000.
MAX_EXPIRES = 253402300799


# -- helpers ---------------------------------------------------------------------------


def write(path: Path, data: bytes | str, mode: int = 0o600) -> Path:
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    os.chmod(path, mode)
    return path


def state_json(li_at: str, domain: str = "127.0.0.1", **cookie: Any) -> str:
    li = {
        "name": "li_at",
        "value": li_at,
        "domain": domain,
        "path": "/",
        "expires": -1,
        "httpOnly": True,
        "secure": False,
        "sameSite": "Lax",
        **cookie,
    }
    return json.dumps({"cookies": [li], "origins": []})


def the_error_line(result: Any) -> str:
    """Exit 2, no traceback, exactly one error line: return it."""
    assert result.code == 2, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.lower().startswith("error:")]
    assert len(lines) == 1, result.stderr
    return lines[0]


def says(line: str, *words: str) -> bool:
    return any(w.lower() in line.lower() for w in words)


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


# -- selector files (--selectors FILE) ----------------------------------------------------------


def selector_text() -> str:
    return (REPO / "selectors" / "2024-09.toml").read_text()


def bad_selector_files() -> dict[str, tuple[bytes, tuple[str, ...]]]:
    text = selector_text()
    title = next(line for line in text.splitlines() if line.startswith("title = "))
    cases = {
        "missing-field": (text.replace(title + "\n", ""), ("title",)),
        "unknown-field": (
            text.replace("schema_version = 2\n", 'schema_version = 2\ncolour = "red"\n'),
            ("colour",),
        ),
        "wrong-type": (
            text.replace('languages = ["en", "nl", "de", "fr"]', 'languages = "en"'),
            ("languages",),
        ),
        "bad-toml": (text.replace('version = "2024-09"', 'version = "2024-09'), ("toml",)),
    }
    for data, _ in cases.values():
        assert data != text  # each case really changed the file
    return {
        **{name: (data.encode(), what) for name, (data, what) in cases.items()},
        "binary": (bytes(range(128, 256)), ("not text", "utf-8")),
    }


BAD_SELECTORS = list(bad_selector_files())


@pytest.mark.parametrize("case", BAD_SELECTORS, ids=BAD_SELECTORS)
def test_a_bad_selector_file_exits_2_naming_it_and_the_field(site, cli, tmp_path, case):
    data, what = bad_selector_files()[case]
    path = write(tmp_path / "mine.toml", data, mode=0o644)
    result = cli("run", "--json", "--timeout", TOOL_TIMEOUT, "--selectors", str(path))
    line = the_error_line(result)
    assert str(path) in line
    # The header line names the file; a schema problem follows as indented
    # "dotted.path: reason" lines, one per problem.
    detail = [ln for ln in result.stderr.splitlines() if ln.startswith("  ") and ": " in ln]
    assert says("\n".join([line, *detail]), *what), result.stderr
    assert site.requests == []


def test_the_unchanged_selector_file_is_accepted(cli, tmp_path):
    """The control for the cases above: the file they start from validates."""
    path = write(tmp_path / "mine.toml", selector_text(), mode=0o644)
    result = cli("selectors", "check", str(path))
    assert result.code == 0, result.output


@pytest.mark.parametrize("kind", ["missing", "a-folder"])
def test_a_selector_path_that_is_not_a_file_exits_2(site, cli, tmp_path, kind):
    path = tmp_path / "mine.toml"
    if kind == "a-folder":
        path.mkdir()
    result = cli("run", "--json", "--timeout", TOOL_TIMEOUT, "--selectors", str(path))
    line = the_error_line(result)
    assert str(path) in line
    assert (
        says(line, "does not exist", "not found")
        if kind == "missing"
        else says(line, "folder", "directory")
    ), line
    assert site.requests == []


def test_an_unknown_selector_version_exits_2(site, cli):
    result = cli("run", "--json", "--selectors", "1999-01")
    line = the_error_line(result)
    assert "1999-01" in line and "--selectors" in line
    assert site.requests == []


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


# -- property tests: the parsers, in-process -----------------------------------------------------

PROPS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

json_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
)
json_values = st.recursive(
    json_leaves,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)

COOKIE_FIELDS = [
    "name",
    "value",
    "domain",
    "path",
    "expires",
    "expirationDate",
    "httpOnly",
    "secure",
    "sameSite",
    "session",
    "hostOnly",
    "partitionKey",
    "storeId",
]
cookie_names = st.sampled_from(["li_at", "JSESSIONID", "lang", "", "li_at "]) | st.text(max_size=8)
cookie_domains = st.sampled_from(
    ["127.0.0.1", ".linkedin.com", "www.linkedin.com", "example.com", "", "."]
) | st.text(max_size=12)
expiries = st.sampled_from([-1, 0, PAST, FUTURE, MAX_EXPIRES, 1e20]) | st.floats() | json_leaves


@st.composite
def cookie_dicts(draw: Any) -> dict[str, Any]:
    cookie: dict[str, Any] = {}
    if draw(st.booleans()):
        cookie["name"] = draw(cookie_names)
    if draw(st.booleans()):
        cookie["value"] = draw(st.sampled_from(["made-up-9", ""]) | st.text(max_size=8))
    if draw(st.booleans()):
        cookie["domain"] = draw(cookie_domains)
    for field in draw(st.lists(st.sampled_from(COOKIE_FIELDS), max_size=5)):
        cookie[field] = draw(expiries if field in ("expires", "expirationDate") else json_values)
    return cookie


cookie_lists = st.lists(cookie_dicts() | json_values, max_size=4)
state_shapes = st.fixed_dictionaries(
    {"cookies": cookie_lists | json_values},
    optional={"origins": json_values | st.lists(st.dictionaries(st.text(max_size=8), json_values))},
)
json_documents = (json_values | state_shapes | cookie_lists).map(lambda v: json.dumps(v).encode())


@st.composite
def mutated(draw: Any, seeds: list[bytes]) -> bytes:
    """A valid file, damaged a little: cut, a slice dropped, bytes put in, a byte changed."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 3))):
        if not data:
            break
        at = draw(st.integers(0, len(data)))
        kind = draw(st.sampled_from(["cut", "drop", "insert", "change"]))
        if kind == "cut":
            del data[at:]
        elif kind == "drop":
            del data[at : at + draw(st.integers(1, 40))]
        elif kind == "insert":
            data[at:at] = draw(
                st.binary(max_size=8)
                | st.sampled_from([b'"', b"{", b"}", b"[", b"]", b",", b"\t", b"\n", b"\x00"])
            )
        elif at < len(data):
            data[at] = draw(st.integers(0, 255))
    return bytes(data)


def assert_one_line_usage_error(exc: UsageError, name: str) -> None:
    assert exc.message and "\n" not in exc.message, repr(exc.message)
    assert name in exc.message, exc.message


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


def playwright_accepts_expiry(cookie: dict[str, Any]) -> bool:
    expires = cookie["expires"]
    return expires == -1 or (math.isfinite(expires) and 0 < expires <= MAX_EXPIRES)


@PROPS
@given(raw=json_documents | mutated(STATE_SEEDS))
@example(raw=state_json("made-up-12", expires=1e20).encode())
@example(raw=state_json("made-up-13", expires=-5).encode())
def test_a_state_validate_state_accepts_has_expiries_playwright_accepts(raw):
    state = check_state(raw)
    if state is not None:
        bad = [c["expires"] for c in state["cookies"] if not playwright_accepts_expiry(c)]
        assert not bad, f"accepted, but Playwright refuses these expiries: {bad}"


# -- cookie exports ----------------------------------------------------------------------

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
def test_an_export_parse_cookie_export_accepts_has_expiries_playwright_accepts(raw, base_url):
    state = check_export(raw, base_url)
    if state is not None:
        bad = [c["expires"] for c in state["cookies"] if not playwright_accepts_expiry(c)]
        assert not bad, f"accepted, but Playwright refuses these expiries: {bad}"


# -- selector files ----------------------------------------------------------------------

VALID_SELECTORS = [tomllib.loads(p.read_text()) for p in SELECTOR_FILES]
SELECTOR_KEYS = sorted(
    {
        "schema_version",
        "version",
        "title",
        "languages",
        "urls",
        "session",
        "settings",
        "key",
        "strategies",
        "labelledby",
        "labels",
        "row",
        "href",
        "css",
        "text",
        "en",
        "xx",
    }
)


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON string escapes are TOML basic-string escapes
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(type(value))


def to_toml(data: dict[str, Any]) -> str:
    return "\n".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in data.items()) + "\n"


toml_leaves = (
    st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats()
    | st.sampled_from(["en", "2024-09", "/x", "labelledby", "generative-ai-training", "", "a"])
    | st.text(max_size=12)
)
toml_values = st.recursive(
    toml_leaves,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.sampled_from(SELECTOR_KEYS) | st.text(max_size=8), children, max_size=3
        )
    ),
    max_leaves=12,
)


@st.composite
def mutated_selector_data(draw: Any) -> dict[str, Any]:
    """A bundled selector file, parsed, with one to three values replaced, removed or added."""
    data = copy.deepcopy(draw(st.sampled_from(VALID_SELECTORS)))
    for _ in range(draw(st.integers(1, 3))):
        node: Any = data
        while True:
            keys = sorted(node) if isinstance(node, dict) else list(range(len(node)))
            if not keys:
                break
            key = draw(st.sampled_from(keys))
            child = node[key]
            if isinstance(child, dict | list) and child and draw(st.booleans()):
                node = child
                continue
            action = draw(st.sampled_from(["replace", "remove", "add"]))
            if action == "replace":
                node[key] = draw(toml_values)
            elif action == "remove":
                del node[key]
            elif isinstance(node, dict):
                node[draw(st.sampled_from(SELECTOR_KEYS) | st.text(max_size=8))] = draw(toml_values)
            else:
                node.append(draw(toml_values))
            break
    return data


toml_ish_text = st.text(
    alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyz_-0123456789 =\"[]{}.,#'\n\t\\")),
    max_size=200,
)
SELECTOR_SEEDS = [p.read_bytes() for p in SELECTOR_FILES]
# A header line naming the file, then one indented "dotted.path: reason" line per problem.
DETAIL_LINE = re.compile(r"  \S[^\n]*: \S[^\n]*")


@pytest.fixture(scope="module")
def selector_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("selectors") / "candidate.toml"


def event(name: str) -> None:
    """Hypothesis statistics, when running under hypothesis (not in plain tests)."""
    if currently_in_test_context():
        hypothesis_event(name)


def check_selector_file(path: Path, raw: bytes) -> None:
    path.write_bytes(raw)
    try:
        result = parse_selector_file(path)
    except UsageError as exc:
        lines = exc.message.split("\n")
        assert str(path) in lines[0], exc.message
        if len(lines) > 1:
            assert lines[0].endswith(":"), exc.message
            for line in lines[1:]:
                assert DETAIL_LINE.fullmatch(line), f"not a dotted-path line: {line!r}"
        event(f"refused: {lines[0].replace(str(path), 'FILE')[:40]}")
        return
    assert isinstance(result, SelectorFile)
    event("accepted")


@PROPS
@given(
    raw=st.binary(max_size=300)
    | toml_ish_text.map(str.encode)
    | st.dictionaries(st.sampled_from(SELECTOR_KEYS), toml_values, max_size=6).map(
        lambda d: to_toml(d).encode()
    )
)
@example(raw=b"")
@example(raw=b"\xff\xfe")
@example(raw=b"schema_version = 1\n")
@example(raw=b"a = [" * 5000)
def test_parse_selector_file_any_input_is_valid_or_a_usage_error_of_the_right_shape(
    selector_path, raw
):
    check_selector_file(selector_path, raw)


@PROPS
@given(raw=mutated(SELECTOR_SEEDS) | mutated_selector_data().map(lambda d: to_toml(d).encode()))
def test_parse_selector_file_damaged_files_are_valid_or_a_usage_error_of_the_right_shape(
    selector_path, raw
):
    check_selector_file(selector_path, raw)


def test_a_key_with_a_line_break_keeps_the_selector_error_shape(selector_path):
    """The key is the input's: the dotted path must not let it break the line structure."""
    check_selector_file(selector_path, b'schema_version = 1\n"bad\\nkey" = 1\n')


def test_the_toml_writer_used_above_round_trips_the_bundled_files():
    """So the mutated files above differ from the bundled ones only by the mutation."""
    for data in VALID_SELECTORS:
        assert tomllib.loads(to_toml(data)) == data
