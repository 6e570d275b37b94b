"""The HTML report: one self-contained file (inline CSS and SVG, no script, no network), autoescaped by Jinja2.

Per event and group: a chart of each source's interval on a log scale — a closed interval is a bar with end caps,
an open bound runs to the edge of the chart, dashed, with an arrow — then the verdict and its one-sentence
explanation, the figures with asserter, conduit and publisher, and each quoted sentence with the figure marked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, select_autoescape

from app.render import date_label, event_heading, interval_label
from app.schemas import ClaimOut, GroupOut

if TYPE_CHECKING:
    from app.report import Report

WIDTH = 640
LEFT = 150
RIGHT = 20
ROW = 26
_ORDER = {"conflicting": 0, "divergent": 1, "single-source": 2, "consistent": 3, "corroborated": 4}

_env = Environment(
    loader=PackageLoader("app.report", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)


@dataclass(frozen=True)
class Bar:
    label: str
    x1: float
    x2: float
    y: float
    open_left: bool
    open_right: bool
    point: bool
    text: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]


def _chart(figures: list[ClaimOut]) -> Chart:
    values = [v for c in figures for v in (c.low, c.high) if v is not None and v > 0] or [1]
    lo, hi = math.log10(min(values) / 2), math.log10(max(values) * 2)
    if hi - lo < 1:
        lo, hi = lo - 0.5, hi + 0.5
    span = WIDTH - LEFT - RIGHT

    def x(v: float) -> float:
        return LEFT + (math.log10(max(v, 10**lo)) - lo) / (hi - lo) * span

    bars = []
    for i, c in enumerate(figures):
        y = 20 + i * ROW
        x1 = x(c.low) if c.low is not None and c.low > 0 else LEFT
        x2 = x(c.high) if c.high is not None else WIDTH - RIGHT
        who = c.attributed_to or "own voice"
        label = f"{who[:18]} · {(c.document or '').split('_')[0]}"
        bars.append(
            Bar(
                label=label,
                x1=round(x1, 1),
                x2=round(max(x2, x1), 1),
                y=y,
                open_left=c.low is None,
                open_right=c.high is None,
                point=c.low is not None and c.low == c.high,
                text=f"{c.text} = {interval_label(c.low, c.high)}",
            )
        )
    ticks = []
    for power in range(math.ceil(lo), math.floor(hi) + 1):
        ticks.append((round(x(10**power), 1), f"{10**power:,}"))
    return Chart(width=WIDTH, height=30 + len(figures) * ROW, bars=bars, ticks=ticks)


def _marked(c: ClaimOut) -> tuple[str, str, str]:
    """The sentence split around the figure: (before, figure, after), for highlighting."""
    offset = (c.start - c.sentence_start) if c.sentence_start is not None else c.sentence.find(c.text)
    if offset < 0 or c.sentence[offset : offset + len(c.text)] != c.text:
        offset = c.sentence.find(c.text)
    if offset < 0:
        return c.sentence, "", ""
    return c.sentence[:offset], c.text, c.sentence[offset + len(c.text) :]


def render(report: Report) -> str:
    events = []
    by_event = sorted(report.groups, key=lambda g: (g.event is None, g.event or ""))
    for _, groups in groupby(by_event, key=lambda g: g.event):
        ordered: list[GroupOut] = sorted(groups, key=lambda g: (_ORDER[g.verdict], g.kind, g.subgroup or ""))
        events.append(
            {
                "name": event_heading(ordered[0].event, ordered[0].event_name, ordered[0].event_status),
                "groups": [
                    {"group": g, "chart": _chart(g.figures), "rows": [(c, _marked(c)) for c in g.figures]}
                    for g in ordered
                ],
            }
        )
    counts: dict[str, int] = {}
    for g in report.groups:
        counts[g.verdict] = counts.get(g.verdict, 0) + 1
    template = _env.get_template("report.html.j2")
    return template.render(
        report=report,
        events=events,
        counts=sorted(counts.items(), key=lambda kv: _ORDER[kv[0]]),
        interval_label=interval_label,
        date_label=date_label,
    )
