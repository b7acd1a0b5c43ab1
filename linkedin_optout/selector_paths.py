"""Where the selector files are, read without pydantic: the CLI's --help lists
the bundled settings' keys, and importing the CLI must stay fast."""

from __future__ import annotations

import tomllib
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


@cache
def _bundled_settings() -> tuple[dict[str, object], ...]:
    """Every `[[settings]]` entry of the bundled files, each file parsed once: --help
    asks for keys and groups three times, and the site file is long."""
    folder = selectors_dir()
    entries: list[dict[str, object]] = []
    for path in [*reversed(dated_files(folder)), folder / SITE_FILE]:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        entries += [e for e in data.get("settings", []) if isinstance(e, dict)]
    return tuple(entries)
