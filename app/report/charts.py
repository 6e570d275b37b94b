"""Chart geometry for the HTML report: value scales with ticks, the interval chart per group and the timeline per
event. Everything here is numbers and strings; the template turns them into inline SVG.

Value scale. Figures are counts of people, from a handful to hundreds of thousands. A chart whose figures span an
order of magnitude or more (largest positive value at least `LOG_SPAN` times the smallest) uses a log scale, with
ticks at the powers of ten (and at 2× and 5× when it spans at most two decades); otherwise a linear scale from zero
with 1-2-5 steps, so that close figures ("some 2,500" against "at least 2,960") are not squeezed together and their
gap reads true. A zero on a log scale sits at the axis' start. The axis says which scale it is.

Labels. A source's label is never cut: it is wrapped at word boundaries onto as many lines as it needs, and the
label column is as wide as its longest line (`CHAR_WIDTH` a character, generous for the usual sans-serif fonts).
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from app.compare import best_estimate
from app.render import date_label, interval_label, short_document
from app.report.model import EstimateBand, ReportGroup, claim_anchor, source_name
from app.schemas import ClaimOut

LOG_SPAN = 10.0
CHAR_WIDTH = 7.0
"""Pixels a character of an 11px label may take: wider than the average of DejaVu Sans or system-ui at 11px."""
LABEL_CHARS = 40
LINE_HEIGHT = 13
PLOT_WIDTH = 440
ROW_MIN = 26
PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#9467bd",
    "#ff7f0e",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#7f7f7f",
    "#bcbd22",
)
"""Colours of the timeline's sources, in order; more sources than colours repeat them (the legend names each)."""
SHAPES = ("circle", "square", "triangle", "diamond", "triangle-down", "plus", "cross", "star", "hexagon", "bar")
"""Markers of the timeline's groups, in order; more groups than shapes repeat them (each marker's tooltip says)."""


@dataclass(frozen=True)
class Tick:
    pos: float
    label: str


@dataclass(frozen=True)
class Scale:
    """A value axis: `kind` linear or log, domain [lo, hi] drawn from pixel `start` to `end` (either direction)."""

    kind: str
    lo: float
    hi: float
    start: float
    end: float
    values: tuple[float, ...]

    def __call__(self, v: float) -> float:
        v = min(max(v, self.lo), self.hi)
        if self.kind == "log":
            frac = (math.log10(v) - math.log10(self.lo)) / (math.log10(self.hi) - math.log10(self.lo))
        else:
            frac = (v - self.lo) / (self.hi - self.lo)
        return round(self.start + frac * (self.end - self.start), 1)

    @property
    def ticks(self) -> list[Tick]:
        return [Tick(self(v), number_label(v)) for v in self.values]


def number_label(v: float) -> str:
    """'0', '500', '2,500', '10,000', '1M', '2.5M'."""
    if v >= 1_000_000:
        return f"{v / 1_000_000:g}M"
    return f"{round(v):,}"


def _nice_step(raw: float) -> float:
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return max(factor * magnitude, 1.0)
    return 10 * magnitude


def value_scale(values: Sequence[float], *, start: float, end: float) -> Scale:
    """The scale for these values (bounds of intervals, estimates): log when they span `LOG_SPAN` or more."""
    positive = [v for v in values if v > 0]
    if not positive:
        return Scale("linear", 0.0, 10.0, start, end, (0.0, 5.0, 10.0))
    low, high = min(positive), max(positive)
    if high / low >= LOG_SPAN:
        lo = 10.0 ** math.floor(math.log10(low))
        hi = 10.0 ** math.ceil(math.log10(high * 1.15))
        decades = round(math.log10(hi / lo))
        ticks = []
        for p in range(decades + 1):
            base = lo * 10**p
            ticks.append(base)
            if decades <= 2 and p < decades:
                ticks += [base * 2, base * 5]
        return Scale("log", lo, hi, start, end, tuple(ticks))
    step = _nice_step(high * 1.1 / 5)
    hi = math.ceil(high * 1.1 / step) * step
    return Scale("linear", 0.0, hi, start, end, tuple(i * step for i in range(round(hi / step) + 1)))


def wrap_label(text: str, width: int = LABEL_CHARS) -> list[str]:
    """A label on as many lines as it needs, broken between words only: every character stays."""
    return textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False) or [""]


# --- the interval chart of one group -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    lines: tuple[str, ...]
    label: str
    y: float
    label_y: float
    x1: float
    x2: float
    open_left: bool
    open_right: bool
    point: bool
    text: str
    href: str


@dataclass(frozen=True)
class Band:
    """An estimate band, drawn across the plot from x1 to x2, with its best value at xb."""

    x1: float
    x2: float
    xb: float
    label: str


@dataclass(frozen=True)
class IntervalChart:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    axis_y: float
    bars: tuple[Bar, ...]
    ticks: tuple[Tick, ...]
    axis_title: str
    band: Band | None


def bar_label(c: ClaimOut) -> str:
    """'reports coming from inside Iran · 000', 'Wikipedia (own voice) · 04_wikipedia': the source and the
    document, whole."""
    return f"{source_name(c)} · {short_document(c.document, width=40) or '?'}"


def _band_label(b: EstimateBand) -> str:
    text = f"estimate {number_label(b.low)}–{number_label(b.high)}, best {number_label(b.best)}"
    return f"{text} ({b.method})" if b.method else text


def interval_chart(group: ReportGroup) -> IntervalChart:
    """Each figure's interval on one row, its label in a column wide enough for the longest line, a value axis
    underneath, and the estimate band when the group has one."""
    figures = group.figures
    labels = [bar_label(c) for c in figures]
    wrapped = [wrap_label(label) for label in labels]
    label_width = max(len(line) for lines in wrapped for line in lines) * CHAR_WIDTH + 16
    plot_left = round(label_width, 1)
    plot_right = plot_left + PLOT_WIDTH
    band = group.band
    top = 30.0 if band else 10.0
    values: list[float] = [float(v) for c in figures for v in (c.low, c.high) if v is not None]
    if band:
        values += [band.low, band.high]
    scale = value_scale(values, start=plot_left, end=plot_right)
    bars = []
    y = top
    for c, label, lines in zip(figures, labels, wrapped, strict=True):
        row = max(ROW_MIN, LINE_HEIGHT * len(lines) + 10)
        centre = y + row / 2
        x1 = scale(c.low) if c.low is not None else plot_left
        x2 = scale(c.high) if c.high is not None else plot_right
        bars.append(
            Bar(
                lines=tuple(lines),
                label=label,
                y=centre,
                label_y=round(centre - (len(lines) - 1) * LINE_HEIGHT / 2 + 4, 1),
                x1=x1,
                x2=max(x1, x2),
                open_left=c.low is None,
                open_right=c.high is None,
                point=c.low is not None and c.low == c.high,
                text=f"{c.text} = {interval_label(c.low, c.high)}",
                href=claim_anchor(c.id),
            )
        )
        y += row
    plot_bottom = y + 4
    unit = group.unit or "people"
    return IntervalChart(
        width=round(plot_right + 36),
        height=round(plot_bottom + 44),
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=top - 4,
        plot_bottom=plot_bottom,
        axis_y=plot_bottom,
        bars=tuple(bars),
        ticks=tuple(scale.ticks),
        axis_title=f"{unit} ({scale.kind} scale)",
        band=Band(x1=scale(band.low), x2=scale(band.high), xb=scale(band.best), label=_band_label(band))
        if band
        else None,
    )


# --- the timeline of one event --------------------------------------------------------------------------------------

T_LEFT = 70.0
T_WIDTH = 520.0
T_TOP = 14.0
T_HEIGHT = 220.0
DODGE = 8.0


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    y_low: float
    y_high: float
    whisker: bool
    open_whisker: bool
    path: str
    colour: str
    hollow: bool
    title: str
    href: str


@dataclass(frozen=True)
class Line:
    points: str
    colour: str
    source: str


@dataclass(frozen=True)
class LegendEntry:
    name: str
    colour: str = ""
    path: str = ""


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    plot_left: float
    plot_right: float
    plot_top: float
    plot_bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    y_title: str
    marks: tuple[Mark, ...]
    lines: tuple[Line, ...]
    sources: tuple[LegendEntry, ...]
    groups: tuple[LegendEntry, ...]
    undated: int


def marker_path(shape: str, x: float, y: float, r: float = 5.0) -> str:
    """An SVG path for a marker centred on (x, y)."""
    if shape == "square":
        return f"M{x - r:.1f} {y - r:.1f}h{2 * r:.1f}v{2 * r:.1f}h{-2 * r:.1f}Z"
    if shape == "triangle":
        return f"M{x:.1f} {y - r - 1:.1f}L{x + r + 1:.1f} {y + r:.1f}L{x - r - 1:.1f} {y + r:.1f}Z"
    if shape == "triangle-down":
        return f"M{x:.1f} {y + r + 1:.1f}L{x + r + 1:.1f} {y - r:.1f}L{x - r - 1:.1f} {y - r:.1f}Z"
    if shape == "diamond":
        return f"M{x:.1f} {y - r - 1:.1f}L{x + r + 1:.1f} {y:.1f}L{x:.1f} {y + r + 1:.1f}L{x - r - 1:.1f} {y:.1f}Z"
    if shape in ("plus", "cross", "star", "hexagon", "bar"):
        return _polygon(_OUTLINES[shape], x, y, r)
    return f"M{x - r:.1f} {y:.1f}a{r:.1f} {r:.1f} 0 1 0 {2 * r:.1f} 0a{r:.1f} {r:.1f} 0 1 0 {-2 * r:.1f} 0Z"


def _rotated(points: list[tuple[float, float]], degrees: float) -> list[tuple[float, float]]:
    a = math.radians(degrees)
    return [(px * math.cos(a) - py * math.sin(a), px * math.sin(a) + py * math.cos(a)) for px, py in points]


_PLUS = [(-0.4, -1.2), (0.4, -1.2), (0.4, -0.4), (1.2, -0.4), (1.2, 0.4), (0.4, 0.4), (0.4, 1.2), (-0.4, 1.2)]
_PLUS += [(-0.4, 0.4), (-1.2, 0.4), (-1.2, -0.4), (-0.4, -0.4)]
_OUTLINES: dict[str, list[tuple[float, float]]] = {
    "plus": _PLUS,
    "cross": _rotated(_PLUS, 45),
    "star": [
        (
            math.sin(math.radians(36 * i)) * (1.3 if i % 2 == 0 else 0.55),
            -math.cos(math.radians(36 * i)) * (1.3 if i % 2 == 0 else 0.55),
        )
        for i in range(10)
    ],
    "hexagon": [(math.cos(math.radians(60 * i)) * 1.1, math.sin(math.radians(60 * i)) * 1.1) for i in range(6)],
    "bar": [(-1.3, -0.5), (1.3, -0.5), (1.3, 0.5), (-1.3, 0.5)],
}
"""Unit outlines (radius 1) of the polygon markers."""


def _polygon(points: list[tuple[float, float]], x: float, y: float, r: float) -> str:
    return "M" + "L".join(f"{x + px * r:.1f} {y + py * r:.1f}" for px, py in points) + "Z"


def group_label(g: ReportGroup) -> str:
    """'death_toll — under torture', 'other_count (houses)'."""
    label = g.kind + (f" — {g.subgroup}" if g.subgroup else "")
    return label + (f" ({g.unit})" if g.unit and g.unit != "people" else "")


def _months(d: dt.date) -> int:
    return d.year * 12 + d.month - 1


def date_ticks(first: dt.date, last: dt.date) -> list[tuple[dt.date, str]]:
    """Up to eight ticks on whole days, months or years, labelled to the precision they stand for."""
    span = (last - first).days
    for step in (1, 2, 7, 14):
        if span / step <= 7:
            ticks, d = [], first
            while d <= last:
                ticks.append((d, d.isoformat()))
                d += dt.timedelta(days=step)
            return ticks
    for months in (1, 2, 3, 6):
        if span / (30.4 * months) <= 7:
            m = _months(first) + (-_months(first)) % months
            ticks = []
            while (d := dt.date(m // 12, m % 12 + 1, 1)) <= last:
                if d >= first:
                    ticks.append((d, d.isoformat()[:7]))
                m += months
            return ticks
    years = 1
    while (last.year - first.year) / years > 7:
        years = {1: 2, 2: 5}.get(years, years * 2)
    return [
        (dt.date(y, 1, 1), str(y))
        for y in range(first.year + (-first.year) % years, last.year + 1, years)
        if dt.date(y, 1, 1) >= first
    ]


NOT_IDENTIFYING = {"crowd", "unnamed"}


def identifies(c: ClaimOut) -> bool:
    """Whether a figure's source is one voice whose figures at several dates are its revisions: a named asserter
    (not 'protesters' or 'an unnamed source', which may be different people each time), or a publisher speaking in
    its own voice."""
    if c.attributed_to:
        return c.asserter_kind not in NOT_IDENTIFYING
    return c.publisher is not None


def timeline(groups: Sequence[ReportGroup]) -> Timeline:
    """An event's figures by publication date: value against date, one colour per source, one marker shape per
    group; a source's figures in one group at several dates joined by a line (its revisions; crowds and unnamed
    sources are not one voice, so theirs are not joined). A figure whose
    date is not known to the day (estimated, or only its month or year) is drawn hollow; figures without a date
    are counted, not drawn."""
    dated = [(g, c) for g in groups for c in g.figures if c.published is not None]
    undated = sum(len(g.figures) for g in groups) - len(dated)
    sources: dict[str, str] = {}
    for _, c in sorted(dated, key=lambda gc: (gc[1].published or dt.date.min, gc[1].id or 0)):
        sources.setdefault(source_name(c), PALETTE[len(sources) % len(PALETTE)])
    shapes = {g.anchor: SHAPES[i % len(SHAPES)] for i, g in enumerate(groups)}
    plot_left, plot_right = T_LEFT, T_LEFT + T_WIDTH
    plot_top, plot_bottom = T_TOP, T_TOP + T_HEIGHT
    values = [float(v) for _, c in dated for v in (c.low, c.high) if v is not None]
    scale = value_scale(values, start=plot_bottom - 6, end=plot_top + 6)
    days = [c.published for _, c in dated if c.published is not None]
    if days:
        first, last = min(days), max(days)
        pad = max(3, (last - first).days // 20)
        first, last = first - dt.timedelta(days=pad), last + dt.timedelta(days=pad)
    else:
        first = last = dt.date.today()
    span = max((last - first).days, 1)

    def x_of(d: dt.date) -> float:
        return round(plot_left + 30 + (d - first).days / span * (T_WIDTH - 60), 1)

    # sources speaking on one day stand side by side, DODGE pixels apart, so that their whiskers do not hide
    # each other; a source's figures of one day share a column
    same_day: dict[dt.date, list[str]] = defaultdict(list)
    for _, c in dated:
        assert c.published is not None
        if source_name(c) not in same_day[c.published]:
            same_day[c.published].append(source_name(c))
    marks = []
    series: dict[tuple[str, str], list[tuple[dt.date, int, float, float]]] = defaultdict(list)
    for g, c in dated:
        assert c.published is not None
        who = source_name(c)
        column = same_day[c.published]
        dodge = (column.index(who) - (len(column) - 1) / 2) * min(DODGE, 48 / len(column))
        x, y = round(x_of(c.published) + dodge, 1), scale(best_estimate(c))
        y_low = scale(c.low) if c.low is not None else plot_bottom
        y_high = scale(c.high) if c.high is not None else plot_top
        marks.append(
            Mark(
                x=x,
                y=y,
                y_low=y_low,
                y_high=y_high,
                whisker=c.low != c.high,
                open_whisker=c.low is None or c.high is None,
                path=marker_path(shapes[g.anchor], x, y),
                colour=sources[who],
                hollow=c.published_precision != "day",
                title=f"{who}: '{c.text}' ({interval_label(c.low, c.high)}), {group_label(g)}, published "
                f"{date_label(c.published, c.published_precision)}",
                href=claim_anchor(c.id),
            )
        )
        if identifies(c):
            series[(who, g.anchor)].append((c.published, c.id or 0, x, y))
    lines = tuple(
        Line(points=" ".join(f"{x},{y}" for _, _, x, y in sorted(points)), colour=sources[who], source=who)
        for (who, _), points in series.items()
        if len(points) > 1
    )
    return Timeline(
        width=round(plot_right + 24),
        height=round(plot_bottom + 44),
        plot_left=plot_left,
        plot_right=plot_right,
        plot_top=plot_top,
        plot_bottom=plot_bottom,
        x_ticks=tuple(Tick(x_of(d), label) for d, label in date_ticks(first, last)),
        y_ticks=tuple(scale.ticks),
        y_title=f"{scale.kind} scale",
        marks=tuple(marks),
        lines=lines,
        sources=tuple(LegendEntry(name=name, colour=colour) for name, colour in sources.items()),
        groups=tuple(LegendEntry(name=group_label(g), path=marker_path(shapes[g.anchor], 8, 8)) for g in groups),
        undated=undated,
    )
