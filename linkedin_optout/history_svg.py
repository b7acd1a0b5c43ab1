"""`history --html FILE`: the history as one picture, a row per setting across time.

Inline SVG in a page that stands alone (no script, no request: the same policy as
html_record.py). Each row shows the periods of each value (a bar in its colour:
green at the recommended value, red away from it, amber for a choice between the
two, grey not offered), a tick for each check, and a mark where LinkedIn moved
the setting back. Each bar, tick and mark has a <title>: hovering says what and
when, without a script.
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from linkedin_optout.history_views import Track
from linkedin_optout.html_record import POLICY
from linkedin_optout.report import catalogue_entry

LABEL_W, PLOT_W, ROW_H, TOP, STUB = 310, 600, 30, 40, 8
COLOURS = {"right": "#1e8e3e", "wrong": "#c5221f", "between": "#e37400", "absent": "#bdc1c6"}
STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; color: #1d2226; margin: 2em; }
svg text { font: 12px system-ui, sans-serif; fill: #1d2226; }
svg .axis { stroke: #999; stroke-width: 1; }
svg .tick { stroke: #1d2226; stroke-width: 1; }
svg .back { fill: #c5221f; }
.legend span { display: inline-block; width: 1em; height: .8em; margin: 0 .3em 0 1em; }
@media print { .chart { break-inside: avoid; } }
"""


def kind(key: str, value: str) -> str:
    """How a value stands: at the recommended value, away from it, or between."""
    if value == "absent":
        return "absent"
    entry = catalogue_entry(key)
    if entry is None:
        return "right" if value == "off" else "wrong"
    if value == entry.recommended:
        return "right"
    if entry.control == "choice" and 0 < entry.privacy(value) < entry.privacy(entry.recommended):
        return "between"
    return "wrong"


class Scale:
    def __init__(self, tracks: list[Track]) -> None:
        times = [p.at for t in tracks for p in t.points]
        self.start = min(times) if times else datetime.now(UTC)
        self.end = max(times) if times else self.start
        self.span = (self.end - self.start).total_seconds()

    def x(self, at: datetime) -> float:
        if self.span <= 0:
            return LABEL_W + PLOT_W / 2
        return LABEL_W + PLOT_W * (at - self.start).total_seconds() / self.span


def row(track: Track, number: int, scale: Scale) -> str:
    y = TOP + number * ROW_H
    parts = [
        f'<g class="row" data-key="{escape(track.key)}">',
        f'<text x="0" y="{y + 17}">{escape(clip(track.label))}'
        f"<title>{escape(track.label)} ({escape(track.key)})</title></text>",
    ]
    points = track.points
    for i, point in enumerate(points):
        x0 = scale.x(point.at)
        x1 = scale.x(points[i + 1].at) if i + 1 < len(points) else x0 + STUB
        colour = COLOURS[kind(track.key, point.left)]
        until = f" until {points[i + 1].at:%Y-%m-%d}" if i + 1 < len(points) else ""
        parts.append(
            f'<rect class="period" x="{x0:.1f}" y="{y + 8}" width="{max(x1 - x0, 1):.1f}" '
            f'height="12" fill="{colour}"><title>{escape(track.word(point.left))} from '
            f"{point.at:%Y-%m-%d}{until}</title></rect>"
        )
        found = track.word(point.found)
        if point.found != point.left:  # the check found it so, and left it otherwise
            parts.append(
                f'<rect class="found" x="{x0 - STUB:.1f}" y="{y + 8}" width="{STUB}" '
                f'height="12" fill="{COLOURS[kind(track.key, point.found)]}"><title>'
                f"{escape(found)} until {point.at:%Y-%m-%d %H:%M}</title></rect>"
            )
        parts.append(
            f'<line class="tick" x1="{x0:.1f}" x2="{x0:.1f}" y1="{y + 21}" y2="{y + 26}">'
            f"<title>{point.at:%Y-%m-%d %H:%M} {escape(point.command)}: found {escape(found)}"
            f"</title></line>"
        )
    for event in track.moved_back():
        x = scale.x(event.at)
        since = f" (as you left it on {event.since:%Y-%m-%d})" if event.since else ""
        parts.append(
            f'<path class="back" d="M{x - 5:.1f},{y} L{x + 5:.1f},{y} L{x:.1f},{y + 7} Z">'
            f"<title>{event.at:%Y-%m-%d}: LinkedIn moved it back{escape(since)}</title></path>"
        )
    parts.append("</g>")
    return "".join(parts)


def clip(label: str, most: int = 44) -> str:
    return label if len(label) <= most else label[: most - 1] + "\u2026"


def axis(scale: Scale, height: int) -> str:
    bottom = TOP + height
    parts = [
        f'<line class="axis" x1="{LABEL_W}" x2="{LABEL_W + PLOT_W}" y1="{bottom}" y2="{bottom}"/>'
    ]
    steps = 4 if scale.span >= 4 * 3600 else 1 if scale.span > 0 else 0
    # Checks within two days of each other: the hour tells them apart.
    shape = "%Y-%m-%d" if scale.span >= 2 * 86400 else "%m-%d %H:%M"
    for i in range(steps + 1):
        at = scale.start + (scale.end - scale.start) * (i / steps if steps else 0)
        x = scale.x(at)
        anchor = "start" if i == 0 else "end" if i == steps else "middle"
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="{anchor}">{at:{shape}}</text>'
        )
    return "".join(parts)


def render(tracks: list[Track], checks: int) -> str:
    """The page: a heading, a legend, and the SVG with one row per setting."""
    scale = Scale(tracks)
    height = len(tracks) * ROW_H
    rows = "".join(row(track, i, scale) for i, track in enumerate(tracks))
    svg = (
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        f'width="{LABEL_W + PLOT_W + 20}" height="{TOP + height + 30}" '
        f'aria-label="Each setting across time">'
        f"<title>Each setting across time</title>{rows}{axis(scale, height)}</svg>"
    )
    span = f"{scale.start:%Y-%m-%d} to {scale.end:%Y-%m-%d}" if checks else "no checks yet"
    legend = "".join(
        f'<span style="background:{COLOURS[k]}"></span>{words}'
        for k, words in (
            ("right", "at the recommended value"),
            ("between", "a value in between"),
            ("wrong", "lets LinkedIn use your data"),
            ("absent", "not offered"),
        )
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{POLICY}">'
        "<title>LinkedIn privacy settings across time</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>LinkedIn privacy settings across time</h1>"
        f"<p>{checks} check{'s' if checks != 1 else ''}, {span} (UTC). A tick is a check; "
        "a red triangle marks where LinkedIn moved a setting back.</p>"
        f'<p class="legend">{legend}</p>{svg}</body></html>\n'
    )
