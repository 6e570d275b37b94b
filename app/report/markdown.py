"""Markdown rendering of the discrepancy report."""

from __future__ import annotations

from itertools import groupby
from typing import TYPE_CHECKING

from app.render import event_heading, interval_label

if TYPE_CHECKING:
    from app.report import Report

_ORDER = {"conflicting": 0, "divergent": 1, "consistent": 2, "corroborated": 3, "single-source": 4}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


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
    by_event = sorted(report.groups, key=lambda g: (g.event is None, g.event or ""))
    for _, grouped in groupby(by_event, key=lambda g: g.event):
        groups = list(grouped)
        lines += [f"## {event_heading(groups[0].event, groups[0].event_name, groups[0].event_status)}", ""]
        for g in sorted(groups, key=lambda g: (_ORDER[g.verdict], g.kind, g.subgroup or "")):
            title = g.kind + (f" — {g.subgroup}" if g.subgroup else "") + (f" ({g.unit})" if g.unit else "")
            lines += [f"### {title}: **{g.verdict}**", "", g.explanation, ""]
            lines += [
                "| figure | interval | asserted by | via | publisher | document | sentence |",
                "|---|---|---|---|---|---|---|",
            ]
            for c in g.figures:
                lines.append(
                    "| "
                    + " | ".join(
                        _cell(x)
                        for x in (
                            c.text,
                            interval_label(c.low, c.high),
                            c.attributed_to or "(document's own voice)",
                            c.conduit or "",
                            c.publisher or "",
                            c.document or "",
                            c.sentence,
                        )
                    )
                    + " |"
                )
            lines.append("")
    return "\n".join(lines)
