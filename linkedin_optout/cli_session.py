"""The session commands: `login` (a sign-in in a browser of the tool's own, or a
cookie export) and `logout`, with the options only they take. Registered on the
app in cli.py."""

from pathlib import Path
from typing import Annotated

import typer

from linkedin_optout import cli_options as opt
from linkedin_optout.choices import DEFAULT_BASE_URL, browser_choice, check_base_url
from linkedin_optout.command import exit_on_error, fail
from linkedin_optout.console import Console
from linkedin_optout.errors import UsageError

SaveState = Annotated[
    Path | None,
    typer.Option(
        "--state",
        metavar="PATH",
        help="Save the session in this state file instead of the browser profile "
        "(with --import-cookies: default state.json in ~/.config/linkedin-optout).",
        show_default=False,
    ),
]
LogoutState = Annotated[
    Path | None,
    typer.Option(
        "--state",
        metavar="PATH",
        help="The state file to delete (default: the browser profile and the state "
        "file 'linkedin-optout login' saved).",
        show_default=False,
    ),
]
ImportCookies = Annotated[
    Path | None,
    typer.Option(
        "--import-cookies",
        metavar="FILE",
        help="No browser: turn a cookie export (Netscape cookies.txt, or a JSON "
        "list from a browser extension) into a state file.",
        show_default=False,
    ),
]
SignInTimeout = Annotated[
    float,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        min=1,
        help="How long to wait for you to sign in.",
    ),
]
Headless = Annotated[
    bool,
    typer.Option(
        "--headless",
        metavar="",
        help="No window (only for sign-in pages that complete "
        "by themselves, like the demo site's).",
    ),
]


def login(
    base_url: opt.BaseUrl = DEFAULT_BASE_URL,
    state: SaveState = None,
    profile: opt.Profile = None,
    import_cookies: ImportCookies = None,
    user_agent: opt.UserAgent = None,
    timeout: SignInTimeout = 600.0,
    headless: Headless = False,
    browser_path: opt.BrowserPath = None,
    channel: opt.ChannelOpt = None,
) -> None:
    """Sign in yourself in a browser window of the tool's own; every run then uses it.

    The tool never sees or stores your password: you type it into LinkedIn's own page.

    Its identity (User-Agent, language, time zone, window) is recorded; every run
    sends the same, so that LinkedIn keeps the session.
    """
    from linkedin_optout import login as login_flow
    from linkedin_optout import session
    from linkedin_optout.identity import check_user_agent

    console = Console()
    with exit_on_error(console):
        url = check_base_url(base_url)
        if import_cookies is not None:
            target = state or session.default_state_path()
            agent = check_user_agent(user_agent) if user_agent else None
            count = login_flow.import_cookies(import_cookies, target, url, agent)
            noun = "cookie" if count == 1 else "cookies"
            console.out(f"Imported {count} LinkedIn {noun} into {target} (readable only by you).")
            if state is None:
                forget(session.default_profile_path(), console, "the browser profile")
            if agent is None:
                console.warn(session.FOREIGN_SESSION_WARNING)
        else:
            if user_agent:
                raise UsageError(
                    "--user-agent goes with --import-cookies: a sign-in here records "
                    "this browser's own identity."
                )
            choice = browser_choice(browser_path, channel, headed=not headless)
            saved = login_flow.sign_in(url, state, profile, timeout, choice, console)
            if state is None and profile is None:
                forget(session.default_state_path(), console, "the imported session")
            console.out(f"Signed in. Session saved in {saved} (readable only by you).")
            if state is None:
                console.out("Every run uses this browser profile, in the same browser.")
        console.out("Next: linkedin-optout status")


def forget(path: Path, console: Console, what: str) -> None:
    """A new login replaces the session of the other kind the tool kept by default."""
    import shutil

    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.is_file():
        path.unlink(missing_ok=True)
    else:
        return
    console.out(f"Removed {what} an earlier login saved ({path}).")


def logout(state: LogoutState = None, profile: opt.Profile = None) -> None:
    """Delete the saved session: the browser profile and state file login saved."""
    import os

    from linkedin_optout import session

    console = Console()
    chosen = [p for p in (state, profile) if p is not None]
    targets = chosen or [session.default_profile_path(), session.default_state_path()]
    found = [t for t in targets if t.exists()]
    if not found:
        console.out(f"No saved session at {' or '.join(map(str, targets))}.")
    for target in found:
        try:
            if target.is_dir():
                forget_profile(target)
            else:
                target.unlink()
        except (OSError, UsageError) as exc:
            message = exc.message if isinstance(exc, UsageError) else exc.strerror or str(exc)
            fail(console, UsageError(f"Cannot delete {target}: {message}."))
        console.out(f"Deleted the saved session {target}.")
    if os.environ.get(session.ENV_LI_AT, "").strip():
        console.warn(
            f"{session.ENV_LI_AT} is still set in this environment: runs still use that "
            "session until you unset it."
        )


def forget_profile(profile: Path) -> None:
    """Delete a browser profile folder, only if it is the tool's own."""
    import shutil

    from linkedin_optout import session
    from linkedin_optout.session import IDENTITY_FILE

    own = profile == session.default_profile_path() or (profile / IDENTITY_FILE).exists()
    if not own:
        raise UsageError("it is not a browser profile of this tool's")
    shutil.rmtree(profile)
