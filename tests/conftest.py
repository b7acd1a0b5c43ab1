"""Shared test set-up: the browser pytest-playwright launches, and the fixture site."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from playwright.sync_api import Browser, BrowserContext, expect

from linkedin_optout.browser import discover_executable, launch_args
from linkedin_optout.identity import own_user_agent
from linkedin_optout.selectors import bundled_selector_files

# --- time limits ------------------------------------------------------------------------
# The suite must pass on a busy machine (CI is a shared 2-core box). A test waits for
# what it needs (a line, an exit, a request, a page state), never for a guess at how
# long that takes; the limits below are only there so that a hang ends in a failure.
# None may be a number a slow machine can reach: anything that must happen gets this.
SLOW_MACHINE_DEADLINE_S = 60
# --timeout for a tool run that is expected to succeed: its waits end on page state,
# so a long limit costs nothing when things work, and only a hang runs into it.
TOOL_TIMEOUT = str(SLOW_MACHINE_DEADLINE_S)
# How long a test lets a whole tool process run: several steps, each of which may take
# up to --timeout and be retried, so well above the tool's own limit.
CLI_DEADLINE_S = 5 * SLOW_MACHINE_DEADLINE_S
# --timeout for a run in which the tool must give up (a page that never loads, a
# switch the page never shows): the test waits that limit out each time, so it is
# short. What it waits for never comes, so a slow machine cannot change that outcome;
# but the tool has one limit for every step, and the pages that do load on the way
# must load within it too. Under `make test-loaded` a page step took up to ~2.5 s;
# 10 s leaves room for that, and is what the tool allows a link click to lead
# somewhere (PASS_BY_WAIT_S in linkedin_optout/driver.py).
GIVE_UP_TIMEOUT = "10"

# Playwright's own defaults in the tests' browser: 5 s for expect(), 30 s for actions.
expect.set_options(timeout=SLOW_MACHINE_DEADLINE_S * 1000)
# Hypothesis times each example (200 ms by default) and fails a test whose inputs are
# slow to generate: on a busy machine both say nothing about the code under test.
settings.register_profile(
    "slow-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("slow-machine")


@pytest.fixture(scope="session")
def browser_executable() -> str:
    path = os.environ.get("LINKEDIN_OPTOUT_BROWSER") or discover_executable()
    if not path:
        pytest.exit("No browser for the tests: run 'make test', which installs one.", returncode=1)
    return path


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], browser_executable: str
) -> dict[str, Any]:
    # pytest-playwright has no executable-path option; extend its launch arguments.
    return {
        **browser_type_launch_args,
        "executable_path": browser_executable,
        "args": launch_args(),
        "timeout": SLOW_MACHINE_DEADLINE_S * 1000,  # Playwright's default is 30 s
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], browser: Browser) -> dict[str, Any]:
    """Pages opened with pytest-playwright's `page` look like a person's Chrome: a
    person's browser is never headless, and the fixture site (like LinkedIn) ends a
    session used by a HeadlessChrome, or by a request without the browser's client
    hints (Playwright's own `page.request` sends none: it gets the browser's here)."""
    user_agent = own_user_agent(browser)
    page = browser.new_page(user_agent=user_agent)
    try:
        # navigator.userAgentData needs a secure context: an https page, served here.
        page.route("https://browser.invalid/", lambda route: route.fulfill(body=""))
        page.goto("https://browser.invalid/")
        brands, platform = page.evaluate(
            "[navigator.userAgentData.brands, navigator.userAgentData.platform]"
        )
    finally:
        page.close()
    hints = ", ".join(f'"{b["brand"]}";v="{b["version"]}"' for b in brands)
    PERSON_USER_AGENT[:] = [user_agent]
    return {
        **browser_context_args,
        "user_agent": user_agent,
        "extra_http_headers": {"sec-ch-ua": hints, "sec-ch-ua-platform": f'"{platform}"'},
    }


@pytest.fixture(scope="session")
def person_user_agent(browser_executable: str, browser_context_args: dict[str, Any]) -> str:
    """PERSON_USER_AGENT for the tool runs a test starts (tool_env). The executable
    is found first: its discovery starts a Playwright of its own, which it cannot
    do once pytest-playwright's is running."""
    return str(browser_context_args["user_agent"])


@pytest.fixture
def context(context: BrowserContext) -> BrowserContext:
    """pytest-playwright's context, with a generous limit for every action and navigation."""
    context.set_default_timeout(SLOW_MACHINE_DEADLINE_S * 1000)
    context.set_default_navigation_timeout(SLOW_MACHINE_DEADLINE_S * 1000)
    return context


@pytest.fixture(scope="session")
def site_server() -> Iterator[Any]:
    from fixtures.site import FixtureSite

    server = FixtureSite()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def site(site_server: Any) -> Any:
    """The fixture site, reset to its defaults for each test."""
    site_server.reset()
    return site_server


# --- running the tool as a person would: a real process ------------------------------


def protected_ids(targets: Sequence[str] | None = None) -> list[str]:
    """The switch ids of every setting outside `targets` (by default: outside the
    default groups): a run must leave each as it was."""
    from fixtures.site import DEFAULT_SETTINGS
    from linkedin_optout.selectors import bundled_selector_files, default_keys

    wanted = set(default_keys(bundled_selector_files()) if targets is None else targets)
    ids = {
        i
        for selector_file in bundled_selector_files()
        for s in selector_file.settings
        if s.key not in wanted
        for i in (*s.labelledby, *s.ids)
    }
    return sorted(i for i in ids if i in DEFAULT_SETTINGS)


def targets_of(args: Sequence[str]) -> tuple[str, ...]:
    """The settings a command line asks for (--only, --group, --all), as the tool reads them."""
    from linkedin_optout.choices import check_keys
    from linkedin_optout.errors import OptoutError
    from linkedin_optout.selectors import bundled_selector_files

    def values(flag: str) -> list[str]:
        return [args[i + 1] for i, a in enumerate(args[:-1]) if a == flag]

    named = tuple(item.partition("=")[0] for item in values("--set"))
    picked = values("--only") or values("--group") or "--all" in args
    try:
        chosen = check_keys(
            values("--only"), values("--group"), "--all" in args, bundled_selector_files()
        )
    except OptoutError:
        return ()  # the tool refuses the command line itself: nothing is asked for
    return (*chosen, *named) if picked or not named else named


VISIBILITY_KEYS = frozenset(
    s.key for v in bundled_selector_files() for s in v.settings if s.group in v.personal_groups
)
BANNER_CONSENT = "nonEssentialCookieConsent"  # also what the fixture's cookie banner sets


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        data = json.loads(self.stdout)  # the whole of stdout is one JSON object
        assert isinstance(data, dict)
        return data

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """An empty home folder, so no saved session of a real person is ever read."""
    path = tmp_path / "home"
    path.mkdir()
    return path


# The User-Agent of the tests' browser, as its visible window sends it (set by
# browser_context_args). A run with a cookie (LINKEDIN_LI_AT) names it, as the
# README asks a person to name the browser their cookie came from; the tests'
# sessions are bound to the first browser that uses them.
PERSON_USER_AGENT: list[str] = []


def tool_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINKEDIN_")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),  # the history goes here
        NO_COLOR="1",
    )
    env.pop("PYTEST_CURRENT_TEST", None)
    if "LINKEDIN_LI_AT" in extra and PERSON_USER_AGENT:
        env["LINKEDIN_OPTOUT_USER_AGENT"] = PERSON_USER_AGENT[0]
    env.update(extra)
    return env


@pytest.fixture
def cli(
    site: Any,
    browser_executable: str,
    person_user_agent: str,  # named in every run with a cookie (tool_env)
    home: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Iterator[Any]:
    """Run `linkedin-optout ARGS` against the fixture site with a fresh valid
    session (li_at="new"), another value, or none (li_at=None). After each call the
    server must show that no setting outside that call's targets changed (none for
    a read) and that no save switched a setting on or picked an answer not asked for.

    By default the command runs in this process (typer's runner, with the
    environment, stdin and working folder it would have), its browser context
    opened in pytest-playwright's running browser (`browser_run.context_in`): the whole
    CLI, without starting Python and a browser for each run. `process=True` runs
    it as a real process with a browser of its own: for what only a process shows
    (signals, what reaches a terminal at exit, browser discovery and launch,
    profiles, `login`, `doctor`)."""

    def invoke(
        *args: str,
        li_at: str | None = "new",
        env: dict[str, str] | None = None,
        timeout: float = CLI_DEADLINE_S,
        stdin: str | None = None,
        process: bool = False,
    ) -> CliResult:
        extra = {
            "LINKEDIN_OPTOUT_BASE_URL": site.url,
            "LINKEDIN_OPTOUT_BROWSER": browser_executable,
        }
        if li_at == "new":
            extra["LINKEDIN_LI_AT"] = site.new_session()
        elif li_at is not None:
            extra["LINKEDIN_LI_AT"] = li_at

        # Checked call by call: what the site held just before it (a test may change
        # the server in between, as LinkedIn does) against what it holds after.
        just_before, saves_before = server_state(site), len(site.saves)
        targets = set(targets_of(args)) if args and args[0] == "run" else set()
        full_env = tool_env(home, **{**extra, **(env or {})})
        result = run_tool(args, full_env, env or {}, stdin, timeout, process)
        assert_nothing_else_changed(site, just_before, targets, saves_before)
        return result

    def run_tool(
        args: tuple[str, ...],
        full_env: dict[str, str],
        env: dict[str, str],
        stdin: str | None,
        timeout: float,
        process: bool,
    ) -> CliResult:
        if not (process or needs_process(args, env)):
            return in_this_process(request, monkeypatch, args, full_env, stdin, tmp_path)
        proc = subprocess.run(
            [sys.executable, "-m", "linkedin_optout", *args],
            env=full_env,
            cwd=tmp_path,
            input=stdin if stdin is not None else "",
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        return CliResult(proc.returncode, proc.stdout, proc.stderr)

    yield invoke


# Commands and options that start a browser of the tool's own choosing: the
# in-process tier only lends a context of the running browser.
OWN_BROWSER_COMMANDS = ("doctor", "login")
OWN_BROWSER_OPTIONS = ("--profile", "--browser-path", "--channel", "--headed", "--slow-mo")


def needs_process(args: Sequence[str], env: dict[str, str]) -> bool:
    own_command = bool(args) and args[0] in OWN_BROWSER_COMMANDS
    own_option = any(a.split("=")[0] in OWN_BROWSER_OPTIONS for a in args)
    return own_command or own_option or "LINKEDIN_OPTOUT_BROWSER" in env


def in_this_process(
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
    args: Sequence[str],
    env: dict[str, str],
    stdin: str | None,
    cwd: Path,
) -> CliResult:
    """The CLI run by typer's runner in this process, with exactly `env` as its
    environment, in `cwd`, each run's browser context in the running browser."""
    from typer.testing import CliRunner

    from linkedin_optout import browser_run, cli

    browser = request.getfixturevalue("browser")
    monkeypatch.setattr(browser_run, "browser_context", browser_run.context_in(browser))
    monkeypatch.chdir(cwd)
    unset: dict[str, str | None] = {key: None for key in os.environ if key not in env}
    outcome = CliRunner().invoke(
        cli.app, list(args), input=stdin or "", env={**unset, **env}, catch_exceptions=True
    )
    if outcome.exception is not None and not isinstance(outcome.exception, SystemExit):
        raise outcome.exception  # what a process would print as a traceback
    return CliResult(outcome.exit_code, outcome.stdout, outcome.stderr)


def assert_nothing_else_changed(
    site: Any, before: dict[str, Any], asked: set[str], saves_from: int = 0
) -> None:
    """Since `before` (the server's state) no setting outside `asked` (what a run
    asked for; nothing for a read) changed, and each save since `saves_from` only
    switched off, or picked an answer of a choice that was asked for."""
    after = server_state(site)
    # What LinkedIn itself switched after a save (partner sharing follows ads beyond LinkedIn).
    linked = {setting_id for setting_id, _ in site.linked_changes}
    for key in protected_ids(sorted(asked)):
        if key in linked:
            continue
        # The cookie banner is answered by refusing (overlays.refuse), on purpose.
        refused = key == BANNER_CONSENT and before[key] is None and after[key] is False
        assert after[key] == before[key] or refused, f"{key} was changed"
    for key in VISIBILITY_KEYS - asked:  # a personal choice changes only when named
        assert after[key] == before[key], f"{key} was changed"
    for save in site.saves[saves_from:]:
        assert save.value is False or (isinstance(save.value, str) and save.setting_id in asked), (
            f"a save set {save.setting_id} to {save.value}"
        )


def server_state(site: Any) -> dict[str, Any]:
    """Every value the fixture site keeps: switches by id, visibility settings by key."""
    return {**site.settings(), **site.visibility()}


# --- running the walk in this process (tests/helpers.py) ---------------------------------


@pytest.fixture
def walk(site: Any, browser: Browser, tmp_path: Path) -> Iterator[Any]:
    """`walk(mode, **options)`: helpers.walk against the fixture site in a new context
    of pytest-playwright's browser; a diagnostic bundle goes to tmp_path/diag unless
    `diagnostics=` says otherwise. After each, the same checks as `cli`."""
    from helpers import walk as walk_in_process

    def invoke(mode: str = "run", **options: Any) -> Any:
        options.setdefault("diagnostics", tmp_path / "diag")
        before, saves_before = server_state(site), len(site.saves)  # checked call by call
        result = walk_in_process(browser, site, mode, **options)
        asked = {s["key"] for s in result.report["settings"]} if mode == "run" else set()
        assert_nothing_else_changed(site, before, asked, saves_before)
        return result

    yield invoke


class RecordingSecrets:
    """Stands in for the fixture site's `secrets` (in fixtures.routes): keeps each
    JSESSIONID it hands out."""

    def __init__(self) -> None:
        self.tokens: list[str] = []

    def randbelow(self, n: int) -> int:
        value = secrets.randbelow(n)
        self.tokens.append(f"{value:019d}")
        return value

    def __getattr__(self, name: str) -> Any:
        return getattr(secrets, name)
