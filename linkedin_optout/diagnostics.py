"""The diagnostic bundle written when a page is not recognized or a change
failed: what a maintainer needs to update a selector file, and nothing private.

Contents: a screenshot with photos, profile links and every text showing an
e-mail address, a phone number or the member's name masked; each frame's HTML
without scripts, form values, tokens or personal data; `report.json` with the
selector files, every strategy tried and its result, the tool's,
Playwright's and the browser's versions, and the URL path (no query string).
Everything written passes through `privacy.scrub` with what the page revealed
about the member, and through `session.redact` after the context's own cookie
values are registered, so no session value can leak.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from importlib import metadata, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from linkedin_optout import __version__
from linkedin_optout.console import Console
from linkedin_optout.privacy import Known, learn, privacy_mask, rules, scrub
from linkedin_optout.session import redact, register_secret, write_private

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

    from linkedin_optout.report import RunResult

SANITIZE_JS = resources.files("linkedin_optout").joinpath("sanitize.js").read_text()
ISSUES_HINT = (
    "Look through it (it should hold no name, e-mail address, phone number, profile link or "
    "cookie), then attach it to a new issue on the linkedin-optout tracker, saying your page's "
    "language and country."
)


def bundle_folder(requested: Path | None) -> Path:
    if requested is not None:
        return requested
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = Path.cwd() / f"linkedin-optout-diagnostics-{stamp}"
    suffix = 1
    while folder.exists():  # two runs in one second keep both bundles
        suffix += 1
        folder = Path.cwd() / f"linkedin-optout-diagnostics-{stamp}-{suffix}"
    return folder


def write_bundle(
    page: Page,
    context: BrowserContext,
    result: RunResult,
    requested: Path | None,
    console: Console,
) -> Path | None:
    folder = bundle_folder(requested)
    try:
        for cookie in context.cookies():
            register_secret(cookie.get("value"), cookie.get("name"))
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        # Before anything is written: no name learned, no bundle (the failure warns).
        known = learn(page)
        shot = page.screenshot(full_page=True, mask=privacy_mask(page, known))
        write_private(folder / "screenshot.png", shot)
        origin = site_origin(page.url)
        js_rules = [rule.for_js() for rule in rules(known)]
        for index, frame in enumerate(page.frames):
            if site_origin(frame.url) != origin:
                continue  # another site's frame (ads, embeds): not ours to copy
            try:
                html = frame.evaluate(SANITIZE_JS, js_rules)
            except Exception:  # noqa: S112 (a frame that went away meanwhile: skip it)
                continue
            name = "page.html" if index == 0 else f"frame-{index}.html"
            write_private(folder / name, clean(html, known).encode())
        write_private(folder / "report.json", report_json(result, known).encode())
    except Exception as exc:  # a failed bundle must not hide the real failure
        console.warn(f"Could not write the diagnostic bundle in {folder}: {type(exc).__name__}")
        return None
    return folder


def clean(text: str, known: Known) -> str:
    """The last step before a file is written: no session value, no personal data."""
    return scrub(redact(text), known)


def report_json(result: RunResult, known: Known) -> str:
    # ensure_ascii=False: a name with accents stays matchable ("José", not "Jos\u00e9").
    return clean(json.dumps(bundle_info(result), indent=2, ensure_ascii=False), known)


def bundle_info(result: RunResult) -> dict[str, Any]:
    error = result.error
    return {
        "created_at": datetime.now(UTC).isoformat(),
        "tool_version": __version__,
        "playwright_version": package_version("playwright"),
        "browser": result.browser,
        "selectors_version": result.selectors_version,
        "page_language": result.locale,
        "url_path": result.page_url_path,
        "step": error.step if error else None,
        "error": error.message if error else None,
        "strategies": [
            {"setting": a.setting, "strategy": a.strategy, "result": a.result}
            for a in result.attempts
        ],
        "settings": [s.model_dump() for s in result.settings],
    }


def package_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def site_origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def save_trace(context: BrowserContext, path: Path) -> None:
    """Stop tracing into `path`. It holds the session, so it is written in a
    private folder first and moved into place as 0600, like a state file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=path.parent) as private:  # 0700
        staged = Path(private) / "trace.zip"
        context.tracing.stop(path=str(staged))
        os.chmod(staged, 0o600)
        os.replace(staged, path)
