"""`--html`: a picture of each setting's panel as the page shows it after the
reload, for the record (html_record.py).

The panel is found from the control the walk matched (its mark, through
`PageDriver.locator`): the nearest container that holds a setting, a radio
group, a fieldset, a list item, a section; failing a container of a sensible
size, the control's parent. Personal data is masked as in the diagnostic bundle
(privacy.privacy_mask). A picture is evidence, not a step: a failure to take one
is a warning, and the record says no picture was taken.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linkedin_optout.browser import first_line
from linkedin_optout.privacy import privacy_mask

if TYPE_CHECKING:
    from linkedin_optout.driver import PageDriver
    from linkedin_optout.pages import Switch

# The attribute that names the panel while its picture is taken.
PANEL_ATTR = "data-linkedin-optout-panel"
# Marks the panel around a control: the nearest setting-sized container, else its parent.
PANEL_JS = """(control, [attr, tallest]) => {
  const container = control.closest(
    "[role=radiogroup], fieldset, [role=group], li, section, article, form");
  const fits = container && container.getBoundingClientRect().height <= tallest;
  const panel = fits ? container : (control.parentElement || control);
  panel.setAttribute(attr, "");
}"""
UNMARK_JS = "(control, attr) => control.closest(`[${attr}]`)?.removeAttribute(attr)"
TALLEST_PX = 900  # a container taller than this is the page, not the setting's panel


def panel_picture(driver: PageDriver, control: Switch) -> bytes | None:
    """A PNG of the panel around `control`, personal data masked; None if it failed."""
    target = driver.locator(control)
    try:
        target.evaluate(PANEL_JS, [PANEL_ATTR, TALLEST_PX])
        panel = target.locator(f"xpath=ancestor-or-self::*[@{PANEL_ATTR}]").last
        try:
            return panel.screenshot(mask=privacy_mask(driver.page), animations="disabled")
        finally:
            target.evaluate(UNMARK_JS, PANEL_ATTR)
    except Exception as exc:
        driver.raise_if_closed(exc)
        driver.console.warn(f"No picture of the panel for the record: {first_line(exc)}")
        return None
