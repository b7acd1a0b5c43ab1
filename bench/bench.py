"""Speed benchmark (`make bench`): not a test, a measurement.

Against the demo site (LinkedIn's 2025-09 pages, both AI settings on), times end to end,
each as a fresh process the way a person runs it:
- `linkedin-optout run` (both settings on -> off, confirmed after reload) and
  `linkedin-optout status`, beside bench/minimal.py, a plain Playwright script
  doing the same page loads, clicks and reloads; medians and ratios.
- `linkedin-optout --help` (the CLI must not import Playwright).
- Time to a verdict where the page gives none at once: a redesigned page the
  tool does not recognize (exit 4), a switch that stays disabled (locked: exit
  5 from `run`), and a switch drawn 1.5 s before its value arrives (`status`).
- `checkup` (every catalogue setting read) against `status`, and `run --all`
  (every setting on -> off, each proved) against `run`.
- `status` in the browser profile `login` made against `status` with a cookie in
  a fresh context: what keeping one browser identity costs per run.
Targets: run and status within 2.5x of the minimal script (which believes the
first state a switch shows, where the tool waits for 1.5 s of quiet before it
reads a switch, on or off: a page may fetch the value after a silent pause),
checkup within 3x of status, run --all within 4x of run, the profile within
1.5x of a fresh context, --help
under 0.3 s, each verdict within 15 s at default options (the pages render
within 0.1 s of loading, so this is the time from rendered content too).
Prints a table; exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fixtures.site import FixtureSite  # noqa: E402
from linkedin_optout.browser import discover_executable  # noqa: E402

TOOL = [sys.executable, "-m", "linkedin_optout"]
MINIMAL = [sys.executable, str(ROOT / "bench" / "minimal.py")]


VERDICT_TARGET_S = 15.0
# name -> (site configuration, command, the exit code that is the right verdict)
VERDICTS: dict[str, tuple[dict[str, object], list[str], int]] = {
    "not recognized": ({"layout": "redesign"}, ["status", "--quiet"], 4),
    "locked switch": ({"locked": ("allowDataForGenerativeAI",)}, ["run", "--quiet"], 5),
    "placeholder": ({"placeholder": "silent", "value_delay_ms": 1500}, ["status", "--quiet"], 1),
}


def timed(command: list[str], env: dict[str, str], expect: tuple[int, ...] = (0, 1)) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in expect:
        sys.exit(f"{' '.join(command)} failed ({proc.returncode}):\n{proc.stderr}")
    return elapsed


def median_of(runs: int, prepare: Callable[[], dict[str, str]], command: list[str]) -> float:
    return statistics.median(timed(command, prepare()) for _ in range(runs))


def paired_medians(
    runs: int, prepare: Callable[[], dict[str, str]], tool: list[str], minimal: list[str]
) -> tuple[float, float]:
    """Tool and baseline run in turns, so a machine that slows down or speeds up
    during the benchmark weighs on both alike."""
    pairs = [(timed(tool, prepare()), timed(minimal, prepare())) for _ in range(runs)]
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


# `status` in the browser profile `login` made (a persistent context, opened with the
# identity recorded at sign-in) against `status` with a cookie in a fresh context.
PROFILE_TARGET = 1.5


def profile_cost(site: FixtureSite, scratch: Path, browser: str, runs: int) -> tuple[float, float]:
    site.reset()
    site.configure(layout="2025-09", autologin=True)
    home = scratch / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "LINKEDIN_OPTOUT_BASE_URL": site.url,
        "LINKEDIN_OPTOUT_BROWSER": browser,
        "LINKEDIN_OPTOUT_HISTORY": str(scratch / "history.sqlite3"),
    }
    env.pop("LINKEDIN_LI_AT", None)
    timed([*TOOL, "login", "--headless", "--timeout", "60"], env, (0,))
    site.set_setting("allowDataForGenerativeAI", False)
    site.set_setting("allowAICreationTools", False)
    pairs = []
    for _ in range(runs):
        with_profile = timed([*TOOL, "status", "--quiet"], env, (0,))
        with_cookie = timed(
            [*TOOL, "status", "--quiet"], {**env, "LINKEDIN_LI_AT": site.new_session()}, (0,)
        )
        pairs.append((with_profile, with_cookie))
    return statistics.median(p[0] for p in pairs), statistics.median(p[1] for p in pairs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    browser = os.environ.get("LINKEDIN_OPTOUT_BROWSER") or discover_executable() or ""
    with FixtureSite() as site, tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        site.configure(layout="2025-09")

        def fresh(all_on: bool) -> Callable[[], dict[str, str]]:
            def prepare() -> dict[str, str]:
                site.reset()
                site.configure(layout="2025-09")
                if not all_on:
                    site.set_setting("allowDataForGenerativeAI", False)
                    site.set_setting("allowAICreationTools", False)
                return {
                    **os.environ,
                    "LINKEDIN_LI_AT": site.new_session(),
                    "LINKEDIN_OPTOUT_BASE_URL": site.url,
                    "LINKEDIN_OPTOUT_BROWSER": browser,
                    # Timed with the history it keeps, but not in the person's own.
                    "LINKEDIN_OPTOUT_HISTORY": str(scratch / "history.sqlite3"),
                }

            return prepare

        results = {
            "run": (
                *paired_medians(
                    runs, fresh(True), [*TOOL, "run", "--quiet"], [*MINIMAL, "run", site.url]
                ),
                2.5,
            ),
            "status": (
                *paired_medians(
                    runs, fresh(False), [*TOOL, "status", "--quiet"], [*MINIMAL, "status", site.url]
                ),
                2.5,
            ),
        }
        # The whole catalogue against the tool's own status and run: every page of
        # it read (checkup) and every setting switched off and proved (run --all).
        catalogue = {
            "checkup": (
                *paired_medians(
                    runs, fresh(True), [*TOOL, "checkup", "--quiet"], [*TOOL, "status", "--quiet"]
                ),
                3.0,
            ),
            "run --all": (
                *paired_medians(
                    runs, fresh(True), [*TOOL, "run", "--all", "--quiet"], [*TOOL, "run", "--quiet"]
                ),
                4.0,
            ),
        }
        catalogue["profile"] = (*profile_cost(site, scratch, browser, runs), PROFILE_TARGET)
        verdicts = {}
        for name, (config, command, code) in VERDICTS.items():

            def prepare_verdict(config: dict[str, object] = config) -> dict[str, str]:
                env = fresh(True)()
                site.configure(**{"layout": "2024-09", **config})
                return env

            # The "not recognized" bundle goes to the scratch folder, not the checkout.
            bundle = ["--diagnostics", str(scratch / "diagnostics")]
            verdicts[name] = statistics.median(
                timed([*TOOL, *command, *bundle], prepare_verdict(), (code,)) for _ in range(3)
            )
    help_time = median_of(runs, lambda: dict(os.environ), [*TOOL, "--help"])

    ok = True
    print(f"{'':8} {'tool':>8} {'minimal':>8} {'ratio':>6} {'target':>7}  (medians of {runs})")
    for name, (tool, minimal, target) in results.items():
        ratio = tool / minimal
        ok &= ratio <= target
        verdict = "ok" if ratio <= target else "MISSED"
        print(f"{name:8} {tool:7.2f}s {minimal:7.2f}s {ratio:6.2f} {target:6.1f}x  {verdict}")
    against = {"checkup": "status", "run --all": "run", "profile": "status with LINKEDIN_LI_AT"}
    for name, (tool, base, target) in catalogue.items():
        ratio = tool / base
        ok &= ratio <= target
        verdict = "ok" if ratio <= target else "MISSED"
        print(
            f"{name:9} {tool:6.2f}s  {ratio:4.2f}x the tool's {against[name]} "
            f"({base:.2f}s), target {target:g}x  {verdict}"
        )
    ok &= help_time < 0.3
    print(
        f"{'--help':8} {help_time:7.2f}s {'':8} {'':6} {'<0.3s':>7}  "
        f"{'ok' if help_time < 0.3 else 'MISSED'}"
    )
    for name, seconds in verdicts.items():
        ok &= seconds <= VERDICT_TARGET_S
        verdict = "ok" if seconds <= VERDICT_TARGET_S else "MISSED"
        print(f"{name:15} {seconds:6.2f}s  (target {VERDICT_TARGET_S:g} s, median of 3)  {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
