"""The HTML report: one self-contained file (inline CSS and SVG, no script, no network), autoescaped by Jinja2.

A table of contents; the copy families; a table of the sources (figures, events, kinds, and how many of their
figures sit in conflicting or divergent groups); then per event a timeline (figures by publication date, one
colour per source, a source's figures in one group joined by a line) and per group a chart of each figure's
interval on a value axis (`app/report/charts.py` says how the scale is chosen), the estimate band when the group
has one, the verdict and its one-sentence explanation, the figures with asserter, conduit and publisher, and each
quoted sentence with the figure marked. Every section, and every figure's row (`claim-<id>`), has an id to link to.

Given where it will be published (`reviewer`, from `--base-url`), the page also carries its ClaimReview markup as
JSON-LD in the head — data, not a script: each review's `url` is this page at the figure's row, and search engines
read the markup from the page the `url` names. `<`, `>` and `&` in it are written as \\u escapes, so no text from a
document can close the element.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from app.render import date_label, estimate_line, event_heading, interval_label, short_document
from app.report.charts import IntervalChart, Timeline, group_label, interval_chart, timeline
from app.report.claimreview import ReviewConfig, reviews
from app.report.model import ReportGroup, claim_anchor, event_anchor
from app.schemas import ClaimOut

if TYPE_CHECKING:
    from app.report.model import Report

ORDER = {"conflicting": 0, "divergent": 1, "single-source": 2, "consistent": 3, "corroborated": 4}

_env = Environment(
    loader=PackageLoader("app.report", "templates"),
    autoescape=select_autoescape(["html", "j2"], default=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.globals["estimate_line"] = estimate_line


@dataclass(frozen=True)
class GroupView:
    group: ReportGroup
    title: str
    chart: IntervalChart
    rows: list[tuple[ClaimOut, tuple[str, str, str]]]


@dataclass(frozen=True)
class EventView:
    slug: str | None
    name: str
    anchor: str
    timeline: Timeline
    groups: list[GroupView]


def _marked(c: ClaimOut) -> tuple[str, str, str]:
    """The sentence split around the figure: (before, figure, after), for highlighting."""
    offset = (c.start - c.sentence_start) if c.sentence_start is not None else c.sentence.find(c.text)
    if offset < 0 or c.sentence[offset : offset + len(c.text)] != c.text:
        offset = c.sentence.find(c.text)
    if offset < 0:
        return c.sentence, "", ""
    return c.sentence[:offset], c.text, c.sentence[offset + len(c.text) :]


def event_views(report: Report) -> list[EventView]:
    """The report's events in order, each with its timeline and its groups, worst verdict first."""
    out = []
    by_event = sorted(report.groups, key=lambda g: (g.event is None, g.event or ""))
    for slug, grouped in groupby(by_event, key=lambda g: g.event):
        ordered = sorted(grouped, key=lambda g: (ORDER[g.verdict], g.kind, g.subgroup or "", g.unit or ""))
        out.append(
            EventView(
                slug=slug,
                name=event_heading(slug, ordered[0].event_name, ordered[0].event_status),
                anchor=event_anchor(slug),
                timeline=timeline(ordered),
                groups=[
                    GroupView(
                        group=g,
                        title=group_label(g),
                        chart=interval_chart(g),
                        rows=[(c, _marked(c)) for c in g.figures],
                    )
                    for g in ordered
                ],
            )
        )
    return out


def json_for_script(data: object) -> str:
    """JSON that is safe inside a <script> element: no '<', '>' or '&' (so never '</script>' or '<!--')."""
    text = json.dumps(data, indent=1, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render(report: Report, *, reviewer: ReviewConfig | None = None) -> str:
    structured = Markup(json_for_script(reviews(report, reviewer=reviewer))) if reviewer else None
    counts: dict[str, int] = {}
    for g in report.groups:
        counts[g.verdict] = counts.get(g.verdict, 0) + 1
    return _env.get_template("report.html.j2").render(
        report=report,
        events=event_views(report),
        counts=sorted(counts.items(), key=lambda kv: ORDER[kv[0]]),
        interval_label=interval_label,
        date_label=date_label,
        short_document=short_document,
        claim_anchor=claim_anchor,
        event_anchor=event_anchor,
        structured=structured,
    )
