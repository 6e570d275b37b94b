"""The discrepancy report: one model (`build_report`), several renderings (Markdown, JSON, CSV)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy.orm import Session

from app.compare import DEFAULT_FACTOR, compare
from app.schemas import GroupOut


class Report(BaseModel):
    generated_at: dt.datetime
    factor: float
    groups: list[GroupOut]


def build_report(session: Session, *, factor: float = DEFAULT_FACTOR, event: str | None = None) -> Report:
    """Every comparable group of figures, with its verdict and provenance, worst first within each event."""
    groups = compare(session, event=event, factor=factor, include_single=True)
    return Report(generated_at=dt.datetime.now(dt.UTC).replace(microsecond=0), factor=factor, groups=groups)


FORMATS = ("md", "json", "csv")


def render(report: Report, fmt: str) -> str:
    from app.report import csv as csv_report
    from app.report import markdown

    if fmt == "md":
        return markdown.render(report)
    if fmt == "json":
        return report.model_dump_json(indent=2) + "\n"
    if fmt == "csv":
        return csv_report.render(report)
    raise ValueError(fmt)
