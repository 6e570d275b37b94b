"""schema.org ClaimReview JSON-LD: one review per flagged figure (conflicting, divergent or single-source).

Every key is a schema.org property, and every review carries what Google's ClaimReview structured data asks for:

- `url`: where the review lives — the HTML report published at the configured base URL, with the figure's row as
  anchor (`https://factcheck.example.org/reports/iran.html#claim-23`; `claimdb report --format html` gives every
  figure's row that id);
- `claimReviewed`: a short statement of the figure (at most 75 characters) built from its interval, kind, event
  and asserter ("More than 8,000 arrested in the 2017–18 Iranian protests"), never the whole sentence, which goes
  into `itemReviewed.text`;
- `author`: the reviewing organisation, name and url from the configuration (by default the host of the base URL);
- `reviewRating`: claimdb's verdict on a five-point scale, the verdict as `alternateName` and the group's
  one-sentence explanation as `ratingExplanation` (`RATING_SCALE`);
- `itemReviewed`: the Claim, with its `author` (the asserter, else the publisher) and `datePublished` where known
  (a date known to the day only: never an estimate as a date) and its `appearance`, the document, with its `url`
  where known;
- `about`: the event (an `Event` with its name and slug as `identifier`; a `description` says when claimdb
  discovered it and no reviewer has confirmed it).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from app.errors import InputError
from app.render import estimate_line
from app.report.model import FLAGGED, Report, claim_anchor
from app.schemas import ClaimOut, DocumentOut, GroupOut

RATING_SCALE = {"conflicting": 1, "divergent": 2, "single-source": 3, "consistent": 4, "corroborated": 5}
"""1 (worst) to 5 (best): how far the other sources bear a figure out. Only the first three are reviewed."""
BEST_RATING, WORST_RATING = 5, 1
DISCOVERED = "discovered by claimdb from what the articles say; no reviewer has confirmed it yet"
MAX_STATEMENT = 75

_PEOPLE_KINDS = {"person"}
_VERBS = {
    "death_toll": "killed",
    "arrest_count": "arrested",
    "injury_count": "injured",
    "execution_count": "executed",
    "detention_count": "detained",
}
_NUMBER = re.compile(r"\d+")
_PARENTHESIS = re.compile(r"\s*\([^()]*\)\s*$")
_DATE_START = re.compile(
    r"^(\d|(January|February|March|April|May|June|July|August|September|October|November|December)\b)"
)


@dataclass(frozen=True)
class ReviewConfig:
    """Where the reviews live and who publishes them. Build it with `ReviewConfig.create`, which checks it."""

    base_url: str
    reviewer_name: str
    reviewer_url: str

    @classmethod
    def create(
        cls, *, base_url: str | None, reviewer_name: str | None = None, reviewer_url: str | None = None
    ) -> ReviewConfig:
        """The base URL is required (an absolute http(s) address without a #fragment: the report's page); the
        reviewer's url defaults to the base URL's site (`https://host/`) and its name to that host."""
        if not base_url or not base_url.strip():
            raise InputError(
                "ClaimReview needs --base-url: the address where the HTML report is published "
                "(or set CLAIMDB_REPORT_URL)"
            )
        base = _absolute(base_url.strip(), what="--base-url")
        if urlsplit(base).fragment:
            raise InputError(f"--base-url {base_url!r} has a #fragment: each review adds its own anchor")
        site = urlsplit(base)
        url = _absolute(reviewer_url.strip(), what="--reviewer-url") if reviewer_url and reviewer_url.strip() else ""
        name = (reviewer_name or "").strip() or site.hostname or ""
        home = urlunsplit((site.scheme, site.netloc, "/", "", ""))
        return cls(base_url=base, reviewer_name=name, reviewer_url=url or home)

    def review_url(self, *, claim_id: int | None, anchor: str) -> str:
        """Where one review lives: the report's page, at the figure's row (else the group's section)."""
        return f"{self.base_url}#{claim_anchor(claim_id) if claim_id is not None else anchor}"


def _absolute(url: str, *, what: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or any(ch.isspace() for ch in url):
        raise InputError(f"{what} {url!r} is not an absolute http(s) URL")
    return url


def quantity(low: int | None, high: int | None, *, text: str = "") -> str:
    """An interval in words: '1,500', '2,250–2,750', 'About 2,500' for [2,250, 2,750] when the figure's words say
    2,500 ('some 2,500'), 'More than 8,000' for [8,001, …) when they say 8,000 or the bound is round, 'At least 24',
    'Up to 5'."""
    numbers = {int(n) for n in _NUMBER.findall(text.replace(",", ""))}
    if low is not None and low == high:
        return f"{low:,}"
    if low is not None and high is not None:
        about = [n for n in numbers if (9 * n) // 10 == low and -((-11 * n) // 10) == high]
        return f"About {about[0]:,}" if about else f"{low:,}–{high:,}"
    if low is not None:
        above = low > 1 and low not in numbers and (low - 1 in numbers or (low - 1) % 10 == 0)
        return f"More than {low - 1:,}" if above else f"At least {low:,}"
    if high is not None:
        return f"Up to {high:,}"
    return "An unknown number"


def _what(group: GroupOut) -> str:
    verb = _VERBS.get(group.kind)
    unit = group.unit if group.unit and group.unit != "people" else None
    if verb is None:  # other_count: the subgroup says what was counted ("reported missing", "injured or arrested")
        return " ".join(dict.fromkeys(w for w in (unit, group.subgroup) if w)) or "counted"
    words = f"{unit} {verb}" if unit else verb
    return f"{words} ({group.subgroup})" if group.subgroup else words


def _event_phrase(name: str) -> str:
    return f" in the {name}" if _DATE_START.match(name) else f" — {name}"


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:—–(")
    return cut + "…"


def statement(claim: ClaimOut, group: GroupOut) -> str:
    """The figure as a short statement of at most 75 characters, from its interval, kind, event and source: 'More
    than 8,000 arrested in the 2017–18 Iranian protests (reports coming from inside Iran)' would be too long, so
    the source (the asserter, else the publisher; itemReviewed names it too) goes first, then the event's name is
    shortened at a word. An event name's closing parenthesis ('(Bloody Aban)') is left out: it would read as the
    source."""
    head = f"{quantity(claim.low, claim.high, text=claim.text)} {_what(group)}"
    name = group.event_name or group.event or ""
    name = _PARENTHESIS.sub("", name).strip() or name
    event = _event_phrase(name) if name else ""
    source = claim.attributed_to or claim.publisher
    for candidate in (f"{head}{event} ({source})" if source else "", head + event):
        if candidate and len(candidate) <= MAX_STATEMENT:
            return candidate
    if len(head) + 12 <= MAX_STATEMENT:
        return head + _shorten(event, MAX_STATEMENT - len(head))
    return _shorten(head, MAX_STATEMENT)


def _party(name: str, kind: str | None) -> dict[str, Any]:
    return {"@type": "Person" if kind in _PEOPLE_KINDS else "Organization", "name": name}


def review(
    claim: ClaimOut,
    group: GroupOut,
    *,
    anchor: str,
    doc: DocumentOut | None,
    reviewed_on: dt.date,
    reviewer: ReviewConfig,
) -> dict[str, Any]:
    """One ClaimReview for one figure of a flagged group, which appeared in `doc`."""
    appearance: dict[str, Any] = {"@type": "CreativeWork"}
    if doc and doc.url:
        appearance["url"] = doc.url
    appearance["name"] = (doc.title if doc and doc.title else None) or claim.document or "unnamed document"
    if doc and doc.published and doc.published_precision == "day":
        appearance["datePublished"] = doc.published.isoformat()
    if claim.publisher:
        appearance["publisher"] = _party(claim.publisher, "organisation")
    item: dict[str, Any] = {"@type": "Claim"}
    if claim.attributed_to:
        item["author"] = _party(claim.attributed_to, claim.asserter_kind)
    elif claim.publisher:
        item["author"] = _party(claim.publisher, "organisation")
    if claim.published and claim.published_precision == "day":
        item["datePublished"] = claim.published.isoformat()
    item["appearance"] = appearance
    item["text"] = claim.sentence
    about: dict[str, Any] = {"@type": "Event", "name": group.event_name or group.event or "no event"}
    if group.event:
        about["identifier"] = group.event
    if group.event_status == "discovered":
        about["description"] = DISCOVERED
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": reviewer.review_url(claim_id=claim.id, anchor=anchor),
        "datePublished": reviewed_on.isoformat(),
        "author": {"@type": "Organization", "name": reviewer.reviewer_name, "url": reviewer.reviewer_url},
        "claimReviewed": statement(claim, group),
        "itemReviewed": item,
        "about": about,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATING_SCALE[group.verdict],
            "bestRating": BEST_RATING,
            "worstRating": WORST_RATING,
            "alternateName": group.verdict,
            "ratingExplanation": group.explanation
            + (f" Estimate: {estimate_line(group.estimate)}." if group.estimate is not None else ""),
        },
    }


def reviews(report: Report, *, reviewer: ReviewConfig) -> list[dict[str, Any]]:
    """A review for every figure of every flagged group, in the report's order."""
    docs = {d.id: d for d in report.documents}
    day = report.generated_at.date()
    return [
        review(c, g, anchor=g.anchor, doc=docs.get(c.document_id or -1), reviewed_on=day, reviewer=reviewer)
        for g in report.groups
        if g.verdict in FLAGGED
        for c in g.figures
    ]


def render(report: Report, *, reviewer: ReviewConfig) -> str:
    return json.dumps(reviews(report, reviewer=reviewer), indent=2, ensure_ascii=False) + "\n"
