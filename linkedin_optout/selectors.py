"""Selector files: one TOML file per dated version of LinkedIn's UI.

They are data, validated here by pydantic (`extra="forbid"`, a `schema_version`),
so a redesign is met by a new file, not by new code. This module also holds the
loose text matching every label goes through, and version detection.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from linkedin_optout.errors import UsageError

SCHEMA_VERSION = 1
SETTING_KEYS = ("generative-ai-training", "ai-creation-tools")
SettingKey = Literal["generative-ai-training", "ai-creation-tools"]
Strategy = Literal["labelledby", "role-name", "label-near"]
Lang = Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]
Path_ = Annotated[str, StringConstraints(pattern=r"^/\S*$")]
Text = Annotated[str, StringConstraints(min_length=2)]
Localized = dict[Lang, list[Text]]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Markers(Strict):
    """Things that identify a page: any CSS selector that matches, or any text."""

    css: list[str] = []
    text: Localized = {}


class Urls(Strict):
    landing: Path_
    hub: Path_


class SessionSigns(Strict):
    """How a page says the session is not usable (checked on every page)."""

    sign_in_paths: list[Path_]
    signed_out_paths: list[Path_]
    security_check_patterns: list[Text]
    sign_in_form: str


class Hub(Strict):
    """The Data privacy page, and the link to it from Settings & Privacy."""

    link_href: Path_
    link_text: Localized
    markers: Markers


class PageSigns(Strict):
    switch: str
    not_found_status: list[int]
    not_found_text: Localized
    # Signs that a page (or a switch) is still drawing: a switch inside one shows a
    # placeholder, not the member's value. (Disabled, aria-busy and indeterminate
    # controls count whatever a file says.)
    loading: list[str] = []
    # Requests that stay open for the page's life (realtime): never waited for.
    long_lived: list[str] = []


class Overlays(Strict):
    """Banners and dialogs that cover the page. `refuse` is tried before `close`:
    a cookie banner is answered by refusing non-essential cookies."""

    containers: list[str]
    refuse: Localized
    close: Localized


class Row(Strict):
    href: Path_ | None = None
    text: Localized = {}


class Setting(Strict):
    key: SettingKey
    title: Text
    url: Path_ | None = None
    row: Row
    strategies: list[Strategy] = Field(min_length=1)
    labelledby: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z][\w:-]*$")]] = []
    labels: Localized


class SelectorFile(Strict):
    schema_version: Literal[1]
    version: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]
    title: Text
    sources: list[Text] = []
    languages: list[Lang] = Field(min_length=1)
    urls: Urls
    session: SessionSigns
    fingerprint: Markers
    hub: Hub
    page: PageSigns
    overlays: Overlays
    confirm_buttons: Localized
    never_touch: list[str]
    settings: list[Setting] = Field(min_length=1)

    def setting(self, key: str) -> Setting | None:
        return next((s for s in self.settings if s.key == key), None)


# --- loading ---------------------------------------------------------------


def selectors_dir() -> Path:
    """The bundled selector files: inside the wheel, or at the top of a checkout."""
    packaged = resources.files("linkedin_optout").joinpath("_selectors")
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "selectors"


def format_validation_error(err: ValidationError) -> list[str]:
    """Dotted paths and reasons (`settings.0.key: ...`), never the input values."""
    lines = []
    for item in err.errors(include_input=False, include_url=False):
        loc = ".".join(_path_part(part) for part in item["loc"]) or "(top level)"
        lines.append(f"{loc}: {item['msg'].removeprefix('Value error, ')}")
    return lines


def _path_part(part: int | str) -> str:
    """A key as typed in a dotted path; odd keys (spaces, line breaks) quoted."""
    text = str(part)
    return text if re.fullmatch(r"[\w-]+", text) else repr(text)


def parse_selector_file(path: Path) -> SelectorFile:
    """Read and validate one file; every problem is a UsageError naming the file."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(f"Selector file {path} does not exist.") from None
    except OSError as exc:
        raise UsageError(f"Selector file {path} cannot be read: {exc.strerror}.") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise UsageError(f"Selector file {path} is not text (UTF-8 TOML expected).") from None
    except tomllib.TOMLDecodeError as exc:
        raise UsageError(f"Selector file {path} is not valid TOML: {exc}.") from None
    try:
        return SelectorFile.model_validate(data)
    except ValidationError as exc:
        details = "\n".join(f"  {line}" for line in format_validation_error(exc))
        raise UsageError(f"Selector file {path} is not valid:\n{details}") from None


@cache
def bundled_versions() -> tuple[SelectorFile, ...]:
    """All bundled versions, newest first (detection tries them in this order)."""
    files = sorted(selectors_dir().glob("*.toml"))
    versions = [parse_selector_file(f) for f in files]
    return tuple(sorted(versions, key=lambda v: v.version, reverse=True))


def resolve_versions(choice: str | None) -> tuple[SelectorFile, ...]:
    """`--selectors NAME|FILE`: one forced version; none: every bundled one."""
    if choice is None:
        return bundled_versions()
    if choice.endswith(".toml") or "/" in choice or Path(choice).is_file():
        return (parse_selector_file(Path(choice)),)
    for version in bundled_versions():
        if version.version == choice:
            return (version,)
    known = ", ".join(v.version for v in bundled_versions())
    raise UsageError(f"--selectors {choice}: no such version (known: {known}) and no such file.")


# --- loose text matching -----------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")
SMALL_WORD = 4  # letters: the longest word loose matching lets differ


@lru_cache(maxsize=2048)  # a page's text is folded once, not once per label
def normalize(text: str) -> str:
    """Lower case, accents and punctuation folded away, single spaces.
    page_wait.js folds the page's text the same way."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def text_matches(label: str, text: str) -> bool:
    """True when `label` stands in `text`, loosely: the whole label; or, for a
    label of five words or more, a run of words in `text` (one word longer than
    the label) lacking at most one label word in five, and only short ones
    ('zur' / 'für', 'de' / 'du'): wording varies in its small words, while a
    different noun ('Improvement' / 'Research') is a different setting."""
    needle, hay = normalize(label), normalize(text)
    if not needle:
        return False
    if f" {needle} " in f" {hay} ":
        return True
    words = needle.split()
    if len(words) < 5:
        return False
    allowed = len(words) // 5
    wanted = set(words)
    hay_words = hay.split()
    for start, word in enumerate(hay_words):
        if word not in wanted:
            continue
        window = set(hay_words[start : start + len(words) + 1])
        missing = [w for w in words if w not in window]
        if len(missing) <= allowed and all(len(w) <= SMALL_WORD for w in missing):
            return True
    return False


def labels_for(localized: dict[str, list[str]], langs: Sequence[str]) -> list[str]:
    """Labels in the given languages, in that order."""
    return [label for lang in langs for label in localized.get(lang, [])]


def any_label_matches(localized: dict[str, list[str]], langs: Sequence[str], text: str) -> bool:
    return any(text_matches(label, text) for label in labels_for(localized, langs))


def all_languages(versions: Iterable[SelectorFile]) -> list[str]:
    langs: list[str] = []
    for version in versions:
        langs.extend(lang for lang in version.languages if lang not in langs)
    return langs
