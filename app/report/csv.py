"""CSV rendering: one row per figure, with its group's verdict, for spreadsheets."""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from app.render import date_label

if TYPE_CHECKING:
    from app.report import Report

COLUMNS = [
    "event",
    "kind",
    "subgroup",
    "unit",
    "verdict",
    "claim_id",
    "text",
    "low",
    "high",
    "qualifier",
    "attributed_to",
    "conduit",
    "publisher",
    "document",
    "published",
    "status",
    "start",
    "end",
    "sentence",
]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP CSV injection advice)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render(report: Report) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for g in report.groups:
        for c in g.figures:
            writer.writerow(
                map(
                    _cell,
                    [
                        g.event or "",
                        g.kind,
                        g.subgroup or "",
                        g.unit or "",
                        g.verdict,
                        c.id,
                        c.text,
                        "" if c.low is None else c.low,
                        "" if c.high is None else c.high,
                        c.qualifier or "",
                        c.attributed_to or "",
                        c.conduit or "",
                        c.publisher or "",
                        c.document or "",
                        date_label(c.published, c.published_precision),
                        c.status,
                        c.start,
                        c.end,
                        c.sentence,
                    ],
                )
            )
    return buf.getvalue()
