"""Selector files: what the tool knows of LinkedIn's pages, as data.

`selectors/site.toml` holds what every selector file shares (URLs, session signs,
the switch, placeholders, banners, "page not found", never-touch ids, and the
settings that look the same on every design of the pages); each selector file's
dated file (`YYYY-MM.toml`, the date is its name) holds what differs: how to
recognize the pages it describes, Data privacy's own content, and its own settings, each one entry
(key, group, labels, where it lives, how its switch is found, the recommended
value). A dated file's entry replaces the site's of the same key. Adding a setting
or a language is a change to data. Both are validated by pydantic
(`extra="forbid"`, a `schema_version`); the code sees one `SelectorFile` per dated
file, the site facts and the dated file's own put together. One setting's entry (a
switch or a choice) is modelled in `setting_entry.py`.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Annotated, Literal, TypeVar

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    ValidationError,
)

from linkedin_optout.errors import UsageError
from linkedin_optout.selector_paths import SITE_FILE, dated_files, selectors_dir

# Setting's home is setting_entry.py; these names are what the selector data's
# readers import from here.
from linkedin_optout.setting_entry import CHOICE_STRATEGIES as CHOICE_STRATEGIES
from linkedin_optout.setting_entry import USUAL_STRATEGIES as USUAL_STRATEGIES
from linkedin_optout.setting_entry import (
    ElementId,
    Key,
    Lang,
    Localized,
    Path_,
    Strict,
    Text,
)
from linkedin_optout.setting_entry import Option as Option
from linkedin_optout.setting_entry import Row as Row
from linkedin_optout.setting_entry import Setting as Setting

SCHEMA_VERSION = 2
M = TypeVar("M", bound=Strict)


class Markers(Strict):
    """Things that identify a page: any CSS selector that matches, or any text."""

    css: list[str] = []
    text: Localized = {}


class Urls(Strict):
    landing: Path_
    hub: Path_
    ads: Path_ = "/mypreferences/d/categories/ads"  # Advertising data: the ads settings' rows


class SessionSigns(Strict):
    """How a page says the session is not usable (checked on every page)."""

    sign_in_paths: list[Path_]
    signed_out_paths: list[Path_]
    security_check_patterns: list[Text]
    sign_in_form: str
    # LinkedIn's own "this account is restricted" page, and the saved-account
    # chooser it shows on the sign-in page instead of the form: both end a run.
    restricted_paths: list[Path_]
    account_chooser: str


class HubLink(Strict):
    """The link to Data privacy on Settings & Privacy."""

    href: Path_
    text: Localized


class Hub(Strict):
    """The Data privacy page, and the link to it from Settings & Privacy."""

    link_href: Path_
    link_text: Localized
    markers: Markers


class PageSigns(Strict):
    switch: str
    # A choice's options (page_scan.js groups them by radiogroup, fieldset or name).
    radio: str = "input[type='radio'], [role='radio']"
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
    refuse_answers: Key | None = None  # the setting a refusal chooses (the cookie consent)
    refuse: Localized
    close: Localized


def _unique_keys(settings: list[Setting]) -> list[Setting]:
    keys = [s.key for s in settings]
    if dupes := sorted({k for k in keys if keys.count(k) > 1}):
        raise ValueError(f"{dupes[0]} twice")
    return settings


UniqueSettings = Annotated[list[Setting], AfterValidator(_unique_keys)]


class SiteFile(Strict):
    """selectors/site.toml: what every selector file shares."""

    schema_version: Literal[2]
    default_groups: list[Key] = Field(min_length=1)
    # Switches no setting describes that must never be candidates; a setting's own
    # switch is kept from the others by its stable id (pages.find_switches).
    never_touch: list[ElementId] = []
    urls: Urls
    session: SessionSigns
    hub_link: HubLink
    page: PageSigns
    overlays: Overlays
    confirm_buttons: Localized
    # Groups of personal choices (who can see you): changed only when named by
    # --group, --only or --set, never by --all.
    personal_groups: list[Key] = []
    settings: UniqueSettings = []  # shared by every selector file; a dated file's own entry wins


class DatedFile(Strict):
    """selectors/YYYY-MM.toml: one selector file's own part, only what differs."""

    schema_version: Literal[2]
    version: Annotated[str, StringConstraints(pattern=r"^\d{4}-\d{2}$")]  # the name
    title: Text
    sources: list[Text] = []
    languages: list[Lang] = Field(min_length=1)
    fingerprint: Markers
    hub_markers: Markers
    settings: Annotated[UniqueSettings, Field(min_length=1)]


class SelectorFile(Strict):
    """One selector file: a dated file with the site facts, what the walk asks of
    one design of LinkedIn's pages."""

    version: str  # the selector file's name, its date ("2025-09"): the TOML key
    title: str
    sources: list[str]
    languages: list[str]
    default_groups: list[str]
    personal_groups: list[str]
    urls: Urls
    session: SessionSigns
    fingerprint: Markers
    hub: Hub
    page: PageSigns
    overlays: Overlays
    confirm_buttons: Localized
    never_touch: list[str]
    settings: list[Setting]

    def setting(self, key: str) -> Setting | None:
        return next((s for s in self.settings if s.key == key), None)

    @classmethod
    def compose(cls, site: SiteFile, dated: DatedFile) -> SelectorFile:
        own = {s.key for s in dated.settings}
        shared = [s for s in site.settings if s.key not in own]
        return cls(
            version=dated.version,
            title=dated.title,
            sources=dated.sources,
            languages=dated.languages,
            default_groups=site.default_groups,
            personal_groups=site.personal_groups,
            urls=site.urls,
            session=site.session,
            fingerprint=dated.fingerprint,
            hub=Hub(
                link_href=site.hub_link.href,
                link_text=site.hub_link.text,
                markers=dated.hub_markers,
            ),
            page=site.page,
            overlays=site.overlays,
            confirm_buttons=site.confirm_buttons,
            never_touch=site.never_touch,
            settings=[*dated.settings, *shared],
        )


# --- loading ---------------------------------------------------------------


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


def _load(path: Path, model: type[M]) -> M:
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
        return model.model_validate(data)
    except ValidationError as exc:
        details = "\n".join(f"  {line}" for line in format_validation_error(exc))
        raise UsageError(f"Selector file {path} is not valid:\n{details}") from None


@cache
def site_facts() -> SiteFile:
    return _load(selectors_dir() / SITE_FILE, SiteFile)


def parse_selector_file(path: Path) -> SelectorFile:
    """A selector file: the dated file at `path`, with the bundled site facts."""
    return SelectorFile.compose(site_facts(), _load(path, DatedFile))


def check_file(path: Path) -> str:
    """`selectors check`: the site file or a dated file; a one-line summary."""
    if path.name == SITE_FILE:
        site = _load(path, SiteFile)
        return (
            f"{path}: valid site facts, default groups {', '.join(site.default_groups)}, "
            f"settings {', '.join(s.key for s in site.settings) or '(none)'}."
        )
    v = parse_selector_file(path)
    return (
        f"{path}: valid, version {v.version}, languages {', '.join(v.languages)}, "
        f"settings {', '.join(s.key for s in v.settings)}."
    )


@cache
def bundled_selector_files() -> tuple[SelectorFile, ...]:
    """All bundled selector files, newest first (detection tries them in this order)."""
    selector_files = [parse_selector_file(f) for f in dated_files(selectors_dir())]
    return tuple(sorted(selector_files, key=lambda v: v.version, reverse=True))


def resolve_selector_files(choice: str | None) -> tuple[SelectorFile, ...]:
    """`--selectors NAME|FILE`: one forced selector file; none: every bundled one."""
    if choice is None:
        return bundled_selector_files()
    if choice.endswith(".toml") or "/" in choice or Path(choice).is_file():
        return (parse_selector_file(Path(choice)),)
    for selector_file in bundled_selector_files():
        if selector_file.version == choice:
            return (selector_file,)
    known = ", ".join(v.version for v in bundled_selector_files())
    raise UsageError(
        f"--selectors {choice}: no such selector file (known: {known}) and no such file."
    )


def setting_keys(selector_files: Iterable[SelectorFile]) -> list[str]:
    """Every setting key the selector files know, in file order."""
    keys: list[str] = []
    for selector_file in selector_files:
        keys.extend(s.key for s in selector_file.settings if s.key not in keys)
    return keys


def default_keys(selector_files: Sequence[SelectorFile]) -> tuple[str, ...]:
    """What `run` and `status` act on without --only: the default groups."""
    groups = set(selector_files[0].default_groups)
    return tuple(
        key
        for key in setting_keys(selector_files)
        if any((s := v.setting(key)) and s.group in groups for v in selector_files)
    )


def data_use_keys(selector_files: Sequence[SelectorFile]) -> tuple[str, ...]:
    """What `--all` acts on: every setting outside the personal groups (visibility)."""
    personal = set(selector_files[0].personal_groups) if selector_files else set()
    return tuple(
        key
        for key in setting_keys(selector_files)
        if not any((s := v.setting(key)) and s.group in personal for v in selector_files)
    )


def all_languages(selector_files: Iterable[SelectorFile]) -> list[str]:
    langs: list[str] = []
    for selector_file in selector_files:
        langs.extend(lang for lang in selector_file.languages if lang not in langs)
    return langs
