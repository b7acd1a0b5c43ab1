"""`make readme-images`: the README's pictures of the HTML record and the history
page, made from the demo site, not by hand.

Runs `make demo`'s script (scripts/demo.py), which ends by writing the run's record
and the history page in demo-output/, then opens each in the tool's own Chromium
and saves a screenshot in docs/img/. Exits non-zero if the demo or a page fails.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from linkedin_optout.browser import discover_executable  # noqa: E402
from scripts import demo  # noqa: E402

IMAGES = ROOT / "docs" / "img"
PICTURES = {demo.RECORD: IMAGES / "record.png", demo.HISTORY_PAGE: IMAGES / "history.png"}


def main() -> int:
    if demo.main() != 0:
        return 1
    from playwright.sync_api import sync_playwright

    IMAGES.mkdir(parents=True, exist_ok=True)
    executable = discover_executable()  # before: it runs a Playwright of its own
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable)
        page = browser.new_page(viewport={"width": 1000, "height": 200})
        requests: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        for source, picture in PICTURES.items():
            page.goto(source.as_uri())
            page.screenshot(path=str(picture), full_page=True)
            print(f"{picture.relative_to(ROOT)} from {source.relative_to(ROOT)}")
        browser.close()
    outside = [url for url in requests if not url.startswith(("file:", "data:"))]
    if outside:
        print(f"A page asked for {outside[0]}: it must stand alone.", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
