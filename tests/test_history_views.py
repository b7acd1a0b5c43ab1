"""`history` at a glance (history_views.py) and `history --html` (history_svg.py):
one line per setting with its value now and its last change; one SVG row per
setting, opened in Chromium with no request leaving the page."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page
from test_history import GEN_AI_LABEL, weeks_of_history  # noqa: F401 (a fixture)

from linkedin_optout import history_svg, history_views


def test_history_is_one_line_per_setting_with_its_last_change(cli, weeks_of_history):  # noqa: F811
    wide = {"COLUMNS": "120"}
    result = cli("history", "--history", str(weeks_of_history), li_at=None, env=wide)
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"History in {weeks_of_history}: 4 checks (times in UTC)."
    gen_ai = next(line for line in lines if line.startswith(GEN_AI_LABEL[:20]))
    assert re.split(r"\s{2,}", gen_ai.strip())[1:] == [
        "on",
        "2026-10-25: LinkedIn moved it back to on (was off)",
    ]
    creation = next(line for line in lines if line.startswith("AI creation tools"))
    assert re.split(r"\s{2,}", creation.strip())[1:] == ["off", "none"]
    assert len([line for line in lines if line.startswith(("AI", GEN_AI_LABEL[:5]))]) == 2
    assert lines[-1] == "The whole timeline: --full, or --setting KEY."
    full = cli("history", "--history", str(weeks_of_history), "--full", li_at=None)
    assert "found back on (off on 2026-10-18)" in full.stdout


def test_the_compact_history_fits_80_columns(weeks_of_history):  # noqa: F811
    text = history_views.compact(weeks_of_history, width=80)
    assert all(len(line) <= 80 for line in text.splitlines()[1:])  # the path may be long


def test_history_html_draws_one_row_per_setting(cli, weeks_of_history, tmp_path):  # noqa: F811
    page = tmp_path / "history.html"
    result = cli("history", "--history", str(weeks_of_history), "--html", str(page), li_at=None)
    assert result.code == 0, result.stderr
    text = page.read_text(encoding="utf-8")
    assert text.count('<g class="row"') == 2
    assert text.count('class="tick"') == 8  # two settings, four checks
    assert text.count('class="back"') == 1  # LinkedIn moved generative AI back on once
    assert "<script" not in text.lower() and "Content-Security-Policy" in text
    assert str(weeks_of_history) not in text  # the page says nothing of where it came from


def test_the_history_page_renders_in_chromium_with_no_request_leaving_it(
    page: Page,
    weeks_of_history: Path,  # noqa: F811
    tmp_path: Path,
):
    _, _, records = history_views.load(weeks_of_history)
    tracks = history_views.tracks(records)
    file = tmp_path / "history.html"
    file.write_text(history_svg.render(tracks, len(records)), encoding="utf-8")
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(file.as_uri())
    rows = page.locator("svg g.row")
    assert rows.count() == len(tracks) == 2
    assert rows.first.locator("rect.period").count() == 4
    box = page.locator("svg.chart").bounding_box()
    assert box is not None and box["width"] > 800
    assert [url for url in requests if not url.startswith(("file:", "data:"))] == []
