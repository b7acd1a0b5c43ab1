"""Parsers for what a person hands the tool: Playwright state files and cookie
exports (Netscape cookies.txt; a JSON list as browser extensions export it).

Any input ends in a valid result or one `UsageError` line that names the file
and what is wrong, never in another exception, and never quoting a value.
`read_state` reads the state file a run uses and checks it holds a live session.
"""

from __future__ import annotations

import json
import math
import re
import time
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from linkedin_optout.errors import AuthRequired, UsageError
from linkedin_optout.selectors import format_validation_error
from linkedin_optout.session import (
    LOGIN_ADVICE,
    SESSION_COOKIE,
    SessionSource,
    belongs_to,
    check_private,
    cookie_for,
    keep_site_cookies,
    register_secret,
    site_domain,
)

SameSite = Literal["Strict", "Lax", "None"]


_CONTROL = "\\x00-\\x1f\\x7f"
_FORBIDDEN = {
    "name": re.compile(f"[\\s;=,{_CONTROL}]"),
    "value": re.compile(f"[;{_CONTROL}]"),
    "domain": re.compile(f"[\\s;,/{_CONTROL}]"),
    "path": re.compile(f"[;{_CONTROL}]"),
}
# The latest expiry Playwright accepts (the end of the year 9999).
MAX_EXPIRES = 253402300799.0


class Cookie(BaseModel):
    """A cookie as Playwright takes it back: anything it would refuse is refused here."""

    # Playwright may add fields (partitionKey...): ignore them, keep what it accepts back.
    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1)
    value: str
    domain: str = Field(min_length=1)
    path: str = "/"
    expires: float = -1
    httpOnly: bool = False  # Playwright's field names
    secure: bool = False
    sameSite: SameSite = "Lax"

    @field_validator("name", "value", "domain", "path")
    @classmethod
    def _cookie_characters(cls, value: str, info: ValidationInfo) -> str:
        forbidden = _FORBIDDEN[info.field_name or ""]
        if forbidden.search(value):
            raise ValueError("holds characters a cookie cannot hold")
        if info.field_name == "path" and not value.startswith("/"):
            raise ValueError("must start with /")
        return value

    @field_validator("expires")
    @classmethod
    def _playwright_expiry(cls, value: float) -> float:
        if math.isnan(value):
            raise ValueError("expected a number of seconds")
        if value <= 0:
            return -1  # a session cookie
        return min(value, MAX_EXPIRES)  # "forever" is the year 9999 to a browser


class LocalStorageItem(BaseModel):
    name: str
    value: str


class Origin(BaseModel):
    model_config = ConfigDict(extra="ignore")

    origin: str
    localStorage: list[LocalStorageItem] = []


class StorageState(BaseModel):
    model_config = ConfigDict(extra="ignore")

    cookies: list[Cookie]
    origins: list[Origin] = []


def _text(raw: bytes, name: str, what: str) -> str:
    if not raw.strip():
        raise UsageError(f"{what} {name} is empty.")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{what} {name} is not text (binary data?).") from None


def _json(text: str, name: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{what} {name} is not valid JSON (truncated?): {exc.msg} "
            f"at line {exc.lineno} column {exc.colno}."
        ) from None
    except RecursionError:
        raise UsageError(f"{what} {name} is nested too deeply to be a {what.lower()}.") from None


def validate_state(raw: bytes, name: str) -> dict[str, Any]:
    """A Playwright storage state, as a dict Playwright accepts back."""
    data = _json(_text(raw, name, "State file"), name, "State file")
    try:
        state = StorageState.model_validate(data)
    except ValidationError as exc:
        first = format_validation_error(exc)[0]
        raise UsageError(
            f"State file {name} is not a Playwright storage state: {first}.",
            advice="Create it with 'linkedin-optout login' (or --import-cookies).",
        ) from None
    return state.model_dump()


# --- cookie exports ----------------------------------------------------------

_SAME_SITE = {
    "strict": "Strict",
    "lax": "Lax",
    "none": "None",
    "no_restriction": "None",
    "unspecified": "Lax",
}


class ExportedCookie(BaseModel):
    """One cookie as browser extensions export it (Cookie-Editor, EditThisCookie...)."""

    model_config = ConfigDict(extra="ignore")

    name: str = Field(min_length=1)
    value: str
    domain: str = Field(min_length=1)
    path: str = "/"
    secure: bool = False
    httpOnly: bool = False
    expirationDate: float | None = None
    expires: float | None = None
    session: bool = False
    sameSite: str | None = None

    @field_validator("expirationDate", "expires", mode="before")
    @classmethod
    def _no_bool(cls, value: Any) -> Any:
        if isinstance(value, bool):
            raise ValueError("expected a number of seconds")
        return value

    def to_playwright(self) -> dict[str, Any]:
        expiry = self.expirationDate if self.expirationDate is not None else self.expires
        if self.session or expiry is None or expiry <= 0:
            expiry = -1
        return Cookie(
            name=self.name,
            value=self.value,
            domain=self.domain,
            path=self.path or "/",
            expires=float(expiry),
            httpOnly=self.httpOnly,
            secure=self.secure,
            sameSite=_SAME_SITE.get((self.sameSite or "").lower(), "Lax"),  # type: ignore[arg-type]
        ).model_dump()


def _from_json(data: Any, name: str) -> list[dict[str, Any]]:
    if isinstance(data, dict) and isinstance(data.get("cookies"), list):
        data = data["cookies"]  # a Playwright state, or an exporter that wraps the list
    if not isinstance(data, list):
        raise UsageError(f"Cookie file {name} is JSON but not a list of cookies.")
    cookies = []
    for index, item in enumerate(data):
        try:
            cookies.append(ExportedCookie.model_validate(item).to_playwright())
        except ValidationError as exc:
            first = format_validation_error(exc)[0]
            raise UsageError(f"Cookie file {name}: cookie {index}: {first}.") from None
    return cookies


def _from_netscape(text: str, name: str) -> list[dict[str, Any]]:
    cookies = []
    for number, line in enumerate(text.splitlines(), start=1):
        http_only = line.startswith("#HttpOnly_")
        if http_only:
            line = line[len("#HttpOnly_") :]
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.rstrip("\r\n").split("\t")
        if len(fields) != 7:
            raise UsageError(
                f"Cookie file {name} line {number}: expected 7 tab-separated fields "
                "(Netscape cookies.txt) or a JSON list."
            )
        domain, _subdomains, path, secure, expiry, cookie_name, value = fields
        try:
            expires = float(expiry or 0)
        except ValueError:
            raise UsageError(
                f"Cookie file {name} line {number}: the expiry is not a number."
            ) from None
        try:
            cookie = Cookie(
                name=cookie_name,
                value=value,
                domain=domain,
                path=path or "/",
                expires=expires,
                httpOnly=http_only,
                secure=secure.upper() == "TRUE",
            )
        except ValidationError as exc:
            first = format_validation_error(exc)[0]
            raise UsageError(f"Cookie file {name} line {number}: {first}.") from None
        cookies.append(cookie.model_dump())
    return cookies


def parse_cookie_export(raw: bytes, name: str, base_url: str) -> dict[str, Any]:
    """A storage state holding only the site's own, unexpired cookies; exit 2 without li_at."""
    text = _text(raw, name, "Cookie file")
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        cookies = _from_json(_json(text, name, "Cookie file"), name)
    else:
        cookies = _from_netscape(text, name)
    for cookie in cookies:
        register_secret(cookie["value"], cookie["name"])
    cookies = keep_site_cookies(cookies, base_url)
    li_at = [c for c in cookies if c["name"] == SESSION_COOKIE and c["value"]]
    if not li_at:
        raise UsageError(
            f"Cookie file {name} holds no li_at cookie for LinkedIn.",
            advice="Export your cookies while signed in to linkedin.com, then try again.",
        )
    now = time.time()
    live = [c for c in cookies if c["expires"] == -1 or c["expires"] > now]
    if not any(c["name"] == SESSION_COOKIE for c in live):
        raise UsageError(
            f"The li_at cookie in {name} has expired.",
            advice="Sign in to LinkedIn in your browser, export the cookies again, and retry.",
        )
    return {"cookies": live, "origins": []}


def read_state(path: Path, base_url: str) -> dict[str, Any]:
    """A validated Playwright storage state with a `li_at` usable for the base URL."""
    if path.is_dir():
        raise UsageError(f"State file {path} is a folder, not a file.")
    try:
        check_private(path)
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(
            f"State file {path} does not exist.",
            advice="Run 'linkedin-optout login' to create it, or give the right --state path.",
        ) from None
    except PermissionError:
        raise UsageError(f"State file {path} cannot be read (permission denied).") from None
    state = validate_state(raw, str(path))
    for cookie in state["cookies"]:
        register_secret(cookie.get("value"), cookie.get("name"))
    domain = site_domain(base_url)
    li_at = [c for c in state["cookies"] if c["name"] == SESSION_COOKIE]
    if not li_at:
        raise AuthRequired(
            f"State file {path} holds no li_at cookie: it is not a signed-in session.",
            reason="no_session",
            advice=LOGIN_ADVICE,
            step="read the session",
        )
    now = time.time()
    live = [c for c in li_at if c.get("expires", -1) in (-1, None) or c["expires"] > now]
    if not live:
        raise AuthRequired(
            f"The session in {path} has expired.",
            reason="expired",
            advice=LOGIN_ADVICE,
            step="read the session",
        )
    if not any(belongs_to(c["domain"], domain) for c in live):
        # A LinkedIn session pointed at another base URL (the demo site, a test
        # server): the person chose where it goes; carry li_at there.
        state["cookies"].append(cookie_for(base_url, SESSION_COOKIE, live[0]["value"]))
    return state


def recorded_user_agent(path: Path) -> str | None:
    """The User-Agent recorded with a state file (`login`, or `--import-cookies`
    with `--user-agent`): the browser that made its session. None when absent."""
    try:
        data = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None
    value = data.get("user_agent") if isinstance(data, dict) else None
    return value if isinstance(value, str) and value.startswith("Mozilla/") else None


def foreign_user_agent(source: SessionSource) -> str | None:
    """The User-Agent of the browser that made a session from elsewhere: named by
    the person, else recorded with its state file; None for the tool's own profile
    (its browser is the one that signed in) or when nobody said."""
    if source.kind == "profile":
        return None
    if source.user_agent is None and source.kind == "state_file" and source.path is not None:
        return recorded_user_agent(source.path)
    return source.user_agent
