"""What the bad-input tests share (test_state_files.py, test_cookie_exports.py,
test_selector_files.py, test_options.py): the files they write, the one error line
a bad input ends in, and the hypothesis settings, strategies and checks of the
parsers' property tests."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path
from typing import Any

from helpers import FUTURE
from hypothesis import HealthCheck, settings
from hypothesis import event as hypothesis_event
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from linkedin_optout.errors import UsageError

PAST = 1_000_000_000  # 2001
# Playwright refuses a cookie whose expiry is not -1 or a time before year 10000.
MAX_EXPIRES = 253402300799


# -- the files the tests write, and the one error line -------------------------------------


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


# -- property tests: hypothesis settings, strategies and checks ----------------------------

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


def playwright_accepts_expiry(cookie: dict[str, Any]) -> bool:
    expires = cookie["expires"]
    return expires == -1 or (math.isfinite(expires) and 0 < expires <= MAX_EXPIRES)


def event(name: str) -> None:
    """Hypothesis statistics, when running under hypothesis (not in plain tests)."""
    if currently_in_test_context():
        hypothesis_event(name)
