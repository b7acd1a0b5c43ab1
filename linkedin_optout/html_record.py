"""`--html FILE` on run, status and checkup: one page to keep, show a colleague, or
send to a data protection authority.

The page stands alone: its styles are inline, its pictures are data: URIs, it
has no script, and its Content-Security-Policy forbids it any request, so that
opening it (or printing it to PDF) asks nothing of any server. It holds the time,
the tool's version, the selector file and the page language; every setting with its
group, the value before and after, the recommended value and whether a reload
proved it; a picture of each panel found or left off after the reload (masked as
in the diagnostic bundle, panels.py); and what no switch covers, with the
objection form's link. It never holds the session, nor the member's name, e-mail
or profile link: every text goes through the bundle's scrub and the session's
redact, and the session's description is left out.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from html import escape
from typing import TYPE_CHECKING

from linkedin_optout.checkup import OBJECTION_FORM_PATH, grouped, objection_paragraph
from linkedin_optout.privacy import scrub
from linkedin_optout.report import Report, SettingReport, at_recommended, result_line, state_word
from linkedin_optout.session import redact
from linkedin_optout.terminal import outcome_line

if TYPE_CHECKING:
    from pathlib import Path

    from linkedin_optout.console import Console

# No request of any kind: pictures are data: URIs, styles are in the page.
POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; form-action 'none'"
STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; color: #1d2226; margin: 2em auto;
       max-width: 60em; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: .2em; }
h2 { font-size: 1.15em; margin-top: 1.8em; border-bottom: 1px solid #ccc; }
h3 { font-size: 1em; margin: 0 0 .4em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1em 1em; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25em .6em .25em 0; border-bottom: 1px solid #eee;
         vertical-align: top; }
.wrong { color: #b00020; font-weight: 600; }
.right { color: #0a7a2f; }
.muted { color: #666; }
.setting { border: 1px solid #ddd; border-radius: 6px; padding: .8em 1em; margin: .8em 0; }
.setting img { max-width: 100%; border: 1px solid #eee; margin-top: .5em; }
.outcome { font-size: 1.1em; font-weight: 600; }
@media print {
  body { margin: 0; max-width: none; }
  .setting, tr, figure { break-inside: avoid; page-break-inside: avoid; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  a[href]::after { content: " (" attr(href) ")"; }
}
"""


def clean(text: str) -> str:
    """Text for the page: no session value, no personal data, escaped."""
    return escape(scrub(redact(text)))


def _value(setting: SettingReport, value: str) -> str:
    return clean(state_word(value, setting.key))


def proved(setting: SettingReport) -> str:
    if setting.after == "absent":
        return "not offered: nothing to prove"
    if not setting.verified:
        return "no"
    return "yes, read again after the tool's click and a reload" if setting.changed else "yes"


def _state_class(setting: SettingReport) -> str:
    if setting.after in ("absent", "unknown"):
        return "muted"
    return "right" if at_recommended(setting) else "wrong"


def summary_table(report: Report) -> str:
    rows = [
        "<tr>"
        f"<td>{clean(s.label)}</td><td>{clean(s.group or 'other')}</td>"
        f"<td>{_value(s, s.before)}</td>"
        f'<td class="{_state_class(s)}">{_value(s, s.after)}</td>'
        f"<td>{_value(s, s.recommended or 'off')}</td>"
        f"<td>{'yes' if s.verified and s.after != 'absent' else 'no'}</td>"
        "</tr>"
        for s in report.settings
    ]
    head = (
        "<tr><th>Setting</th><th>Group</th><th>Before</th><th>After</th>"
        "<th>Recommended</th><th>Proved by a reload</th></tr>"
    )
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def setting_card(setting: SettingReport, picture: bytes | None) -> str:
    facts = [
        ("Group", clean(setting.group or "other")),
        ("Before", _value(setting, setting.before)),
        ("After", f'<span class="{_state_class(setting)}">{_value(setting, setting.after)}</span>'),
        ("Recommended", _value(setting, setting.recommended or "off")),
        ("Changed by this run", "yes" if setting.changed else "no"),
        ("Proved by a reload", clean(proved(setting))),
    ]
    if setting.detail:
        facts.append(("Note", clean(setting.detail)))
    body = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts)
    figure = ""
    if picture is not None:
        data = base64.b64encode(picture).decode("ascii")
        figure = (
            f'<figure><img alt="{clean(setting.label)}: the panel after the reload" '
            f'src="data:image/png;base64,{data}">'
            "<figcaption class=muted>The panel as the page showed it after the reload; "
            "personal data masked.</figcaption></figure>"
        )
    return (
        f'<section class="setting" id="{escape(setting.key)}">'
        f"<h3>{clean(setting.label)}</h3>"
        f'<dl class="facts">{body}</dl>{figure}</section>'
    )


def render(report: Report, *, command: str, base_url: str, panels: Mapping[str, bytes]) -> str:
    """The whole page. `panels`: a picture per setting key (changed or found off)."""
    when = f"{report.started_at:%Y-%m-%d %H:%M} UTC"
    first = outcome_line(report)
    facts = [
        ("Checked", escape(when)),
        ("Command", escape(f"linkedin-optout {command}")),
        ("Tool version", escape(report.tool_version)),
        ("Selector version", escape(report.selectors_version or "none matched")),
        ("Page language", escape(report.locale or "unknown")),
        ("Result", clean(result_line(report, checkup=command == "checkup"))),
    ]
    facts_html = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in facts)
    sections = []
    for group, settings in grouped(report.settings).items():
        cards = "".join(setting_card(s, panels.get(s.key) if wanted(s) else None) for s in settings)
        sections.append(f"<h2>{clean(group)}</h2>{cards}")
    form = base_url + OBJECTION_FORM_PATH
    objection = clean(objection_paragraph(base_url)).replace(
        escape(form), f'<a href="{escape(form)}">{escape(form)}</a>'
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>LinkedIn privacy settings, {escape(when)}</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>LinkedIn privacy settings: a record</h1>"
        + (f'<p class="outcome">{clean(first)}</p>' if first else "")
        + f'<dl class="facts">{facts_html}</dl>'
        + "<h2>Every setting</h2>"
        + summary_table(report)
        + "".join(sections)
        + f"<h2>What no switch covers</h2><p>{objection}</p>"
        + "</body></html>\n"
    )


def wanted(setting: SettingReport) -> bool:
    """A setting whose panel the record shows: changed, or found at its recommended value."""
    found = setting.verified and setting.after != "absent" and at_recommended(setting)
    return setting.changed or found


def write(path: Path, page: str, console: Console, what: str = "The record") -> None:
    """A record, not a step: failing to write it does not hide the outcome."""
    from linkedin_optout.errors import OptoutError
    from linkedin_optout.session import write_private

    try:
        write_private(path, page.encode())
    except OptoutError as exc:
        console.warn(f"{what} was not saved: {exc.message}")
    else:
        console.step(f"{what} is in {path}")
