"""The baseline for bench.py: the fewest Playwright calls that do what
`linkedin-optout run` / `status` do on the demo site's 2025-09 pages: the same
page loads, clicks and reloads, with selectors written for this one site and
none of the tool's checks. Usage: minimal.py run|status BASE_URL (li_at in
LINKEDIN_LI_AT, browser in LINKEDIN_OPTOUT_BROWSER)."""

from __future__ import annotations

import os
import sys

from playwright.sync_api import sync_playwright

ARGS = ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
if os.geteuid() == 0:
    ARGS.append("--no-sandbox")
ROWS = {
    "allowDataForGenerativeAI": "a[href$='/settings/data-for-ai-improvement']",
    "allowAICreationTools": "a[href$='/settings/ai-creation-tools']",
}


def main(mode: str, base: str) -> None:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=os.environ.get("LINKEDIN_OPTOUT_BROWSER"), args=ARGS
        )
        # The fixture site, like LinkedIn, ends a session used by a HeadlessChrome: the
        # baseline looks like a person's Chrome, as the tool must (a fair comparison).
        cdp = browser.new_browser_cdp_session()
        user_agent = cdp.send("Browser.getVersion")["userAgent"]
        cdp.detach()
        context = browser.new_context(user_agent=user_agent.replace("HeadlessChrome/", "Chrome/"))
        context.add_cookies([{"name": "li_at", "value": os.environ["LINKEDIN_LI_AT"], "url": base}])
        page = context.new_page()
        page.goto(base + "/mypreferences/d/categories/account", wait_until="domcontentloaded")
        page.click("a[href$='/categories/privacy']")
        for index, (switch_id, row) in enumerate(ROWS.items()):
            if index:
                page.goto(
                    base + "/mypreferences/d/categories/privacy", wait_until="domcontentloaded"
                )
            page.click(row)
            switch = page.locator(f"[aria-labelledby='{switch_id}']")
            switch.wait_for()
            if mode == "run" and switch.is_checked():
                with page.expect_response(lambda r: r.request.method == "POST"):
                    switch.click()
                page.reload(wait_until="domcontentloaded")
                page.locator(f"[aria-labelledby='{switch_id}']").wait_for()
            print(switch_id, page.locator(f"[aria-labelledby='{switch_id}']").is_checked())
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
