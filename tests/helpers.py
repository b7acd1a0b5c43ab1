"""What the test files share: the fixture site's ids and pages, readers of a report,
sessions' state files and cookie exports, edited selector files, the history, and
`walk`, the in-process run. (What only the bad-input tests share: input_helpers.py.)

Three tiers of end-to-end tests, all against the fixture site in real Chromium:
- `walk` (the `walk` fixture in conftest.py) runs the real walk, `browser_run.run`, in the
  pytest process, in a new context of the browser pytest-playwright launched once
  per worker: no Python start, no browser start. For what the walk does: what it
  read, clicked, saved on the server, absent vs not recognized, placeholders,
  faults, retries, page shapes, languages.
- `cli` (conftest.py) runs the whole command line, `linkedin-optout ARGS`, for its
  contract (options, exit codes, stdout/stderr, files, environment, history): by
  default in the pytest process through typer's runner, each run's browser context
  opened in that same browser (`browser_run.context_in`);
- `cli(..., process=True)` runs it as a real process with a browser of its own:
  for signals, what a process prints as it ends, browser discovery and launch,
  profiles, `login` and `doctor` (chosen by itself for those commands and options).
"""

from __future__ import annotations

import io
import json
import os
import socket
import stat
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import redirect_stderr
from dataclasses import dataclass
from email.message import Message
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from unittest.mock import patch

from conftest import SLOW_MACHINE_DEADLINE_S

from linkedin_optout.selectors import selectors_dir

if TYPE_CHECKING:
    from conftest import CliResult
    from playwright.sync_api import Page

    from fixtures.site import FixtureSite, SessionKind
    from linkedin_optout.report import RunResult

# --- the fixture site's ids ---------------------------------------------------------------

# The server's ids of the two AI settings (site.settings(), site.saves)...
GEN_AI = "allowDataForGenerativeAI"
CREATION = "allowAICreationTools"
CONSENT = "nonEssentialCookieConsent"
# ...and the tool's keys for them (the report).
TRAINING = "generative-ai-training"
TOOLS = "ai-creation-tools"
SERVER_ID = {TRAINING: GEN_AI, TOOLS: CREATION}
GEN_AI_TITLE = "Data for Generative AI Improvement"  # its label in the report
HUB = "/mypreferences/d/categories/privacy"
GEN_AI_PAGE = "/mypreferences/d/settings/data-for-ai-improvement"
AI_TOOLS_PAGE = "/mypreferences/d/settings/ai-creation-tools"
# The training switch's accessible name (2024-09, en).
GEN_AI_LABEL = "Use my data for training content creation AI models"


# --- reading a report (the --json object, or Walk.json()) ---------------------------------


def states(report: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """key -> (before, after)"""
    return {s["key"]: (s["before"], s["after"]) for s in report["settings"]}


def by_key(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["key"]: s for s in report["settings"]}


def setting(report: dict[str, Any], key: str = TRAINING) -> dict[str, Any]:
    return next(s for s in report["settings"] if s["key"] == key)


def error_lines(result: Any) -> list[str]:
    """The lines of stderr that start with 'error:'."""
    return [line for line in result.stderr.splitlines() if line.startswith("error:")]


def posts(site: Any) -> list[Any]:
    """Every request to the fixture site that was not a GET."""
    return [r for r in site.requests if r.method != "GET"]


def assert_report_tells_the_truth(report: dict[str, Any], server: dict[str, Any]) -> None:
    """Each setting's `after` is what the server holds, or `unknown` and unverified."""
    for entry in report["settings"]:
        truth = server[SERVER_ID[entry["key"]]]
        after = entry["after"]
        if after == "off":
            assert truth is False, f"{entry['key']} reported off, the server has it on"
            assert entry["verified"] is True, entry
        elif after == "on":
            assert truth is True, f"{entry['key']} reported on, the server has it off"
            assert entry["verified"] is True, entry
        elif after == "unknown":
            assert entry["verified"] is False, f"{entry['key']}: unknown yet verified"
            assert entry["changed"] is False, f"{entry['key']}: unknown yet changed"
        if entry["changed"]:
            assert after == "off" and truth is False, entry


# --- the fixture site's pages, in a browser or raw (test_fixture_*.py) --------------------


def sign_in(page: Page, site: FixtureSite, kind: SessionKind = "valid") -> str:
    value = site.new_session(kind)
    page.context.add_cookies([{"name": "li_at", "value": value, "url": site.url}])
    return value


def gen_ai_switch(page: Page) -> Any:
    return page.get_by_role("switch", name=GEN_AI_LABEL)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # we want to see the redirect itself


def fetch(url: str, cookie: str | None = None) -> tuple[int, Message, str]:
    """A raw GET: status, headers, body, without following redirects or running scripts."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=SLOW_MACHINE_DEADLINE_S) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


# --- sessions: state files, cookie exports, their modes (test_login.py, test_session.py) ---

HOST = "127.0.0.1"  # the fixture site's host: its cookies are "the site's own"
FUTURE = int(time.time()) + 30 * 86400


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def write_state_file(path: Path, li_at: str, *, cookie_path: str = "/", mode: int = 0o600) -> Path:
    """A Playwright storage state holding one li_at for the fixture host."""
    state = {
        "cookies": [
            {
                "name": "li_at",
                "value": li_at,
                "domain": HOST,
                "path": cookie_path,
                "expires": -1,
                "httpOnly": True,
                "secure": False,
                "sameSite": "Lax",
            }
        ],
        "origins": [],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state))
    os.chmod(path, mode)
    return path


def exported(name: str, value: str, domain: str, **extra: Any) -> dict[str, Any]:
    """One cookie as a browser extension (Cookie-Editor, EditThisCookie) exports it."""
    cookie: dict[str, Any] = {
        "name": name,
        "value": value,
        "domain": domain,
        "path": "/",
        "secure": False,
        "httpOnly": False,
        "expirationDate": FUTURE + 0.5,
        "sameSite": "lax",
        "hostOnly": not domain.startswith("."),
        "session": False,
        "storeId": "0",
    }
    cookie.update(extra)
    return cookie


# --- selector files, edited (test_shapes.py, test_selector_tooling.py) --------------------


def bundled_text(name: str = "2024-09") -> str:
    return (selectors_dir() / f"{name}.toml").read_text(encoding="utf-8")


def edited(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"the selector file changed: {old!r} is not there once"
    return text.replace(old, new)


def no_id_selectors(tmp_path: Path, strategies: list[str]) -> Path:
    """The 2024-09 file without the stable id: only the label strategies are left.
    Its own name (`version`) shows in the report that this file, not a bundled one, was used."""
    text = bundled_text()
    text = edited(text, '\nversion = "2024-09"\n', '\nversion = "2099-01"\n')
    text = edited(text, 'labelledby = ["allowDataForGenerativeAI"]\n', "")
    text = edited(
        text,
        'strategies = ["labelledby", "role-name", "label-near"]',
        "strategies = " + json.dumps(strategies),
    )
    path = tmp_path / "no-id.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- the history (test_history.py, test_history_integrity.py) -----------------------------


def history_file(home: Path) -> Path:
    return home / ".local" / "share" / "linkedin-optout" / "history.sqlite3"


def checks(cli: Callable[..., CliResult], *args: str, **kwargs: Any) -> list[dict[str, Any]]:
    result = cli("history", "--json", *args, li_at=None, **kwargs)
    assert result.code == 0, result.stderr
    return list(result.json()["checks"])


# --- waiting, ports -----------------------------------------------------------------------


def wait_until(
    predicate: Callable[[], object], what: str = "condition", timeout: float = 60
) -> None:
    """Poll state (the server's, or /proc) until it holds; fail after `timeout`."""
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"{what}: not reached in {timeout} s"
        time.sleep(0.02)


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- processes (/proc) --------------------------------------------------------------------


def _ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # "pid (comm) state ppid ...": comm may hold spaces or parentheses.
    return int(stat.rpartition(")")[2].split()[1])


def descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit() and (ppid := _ppid(int(entry))) is not None:
            parents[int(entry)] = ppid
    found: list[int] = []
    frontier = {root}
    while frontier:
        children = {pid for pid, ppid in parents.items() if ppid in frontier}
        found += sorted(children)
        frontier = children
    return found


def is_browser(pid: int) -> bool:
    try:
        exe = os.readlink(f"/proc/{pid}/exe")
    except OSError:
        exe = ""
    try:
        argv0 = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
    except OSError:
        argv0 = ""
    names = f"{Path(exe).name} {Path(argv0).name}".lower()
    return "chrom" in names or "headless_shell" in names


# --- the in-process run -------------------------------------------------------------------


@dataclass
class Walk:
    """One in-process run: what `browser_run.run` returned, and the report the CLI
    would print for it. Reads like conftest.CliResult (code, json(), stderr) so that
    a test's assertions on the report read the same in both tiers."""

    code: int  # the exit code the CLI would end with
    result: RunResult
    report: dict[str, Any]  # the --json report
    stderr: str  # the steps and warnings the console wrote

    def json(self) -> dict[str, Any]:
        return self.report

    @property
    def output(self) -> str:
        return json.dumps(self.report) + self.stderr


def walk(
    browser: Any,
    site: Any,
    mode: Literal["run", "status", "probe"] = "run",
    *,
    li_at: str | None = None,
    only: tuple[str, ...] | list[str] = (),
    groups: tuple[str, ...] | list[str] = (),
    every_setting: bool = False,
    set_values: tuple[str, ...] | list[str] = (),  # --set KEY=VALUE
    selectors: str | None = None,
    locale: str | None = None,
    timeout: float | str = 60,  # --timeout: seconds
    retries: int = 2,
    base_url: str | None = None,
    diagnostics: Path | None = None,
) -> Walk:
    """`linkedin-optout run|status|probe --json` with those options, planned as the
    CLI plans it (run_plan.plan) and run by `browser_run.run`, but in a new context
    of `browser` (pytest-playwright's, launched once): the session cookie `li_at`
    (default: a new valid one) reaches the run as LINKEDIN_LI_AT. The report and
    the exit code are the CLI's (report.build_report, Plan.exit_code).
    """
    from linkedin_optout import browser_run, report
    from linkedin_optout.choices import Choices
    from linkedin_optout.console import Console
    from linkedin_optout.run_plan import plan

    assert mode in ("run", "status", "probe"), mode
    planned = plan(
        Choices(
            command=mode,
            base_url=base_url or site.url,
            only=tuple(only),
            groups=tuple(groups),
            every_setting=every_setting,
            set_values=tuple(set_values),
            selectors=selectors,
            locale=locale,
            timeout=float(timeout),
            retries=retries,
            diagnostics=diagnostics,
        )
    )
    value = li_at if li_at is not None else site.new_session()
    started = report.now()
    stderr = io.StringIO()
    with patch.dict(os.environ, {"LINKEDIN_LI_AT": value}), redirect_stderr(stderr):
        source = planned.session()
        context = browser_run.context_in(browser)
        result = browser_run.run(planned.opts, source, Console(), diagnostics, context)
    rep = report.build_report(result, planned.opts, started, source.describe())
    code = planned.exit_code(rep.outcome, result.error)
    return Walk(code, result, json.loads(report.render_json(rep)), stderr.getvalue())
