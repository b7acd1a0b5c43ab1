"""`--html FILE` (html_record.py, panels.py): one page that stands alone, holds every
setting and a picture of each panel left off, prints without splitting a setting,
and holds no session and no personal data (as the diagnostic bundle: test_privacy)."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from conftest import RecordingSecrets
from playwright.sync_api import Page
from test_privacy import leaks

from fixtures import routes as fixture_routes
from linkedin_optout import html_record
from linkedin_optout.report import Report, SettingReport, now

PNG = b"\x89PNG\r\n\x1a\n"


def pictures(page: str) -> list[bytes]:
    found = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    return [base64.b64decode(data) for data in found]


def resources(page: str) -> list[str]:
    """Everything in the page that a browser would fetch by itself."""
    return re.findall(r'(?:src|srcset|action|data)\s*=\s*"(?!data:)[^"]*"|url\(|@import', page)


def test_a_run_writes_a_record_with_every_setting_and_each_panel_left_off(
    site, cli, tmp_path, monkeypatch
):
    recorder = RecordingSecrets()
    monkeypatch.setattr(fixture_routes, "secrets", recorder)
    site.configure(personal_data=True)
    li_at = site.new_session()
    record = tmp_path / "record.html"
    result = cli("run", "--json", "--html", str(record), "--no-history", li_at=li_at)
    assert result.code == 0, result.output
    assert recorder.tokens, "the site set no JSESSIONID: the check below would prove nothing"
    page = record.read_text(encoding="utf-8")
    settings = Report.model_validate(result.json()).settings
    for s in settings:
        assert f'id="{s.key}"' in page
    assert "Proved by a reload" in page and "Recommended" in page
    assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", page)
    assert "0.1.0" in page and "Selector version" in page and "Page language" in page
    shots = pictures(page)
    changed = [s for s in settings if s.changed]
    assert changed and len(shots) == len(changed)  # the AI settings were on: both switched
    assert all(shot.startswith(PNG) for shot in shots)
    assert "/help/linkedin/ask/TS-DPRO" in page
    assert "<script" not in page.lower() and resources(page) == []
    assert "Content-Security-Policy" in page and "break-inside: avoid" in page
    assert leaks(page, recorder.tokens, li_at) == []
    assert "LINKEDIN_LI_AT" not in page and "Session" not in page


def made_up() -> Report:
    rows = [
        SettingReport(
            key="generative-ai-training",
            label="Jane Example's training <b>setting</b>",
            group="ai",
            recommended="off",
            before="on",
            after="off",
            changed=True,
            verified=True,
            detail="Written to jane.example@example.com",
        ),
        SettingReport(key="research", label="Research", group="data-sharing", after="absent"),
    ]
    return Report(
        outcome="ok",
        dry_run=False,
        selectors_version="2025-09",
        settings=rows,
        started_at=now(),
        finished_at=now(),
        locale="en",
        session="LINKEDIN_LI_AT (li_at=secret-value)",
    )


def test_the_record_escapes_and_scrubs_every_text_and_leaves_the_session_out():
    page = html_record.render(
        made_up(),
        command="run",
        base_url="https://www.linkedin.com",
        panels={"generative-ai-training": PNG + b"x", "research": PNG + b"y"},
    )
    assert "<b>setting</b>" not in page and "&lt;b&gt;" in page
    assert "jane.example@example.com" not in page and "[email removed]" in page
    assert "secret-value" not in page and "LINKEDIN_LI_AT" not in page
    assert len(pictures(page)) == 1  # a setting not offered has no panel to show


@pytest.fixture
def record_file(tmp_path: Path) -> Path:
    path = tmp_path / "record.html"
    path.write_text(
        html_record.render(
            made_up(),
            command="run",
            base_url="https://www.linkedin.com",
            panels={"generative-ai-training": tiny_png()},
        ),
        encoding="utf-8",
    )
    return path


def tiny_png() -> bytes:
    return base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
    )


def test_the_record_renders_in_chromium_with_no_request_leaving_the_page(
    page: Page, record_file: Path
):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(record_file.as_uri())
    assert page.locator("section.setting").count() == 2
    image = page.locator("section.setting img")
    assert image.evaluate("(img) => img.complete && img.naturalWidth") == 1
    assert [url for url in requests if not url.startswith(("file:", "data:"))] == []
    page.emulate_media(media="print")
    avoid = page.locator("section.setting").first.evaluate(
        "(el) => getComputedStyle(el).breakInside"
    )
    assert avoid == "avoid"
