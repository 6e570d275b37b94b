"""A group's intervals drawn as SVG (inline, no script): one bar per figure on a log scale; a closed interval has
end caps, an open bound runs to the chart's edge with an arrow, an exact figure is a dot."""

from __future__ import annotations

import math
from dataclasses import dataclass

from app.render import interval_label, short_document
from app.schemas import ClaimOut

WIDTH, LEFT, RIGHT, ROW = 640, 170, 16, 24


@dataclass(frozen=True)
class Bar:
    claim_id: int | None
    label: str
    x1: float
    x2: float
    y: float
    open_left: bool
    open_right: bool
    point: bool
    title: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    bars: list[Bar]
    ticks: list[tuple[float, str]]


def chart(figures: list[ClaimOut]) -> Chart:
    values = [v for c in figures for v in (c.low, c.high) if v is not None and v > 0] or [1]
    lo, hi = math.log10(min(values) / 2), math.log10(max(values) * 2)
    if hi - lo < 1:
        lo, hi = lo - 0.5, hi + 0.5
    span = WIDTH - LEFT - RIGHT

    def x(v: float) -> float:
        return round(LEFT + (math.log10(max(v, 10**lo)) - lo) / (hi - lo) * span, 1)

    bars = []
    for i, c in enumerate(figures):
        x1 = x(c.low) if c.low is not None and c.low > 0 else float(LEFT)
        x2 = x(c.high) if c.high is not None else float(WIDTH - RIGHT)
        who = c.attributed_to or "own voice"
        bars.append(
            Bar(
                claim_id=c.id,
                label=f"{who[:20]} · {short_document(c.document, 8)}",
                x1=x1,
                x2=max(x1, x2),
                y=18 + i * ROW,
                open_left=c.low is None,
                open_right=c.high is None,
                point=c.low is not None and c.low == c.high,
                title=f"{c.text} = {interval_label(c.low, c.high)} ({who})",
            )
        )
    ticks = [(x(10**p), f"{10**p:,}") for p in range(math.ceil(lo), math.floor(hi) + 1)]
    return Chart(width=WIDTH, height=28 + len(figures) * ROW, bars=bars, ticks=ticks)
