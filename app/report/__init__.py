"""The discrepancy report: one model (`build_report`), several renderings (Markdown, HTML, CSV, JSON, ClaimReview)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.compare import DEFAULT_FACTOR, compare
from app.documents import list_documents
from app.families import copy_families
from app.schemas import DocumentOut, GroupOut

FLAGGED = ("conflicting", "divergent", "single-source")
"""Verdicts a fact-checker should look at: figures that disagree, and figures with only one origin."""


class Report(BaseModel):
    generated_at: dt.datetime
    factor: float
    groups: list[GroupOut]
    documents: list[DocumentOut]
    copy_families: list[list[str]]


def build_report(
    session: Session, *, factor: float = DEFAULT_FACTOR, event: str | None = None, min_confidence: float | None = None
) -> Report:
    """Every comparable group of figures, with its verdict and provenance, and the copy families."""
    families = copy_families(session)
    groups = compare(
        session, event=event, factor=factor, include_single=True, families=families, min_confidence=min_confidence
    )
    multi = sorted({tuple(f.origins) for f in families.values() if len(f.documents) > 1})
    return Report(
        generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0),
        factor=factor,
        groups=groups,
        documents=list_documents(session),
        copy_families=[list(f) for f in multi],
    )


FORMATS = ("md", "html", "csv", "json", "claimreview")


def render(report: Report, fmt: str) -> str:
    from app.report import claimreview, html, markdown
    from app.report import csv as csv_report

    if fmt == "md":
        return markdown.render(report)
    if fmt == "html":
        return html.render(report)
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "csv":
        return csv_report.render(report)
    if fmt == "claimreview":
        return claimreview.render(report)
    raise ValueError(fmt)
