"""Stopped mid-run: Ctrl-C and SIGTERM end cleanly and say exactly what happened.

Each test starts the real CLI in a session of its own, as a terminal would,
waits for a moment of the run that the fixture site makes happen (a page that
never loads, a save the server holds), then sends SIGINT to the whole process
group (what Ctrl-C does: Playwright's driver gets it too) or SIGTERM to the
process. It checks the exit code, the one message, the report, the server's
own state, that no process of the run is left, and that stderr has no noise.
"""

from __future__ import annotations

import contextlib
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import CliResult, tool_env
from helpers import (
    CREATION,
    GEN_AI,
    GEN_AI_PAGE,
    GEN_AI_TITLE,
    assert_report_tells_the_truth,
    by_key,
    descendants,
    is_browser,
    wait_until,
)

from linkedin_optout.findings import Finding
from linkedin_optout.interrupt import stopped_error
from linkedin_optout.report import SettingReport

CREATION_PAGE = "/mypreferences/d/settings/ai-creation-tools"
GEN_AI_TITLE_2025 = "Use your data to train and develop AI models"
DEADLINE_S = 60.0  # generous: a busy machine must not fail these
NOISE = ("Traceback", "Future exception", "Exception:", "asyncio", "Task was destroyed")
UNCONFIRMED = (
    f"stopped after switching '{GEN_AI_TITLE}' off, before a reload confirmed it: "
    "run 'linkedin-optout status'."
)
HOW = {
    signal.SIGINT: ("Ctrl-C (SIGINT)", 130),
    signal.SIGTERM: ("SIGTERM", 143),
}
SIGNALS = pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["int", "term"])


def alive(pid: int) -> bool:
    """Running, and not a zombie waiting to be reaped (it holds nothing any more)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def hung(site: Any, path: str) -> bool:
    """The server holds a request for `path` without answering it."""
    return any(r.path.startswith(path) and r.status == 0 for r in site.requests)


class Run:
    """The CLI as a terminal runs it: a session of its own, stderr read line by line,
    and a --report file."""

    def __init__(
        self, site: Any, browser: str, home: Path, cwd: Path, args: tuple[str, ...], stdin: Any
    ) -> None:
        env = tool_env(
            home,
            LINKEDIN_OPTOUT_BASE_URL=site.url,
            LINKEDIN_OPTOUT_BROWSER=browser,
            LINKEDIN_LI_AT=site.new_session(),
        )
        self.report = cwd / "report.json"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "linkedin_optout", *args, "--report", str(self.report)],
            env=env,
            cwd=cwd,
            stdin=stdin,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # a process group of its own, as a shell gives a job
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.stderr: list[str] = []
        self.stdout: list[str] = []
        self.tree: list[int] = []  # the run's processes when it was signalled
        self._readers = [
            threading.Thread(target=self._read, args=(self.proc.stderr, self.stderr), daemon=True),
            threading.Thread(target=self._read, args=(self.proc.stdout, self.stdout), daemon=True),
        ]
        for reader in self._readers:
            reader.start()

    def _read(self, stream: Any, into: list[str]) -> None:
        for line in stream:
            into.append(line)
            if into is self.stderr:
                self.lines.put(line)

    def wait_for_line(self, text: str) -> None:
        """Until stderr shows a line with `text` (the CLI prints each step as it happens)."""
        deadline = time.monotonic() + DEADLINE_S
        while True:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no line with {text!r} in {DEADLINE_S:g} s:\n{self.stderr}"
            try:
                if text in self.lines.get(timeout=remaining):
                    return
            except queue.Empty:
                continue

    def send(self, sig: int) -> None:
        """SIGINT as Ctrl-C sends it (to the whole group), SIGTERM to the process."""
        if not self.tree:
            self.tree = descendants(self.proc.pid)
            assert any(is_browser(pid) for pid in self.tree), "no browser at the signal"
        if sig == signal.SIGINT:
            os.killpg(self.proc.pid, sig)
        else:
            os.kill(self.proc.pid, sig)

    def finish(self) -> CliResult:
        try:
            self.proc.wait(timeout=DEADLINE_S)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"the CLI did not end after the signal:\n{''.join(self.stderr)}")
        for reader in self._readers:
            reader.join(timeout=DEADLINE_S)
        return CliResult(self.proc.returncode, "".join(self.stdout), "".join(self.stderr))

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        if self.proc.stdin is not None:
            self.proc.stdin.close()


@pytest.fixture
def start(cli: Any, site: Any, browser_executable: str, home: Path, tmp_path: Path) -> Any:
    """Start a run. `cli` is here for its checks afterwards: no setting but the
    targets changed on the server, and no save switched one on."""
    runs: list[Run] = []

    def begin(*args: str, stdin: Any = subprocess.DEVNULL) -> Run:
        run = Run(site, browser_executable, home, tmp_path, args, stdin)
        runs.append(run)
        return run

    yield begin
    for run in runs:
        run.kill()


def assert_no_noise(stderr: str) -> None:
    for noise in NOISE:
        assert noise not in stderr, stderr


def assert_nothing_left(run: Run) -> None:
    """No process of the run survives it (a zombie holds nothing, so it counts as gone)."""
    wait_until(
        lambda: not [pid for pid in run.tree if alive(pid)],
        f"processes of the run still there: {[p for p in run.tree if alive(p)]}",
    )


def assert_stopped(run: Run, result: CliResult, sig: int, what: str) -> dict[str, Any]:
    """The exit code, the one message, no noise, nothing left behind, and the
    report (the --report file, and with --json stdout too): returned."""
    name, code = HOW[sig]
    message = f"Interrupted by {name}: {what}"
    assert result.code == code, result.stderr
    assert_no_noise(result.stderr)
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {message}"], result.stderr
    assert_nothing_left(run)
    report = json.loads(run.report.read_text())
    if "--json" in run.proc.args:
        assert result.json() == report
    else:
        assert "Result: Stopped before the run finished." in result.stdout
    assert report["outcome"] == "interrupted"
    assert report["error"]["message"] == message
    return report


# -- three moments, each with Ctrl-C to the group and SIGTERM to the process -----------


def assert_clicked_not_confirmed(report: dict[str, Any]) -> dict[str, Any]:
    """Training was on and clicked, and no reload read it back: unknown, unverified."""
    training = by_key(report)["generative-ai-training"]
    assert training == training | {
        "before": "on",
        "after": "unknown",
        "verified": False,
        "changed": False,
    }
    return training


@SIGNALS
def test_stopped_before_any_click(site, start, sig):
    site.configure(hang_paths=(GEN_AI_PAGE,))  # its page never loads: no switch to click
    run = start("run", "--json")
    wait_until(lambda: hung(site, GEN_AI_PAGE), "the setting's page asked for")
    run.send(sig)
    report = assert_stopped(run, run.finish(), sig, "stopped before any change.")
    assert site.saves == []
    assert site.settings()[GEN_AI] is True
    assert report["selectors_version"] == "2024-09"  # Data privacy was read
    for setting in report["settings"]:
        assert (setting["after"], setting["verified"], setting["changed"]) == (
            "unknown",
            False,
            False,
        ), setting
    assert report["error"]["setting"] is None
    assert GEN_AI_TITLE in report["error"]["step"], report["error"]
    assert_report_tells_the_truth(report, site.settings())


@SIGNALS
def test_stopped_while_a_save_is_pending(site, start, sig):
    runs: list[Run] = []
    answer = threading.Event()

    def stop_before_answering(setting_id: str, value: bool) -> None:
        # The server has the save; the tool has clicked and waits for the answer.
        runs[0].wait_for_line(f"{GEN_AI_TITLE}: switched off, waiting for LinkedIn to save")
        runs[0].send(sig)
        answer.wait(DEADLINE_S)

    site.configure(on_save=stop_before_answering)
    runs.append(start("run"))
    try:
        result = runs[0].finish()
    finally:
        answer.set()
    report = assert_stopped(runs[0], result, sig, UNCONFIRMED)
    # The server kept the change, which the tool never read back: hence 'run status'.
    wait_until(lambda: site.saves, "the save recorded")
    assert [(s.setting_id, s.value, s.persisted) for s in site.saves] == [(GEN_AI, False, True)]
    assert site.settings()[GEN_AI] is False
    training = assert_clicked_not_confirmed(report)
    assert "before a reload confirmed it" in training["detail"]
    assert "before a reload confirmed it" in result.stdout  # the table says it too
    assert report["error"]["setting"] == "generative-ai-training"
    assert_report_tells_the_truth(report, site.settings())


@SIGNALS
def test_stopped_after_a_click_before_the_reload(site, start, sig):
    def hang_the_reload(setting_id: str, value: bool) -> None:
        site.configure(hang_paths=(GEN_AI_PAGE,))

    site.configure(on_save=hang_the_reload)
    run = start("run", "--json")
    wait_until(lambda: hung(site, GEN_AI_PAGE), "the reload after the save asked for")
    run.send(sig)
    report = assert_stopped(run, run.finish(), sig, UNCONFIRMED)
    assert [(s.setting_id, s.value, s.status, s.persisted) for s in site.saves] == [
        (GEN_AI, False, 200, True)
    ]
    assert site.settings()[GEN_AI] is False
    assert_clicked_not_confirmed(report)
    assert report["error"]["setting"] == "generative-ai-training"
    assert report["error"]["step"] == "reload the page to confirm"
    assert_report_tells_the_truth(report, site.settings())


def test_stopped_after_a_setting_was_confirmed_off(site, start, tmp_path):
    """Two settings: the first confirmed off after its reload, the second's page hangs.
    One page at a time (--step, every Enter given at once): several pages at once
    would ask for the hanging page before the first setting is confirmed."""
    site.configure(layout="2025-09", hang_paths=(CREATION_PAGE,))
    enters = tmp_path / "enters"
    enters.write_text("\n" * 50)
    with enters.open() as stdin:
        run = start("run", "--json", "--step", stdin=stdin)
    wait_until(lambda: hung(site, CREATION_PAGE), "the second setting's page asked for")
    run.send(signal.SIGTERM)
    what = f"stopped after '{GEN_AI_TITLE_2025}' was confirmed off."
    report = assert_stopped(run, run.finish(), signal.SIGTERM, what)
    assert site.settings()[GEN_AI] is False
    assert site.settings()[CREATION] is True
    settings = by_key(report)
    training = settings["generative-ai-training"]
    assert training == training | {"after": "off", "verified": True, "changed": True}
    tools = settings["ai-creation-tools"]
    assert (tools["after"], tools["verified"], tools["changed"]) == ("unknown", False, False)
    assert_report_tells_the_truth(report, site.settings())


def test_a_second_ctrl_c_while_stopping_ends_at_once(site, start):
    site.configure(hang_paths=(GEN_AI_PAGE,))
    run = start("run")
    wait_until(lambda: hung(site, GEN_AI_PAGE), "the setting's page asked for")
    run.tree = descendants(run.proc.pid)
    browsers = [pid for pid in run.tree if is_browser(pid)]
    assert browsers, "no browser running"
    for pid in browsers:  # a browser that cannot close: the shutdown waits on it
        os.kill(pid, signal.SIGSTOP)
    try:
        run.send(signal.SIGINT)
        run.wait_for_line("Stopping on Ctrl-C (SIGINT): closing the browser")
        run.send(signal.SIGINT)
        result = run.finish()
    finally:
        for pid in browsers:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
    assert result.code == 130, result.stderr
    assert_no_noise(result.stderr)
    assert "error: Stopped at once, on a second signal." in result.stderr
    assert not run.report.exists()
    assert result.stdout == ""
    assert site.saves == []
    assert_nothing_left(run)  # the driver closes the browser when the tool is gone


def test_ctrl_c_at_a_step_prompt_stops_at_once(site, start):
    """--step waits for Enter in the tool's own code (no browser call under way)."""
    run = start("run", "--step", stdin=subprocess.PIPE)  # no one presses Enter
    run.wait_for_line("? Next: open Data privacy")
    run.send(signal.SIGINT)
    report = assert_stopped(run, run.finish(), signal.SIGINT, "stopped before any change.")
    assert site.saves == []
    assert report["error"]["step"] == "open Data privacy"


# -- the message, from each setting as far as it was read ----------------------------------


def setting(key: str, label: str, **state: Any) -> Finding:
    return Finding(key=key, label=label, **state)


def test_the_message_names_what_was_confirmed_and_what_was_not():
    first = setting("generative-ai-training", "A", before="on", after="off", changed=True)
    second = setting("ai-creation-tools", "B", before="on", click="clicked")
    stop = stopped_error(signal.SIGTERM, [first, second], "reload the page to confirm")
    assert stop.message == (
        "Interrupted by SIGTERM: stopped after 'A' was confirmed off, and after switching "
        "'B' off, before a reload confirmed it: run 'linkedin-optout status'."
    )
    assert (stop.code, stop.outcome, stop.setting) == (143, "interrupted", "ai-creation-tools")
    assert first.report(stopped=True).detail is None
    said = second.report(stopped=True).detail
    assert said and "before a reload confirmed it" in said
    assert second.report(stopped=False).detail is None  # only a stopped run says so


def test_a_click_under_way_is_said_to_be_unsure():
    clicking = setting("generative-ai-training", "A", before="on", click="clicking")
    stop = stopped_error(signal.SIGINT, [clicking], "switch off 'A'")
    assert stop.message == (
        "Interrupted by Ctrl-C (SIGINT): stopped while switching 'A' off, before a reload "
        "confirmed it: run 'linkedin-optout status'."
    )
    assert stop.code == 130


def test_settings_read_but_not_clicked_are_no_change():
    read = setting("generative-ai-training", "A", before="on")
    off = setting("ai-creation-tools", "B", before="off", after="off", verified=True)
    stop = stopped_error(signal.SIGINT, [read, off], None)
    assert stop.message == "Interrupted by Ctrl-C (SIGINT): stopped before any change."
    assert stop.setting is None


def test_the_unconfirmed_click_stays_out_of_the_json():
    clicked = setting("generative-ai-training", "A", click="clicked")
    assert set(json.loads(clicked.report(stopped=True).model_dump_json())) == set(
        SettingReport.model_fields
    )
    assert "click" not in SettingReport.model_fields
