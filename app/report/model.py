"""The report's data model: groups with their anchors and an estimate slot, the per-source summary."""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict

from pydantic import BaseModel, Field, model_validator

from app.schemas import ClaimOut, DocumentOut, GroupOut

FLAGGED = ("conflicting", "divergent", "single-source")
"""Verdicts a fact-checker should look at: figures that disagree, and figures with only one origin."""

_UNSAFE = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower-case letters, digits and hyphens: a fragment identifier that needs no escaping."""
    return _UNSAFE.sub("-", text.lower()).strip("-") or "x"


def event_anchor(event: str | None) -> str:
    """The id of an event's section in the HTML report: `event-iran-protests-2017-18`."""
    return f"event-{slug(event or 'none')}"


def group_anchor(g: GroupOut) -> str:
    """The id of a group's section: `group-iran-protests-2017-18-death-toll-under-torture`; the unit is added when
    it is not people, so that every group of a report has its own."""
    parts = [g.event or "none", g.kind, g.subgroup or ""]
    if g.unit and g.unit != "people":
        parts.append(g.unit)
    return "group-" + slug("-".join(p for p in parts if p))


def claim_anchor(claim_id: int | None) -> str:
    """The id of a figure's row in the HTML report: `claim-23` (the claim's id in the database)."""
    return f"claim-{claim_id}"


def source_name(c: ClaimOut) -> str:
    """Who a figure is from, for people: its asserter, else the publisher's own voice, else the document's."""
    if c.attributed_to:
        return c.attributed_to
    if c.publisher:
        return f"{c.publisher} (own voice)"
    return f"document {(c.document or '?').split('_')[0]} (own voice)"


class EstimateBand(BaseModel):
    """A group's estimate (low, best, high; `claimdb estimate`) as the chart draws it: a shaded band with a line at
    the best value."""

    low: float = Field(ge=0)
    best: float = Field(ge=0)
    high: float = Field(ge=0)
    method: str | None = Field(None, description="how the band was made, shown with it")

    @model_validator(mode="after")
    def _ordered(self) -> EstimateBand:
        if not self.low <= self.best <= self.high:
            raise ValueError("an estimate band needs low <= best <= high")
        return self


class ReportGroup(GroupOut):
    """A compared group as the report shows it."""

    anchor: str = Field(description="the id of the group's section in the HTML report")
    band: EstimateBand | None = Field(None, description="the estimate as the chart draws it (low/best/high)")


class SourceRow(BaseModel):
    """One source's part in the report: how many figures, about which events and kinds, and how many of them sit
    in groups whose figures conflict or diverge."""

    name: str
    kind: str | None = Field(None, description="the asserter's kind (person, organisation, …); None for own voice")
    figures: int
    documents: int
    events: list[str]
    kinds: list[str]
    conflicting: int = Field(description="figures in groups whose verdict is conflicting")
    divergent: int = Field(description="figures in groups whose verdict is divergent")


class Report(BaseModel):
    generated_at: dt.datetime
    factor: float
    groups: list[ReportGroup]
    sources: list[SourceRow]
    documents: list[DocumentOut]
    copy_families: list[list[str]]


def summarise_sources(*, groups: list[ReportGroup]) -> list[SourceRow]:
    """The per-source table: every source with a figure in the report, most figures first."""
    figures: dict[str, int] = defaultdict(int)
    documents: dict[str, set[int | None]] = defaultdict(set)
    events: dict[str, set[str]] = defaultdict(set)
    kinds: dict[str, set[str]] = defaultdict(set)
    verdicts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    source_kind: dict[str, str | None] = {}
    for g in groups:
        for c in g.figures:
            name = source_name(c)
            figures[name] += 1
            documents[name].add(c.document_id)
            if g.event:
                events[name].add(g.event)
            kinds[name].add(g.kind)
            verdicts[name][g.verdict] += 1
            source_kind.setdefault(name, c.asserter_kind if c.attributed_to else None)
    return [
        SourceRow(
            name=name,
            kind=source_kind[name],
            figures=n,
            documents=len(documents[name]),
            events=sorted(events[name]),
            kinds=sorted(kinds[name]),
            conflicting=verdicts[name]["conflicting"],
            divergent=verdicts[name]["divergent"],
        )
        for name, n in sorted(figures.items(), key=lambda kv: (-kv[1], kv[0].casefold()))
    ]
