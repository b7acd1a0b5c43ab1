"""Finding and launching a browser.

Order: an explicit `--browser-path`/`LINKEDIN_OPTOUT_BROWSER`, or `--channel`;
else Playwright's own Chromium where it is installed; else a system Chrome or
Chromium at the usual paths. Playwright is imported only inside functions, so
importing this module (and the CLI) stays cheap.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linkedin_optout.errors import BrowserUnavailable

if TYPE_CHECKING:
    from playwright.sync_api import BrowserType, Playwright

# Without these, Chromium keeps calling home (updates, sync, field trials):
# slow starts, and noise on a closed network.
QUIET_ARGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

SYSTEM_BROWSER_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
)
SYSTEM_BROWSER_PATHS = (
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome",
    "/usr/bin/google-chrome-stable",
    "/opt/google/chrome/chrome",
    "/snap/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
)

FIX_NO_BROWSER = (
    "Install one: 'python -m playwright install chromium' (Playwright's Chromium), "
    "or 'sudo apt-get install chromium', or Google Chrome; "
    "or point to one with --browser-path PATH or LINKEDIN_OPTOUT_BROWSER."
)


def running_as_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def launch_args() -> list[str]:
    # Chromium refuses to start its sandbox as root; elsewhere keep it.
    return [*QUIET_ARGS, *(["--no-sandbox"] if running_as_root() else [])]


def find_system_browser() -> str | None:
    """The first Chrome or Chromium at a usual place, or None."""
    for name in SYSTEM_BROWSER_NAMES:
        path = shutil.which(name)
        if path:
            return path
    for candidate in SYSTEM_BROWSER_PATHS:
        if os.access(candidate, os.X_OK):
            return candidate
    return None


@dataclass(frozen=True)
class BrowserChoice:
    """How to start the browser: explicit path, channel, or Playwright's own."""

    browser_path: str | None = None
    channel: str | None = None
    headed: bool = False
    slow_mo_ms: int = 0

    def candidates(self, playwright_executable: str | None) -> Iterator[Launch]:
        if self.browser_path:
            yield Launch(
                f"browser at {self.browser_path}",
                {"executable_path": self.browser_path},
                executable=self.browser_path,
            )
            return
        if self.channel:
            yield Launch(
                f"{self.channel} (channel)", {"channel": self.channel}, channel=self.channel
            )
            return
        if playwright_executable and Path(playwright_executable).exists():
            yield Launch("Playwright's Chromium", {}, executable=playwright_executable)
        system = find_system_browser()
        if system:
            yield Launch(f"system browser {system}", {"executable_path": system}, executable=system)


@dataclass(frozen=True)
class Launch:
    description: str
    options: dict[str, Any] = field(default_factory=dict)
    executable: str | None = None  # what was started: recorded with the identity
    channel: str | None = None


def check_browser_path(path: str | None) -> None:
    if path is not None and not os.access(path, os.X_OK):
        raise BrowserUnavailable(
            f"The browser path {path} does not exist or cannot be run.",
            advice="Give the path of a Chrome or Chromium executable, or leave "
            "--browser-path/LINKEDIN_OPTOUT_BROWSER unset to find one.",
        )


def launch_options(choice: BrowserChoice, launch: Launch) -> dict[str, Any]:
    return {
        **launch.options,
        "headless": not choice.headed,
        "slow_mo": choice.slow_mo_ms or None,
        "args": launch_args(),
        # Playwright adds --no-sandbox unless told otherwise; we add it only as root.
        "chromium_sandbox": not running_as_root(),
        # Ctrl-C reaches the whole process group, Playwright's driver too. The
        # driver ignores it unless a launch asks it to close the browser and exit
        # then, which cuts the tool off from its browser mid-step: the tool
        # closes the browser itself (see interrupt.py).
        "handle_sigint": False,
    }


def check_display(choice: BrowserChoice) -> None:
    """A visible browser on Linux needs a display; say so, not 'no browser'."""
    no_display = not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))
    if choice.headed and sys.platform.startswith("linux") and no_display:
        raise BrowserUnavailable(
            "A visible browser needs a display, and this session has none (DISPLAY is not set).",
            advice="Run it on your desktop, or connect with 'ssh -X' so that the window "
            "opens on yours; a run can also leave out --headed. Or import cookies with "
            "their browser's User-Agent ('linkedin-optout login --import-cookies FILE "
            "--user-agent UA').",
            step="start the browser",
        )


def launch_browser(
    pw: Playwright,
    choice: BrowserChoice,
    profile: Path | None = None,
    context_options: dict[str, Any] | None = None,
) -> tuple[Any, Launch]:
    """Start the first browser that starts: a Browser, or with `profile` a persistent
    context in that profile folder (with `context_options`: the identity's user agent,
    language, time zone, window). Exit 6 (BrowserUnavailable) when none does."""
    check_browser_path(choice.browser_path)
    check_display(choice)
    chromium: BrowserType = pw.chromium
    errors: list[str] = []
    for launch in choice.candidates(chromium.executable_path):
        options = launch_options(choice, launch)
        try:
            if profile is None:
                return chromium.launch(**options), launch
            context = chromium.launch_persistent_context(
                str(profile), **options, **(context_options or {})
            )
            return context, launch
        except Exception as exc:  # Playwright raises its own Error; keep the first line
            errors.append(f"{launch.description}: {first_line(exc)}")
    raise BrowserUnavailable(
        "No usable browser." + (" Tried: " + "; ".join(errors) if errors else ""),
        advice=FIX_NO_BROWSER,
        step="start the browser",
    )


def first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def discover_executable() -> str | None:
    """The browser a run would use with no options: Playwright's Chromium, else a
    system one. Used by `make`'s browser check and by the test suite."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        bundled = pw.chromium.executable_path
    if bundled and Path(bundled).exists():
        return bundled
    return find_system_browser()


def main() -> int:
    path = discover_executable()
    if path is None:
        print(FIX_NO_BROWSER, file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
