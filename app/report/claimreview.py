"""schema.org ClaimReview JSON-LD: one review per flagged figure (conflicting, divergent or single-source).

Each review names the Claim's author (the asserter, else the publisher), where it appeared (the document), and a
rating whose alternateName is the verdict and whose explanation is the group's one-sentence explanation. The
rating scale is claimdb's own: 1 conflicting, 2 divergent, 3 single-source (worst 1, best 5)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from app.schemas import ClaimOut

if TYPE_CHECKING:
    from app.report import Report

_RATING = {"conflicting": 1, "divergent": 2, "single-source": 3}
_PEOPLE_KINDS = {"person"}


def _author(c: ClaimOut) -> dict[str, Any]:
    name = c.attributed_to or c.publisher or "unknown"
    kind = "Person" if c.asserter_kind in _PEOPLE_KINDS else "Organization"
    return {"@type": kind, "name": name}


def render(report: Report) -> str:
    from app.report import FLAGGED

    docs = {d.origin: d for d in report.documents}
    reviews: list[dict[str, Any]] = []
    for g in report.groups:
        if g.verdict not in FLAGGED:
            continue
        for c in g.figures:
            doc = docs.get(c.document or "")
            appearance: dict[str, Any] = {"@type": "CreativeWork", "name": c.document}
            if doc and doc.url:
                appearance["url"] = doc.url
            if doc and doc.title:
                appearance["headline"] = doc.title
            if doc and doc.published and doc.published_precision == "day":
                appearance["datePublished"] = doc.published.isoformat()  # never an estimate as a date
            if c.publisher:
                appearance["publisher"] = {"@type": "Organization", "name": c.publisher}
            item: dict[str, Any] = {"@type": "Claim", "author": _author(c), "appearance": appearance}
            if c.published and c.published_precision == "day":
                item["datePublished"] = c.published.isoformat()
            reviews.append(
                {
                    "@context": "https://schema.org",
                    "@type": "ClaimReview",
                    "datePublished": report.generated_at.date().isoformat(),
                    "author": {"@type": "Organization", "name": "claimdb"},
                    "claimReviewed": c.sentence,
                    "itemReviewed": item,
                    "reviewRating": {
                        "@type": "Rating",
                        "ratingValue": _RATING[g.verdict],
                        "bestRating": 5,
                        "worstRating": 1,
                        "alternateName": g.verdict,
                        "ratingExplanation": g.explanation,
                    },
                    "about": {
                        "event": g.event,
                        "eventName": g.event_name,
                        "eventStatus": g.event_status,
                        "kind": g.kind,
                        "subgroup": g.subgroup,
                        "figure": c.text,
                        "low": c.low,
                        "high": c.high,
                    },
                }
            )
    return json.dumps(reviews, indent=2, ensure_ascii=False) + "\n"
