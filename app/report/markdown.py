"""Markdown rendering of the discrepancy report.

Every piece of text that comes from a document or a source (figures, sentences, names, explanations quoting them)
goes through `md_text`: `&`, `<` and `>` become HTML entities, so a renderer that passes HTML through shows a
source named `<script>alert(1)</script>` as text, and Markdown's own punctuation is backslash-escaped, so that
document text makes no links, emphasis or table cells of its own.
"""

from __future__ import annotations

import html
import re
from itertools import groupby
from typing import TYPE_CHECKING

from app.render import estimate_line, event_heading, interval_label

if TYPE_CHECKING:
    from app.report import Report

_ORDER = {"conflicting": 0, "divergent": 1, "consistent": 2, "corroborated": 3, "single-source": 4}


_MARKDOWN = re.compile(r"([\\`*_\[\]|#~!])")


def md_text(text: str) -> str:
    """Text from a document or a source, safe in Markdown: HTML entities for `&<>`, Markdown punctuation escaped,
    one line."""
    return _MARKDOWN.sub(r"\\\1", html.escape(text, quote=False)).replace("\r", " ").replace("\n", " ")


def render(report: Report) -> str:
    lines = [
        "# claimdb discrepancy report",
        "",
        f"Generated {report.generated_at.isoformat()}. Figures are compared per event, kind, subgroup and unit;",
        f"'divergent' means best estimates {report.factor:g}x or more apart while the intervals overlap "
        "through an open bound.",
        "",
    ]
    counts: dict[str, int] = {}
    for g in report.groups:
        counts[g.verdict] = counts.get(g.verdict, 0) + 1
    lines.append("Summary: " + ", ".join(f"{n} {v}" for v, n in sorted(counts.items(), key=lambda kv: _ORDER[kv[0]])))
    lines.append("")
    if report.sources:
        lines += [
            "## Sources",
            "",
            "| source | kind | figures | documents | events | kinds | in conflicting groups | in divergent groups |",
            "|---|---|---:|---:|---|---|---:|---:|",
        ]
        for src in report.sources:
            cells = [md_text(src.name), src.kind or "own voice", str(src.figures), str(src.documents)]
            cells += [md_text(", ".join(src.events)), ", ".join(src.kinds), str(src.conflicting), str(src.divergent)]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    by_event = sorted(report.groups, key=lambda g: (g.event is None, g.event or ""))
    for _, grouped in groupby(by_event, key=lambda g: g.event):
        groups = list(grouped)
        heading = event_heading(groups[0].event, groups[0].event_name, groups[0].event_status)
        lines += [f"## {md_text(heading)}", ""]
        for g in sorted(groups, key=lambda g: (_ORDER[g.verdict], g.kind, g.subgroup or "")):
            title = (f" — {g.subgroup}" if g.subgroup else "") + (f" ({g.unit})" if g.unit else "")
            lines += [f"### {g.kind}{md_text(title)}: **{g.verdict}**", "", md_text(g.explanation), ""]
            if g.estimate is not None:
                lines += [f"Estimate: {md_text(estimate_line(g.estimate))}.", ""]
            lines += [
                "| figure | interval | asserted by | via | publisher | document | sentence |",
                "|---|---|---|---|---|---|---|",
            ]
            for c in g.figures:
                cells = [
                    md_text(c.text),
                    interval_label(c.low, c.high),
                    md_text(c.attributed_to) if c.attributed_to else "(document's own voice)",
                    md_text(c.conduit or ""),
                    md_text(c.publisher or ""),
                    md_text(c.document or ""),
                    md_text(c.sentence),
                ]
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
    return "\n".join(lines)
