"""Where the selector files are, read without pydantic: the CLI's --help lists
the bundled settings' keys, and importing the CLI must stay fast."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from pathlib import Path

SITE_FILE = "site.toml"


def selectors_dir() -> Path:
    """The bundled selector files: inside the wheel, or at the top of a checkout."""
    packaged = resources.files("linkedin_optout").joinpath("_selectors")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "selectors"


def dated_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.toml") if p.name != SITE_FILE)


def bundled_key_names() -> list[str]:
    """The bundled settings' keys for --help, read without pydantic (it stays fast)."""
    return _bundled_setting_field("key")


def bundled_group_names() -> list[str]:
    """The bundled settings' groups, in file order, for --help (without pydantic)."""
    return _bundled_setting_field("group")


def _bundled_setting_field(name: str) -> list[str]:
    """A field of every `[[settings]]` entry, in the order a run sees them: the
    dated files' own (newest first), then the site file's (the shared catalogue)."""
    values: list[str] = []
    for entry in _bundled_settings():
        value = entry.get(name)
        if isinstance(value, str) and value not in values:
            values.append(value)
    return values


# A `[[settings]]` entry's own `key = "..."` or `group = "..."` line (an option's
# fields are `value`, its labels inline tables): enough for --help's lists, which a
# test holds equal to the validated data (tests/test_options.py).
FIELD_LINE = re.compile(r'^(key|group)\s*=\s*"([^"]+)"\s*(?:#.*)?$', re.M)


@cache
def _bundled_settings() -> tuple[dict[str, object], ...]:
    """Every `[[settings]]` entry's key and group, in file order, without parsing
    the TOML: --help must stay fast, and the site file is long."""
    folder = selectors_dir()
    entries: list[dict[str, object]] = []
    for path in [*reversed(dated_files(folder)), folder / SITE_FILE]:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError:
            continue
        for field, value in FIELD_LINE.findall(text):
            if field == "key":
                entries.append({"key": value})
            elif entries:
                entries[-1]["group"] = value
    return tuple(entries)
