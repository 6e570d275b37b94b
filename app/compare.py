"""Comparing figures across documents: like with like, then a verdict per group.

A group is (event, kind, subgroup, unit): a part ("under torture", "women") is never compared with a total, and
teams are never compared with people. Two figures from different documents are compared as intervals:

- `conflicting`: the intervals are disjoint — they cannot both be right;
- `divergent`: they overlap only because a bound is open, while their best estimates differ by `factor` or more
  ("more than 8,000" against "more than 1,000");
- `consistent`: otherwise;
- `single-source`: all the figures come from one document, so there is nothing to compare them with (such groups
  appear in the report, not in `compare`).

A group's verdict is the worst of its pairs. The best estimate of a closed interval is its midpoint, of an open
one its only bound.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict

from sqlalchemy.orm import Session

from app.claims import ClaimFilter, list_claims
from app.errors import InputError
from app.schemas import ClaimOut, GroupOut

DEFAULT_FACTOR = 2.0
_FAR = dt.date(9999, 1, 1)
_RANK = {"consistent": 0, "divergent": 1, "conflicting": 2}


def best_estimate(claim: ClaimOut) -> float:
    if claim.low is not None and claim.high is not None:
        return (claim.low + claim.high) / 2
    return float(claim.low if claim.low is not None else claim.high or 0)


def _disjoint(a: ClaimOut, b: ClaimOut) -> bool:
    return (a.high is not None and b.low is not None and a.high < b.low) or (
        b.high is not None and a.low is not None and b.high < a.low
    )


def _is_open(c: ClaimOut) -> bool:
    return c.low is None or c.high is None


def ratio(a: ClaimOut, b: ClaimOut) -> float:
    x, y = sorted((best_estimate(a), best_estimate(b)))
    if x <= 0:
        return float("inf") if y > 0 else 1.0
    return y / x


def pair_verdict(a: ClaimOut, b: ClaimOut, *, factor: float = DEFAULT_FACTOR) -> str:
    if _disjoint(a, b):
        return "conflicting"
    if (_is_open(a) or _is_open(b)) and ratio(a, b) >= factor:
        return "divergent"
    return "consistent"


def describe(c: ClaimOut) -> str:
    """ "'more than 8,000' (reports coming from inside Iran, in 000)"."""
    who = c.attributed_to or "own voice"
    if c.conduit:
        who += f" via {c.conduit}"
    doc = (c.document or "?").split("_")[0]
    return f"'{c.text}' ({who}, in {doc})"


def _bound_kind(c: ClaimOut) -> str:
    if c.low is not None and c.high is None:
        return "a lower bound"
    if c.high is not None and c.low is None:
        return "an upper bound"
    return "a range" if c.low != c.high else "an exact figure"


def explain(verdict: str, a: ClaimOut, b: ClaimOut) -> str:
    r = ratio(a, b)
    apart = f"{r:.0f}x apart" if r >= 1.95 else f"{r:.1f}x apart"
    kinds = {_bound_kind(a), _bound_kind(b)}
    if verdict == "conflicting":
        return f"{apart}: {describe(a)} vs {describe(b)}; the intervals do not overlap, so both cannot be right."
    if verdict == "divergent":
        both = f"both are {kinds.pop()}s" if len(kinds) == 1 else f"one is {_bound_kind(a)}, the other {_bound_kind(b)}"
        both = both.replace("a lower bounds", "lower bounds").replace("an upper bounds", "upper bounds")
        return f"{apart}: {describe(a)} vs {describe(b)}; {both}, so they do not strictly contradict."
    return f"{describe(a)} and {describe(b)} agree."


def compare(
    session: Session,
    *,
    event: str | None = None,
    kind: str | None = None,
    factor: float = DEFAULT_FACTOR,
    include_single: bool = False,
) -> list[GroupOut]:
    """Groups of comparable figures with a verdict. Only groups with figures from more than one document,
    unless `include_single`. Rejected claims and quotes are left out."""
    if factor <= 1:
        raise InputError("the divergence factor must be greater than 1")
    if kind == "quote":
        raise InputError("quotes are not figures: use 'claimdb claims --kind quote'")
    claims = list_claims(session, flt=ClaimFilter(event=event, kind=kind, include_rejected=False))
    groups: dict[tuple[str, str, str, str], list[ClaimOut]] = defaultdict(list)
    for c in claims:
        if c.kind == "quote":
            continue
        groups[(c.event or "", c.kind, c.subgroup or "", c.unit or "")].append(c)
    out = []
    for (ev, knd, sub, unit), figures in sorted(groups.items()):
        documents = {c.document for c in figures}
        if len(documents) < 2 and not include_single:
            continue
        verdict, explanation = "consistent", ""
        worst = -1.0
        for a, b in itertools.combinations(figures, 2):
            if a.document == b.document:
                continue
            v = pair_verdict(a, b, factor=factor)
            strength = _RANK[v] * 1000 + min(ratio(a, b), 999)
            if strength > worst:
                worst, verdict, explanation = strength, v, explain(v, a, b)
        if worst < 0:
            verdict, explanation = (
                "consistent",
                f"Only {describe(figures[0])} and figures from the same document.",
            )
        out.append(
            GroupOut(
                event=ev or None,
                kind=knd,
                subgroup=sub or None,
                unit=unit or None,
                verdict=verdict,
                explanation=explanation,
                documents=len(documents),
                figures=sorted(figures, key=lambda c: (c.published or _FAR, c.document or "", c.start)),
            )
        )
    return out
