"""What the check-up says besides its table (terminal.py draws that): settings by
group, each setting's page, and what no switch covers (the objection form).
`checkup` reads every setting the catalogue knows; its report is `status`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from linkedin_optout.report import SettingReport
from linkedin_optout.selector_files import SelectorFiles

if TYPE_CHECKING:
    from linkedin_optout.selectors import SelectorFile

# LinkedIn's Data Processing Objection Form: the way to object to processing no
# switch covers, and the fallback where a switch is missing.
OBJECTION_FORM_PATH = "/help/linkedin/ask/TS-DPRO"


def objection_paragraph(base_url: str) -> str:
    return (
        "What no switch covers: LinkedIn's Data Processing Objection Form "
        f"({base_url}{OBJECTION_FORM_PATH}) takes objections to the processing these "
        "switches do not reach, such as the non-generative models LinkedIn uses for "
        "personalisation and moderation. It is also the way to object where a setting "
        "is not offered on your account."
    )


def setting_link(base_url: str, key: str, selector_files: Sequence[SelectorFile]) -> str:
    """The setting's own page, or Data privacy when the data names none."""
    entry = SelectorFiles(tuple(selector_files)).entry(key)
    if entry is not None and entry.url:
        return base_url + entry.url
    return base_url + selector_files[0].urls.hub if selector_files else base_url


def grouped(settings: Sequence[SettingReport]) -> dict[str, list[SettingReport]]:
    """Settings by group, groups in the order their first setting comes."""
    groups: dict[str, list[SettingReport]] = {}
    for setting in settings:
        groups.setdefault(setting.group or "other", []).append(setting)
    return groups
