"""Notifications (--notify, LINKEDIN_OPTOUT_NOTIFY, through Apprise): what is
sent and when, an endpoint that is down, and Apprise and SQLite left unimported
until needed."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from conftest import TOOL_TIMEOUT, tool_env
from helpers import GEN_AI, GEN_AI_TITLE

GEN_AI_LABEL = GEN_AI_TITLE


# --- notifications -------------------------------------------------------------------


@dataclass
class Inbox:
    url: str
    messages: list[dict[str, Any]] = field(default_factory=list)


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    """A local endpoint for Apprise's JSON target: each POST is one message."""
    messages: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            messages.append(json.loads(body))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Inbox(f"json://127.0.0.1:{server.server_port}/hook", messages)
    server.shutdown()
    server.server_close()


def test_a_setting_found_on_sends_word_naming_it(site, cli, inbox):
    li_at = site.new_session()
    result = cli("status", "--quiet", "--notify", inbox.url, "--timeout", TOOL_TIMEOUT, li_at=li_at)
    assert result.code == 1, result.stderr
    assert result.stderr == ""
    [message] = inbox.messages
    assert message["title"] == "linkedin-optout: an AI setting is on"
    assert message["type"] == "warning"
    assert f"'{GEN_AI_LABEL}': on." in message["message"]
    assert "'linkedin-optout status' (exit 1)" in message["message"]
    assert li_at not in json.dumps(message)


def test_nothing_is_sent_when_all_is_well_unless_asked(site, cli, inbox):
    site.set_setting(GEN_AI, False)
    assert cli("run", "--notify", inbox.url, "--timeout", TOOL_TIMEOUT).code == 0
    assert inbox.messages == []
    assert cli("run", "--notify", inbox.url, "--notify-always", "--timeout", TOOL_TIMEOUT).code == 0
    [message] = inbox.messages
    assert (message["title"], message["type"]) == (
        "linkedin-optout: every AI setting is off",
        "success",
    )


def test_back_on_and_failures_send_word_to_every_url_from_the_environment(site, cli, inbox):
    assert cli("run", "--timeout", TOOL_TIMEOUT).code == 0
    site.set_setting(GEN_AI, True)
    env = {"LINKEDIN_OPTOUT_NOTIFY": f"{inbox.url}?n=1, {inbox.url}?n=2"}
    assert cli("status", "--timeout", TOOL_TIMEOUT, env=env).code == 1
    assert len(inbox.messages) == 2
    message = inbox.messages[0]
    assert message["title"] == "linkedin-optout: LinkedIn switched an AI setting back on"
    assert f"LinkedIn switched '{GEN_AI_LABEL}' back on since " in message["message"]

    inbox.messages.clear()
    expired = cli("status", "--timeout", TOOL_TIMEOUT, env=env, li_at="fixture-expired-value")
    assert expired.code == 3
    assert [m["type"] for m in inbox.messages] == ["failure", "failure"]
    assert inbox.messages[0]["title"] == "linkedin-optout: the check failed (exit 3)"
    assert "linkedin-optout login" in inbox.messages[0]["message"]


def test_an_endpoint_that_is_down_is_a_warning_not_a_failure(site, cli, inbox):
    down = "json://user:hunter2secret@127.0.0.1:9/hook"  # port 9 (discard): nothing listens
    result = cli(
        "status", "--json", "--notify", down, "--notify", inbox.url, "--timeout", TOOL_TIMEOUT
    )
    assert result.code == 1  # the check's code, not the notification's
    assert result.json()["outcome"] == "changes_needed"
    said = "warning: The notification to json://user:****@127.0.0.1:9/hook could not be sent: "
    assert said in result.stderr  # and why, in Apprise's words
    assert "hunter2secret" not in result.output
    assert len(inbox.messages) == 1  # the other URL still got it


def test_notify_without_apprise_is_a_usage_error_before_any_browser(site, home, tmp_path):
    blocked = (
        "import sys; sys.modules['apprise'] = None; "  # `import apprise` now fails
        "sys.argv = ['linkedin-optout', *sys.argv[1:]]; "
        "from linkedin_optout.cli import main; main()"
    )
    env = tool_env(home, LINKEDIN_OPTOUT_BASE_URL=site.url, LINKEDIN_LI_AT=site.new_session())
    proc = subprocess.run(
        [sys.executable, "-c", blocked, "status", "--notify", "json://127.0.0.1:9/"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert proc.stderr == (
        "error: --notify needs Apprise, an optional extra: pip install 'linkedin-optout[notify]'\n"
    )
    assert site.requests == []
    assert not (home / ".local").exists()


def test_importing_the_cli_imports_neither_sqlite_nor_apprise():
    code = "import sys, linkedin_optout.cli; print({'sqlite3', 'apprise'} & set(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "set()"
