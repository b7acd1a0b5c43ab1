"""`make demo`: the whole job against the bundled demo site.

Starts the fixture site (an imitation of LinkedIn's settings pages, the
2025-09 design with both AI settings on), signs in once with `linkedin-optout login`
(the demo site's sign-in page fills itself in, so no window is needed), runs
`linkedin-optout run` in that same browser profile (both settings switched off
and confirmed after a reload), shows what the site itself now stores, runs
`linkedin-optout status`, lets the site switch training back on (the next `status`
says so, with the date, and exits 1), runs `run` again, shows `linkedin-optout
history`, and ends by writing the
run's HTML record (`run --html`) and the history page (`history --html`) in
demo-output/, and says where. The demo's profile and history live in a temporary
home folder: never the person's own. Exits non-zero if any part does not do its
job, or if the site saw more than one browser identity.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixtures.site import FixtureSite  # noqa: E402 (the repository root is on the path now)

AI_SETTINGS = ("allowDataForGenerativeAI", "allowAICreationTools")
OUTPUT = ROOT / "demo-output"  # what the demo leaves to look at (ignored by git)
RECORD, HISTORY_PAGE = OUTPUT / "record.html", OUTPUT / "history.html"


def tool(*args: str, env: dict[str, str]) -> int:
    print(f"\n$ linkedin-optout {' '.join(args)}", flush=True)
    return subprocess.run([sys.executable, "-m", "linkedin_optout", *args], env=env).returncode


def show(site: FixtureSite, when: str) -> None:
    stored = site.settings()
    print(
        f"\nDemo site {when}: "
        + ", ".join(f"{name}={'on' if stored[name] else 'off'}" for name in AI_SETTINGS),
        flush=True,
    )


def main() -> int:
    with FixtureSite() as site, tempfile.TemporaryDirectory() as scratch:
        site.configure(layout="2025-09", autologin=True)
        home = Path(scratch) / "home"
        env = {
            **{k: v for k, v in os.environ.items() if k != "LINKEDIN_LI_AT"},
            "HOME": str(home),
            "XDG_CONFIG_HOME": str(home / ".config"),
            "XDG_DATA_HOME": str(home / ".local" / "share"),
            "LINKEDIN_OPTOUT_BASE_URL": site.url,
        }
        print(f"Demo site (an imitation of LinkedIn's settings) at {site.url}")
        show(site, "before")
        codes = [tool("login", "--headless", "--timeout", "60", env=env)]
        OUTPUT.mkdir(exist_ok=True)
        codes.append(tool("run", "--html", str(RECORD), env=env))
        show(site, "after the run")
        codes.append(tool("status", env=env))
        site.set_setting(AI_SETTINGS[0], True)  # LinkedIn switches training back on
        print("\nOn the demo site, LinkedIn now switches training back on.", flush=True)
        back = tool("status", env=env)  # exit 1, and it says since when
        codes.append(0 if back == 1 else back or 1)
        codes += [tool("run", env=env), tool("history", env=env)]
        codes.append(tool("history", "--html", str(HISTORY_PAGE), env=env))
        stored = site.settings()
        one_identity = len(site.identities) == 1 and not site.killed
    if any(codes) or any(stored[name] for name in AI_SETTINGS) or not one_identity:
        print("\nThe demo did not end with both settings off: see above.", file=sys.stderr)
        return 1
    print(
        "\nDemo done: signed in once; both AI settings switched off, confirmed after a "
        "reload, in that same browser; the site agrees and saw one browser identity."
    )
    print(
        f"\nThe run's record: {shown(RECORD)}\nThe history page: {shown(HISTORY_PAGE)}\n"
        "(each a page that stands alone: open it in a browser, or print it to PDF)"
    )
    print(where_the_command_is())
    return 0


def shown(path: Path) -> Path:
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def where_the_command_is() -> str:
    """The demo ran the tool from the virtual environment, which a shell's PATH does
    not hold: say where the command is, so that `linkedin-optout` is not "not found"."""
    command = Path(sys.executable).parent / "linkedin-optout"
    try:
        shown = command.relative_to(Path.cwd())
    except ValueError:
        shown = command
    activate = shown.parent / "activate"
    return (
        f"\nThe command is {shown} (in the virtual environment, not on your PATH):\n"
        f"  {shown} --help\n"
        f"or, for this shell: source {activate}, then linkedin-optout --help"
    )


if __name__ == "__main__":
    sys.exit(main())
