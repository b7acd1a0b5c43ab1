"""The fixture site's server: hanging pages end on reset and on stop, stop does
not wait for an idle connection, and `python -m fixtures.site` serves until Ctrl-C."""

from __future__ import annotations

import queue
import re
import signal
import socket
import subprocess
import sys
import threading
import urllib.request
from http.client import RemoteDisconnected
from pathlib import Path
from typing import Any

from conftest import SLOW_MACHINE_DEADLINE_S
from helpers import AI_TOOLS_PAGE, HUB, fetch, wait_until

from fixtures.site import FixtureSite, Req

REPO = Path(__file__).resolve().parents[1]


# -- delays, hangs and the CLI ---------------------------------------------------------


def _hanging_get(url: str, outcome: dict[str, BaseException]) -> threading.Thread:
    def get() -> None:
        try:
            # The response ends when the site releases it; this limit is only for a hang.
            urllib.request.urlopen(url, timeout=SLOW_MACHINE_DEADLINE_S)
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=get, daemon=True)
    thread.start()
    return thread


def test_hanging_page_ends_on_reset(site: FixtureSite) -> None:
    site.configure(hang_paths=("/mypreferences/",), page_delay_ms=20)
    outcome: dict[str, BaseException] = {}
    thread = _hanging_get(site.url + HUB, outcome)
    wait_until(lambda: Req("GET", HUB, 0) in site.requests)
    assert thread.is_alive()
    site.reset()
    thread.join(timeout=SLOW_MACHINE_DEADLINE_S)
    assert not thread.is_alive()
    assert isinstance(outcome["error"], RemoteDisconnected)


def test_hanging_page_ends_on_stop() -> None:
    site = FixtureSite().start()
    site.config.hang_paths = ("/feed/",)
    outcome: dict[str, BaseException] = {}
    thread = _hanging_get(site.url + "/feed/", outcome)
    wait_until(lambda: len(site.requests) == 1)
    site.stop()
    thread.join(timeout=SLOW_MACHINE_DEADLINE_S)
    assert not thread.is_alive()
    assert isinstance(outcome["error"], RemoteDisconnected)


def _serving_thread(client: socket.socket) -> threading.Thread | None:
    """The site's thread that serves this client connection, once it has one."""
    for thread in threading.enumerate():
        args = getattr(thread, "_args", ())  # (request, client_address) while it runs
        if len(args) == 2 and args[1] == client.getsockname():
            return thread
    return None


def test_stop_does_not_wait_for_an_idle_connection() -> None:
    """Browsers keep sockets open (preconnected, keep-alive); stop() must not wait
    until such a socket's read limit (_Handler.timeout) runs out."""
    site = FixtureSite().start()
    assert site._server is not None
    with socket.create_connection((site.host, site._server.server_port)) as client:
        client.sendall(b"GET /feed/ HTTP/1.1\r\n")  # and never the rest of the request
        wait_until(lambda: _serving_thread(client) is not None)
        serving = _serving_thread(client)
        assert serving is not None
        site.stop()
        # Had stop() waited for the connection, its thread would have ended first.
        assert serving.is_alive()
    serving.join(timeout=SLOW_MACHINE_DEADLINE_S)  # the socket closed: it ends


def _lines(stream: Any) -> queue.Queue[str]:
    """The lines of `stream` as they come, read in a thread: a test can wait for the
    next one with a deadline (a plain readline() waits forever if none comes)."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for line in stream:
            lines.put(line)
        lines.put("")  # end of stream

    threading.Thread(target=read, daemon=True).start()
    return lines


def test_cli_serves_until_interrupted() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "fixtures.site", "--port", "0", "--layout", "2025-09"],
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stderr is not None
        lines = _lines(process.stderr)
        banner = "".join(lines.get(timeout=SLOW_MACHINE_DEADLINE_S) for _ in range(3))
        url = re.search(r"at (http://\S+)\n", banner)
        li_at = re.search(r"li_at=(\S+)", banner)
        assert url and li_at and not li_at.group(1).startswith("AQED"), banner
        status, _, _ = fetch(url.group(1) + AI_TOOLS_PAGE, f"li_at={li_at.group(1)}")
        assert status == 200
        process.send_signal(signal.SIGINT)
        # Ctrl-C ends it cleanly (exit 0); how soon depends on how busy the machine is.
        assert process.wait(timeout=SLOW_MACHINE_DEADLINE_S) == 0
    finally:
        process.kill()
        process.wait()
