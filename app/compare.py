"""Comparing figures: like with like, independent origins, revisions, and a verdict a fact-checker can trust.

Groups. Figures are grouped by (event, kind, subgroup, unit): a part ("under torture", "women") is never compared
with a total, teams never with people, and "injured or arrested" (an `other_count`) never with arrests.

Revisions. Figures are ordered by the date they were asserted (the claim's own date, else its document's). When
one named asserter gives several figures, the later one is an update ("208 → 304") and the earlier one leaves the
comparison.

Independence. Two figures share an origin when their documents are in one copy family (app/families.py) or when
the same named asserter stands behind both (crowds and unnamed sources do not identify an asserter). Origins are
the connected components of that relation; `independent_sources` counts them.

Verdicts, comparing figures of different origins pairwise and keeping the worst:
- `single-source`: one origin, however many documents repeat it;
- `conflicting`: two intervals are disjoint — they cannot both be right;
- `divergent`: two intervals overlap only because a bound is open while their best estimates are `factor` or more
  apart ("more than 8,000" against "more than 1,000");
- `corroborated`: no conflict or divergence, and two origins agree closely (best estimates within 25%);
- `consistent`: compatible, but no two origins agree closely.
The best estimate of a closed interval is its midpoint, of an open one its only bound.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.claims import ClaimFilter, claim_document_ids, count_claims, list_claims
from app.errors import InputError
from app.families import Family, copy_families
from app.models import Claim, Event
from app.render import interval_label
from app.schemas import ClaimOut, GroupOut, Revision

if TYPE_CHECKING:
    from app.estimate import TrackRecords

DEFAULT_FACTOR = 2.0
CLOSE_AGREEMENT = 1.25
_FAR = dt.date(9999, 1, 1)
_RANK = {"consistent": 0, "divergent": 1, "conflicting": 2}
NOT_IDENTIFYING = frozenset({"crowd", "unnamed"})
"""Asserter kinds that name no one: a crowd or an unnamed source identifies no origin."""


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


def _apart(a: ClaimOut, b: ClaimOut) -> str:
    r = ratio(a, b)
    return f"{r:.0f}x apart" if r >= 1.95 else f"{r:.1f}x apart"


def explain(verdict: str, a: ClaimOut, b: ClaimOut) -> str:
    if best_estimate(b) > best_estimate(a):
        a, b = b, a  # the larger figure first: "8x apart: 'more than 8,000' … vs 'more than 1,000' …"
    if verdict == "conflicting":
        return f"{_apart(a, b)}: {describe(a)} vs {describe(b)}; the intervals do not overlap, so both cannot be right."
    if verdict == "divergent":
        kinds = {_bound_kind(a), _bound_kind(b)}
        both = (
            f"both are {kinds.pop().split(' ', 1)[1]}s"
            if len(kinds) == 1
            else f"one is {_bound_kind(a)}, the other {_bound_kind(b)}"
        )
        return f"{_apart(a, b)}: {describe(a)} vs {describe(b)}; {both}, so they do not strictly contradict."
    if verdict == "corroborated":
        return f"{describe(a)} and {describe(b)} agree, from independent origins."
    return f"{describe(a)} and {describe(b)} are compatible, but no two independent origins agree closely."


def _date(c: ClaimOut) -> dt.date:
    return c.published or _FAR


def revisions(figures: list[ClaimOut]) -> tuple[list[Revision], set[int | None]]:
    """Updates by the same named asserter, and the ids of the figures they supersede: revisions inside one paragraph,
    then across documents. Across documents only figures dated to the day or month take part (a year, an estimate
    or no date cannot order them): every figure of an asserter dated before its latest figure, with another value,
    is superseded."""
    out, superseded = _revised_in_place(figures)
    by_asserter: dict[str, list[ClaimOut]] = defaultdict(list)
    for c in figures:
        orderable = c.published is not None and c.published_precision in ("day", "month")
        if c.attributed_to and c.asserter_kind not in NOT_IDENTIFYING and orderable and c.id not in superseded:
            by_asserter[c.attributed_to].append(c)
    for asserter, claims in sorted(by_asserter.items()):
        ordered = sorted(claims, key=lambda c: (_date(c), c.document_id or 0, c.start))
        latest = ordered[-1]
        for c in ordered[:-1]:
            if _date(c) < _date(latest) and (c.low, c.high) != (latest.low, latest.high):
                superseded.add(c.id)
        for before, after in itertools.pairwise(ordered):
            if (before.low, before.high) == (after.low, after.high) or _date(before) >= _date(after):
                continue
            label = f"{interval_label(before.low, before.high)} → {interval_label(after.low, after.high)}"
            out.append(
                Revision(
                    asserter=asserter,
                    before=before.text,
                    after=after.text,
                    before_claim=before.id,
                    after_claim=after.id,
                    before_date=before.published,
                    after_date=after.published,
                    label=label,
                )
            )
    return out, superseded


def _revised_in_place(figures: list[ClaimOut]) -> tuple[list[Revision], set[int | None]]:
    """Revisions inside one paragraph ("raised the toll to 125 from 74", "up from its earlier count of 41"): the
    extractor marks the figure that closes the pair with the other one's span (app/extract/revise.py); the old
    count is superseded when both figures are in the group."""
    at = {(c.document_id, c.start): c for c in figures}
    out: list[Revision] = []
    superseded: set[int | None] = set()
    for c in figures:
        mark = (c.explanation or {}).get("revision") or {}
        other = at.get((c.document_id, int(mark.get("start", -1))))
        if other is None or other is c:
            continue
        old, new = (c, other) if str(mark.get("rule", "")).startswith("old-count") else (other, c)
        superseded.add(old.id)
        out.append(
            Revision(
                asserter=new.attributed_to or new.publisher or "own voice",
                before=old.text,
                after=new.text,
                before_claim=old.id,
                after_claim=new.id,
                before_date=old.published,
                after_date=new.published,
                label=f"{interval_label(old.low, old.high)} → {interval_label(new.low, new.high)} (in one paragraph)",
            )
        )
    return out, superseded


def origin_key(c: ClaimOut, families: dict[int, Family]) -> str:
    """Who a figure really comes from: a named asserter, else the copy family that prints it (its own voice, a
    crowd, an unnamed source) — so copies of one article are one origin, and two asserters are two."""
    if c.attributed_to and c.asserter_kind not in NOT_IDENTIFYING:
        return f"asserter:{c.attributed_to}"
    family = families[c.document_id].id if c.document_id in families else c.document_id
    return f"family:{family}"


def origins(figures: list[ClaimOut], families: dict[int, Family]) -> list[int]:
    """For each figure, the index of its independent origin (0, 1, …)."""
    keys: dict[str, int] = {}
    return [keys.setdefault(origin_key(c, families), len(keys)) for c in figures]


def credibility(c: ClaimOut) -> float:
    """How much a figure weighs when one pair must explain a verdict: confirmed by a reviewer first, then a figure
    someone is named as asserting, then the extractor's confidence (a curated claim counts as sure)."""
    confirmed = 2.0 if c.status == "confirmed" else 0.0
    attributed = 1.0 if c.attributed_to and c.asserter_kind not in NOT_IDENTIFYING else 0.0
    return confirmed + attributed + (c.confidence if c.confidence is not None else 1.0)


@dataclass
class _Best:
    """The two best candidates seen so far, by key, whose (document, origin) differ: whichever figure asks, one
    of them is not its own voice in its own document."""

    entries: list[tuple[tuple[float, float], int]] = field(default_factory=list)

    def add(self, key: tuple[float, float], i: int) -> None:
        self.entries.append((key, i))
        self.entries.sort(key=lambda e: e[0], reverse=True)
        kept: list[tuple[tuple[float, float], int]] = []
        seen: set[tuple[int | None, int]] = set()
        for e in self.entries:
            v = self.voices[e[1]]
            if v not in seen:
                kept.append(e)
                seen.add(v)
            if len(kept) == 2:
                break
        self.entries = kept

    voices: list[tuple[int | None, int]] = field(default_factory=list)

    def best_for(self, voice: tuple[int | None, int]) -> int | None:
        return next((i for _, i in self.entries if self.voices[i] != voice), None)


def _group_verdict(figures: list[ClaimOut], origin_of: list[int], factor: float) -> tuple[str, str]:
    """The group's verdict and the sentence that explains it (see `verdict_pair`)."""
    verdict, i, j = verdict_pair(figures, origin_of, factor)
    if verdict == "single-source":
        docs = {c.document_id for c in figures}
        repeated = f"; {len(docs)} documents of one copy family repeat it" if len(docs) > 1 else ""
        return verdict, f"One independent origin: {describe(figures[0])}{repeated}."
    return verdict, explain(verdict, figures[i], figures[j])


def verdict_pair(figures: list[ClaimOut], origin_of: list[int], factor: float) -> tuple[str, int, int]:
    """Disagreement is looked for between every two figures (a copy that changed the number still conflicts);
    agreement counts only between independent origins. Two figures of one voice in one document (the same origin,
    the same document: a figure and its own part or repetition) are never compared.

    No pair is enumerated: sweeps over the figures sorted by bound and by best estimate find, for each figure, the
    most credible figure that conflicts with it (its upper bound below this one's lower bound), or diverges from it
    (`factor` apart, one of the two open), and the nearest figure of another origin; O(n log n) for n figures."""
    n = len(figures)
    best = [best_estimate(c) for c in figures]
    cred = [credibility(c) for c in figures]
    voices = [(c.document_id, origin_of[i]) for i, c in enumerate(figures)]

    def strength(verdict: str, i: int, j: int) -> tuple[tuple[int, float, float], int, int]:
        a, b = figures[i], figures[j]
        # the worst verdict; among its pairs, the most credible one explains it, then the farthest apart, then the
        # first in the figures' order
        return (_RANK[verdict], cred[i] + cred[j], min(ratio(a, b), 999)), -min(i, j), -max(i, j)

    worst: tuple[tuple[tuple[int, float, float], int, int], str, int, int] | None = None

    def consider(verdict: str, i: int, j: int | None) -> None:
        nonlocal worst
        if j is None:
            return
        key = strength(verdict, i, j)
        if worst is None or key > worst[0]:
            worst = (key, verdict, i, j)

    # conflicting: j's upper bound lies below i's lower bound
    below = _Best(voices=voices)
    by_high = sorted((i for i in range(n) if figures[i].high is not None), key=lambda i: figures[i].high or 0)
    k = 0
    for i in sorted((i for i in range(n) if figures[i].low is not None), key=lambda i: figures[i].low or 0):
        low = figures[i].low
        assert low is not None
        while k < len(by_high) and (figures[by_high[k]].high or 0) < low:
            j = by_high[k]
            below.add((cred[j], -best[j]), j)
            k += 1
        consider("conflicting", i, below.best_for(voices[i]))
    if worst is None:
        # divergent: best estimates `factor` or more apart, one of the two intervals open
        order = sorted(range(n), key=lambda i: best[i])
        smaller_any, smaller_open = _Best(voices=voices), _Best(voices=voices)
        k = 0
        for i in order:
            while k < len(order) and _far_apart(best[order[k]], best[i], factor):
                j = order[k]
                smaller_any.add((cred[j], -best[j]), j)
                if _is_open(figures[j]):
                    smaller_open.add((cred[j], -best[j]), j)
                k += 1
            pool = smaller_any if _is_open(figures[i]) else smaller_open
            consider("divergent", i, pool.best_for(voices[i]))
    if worst is not None:
        _, verdict, i, j = worst
        return verdict, i, j
    if len(set(origin_of)) <= 1:
        return "single-source", 0, 0
    # the closest pair of independent origins: for each figure, the next one up of another origin
    order = sorted(range(n), key=lambda i: (best[i], i))
    next_other = [-1] * n
    for pos in range(n - 2, -1, -1):
        here, up = order[pos], order[pos + 1]
        next_other[pos] = pos + 1 if origin_of[up] != origin_of[here] else next_other[pos + 1]
    closest: tuple[float, int, int] | None = None
    for pos, other in enumerate(next_other):
        if other < 0:
            continue
        i, j = sorted((order[pos], order[other]))
        key = (ratio(figures[i], figures[j]), i, j)
        if closest is None or key < closest:
            closest = key
    assert closest is not None
    r, i, j = closest
    return ("corroborated" if r < CLOSE_AGREEMENT else "consistent"), i, j


def _far_apart(smaller: float, larger: float, factor: float) -> bool:
    """Whether best estimates `smaller` <= `larger` are `factor` or more apart (as `ratio` measures them)."""
    if smaller <= 0:
        return larger > 0
    return larger / smaller >= factor


@dataclass
class Comparison:
    """One group of comparable figures before its verdict is put into words: every figure (by date), the live ones
    (revisions left out), each live figure's independent origin, and the revisions."""

    event: str
    kind: str
    subgroup: str
    unit: str
    figures: list[ClaimOut]
    live: list[ClaimOut]
    origin_of: list[int]
    origin_keys: list[str]
    """Each live figure's origin by name: 'asserter:NAME' or 'family:ID'."""
    revisions: list[Revision]


def iter_comparisons(
    session: Session,
    *,
    event: str | None = None,
    kind: str | None = None,
    as_of: dt.date | None = None,
    min_confidence: float | None = None,
    families: dict[int, Family],
) -> Iterator[Comparison]:
    """Every group of comparable figures of the selection (quotes, rejected claims and figures about no event left
    out), in the order of (event, kind, subgroup, unit), read a batch of events at a time (`BATCH_CLAIMS`): memory
    holds one batch's figures, however large the database."""
    if kind == "quote":
        raise InputError("quotes are not figures: use 'claimdb claims --kind quote'")
    filters = (
        [ClaimFilter(event=event, kind=kind, include_rejected=False, min_confidence=min_confidence, as_of=as_of)]
        if event is not None
        else [
            ClaimFilter(event_ids=ids, kind=kind, include_rejected=False, min_confidence=min_confidence, as_of=as_of)
            for ids in _event_batches(session)
        ]
    )
    for flt in filters:
        groups: dict[tuple[str, str, str, str], list[ClaimOut]] = defaultdict(list)
        for c in list_claims(session, flt=flt):
            if c.kind != "quote" and c.event is not None:
                groups[(c.event, c.kind, c.subgroup or "", c.unit or "")].append(c)
        for (ev, knd, sub, unit), figures in sorted(groups.items()):
            figures.sort(key=lambda c: (_date(c), c.document_id or 0, c.start))
            updates, superseded = revisions(figures)
            live = [c for c in figures if c.id not in superseded]
            keys = [origin_key(c, families) for c in live]
            yield Comparison(ev, knd, sub, unit, figures, live, origins(live, families), keys, updates)


BATCH_CLAIMS = 20_000
"""Events are read together until their claims reach this many: few queries for many small events, and memory
bounded by the batch (or by one event larger than it)."""


def _event_batches(session: Session) -> Iterator[tuple[int, ...]]:
    """The ids of the events with claims, in the order of their slugs, in batches of about BATCH_CLAIMS claims: a
    batch holds consecutive slugs, so its groups, sorted, come in the order of the whole."""
    rows = session.execute(
        select(Event.slug, Event.id, func.count(Claim.id))
        .join(Claim, Claim.event_id == Event.id)
        .group_by(Event.id, Event.slug)
    ).all()
    batch: list[int] = []
    size = 0
    for _slug, event_id, n in sorted(rows):
        batch.append(event_id)
        size += n
        if size >= BATCH_CLAIMS:
            yield tuple(batch)
            batch, size = [], 0
    if batch:
        yield tuple(batch)


def comparisons(
    session: Session,
    *,
    event: str | None = None,
    kind: str | None = None,
    as_of: dt.date | None = None,
    min_confidence: float | None = None,
    families: dict[int, Family] | None = None,
) -> tuple[list[Comparison], dict[int, Family]]:
    """`iter_comparisons` as a list, with the copy families of the documents (a figure about no recognisable
    incident is compared with nothing: "no event" is not one incident)."""
    if families is None:
        documents = None
        if event is not None:
            flt = ClaimFilter(
                event=event, kind=kind, include_rejected=False, min_confidence=min_confidence, as_of=as_of
            )
            documents = claim_document_ids(session, flt=flt)
        families = copy_families(session, documents=documents)
    selected = iter_comparisons(
        session, event=event, kind=kind, as_of=as_of, min_confidence=min_confidence, families=families
    )
    return list(selected), families


def iter_compare(
    session: Session,
    *,
    event: str | None = None,
    kind: str | None = None,
    asserter: str | None = None,
    publisher: str | None = None,
    factor: float = DEFAULT_FACTOR,
    include_single: bool = False,
    families: dict[int, Family] | None = None,
    min_confidence: float | None = None,
    as_of: dt.date | None = None,
    estimates: bool = True,
) -> Iterator[GroupOut]:
    """Groups of comparable figures with a verdict (and, with `estimates`, the best figure and its range), one at a
    time: memory holds one event's figures. Only groups with figures from more than one document, unless
    `include_single`. Rejected claims and quotes are left out; `asserter`/`publisher` keep the groups in which that
    source asserts or publishes a figure; `as_of` keeps what had been published by that day. Bad arguments are
    refused here, before the first group."""
    from app.estimate import track_records

    if not factor > 1 or math.isinf(factor):
        raise InputError("the divergence factor must be a number greater than 1")
    if kind == "quote":
        raise InputError("quotes are not figures: use 'claimdb claims --kind quote'")
    flt = ClaimFilter(event=event, kind=kind, include_rejected=False, min_confidence=min_confidence, as_of=as_of)
    if families is None:
        documents = claim_document_ids(session, flt=flt) if event is not None else None
        families = copy_families(session, documents=documents)
    else:
        count_claims(session, flt=flt)  # an unknown event or kind is reported now, not half-way through
    wanted: set[int | None] | None = None
    if asserter or publisher:
        chosen = list_claims(
            session,
            flt=ClaimFilter(
                event=event, kind=kind, asserter=asserter, publisher=publisher, include_rejected=False, as_of=as_of
            ),
        )
        wanted = {c.id for c in chosen}
    records = track_records(session, as_of=as_of, min_confidence=min_confidence) if estimates else None
    about = {
        slug: (name, status) for slug, name, status in session.execute(select(Event.slug, Event.name, Event.status))
    }
    selected = iter_comparisons(
        session, event=event, kind=kind, as_of=as_of, min_confidence=min_confidence, families=families
    )
    return _verdicts(selected, families, factor, include_single, wanted, records, about)


def _verdicts(
    selected: Iterator[Comparison],
    families: dict[int, Family],
    factor: float,
    include_single: bool,
    wanted: set[int | None] | None,
    records: TrackRecords | None,
    about: dict[str, tuple[str, str]],
) -> Iterator[GroupOut]:
    from app.estimate import estimate_group

    for comp in selected:
        figures = comp.figures
        documents = {c.document_id for c in figures}
        if len(documents) < 2 and not include_single:
            continue
        if wanted is not None and not any(c.id in wanted for c in figures):
            continue
        verdict, explanation = _group_verdict(comp.live, comp.origin_of, factor)
        family_names = sorted(
            {
                tuple(families[c.document_id].origins)
                for c in figures
                if c.document_id in families and len(families[c.document_id].documents) > 1
            }
        )
        yield GroupOut(
            event=comp.event or None,
            event_name=about.get(comp.event, (None, None))[0],
            event_status=about.get(comp.event, (None, None))[1],
            kind=comp.kind,
            subgroup=comp.subgroup or None,
            unit=comp.unit or None,
            verdict=verdict,
            explanation=explanation,
            documents=len(documents),
            independent_sources=len(set(comp.origin_of)),
            figures=figures,
            revisions=comp.revisions,
            copy_families=[list(f) for f in family_names],
            estimate=estimate_group(comp, records) if records is not None else None,
        )


def compare(session: Session, **options: Any) -> list[GroupOut]:
    """`iter_compare` as a list (the same keyword arguments)."""
    return list(iter_compare(session, **options))
