"""The discrepancy report: one model (`build_report`), several renderings (Markdown, HTML, CSV, JSON, ClaimReview).

The model (`app/report/model.py`) is what every rendering reads: the compared groups, each with the anchor it has in
the HTML report and a slot for an estimate band, a summary per source, the documents and the copy families.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.compare import DEFAULT_FACTOR, compare
from app.documents import list_documents
from app.errors import InputError
from app.families import copy_families
from app.report.claimreview import ReviewConfig
from app.report.model import (
    FLAGGED,
    EstimateBand,
    Report,
    ReportGroup,
    SourceRow,
    claim_anchor,
    event_anchor,
    group_anchor,
    source_name,
    summarise_sources,
)
from app.schemas import Estimate

__all__ = [
    "FLAGGED",
    "FORMATS",
    "EstimateBand",
    "Report",
    "ReportGroup",
    "ReviewConfig",
    "SourceRow",
    "build_report",
    "claim_anchor",
    "event_anchor",
    "group_anchor",
    "render",
    "source_name",
]


def build_report(
    session: Session,
    *,
    factor: float = DEFAULT_FACTOR,
    event: str | None = None,
    min_confidence: float | None = None,
    as_of: dt.date | None = None,
) -> Report:
    """Every comparable group of figures, with its verdict and provenance, the sources and the copy families."""
    families = copy_families(session)
    compared = compare(
        session,
        event=event,
        factor=factor,
        include_single=True,
        families=families,
        min_confidence=min_confidence,
        as_of=as_of,
    )
    groups: list[ReportGroup] = []
    taken: set[str] = set()
    for g in compared:
        anchor = base = group_anchor(g)
        n = 1
        while anchor in taken:  # two subgroups whose names differ only in punctuation
            n += 1
            anchor = f"{base}-{n}"
        taken.add(anchor)
        groups.append(ReportGroup(**dict(g), anchor=anchor, band=_band(g.estimate)))
    multi = sorted({tuple(f.origins) for f in families.values() if len(f.documents) > 1})
    return Report(
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        factor=factor,
        groups=groups,
        sources=summarise_sources(groups=groups),
        documents=list_documents(session),
        copy_families=[list(f) for f in multi],
    )


def _band(e: Estimate | None) -> EstimateBand | None:
    if e is None or e.low is None or e.best is None or e.high is None:
        return None
    method = "claimdb estimate: independent origins, weighted median" + ("; the top is open" if e.high_open else "")
    return EstimateBand(low=e.low, best=e.best, high=e.high, method=method)


FORMATS = ("md", "html", "csv", "json", "claimreview")


def render(report: Report, *, fmt: str, reviewer: ReviewConfig | None = None) -> str:
    """The report in one format. `claimreview` needs `reviewer`: where the reviews live and who publishes them;
    given to `html`, the page carries the same reviews as JSON-LD."""
    from app.report import claimreview, html, markdown
    from app.report import csv as csv_report

    if fmt == "md":
        return markdown.render(report)
    if fmt == "html":
        return html.render(report, reviewer=reviewer)
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "csv":
        return csv_report.render(report)
    if fmt == "claimreview":
        if reviewer is None:
            raise InputError("the claimreview format needs a base URL: where the HTML report is published")
        return claimreview.render(report, reviewer=reviewer)
    raise InputError(f"unknown format {fmt!r}: choose from {', '.join(FORMATS)}")
