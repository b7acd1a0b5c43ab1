"""`make demo`: the whole job against the bundled demo site.

Starts the fixture site (an imitation of LinkedIn's settings pages, 2025-09
layout with both AI settings on), hands the tool a made-up demo session through
LINKEDIN_LI_AT, runs `linkedin-optout run` (both settings switched off and
confirmed after a reload), shows what the site itself now stores, then runs
`linkedin-optout status` and `linkedin-optout history`. The demo's checks go
into a history of its own, in a temporary folder: never the person's own.
Exits non-zero if any part does not do its job.
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
        site.configure(layout="2025-09")
        env = {
            **os.environ,
            "LINKEDIN_OPTOUT_BASE_URL": site.url,
            "LINKEDIN_LI_AT": site.new_session(),  # a made-up demo session, not a real cookie
            "LINKEDIN_OPTOUT_HISTORY": str(Path(scratch) / "history.sqlite3"),
        }
        print(f"Demo site (an imitation of LinkedIn's settings) at {site.url}")
        show(site, "before")
        run_code = tool("run", env=env)
        show(site, "after the run")
        status_code = tool("status", env=env)
        history_code = tool("history", env=env)
        stored = site.settings()
    if run_code or status_code or history_code or any(stored[name] for name in AI_SETTINGS):
        print("\nThe demo did not end with both settings off: see above.", file=sys.stderr)
        return 1
    print(
        "\nDemo done: both AI settings switched off, confirmed after a reload, and the site agrees."
    )
    print(where_the_command_is())
    return 0


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
