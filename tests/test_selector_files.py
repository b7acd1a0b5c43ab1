"""Bad selector files (--selectors FILE, selectors check): each ends in exit 2 and
one plain line naming the file, then one indented "dotted.path: reason" line per
problem, with no browser started. The parser behind them, parse_selector_file, is
also checked in-process with hypothesis: any input (bytes, TOML-ish text, bundled
files damaged or with values replaced) ends in a valid file or a UsageError of
that shape, never in another exception.
"""

from __future__ import annotations

import copy
import json
import math
import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
from conftest import TOOL_TIMEOUT
from hypothesis import example, given
from hypothesis import strategies as st
from input_helpers import PROPS, event, mutated, says, the_error_line, write

from linkedin_optout.errors import UsageError
from linkedin_optout.selector_paths import dated_files
from linkedin_optout.selectors import SelectorFile, parse_selector_file

REPO = Path(__file__).resolve().parents[1]
SELECTOR_FILES = dated_files(REPO / "selectors")

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


def test_an_unknown_selector_file_exits_2(site, cli):
    result = cli("run", "--json", "--selectors", "1999-01")
    line = the_error_line(result)
    assert "1999-01" in line and "--selectors" in line
    assert site.requests == []


# -- property tests: parse_selector_file, in-process ---------------------------------------------

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


def check_selector_file(path: Path, raw: bytes) -> list[str] | None:
    """None if the file is valid; else the error's lines, once their shape is checked."""
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
        return lines
    assert isinstance(result, SelectorFile)
    event("accepted")
    return None


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
    """The key is the input's: the dotted path must not let it break the line structure.
    The file is refused, and the key's own line names it with the break escaped."""
    lines = check_selector_file(selector_path, b'schema_version = 1\n"bad\\nkey" = 1\n')
    assert lines is not None, "a file with an unknown key (and schema_version 1) was accepted"
    assert [line for line in lines[1:] if "bad\\nkey" in line], lines


def test_the_toml_writer_used_above_round_trips_the_bundled_files():
    """So the mutated files above differ from the bundled ones only by the mutation."""
    for data in VALID_SELECTORS:
        assert tomllib.loads(to_toml(data)) == data
