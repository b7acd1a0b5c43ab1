"""Pure decisions over a page scan: no browser here, so each is tested in isolation.

Which banner button to press, which dialog button confirms a change, why a page
says the session is not usable, and whether Data privacy still names a setting
that found no row or switch (then "absent" would be a guess)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from linkedin_optout.errors import AuthRequired
from linkedin_optout.pages import Button, PageScan, is_protected, owned
from linkedin_optout.selectors import SelectorFile
from linkedin_optout.session import LOGIN_ADVICE
from linkedin_optout.text import labels_for, normalize, text_matches

# Why a session is not usable, as the person should read it, and what fixes it.
# None of them is retried: the same session would only meet the same answer.
SESSION_LOST = {
    "expired": (
        "LinkedIn showed its sign-in page: the session has expired or is not valid.",
        LOGIN_ADVICE,
    ),
    "security_check": (
        "LinkedIn asks for a security check before it lets this session in.",
        "Open LinkedIn in your own browser and complete the security check yourself, "
        "then run 'linkedin-optout login'. This tool never works around one.",
    ),
    "signed_out": (
        "LinkedIn showed its signed-out page: this session is not signed in.",
        LOGIN_ADVICE,
    ),
    "session_ended": (
        "LinkedIn ended this session: it answered with a cookie that deleted li_at. "
        "It does this when a session is used from a browser other than the one that "
        "signed in.",
        "If this session came from your everyday browser (a cookie export or "
        "LINKEDIN_LI_AT), that browser may have been signed out too: sign in there "
        "again. Then run 'linkedin-optout login', which signs in in a browser of the "
        "tool's own and uses that same browser for every run. The tool did not retry.",
    ),
    "restricted": (
        "LinkedIn showed its restriction page: it has restricted this account.",
        "Open LinkedIn in your own browser and follow what it asks. The tool stopped "
        "at once and will not try again with this session.",
    ),
    "account_chooser": (
        "LinkedIn showed its saved-account chooser instead of the page: "
        "this session is no longer signed in.",
        LOGIN_ADVICE,
    ),
}


# A switch that stays disabled on a settled page (switcher.py): what it means, what
# the person can do, and why it was not clicked.
LOCKED_DETAIL = (
    "the switch stays disabled, so it cannot be changed on this account "
    "(another setting may decide it, as 'ads beyond LinkedIn' does partner sharing, "
    "or it is managed or restricted)"
)
LOCKED_ADVICE = (
    "Change it on LinkedIn yourself if the page lets you; otherwise ask whoever manages "
    "the account, or object through LinkedIn's Data Processing Objection Form "
    "(/help/linkedin/ask/TS-DPRO)."
)
LOCKED_CAUSE = "the switch is locked: it cannot be changed on this account"


def session_lost(reason: str, step: str) -> AuthRequired:
    message, advice = SESSION_LOST[reason]
    return AuthRequired(message, reason=reason, advice=advice, step=step)


def session_problem(path: str, selector_files: Sequence[SelectorFile]) -> str | None:
    """Why a page at `path` says the session is not usable, or None."""
    signs = [v.session for v in selector_files]
    if any(path.startswith(p) for s in signs for p in s.restricted_paths):
        return "restricted"
    if any(path.startswith(p) for s in signs for p in s.sign_in_paths):
        return "expired"
    if any(pattern in path for s in signs for pattern in s.security_check_patterns):
        return "security_check"
    if any(path.startswith(p) for s in signs for p in s.signed_out_paths):
        return "signed_out"
    return None


def button_named(
    buttons: Sequence[Button], labels: list[str], exact: bool = False
) -> Button | None:
    for label in labels:  # the exact name first, then a name that contains it
        for button in buttons:
            if normalize(button.name) == normalize(label):
                return button
    if exact:
        return None
    for label in labels:
        for button in buttons:
            if text_matches(label, button.name):
                return button
    return None


def overlay_button(
    scan: PageScan, selector_files: Sequence[SelectorFile], langs: list[str], refuse: bool = True
) -> tuple[Any, Button, str] | None:
    """The banner to dismiss and how: refusing non-essential cookies first (unless
    `refuse` is false), else closing."""
    kinds = (("refusing", "refuse"), ("closing", "close")) if refuse else (("closing", "close"),)
    for kind, field_name in kinds:
        for overlay in scan.overlays:
            if overlay.holds_switch:
                continue  # a dialog with a switch may be the setting itself
            for selector_file in selector_files:
                labels = labels_for(getattr(selector_file.overlays, field_name), langs)
                button = button_named(overlay.buttons, labels)
                if button:
                    return overlay, button, kind
    return None


def confirm_button(scan: PageScan, selector_file: SelectorFile, langs: list[str]) -> Button | None:
    """A dialog's button named exactly as a confirmation ('Turn off')."""
    labels = labels_for(selector_file.confirm_buttons, langs)
    for overlay in scan.overlays:
        button = button_named(overlay.buttons, labels, exact=True)
        if button is not None:
            return button
    return None


def hub_still_names(
    hub: PageScan, key: str, selector_files: Sequence[SelectorFile], claimed: set[str]
) -> bool:
    """Data privacy names the setting (in any language a selector file knows) or
    shows a switch no setting claimed or owns by its stable id (another setting of
    the catalogue, shown there): the page changed, it is not "absent"."""
    names = [
        text
        for selector_file in selector_files
        if (setting := selector_file.setting(key))
        for text in (
            setting.title,
            *(t for m in (setting.labels, setting.row.text) for ts in m.values() for t in ts),
        )
    ]
    return any(text_matches(name, hub.text) for name in names) or any(
        s.mark not in claimed and not any(is_protected(s, v) or owned(s, v) for v in selector_files)
        for s in hub.switches
    )
