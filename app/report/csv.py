"""CSV rendering: one row per figure, with its group's verdict, for spreadsheets.

The publication date is two columns: `published`, an ISO date (YYYY-MM-DD) or empty, and `published_precision`,
how much of it is known, as the database holds it — `day`, `month` (the day is the 1st and means nothing),
`year` (the month and day mean nothing), `estimated` (claimdb's guess from the text, not a date the document gives)
or `unknown` (no date: `published` is empty). A figure's own date (a claim asserted on a day) counts as `day`.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

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
    "published_precision",
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
                        c.published.isoformat() if c.published else "",
                        (c.published_precision or "unknown") if c.published else "unknown",
                        c.status,
                        c.start,
                        c.end,
                        c.sentence,
                    ],
                )
            )
    return buf.getvalue()
