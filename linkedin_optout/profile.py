"""The tool's browser profile: one browser, one identity, from sign-in to every run.

`login` records the identity of the browser the person signs in with (identity.py)
in the profile folder. Each run opens that same profile in that same browser,
with that User-Agent, language, time zone and window. Before the first request
it compares the browser with the record: an update (a new version of the same
browser) is carried on with and recorded; another browser or platform stops the
run in one line, because LinkedIn would end the session.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linkedin_optout.browser import BrowserChoice, Launch, launch_browser
from linkedin_optout.console import Console
from linkedin_optout.errors import UsageError
from linkedin_optout.identity import (
    WINDOW,
    Identity,
    now_stamp,
    own_user_agent,
    probe,
    product,
    read_identity,
    write_identity,
)
from linkedin_optout.session import IDENTITY_FILE, check_profile_folder

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Playwright


def platform_of(user_agent: str) -> str:
    """The platform part of a User-Agent: '(X11; Linux x86_64)'."""
    found = re.search(r"\(([^)]*)\)", user_agent)
    return found.group(1) if found else ""


def same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return a == b


def browser_changed(recorded: Identity, now: str) -> UsageError:
    if recorded.channel:
        use = f"--channel {recorded.channel}"
    elif recorded.executable:
        use = f"--browser-path {recorded.executable}"
    else:
        use = "leave out --browser-path and --channel"
    return UsageError(
        f"This session was signed in with {recorded.describe()}; this run would use "
        f"{now}, and LinkedIn ends sessions that change browsers.",
        advice=f"Use the browser you signed in with ({use}), or sign in again with this "
        "one: 'linkedin-optout login' with the same browser options.",
    )


def choice_for(choice: BrowserChoice, recorded: Identity | None) -> BrowserChoice:
    """The browser to start: the one the person signed in with, unless they name
    another (refused: it would be another identity)."""
    if recorded is None:
        return choice
    if choice.browser_path is None and choice.channel is None:
        if recorded.channel:
            return replace(choice, channel=recorded.channel)
        if recorded.executable and os.access(recorded.executable, os.X_OK):
            return replace(choice, browser_path=recorded.executable)
        return choice  # it moved (an update may do that): compared after launch
    same = (
        choice.browser_path is not None
        and recorded.executable is not None
        and same_file(choice.browser_path, recorded.executable)
    ) or (choice.channel is not None and choice.channel == recorded.channel)
    if not same:
        now = f"--channel {choice.channel}" if choice.channel else f"{choice.browser_path}"
        raise browser_changed(recorded, now)
    return choice


def identity_now(context: BrowserContext, launch: Launch, recorded: Identity | None) -> Identity:
    """What this browser is now: the record with this browser's own User-Agent and
    version, or (nothing recorded) what one of its pages says about it."""
    browser = context.browser
    assert browser is not None, "a persistent context of a launched browser"
    if recorded is None:
        page = context.pages[0] if context.pages else context.new_page()
        return probe(page, launch.description, launch.executable, launch.channel)
    return recorded.model_copy(
        update={
            "user_agent": own_user_agent(browser),
            "version": browser.version,
            "browser": launch.description,
            "executable": launch.executable,
            "channel": launch.channel,
        }
    )


def open_profile(
    pw: Playwright, choice: BrowserChoice, profile: Path, console: Console
) -> tuple[BrowserContext, str]:
    """The profile's browser, looking as it did when the person signed in."""
    profile.mkdir(parents=True, exist_ok=True, mode=0o700)
    recorded = read_identity(profile)
    start = choice_for(choice, recorded)
    window = {"viewport": {"width": WINDOW[0], "height": WINDOW[1]}}
    options: dict[str, Any] = recorded.context_options() if recorded else window
    context, launch = launch_browser(pw, start, profile, options)
    now = identity_now(context, launch, recorded)
    if recorded is not None and now.user_agent == recorded.user_agent:
        return context, f"{launch.description} {now.version}"
    if recorded is not None:
        moved = product(now.user_agent) != product(recorded.user_agent)
        if moved or platform_of(now.user_agent) != platform_of(recorded.user_agent):
            context.close()
            raise browser_changed(recorded, now.describe())
        console.step(
            f"The browser was updated ({recorded.version} to {now.version}); "
            "carrying on with it, and recording it for the next runs"
        )
    # Not yet what the site will see (first run on this profile, or an update):
    # start again with the identity itself, before any request leaves.
    context.close()
    now = now.model_copy(update={"recorded": now_stamp()})
    context, launch = launch_browser(pw, start, profile, now.context_options())
    write_identity(profile, now)
    return context, f"{launch.description} {now.version}"


def sign_in_identity(pw: Playwright, choice: BrowserChoice) -> Identity:
    """The identity a sign-in will have: this browser as it is, read from a page
    of a short headless start of it (so that the window the person sees already
    sends it), with the headless marker taken out."""
    quiet = replace(choice, headed=False, slow_mo_ms=0)
    browser, launch = launch_browser(pw, quiet)
    try:
        page = browser.new_page()
        return probe(page, launch.description, launch.executable, launch.channel)
    finally:
        browser.close()


def fresh_profile(profile: Path, default: bool) -> None:
    """A new sign-in starts a new profile. Only a folder that is the tool's own
    (its default, or one holding its identity file) or empty is emptied."""
    check_profile_folder(profile)
    if profile.is_dir() and any(profile.iterdir()):
        if not default and not (profile / IDENTITY_FILE).exists():
            raise UsageError(
                f"--profile {profile} is not empty and is not a profile of this tool's.",
                advice="Give a new or empty folder: a new sign-in starts a fresh profile there.",
            )
        shutil.rmtree(profile)
    profile.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(profile, 0o700)
