"""The selector tooling: `selectors list`, `selectors check` (valid files, errors
by dotted path, bad TOML) and `selectors probe`, against the fixture site."""

from __future__ import annotations

import re

import pytest
from conftest import TOOL_TIMEOUT
from helpers import (
    TOOLS,
    TRAINING,
    bundled_text,
    edited,
    no_id_selectors,
    posts,
)

from linkedin_optout.selectors import selectors_dir, site_facts

# --- selector tooling ------------------------------------------------------------------------


def test_selectors_list_shows_selector_files_languages_and_settings(site, cli):
    result = cli("selectors", "list", li_at=None)
    assert result.code == 0, result.output
    out = result.stdout
    assert out.index("2025-09") < out.index("2024-09")  # newest first
    blocks = {}
    for name in ("2024-09", "2025-09"):
        lines = out.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith(name))
        blocks[name] = (lines[at + 1], lines[at + 2])
    for languages, _ in blocks.values():
        assert re.search(r"\ben, nl, de, fr\b", languages)
    # The dated file's own settings first, then those every selector file shares.
    shared = ", ".join(s.key for s in site_facts().settings)
    assert blocks["2024-09"][1].split(":", 1)[1].strip() == f"{TRAINING}, {shared}"
    assert blocks["2025-09"][1].split(":", 1)[1].strip() == f"{TRAINING}, {TOOLS}, {shared}"
    assert site.requests == []


@pytest.mark.parametrize("name", ["2024-09", "2025-09"])
def test_selectors_check_accepts_the_bundled_files(site, cli, name):
    result = cli("selectors", "check", str(selectors_dir() / f"{name}.toml"), li_at=None)
    assert result.code == 0, result.output
    assert "valid" in result.stdout
    assert name in result.stdout


def test_selectors_check_accepts_a_valid_edited_copy(site, cli, tmp_path):
    path = no_id_selectors(tmp_path, ["role-name", "label-near"])
    result = cli("selectors", "check", str(path), li_at=None)
    assert result.code == 0, result.output
    assert "2099-01" in result.stdout


KEY_LINE = 'key = "generative-ai-training"\n'
BROKEN = {
    "missing-field": (KEY_LINE, "", "settings.0.key:"),
    "missing-top-level-field": ('\nversion = "2024-09"\n', "\n", "version:"),
    "unknown-field": (KEY_LINE, KEY_LINE + 'colour = "red"\n', "settings.0.colour:"),
    "unknown-nested-field": (
        "[hub_markers]\n",
        '[hub_markers]\nshade = "dark"\n',
        "hub_markers.shade:",
    ),
    "wrong-type": (
        'strategies = ["labelledby", "role-name", "label-near"]',
        'strategies = "labelledby"',
        "settings.0.strategies:",
    ),
    "wrong-item": (
        'strategies = ["labelledby", "role-name", "label-near"]',
        'strategies = ["labelledby", "guess"]',
        "settings.0.strategies.1:",
    ),
    "wrong-number-type": ("schema_version = 2\n", 'schema_version = "2"\n', "schema_version:"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_selectors_check_names_the_error_by_its_dotted_path(site, cli, tmp_path, case):
    old, new, where = BROKEN[case]
    path = tmp_path / f"{case}.toml"
    path.write_text(edited(bundled_text(), old, new), encoding="utf-8")
    result = cli("selectors", "check", str(path), li_at=None)
    assert result.code == 2, result.output
    assert "Traceback" not in result.output
    assert "valid," not in result.stdout
    lines = [line.strip() for line in result.stderr.splitlines()]
    assert any(line.startswith(where) for line in lines), result.stderr
    assert str(path) in result.stderr


@pytest.mark.parametrize(
    "content",
    [
        'schema_version = 1\n[urls\nlanding = "/x"\n',
        'version = "2024-09\n',
        "\u00ff\u00fe".encode("latin-1"),
    ],
    ids=["unclosed-table", "unclosed-string", "not-utf8"],
)
def test_selectors_check_rejects_bad_toml_plainly(site, cli, tmp_path, content):
    path = tmp_path / "bad.toml"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    result = cli("selectors", "check", str(path), li_at=None)
    assert result.code == 2, result.output
    assert "Traceback" not in result.output
    assert str(path) in result.stderr
    assert "TOML" in result.stderr


def test_selectors_check_of_a_missing_file_is_a_usage_error(site, cli, tmp_path):
    result = cli("selectors", "check", str(tmp_path / "nope.toml"), li_at=None)
    assert result.code == 2, result.output
    assert "nope.toml" in result.stderr


@pytest.mark.parametrize(
    ("config", "name", "lang", "expected"),
    [
        ({}, "2024-09", "en", {TRAINING: ("on", "labelledby"), TOOLS: ("absent", "-")}),
        (
            {"layout": "2025-09", "lang": "de"},
            "2025-09",
            "de",
            {TRAINING: ("on", "labelledby"), TOOLS: ("on", "role-name")},
        ),
        (
            {"lang": "fr", "switch_shape": "button"},
            "2024-09",
            "fr",
            {TRAINING: ("on", "labelledby"), TOOLS: ("absent", "-")},
        ),
    ],
    ids=["2024-09-en", "2025-09-de", "2024-09-fr-button"],
)
def test_probe_finds_selector_file_language_and_strategy_and_changes_nothing(
    site, walk, config, name, lang, expected
):
    site.configure(**config)
    before = site.settings()
    result = walk("probe")
    assert result.code == 0, result.output
    report = result.json()
    assert (report["selectors_version"], report["locale"]) == (name, lang)
    found = {s["key"]: (s["after"], s["strategy"] or "-") for s in report["settings"]}
    assert found == expected
    assert site.settings() == before
    assert site.saves == []
    assert posts(site) == []


def test_selectors_probe_prints_selector_file_language_and_strategy_and_changes_nothing(site, cli):
    """The command's own output; what it finds on each shape is tested above."""
    site.configure(layout="2025-09", lang="de")
    before = site.settings()
    result = cli("selectors", "probe", "--timeout", TOOL_TIMEOUT)
    assert result.code == 0, result.output
    out = result.stdout
    assert re.search(r"^Selector version:\s+2025-09$", out, re.M), out
    assert re.search(r"^Page language:\s+de$", out, re.M), out
    expected = {TRAINING: ("on", "labelledby"), TOOLS: ("on", "role-name")}
    for key, (state, strategy) in expected.items():
        assert re.search(rf"^{key}: {state}, strategy {re.escape(strategy)}$", out, re.M), out
    assert "Strategies tried:" in out
    assert site.settings() == before
    assert site.saves == []
    assert posts(site) == []
