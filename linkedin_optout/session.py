"""Sessions: where the person's LinkedIn session comes from, and keeping it secret.

A `li_at` cookie is as good as a password. It is read from a Playwright state
file (mode 0600, refused when others can read it), from the environment
(`LINKEDIN_LI_AT`), or lives in a browser profile of the tool's own; it is never
an argument value. Every value read here is registered with `redact`, which
scrubs everything the tool prints or writes.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import quote, urlsplit

from linkedin_optout.errors import AuthRequired, UsageError

APP_NAME = "linkedin-optout"
# The identity `login` records in a profile (identity.py): a profile without it was
# never signed in to, or its sign-in did not finish.
IDENTITY_FILE = "linkedin-optout-identity.json"
SESSION_COOKIE = "li_at"
ENV_LI_AT = "LINKEDIN_LI_AT"
# Said once per run that uses a session made by another browser, with no User-Agent.
FOREIGN_SESSION_WARNING = (
    "This session was made by another browser, and the tool does not know that "
    "browser's User-Agent: LinkedIn may end the session, and sign that browser out "
    "too. Recommended: 'linkedin-optout login' (the tool signs in in a browser of its "
    "own and keeps using it). Or name the browser: --user-agent or "
    "LINKEDIN_OPTOUT_USER_AGENT (README: 'Sessions from another browser')."
)
LOGIN_ADVICE = "Run 'linkedin-optout login' to sign in again (or set LINKEDIN_LI_AT)."

# --- redaction ---------------------------------------------------------------

_secrets: set[str] = set()
# Shapes of LinkedIn session values, scrubbed even when we never saw the value
# (also URL-encoded: a CSRF token rides in links as ajax%3A...).
_SECRET_SHAPES = re.compile(r"AQED[A-Za-z0-9_\-]{8,}|ajax(?::|%3[Aa])\d{6,}")
# Cookies that carry the session or stand for it; any other cookie counts as a
# secret only when its value is long enough to be a token, so that `true` or
# `en_US` never turn into [redacted] in a report.
SESSION_COOKIES = frozenset({"li_at", "JSESSIONID", "li_rm", "li_a", "bscookie", "bcookie"})
TOKEN_LENGTH = 16


def register_secret(value: str | None, name: str | None = None) -> None:
    """Remember a value to scrub from every output, in the forms it travels in."""
    if not value or len(value) < 6:
        return
    if len(value) < TOKEN_LENGTH and name not in SESSION_COOKIES:
        return
    for form in {value, value.strip('"'), quote(value, safe=""), quote(value.strip('"'), safe="")}:
        _secrets.add(form)


def redact(text: str) -> str:
    """`text` without any session value the tool has seen, or anything shaped like one."""
    for secret in sorted(_secrets, key=len, reverse=True):
        text = text.replace(secret, "[redacted]")
    return _SECRET_SHAPES.sub("[redacted]", text)


# --- where the session comes from ------------------------------------------


@dataclass(frozen=True)
class SessionSource:
    """How the session was supplied: shown to the person, never its value.
    `user_agent` is the User-Agent of the browser that made a session from
    elsewhere (a cookie export, LINKEDIN_LI_AT), when the person named it."""

    kind: Literal["state_file", "env", "profile"]
    path: Path | None = None
    user_agent: str | None = None

    def describe(self) -> str:
        if self.kind == "env":
            return f"{ENV_LI_AT} environment variable"
        if self.kind == "profile":
            return f"browser profile {self.path}"
        assert self.path is not None
        return f"state file {self.path} ({describe_age(self.path)})"


def describe_age(path: Path) -> str:
    try:
        age = time.time() - path.stat().st_mtime
    except OSError:
        return "missing"
    for unit, seconds in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if age >= seconds:
            count = int(age // seconds)
            return f"saved {count} {unit}{'s' if count != 1 else ''} ago"
    return "saved just now"


def app_dir() -> Path:
    """Where the tool keeps its settings and a saved state file: the platform's
    per-user config folder (~/.config/linkedin-optout on Linux, honouring
    $XDG_CONFIG_HOME; ~/Library/Application Support/linkedin-optout on macOS;
    %LOCALAPPDATA%\\linkedin-optout on Windows)."""
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def data_dir() -> Path:
    """Where the tool keeps what it gathers (the browser profile, the history): the
    platform's per-user data folder (~/.local/share/linkedin-optout on Linux,
    honouring $XDG_DATA_HOME; the same folders as `app_dir` on macOS and Windows)."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_state_path() -> Path:
    return app_dir() / "state.json"


def default_profile_path() -> Path:
    """The browser profile `login` signs in to, and every run then uses."""
    return data_dir() / "browser-profile"


def check_profile_folder(profile: Path) -> None:
    if profile.exists() and not profile.is_dir():
        raise UsageError(f"--profile {profile} is a file; it must be a folder (or not exist).")


def choose_source(
    state: Path | None,
    profile: Path | None,
    env: Mapping[str, str] | None = None,
    user_agent: str | None = None,
) -> SessionSource:
    """`--profile` > `--state` > LINKEDIN_LI_AT > the profile `login` made > the
    default state file (`login --import-cookies`). Exit 3 when none is there."""
    env = os.environ if env is None else env
    if profile is not None:
        check_profile_folder(profile)
        return SessionSource("profile", profile)
    if state is not None:
        return SessionSource("state_file", state, user_agent)
    if env.get(ENV_LI_AT, "").strip():
        return SessionSource("env", user_agent=user_agent)
    if ENV_LI_AT in env:
        raise UsageError(
            f"{ENV_LI_AT} is set but empty.",
            advice="Set it to your li_at cookie's value, or unset it to use the saved session.",
        )
    own = default_profile_path()
    if (own / IDENTITY_FILE).is_file():
        return SessionSource("profile", own)
    default = default_state_path()
    if default.exists():
        return SessionSource("state_file", default, user_agent)
    raise AuthRequired(
        "No LinkedIn session: nobody has signed in with 'linkedin-optout login' yet, "
        "and LINKEDIN_LI_AT is not set.",
        reason="no_session",
        advice="Run 'linkedin-optout login' to sign in in a browser of the tool's own; "
        "every run then uses that same browser.",
        step="find the session",
    )


def site_host(base_url: str) -> str:
    host = urlsplit(base_url).hostname
    assert host, "base URL is validated by the CLI"
    return host


def is_linkedin(host: str) -> bool:
    return host == "linkedin.com" or host.endswith(".linkedin.com")


def site_domain(base_url: str) -> str:
    """The domain whose cookies are the site's own: linkedin.com, or the test host."""
    host = site_host(base_url)
    return "linkedin.com" if is_linkedin(host) else host


def belongs_to(cookie_domain: str, domain: str) -> bool:
    bare = cookie_domain.lstrip(".").lower()
    return bare == domain or bare.endswith("." + domain)


def cookie_for(base_url: str, name: str, value: str, expires: float = -1) -> dict[str, Any]:
    """A cookie for the host of the base URL: path /, HttpOnly, Secure when https."""
    secure = urlsplit(base_url).scheme == "https"
    return {
        "name": name,
        "value": value,
        "domain": site_host(base_url),
        "path": "/",
        "expires": expires,
        "httpOnly": True,
        "secure": secure,
        "sameSite": "None" if secure else "Lax",
    }


def env_cookie_value(env: Mapping[str, str] | None = None) -> str:
    value = (os.environ if env is None else env).get(ENV_LI_AT, "").strip().strip('"')
    register_secret(value, SESSION_COOKIE)
    if not value or re.search(r"[\s;,\x00-\x1f\x7f]", value):
        raise UsageError(
            f"{ENV_LI_AT} does not hold a cookie value (empty, or it has spaces, ';' or ',').",
            advice="Copy only the value of the li_at cookie, without its name.",
        )
    return value


# --- state files -------------------------------------------------------------


def check_private(path: Path) -> None:
    """Like ssh with a private key: refuse a session file others can read or write."""
    if os.name != "posix":
        return
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise UsageError(
            f"State file {path} can be read or written by others (mode {mode:04o}); "
            "it holds your session.",
            advice=f"Run: chmod 600 {path}",
        )


def write_private(path: Path, data: bytes) -> None:
    """Write atomically, 0600 from the first byte, in a folder that is 0700 when we make it."""
    try:
        _write_private(path, data)
    except OSError as exc:
        raise UsageError(f"Cannot write {path}: {exc.strerror or exc}.") from None


def _write_private(path: Path, data: bytes) -> None:
    folder = path.parent
    if not folder.exists():
        folder.mkdir(parents=True, mode=0o700)
        os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask
    fd, tmp = tempfile.mkstemp(prefix=".linkedin-optout-", dir=folder)  # created 0600
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_state(path: Path, state: dict[str, Any]) -> None:
    write_private(path, json.dumps(state, indent=2).encode())


def keep_site_cookies(cookies: Iterable[dict[str, Any]], base_url: str) -> list[dict[str, Any]]:
    domain = site_domain(base_url)
    return [c for c in cookies if belongs_to(str(c.get("domain", "")), domain)]
