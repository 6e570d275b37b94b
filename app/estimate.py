"""From verdicts to estimates: a best figure per group with its range, and each source's track record.

Independent origins only. A group's figures are reduced to one per independent origin (app/compare.py: a named
asserter, else the copy family that prints the figure in its own voice) — its latest figure, revisions and
rejected claims left out — so that twenty reprints of one wire story weigh as one.

Track records: CRH ("Conflict Resolution on Heterogeneous data", Li et al., SIGMOD 2014), on the figures' orders
of magnitude. Start from each group's median; then, in turn, (1) each source's loss is the sum over its groups of
its distance from the group's current truth, |log10(1 + figure) - log10(1 + truth)|, divided by the spread of that
group's figures (at least `MIN_SPREAD`), and its weight is -log(its share of all losses); (2) each group's truth is
the weighted median of its origins' figures. Until the truths stand still, at most `ITERATIONS` rounds;
deterministic (sources and groups in sorted order). Only groups with two or more independent origins are evidence;
a source with none keeps weight 1.0 of the best, and a record is shrunk towards 1.0 by `PRIOR_GROUPS` groups of
neutral evidence. Copies cannot vote twice: evidence is counted per origin, and an origin's source is its asserter,
or for a copy family's own voice (or an unnamed source's) the publisher of the document its figure is taken from.

The estimate of a group:
- each origin's weight is its source's reliability (weight relative to the best source with evidence; 1.0 without
  evidence) times its confidence (confirmed or curated: 1.0; extracted: the extractor's confidence);
- `best` is the weighted median of the origins' best estimates (a closed interval's midpoint, an open one's bound),
  moved into the interval every origin allows when there is one ("dozens" and "more than 50": at least 51);
- `low` is the lowest lower bound any origin gives (an upper bound alone counts as its own low), `high` the highest
  upper bound (a lower bound alone counts as its own high, and `high_open` says the top is open-ended);
- `corroborated` when two independent origins agree within 25% (Iraq Body Count's two-source rule).
UCDP's low/best/high, with the sources weighed as the truth-discovery literature weighs them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import and_, delete, func, insert, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, aliased

from app.compare import CLOSE_AGREEMENT, NOT_IDENTIFYING, Comparison, _date, best_estimate, comparisons
from app.families import family_roots
from app.models import (
    FIGURE_KINDS,
    Attribution,
    Change,
    Claim,
    CopyLink,
    Document,
    Source,
    TrackRecord,
    TrackRecordState,
)
from app.schemas import ClaimOut, Estimate, EstimateOrigin, SourceRecord

ITERATIONS = 20
MIN_SPREAD = 0.05
"""The smallest spread (log10) a group's losses are divided by: a group where everyone agrees counts, not infinitely."""
SMOOTHING = 0.1
"""Added to every source's loss before weighing: a source right once is not infinitely reliable."""
PRIOR_GROUPS = 3
"""A track record counts as much as this many groups of neutral evidence: reliability = (evidence x CRH weight
relative to the best + PRIOR_GROUPS x 1.0) / (evidence + PRIOR_GROUPS). One group of evidence moves a source little;
ten move it most of the way."""

RULE = (
    "one figure per independent origin (latest revision; copies and rejected claims out); weight = source "
    "reliability (CRH track record) x confidence; best = weighted median of the origins' best estimates, within "
    "the interval all origins allow if they all overlap; low = "
    "lowest lower bound; high = highest upper bound (open when the top figure is only a lower bound)"
)


def _magnitude(x: float) -> float:
    return math.log10(1 + max(x, 0.0))


def _median_of_sorted(values: Sequence[float], weights: Sequence[float]) -> float:
    """The weighted median of values in ascending order: the smallest value at which half the weight is reached (the
    midpoint of two values when the weight splits evenly between them)."""
    total = sum(weights)
    if total <= 0:
        return values[(len(values) - 1) // 2]
    running = 0.0
    for i, (value, weight) in enumerate(zip(values, weights, strict=True)):
        running += weight
        if abs(running - total / 2) <= 1e-9 * total and i + 1 < len(values):
            return (value + values[i + 1]) / 2  # the weight splits evenly between two values: their midpoint
        if running >= total / 2:
            return value
    return values[-1]


def _weighted_median(values: Sequence[float], weights: Sequence[float]) -> float:
    pairs = sorted(zip(values, weights, strict=True))
    return _median_of_sorted([v for v, _ in pairs], [w for _, w in pairs])


def _sorted_median(group: Sequence[tuple[float, str]], weight: dict[str, float]) -> float:
    """The weighted median of a group already sorted by value, with each source's weight."""
    return _median_of_sorted([v for v, _ in group], [weight[s] for _, s in group])


def _representatives(comp: Comparison) -> list[tuple[str, ClaimOut]]:
    """One figure per independent origin: its latest (then most credible) live figure, with the origin's key."""
    chosen: dict[str, ClaimOut] = {}
    for c, origin in zip(comp.live, comp.origin_keys, strict=True):
        held = chosen.get(origin)
        if held is None or (_date(c), _confidence(c)) >= (_date(held), _confidence(held)):
            chosen[origin] = c
    return sorted(chosen.items())


def _source_of(c: ClaimOut) -> str | None:
    if c.attributed_to and c.asserter_kind not in NOT_IDENTIFYING:
        return c.attributed_to
    return c.publisher


def _confidence(c: ClaimOut) -> float:
    if c.status == "confirmed" or c.confidence is None:
        return 1.0
    return float(c.confidence)


class TrackRecords(dict[str, SourceRecord]):
    """Source name -> its record; a source without evidence has none (and weighs 1.0)."""

    def reliability(self, source: str | None) -> float:
        record = self.get(source or "")
        return record.reliability if record is not None and record.evidence else 1.0


def discover(groups: Sequence[Sequence[tuple[str, float]]]) -> TrackRecords:
    """CRH over `groups`, each a list of (source, figure) from independent origins: the sources' track records.
    Groups with fewer than two sources are no evidence."""
    evidence = [sorted(g) for g in groups if len({s for s, _ in g}) >= 2]
    if not evidence:
        return TrackRecords()
    # each group's figures sorted once by magnitude: its weighted median is then one scan, whatever the weights
    logs = [sorted(((_magnitude(v), s) for s, v in g), key=lambda x: (x[0], x[1])) for g in evidence]
    spreads = []
    for g in logs:
        values = [v for v, _ in g]
        mean = sum(values) / len(values)
        spreads.append(max(MIN_SPREAD, math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))))
    sources = sorted({s for g in logs for _, s in g})
    weight = dict.fromkeys(sources, 1.0)
    truth = [_sorted_median(g, weight) for g in logs]
    for _ in range(ITERATIONS):
        loss = dict.fromkeys(sources, SMOOTHING)
        for g, t, spread in zip(logs, truth, spreads, strict=True):
            for v, s in g:
                loss[s] += abs(v - t) / spread
        total = sum(loss.values())
        weight = {s: -math.log(loss[s] / total) for s in sources}
        moved = [_sorted_median(g, weight) for g in logs]
        if moved == truth:
            break  # the truths are medians of given figures: once they stand still, so do the weights
        truth = moved
    best = max(weight.values())
    counts: dict[str, int] = defaultdict(int)
    errors: dict[str, float] = defaultdict(float)
    for g, t in zip(logs, truth, strict=True):
        for v, s in g:
            counts[s] += 1
            errors[s] += abs(v - t)
    return TrackRecords(
        {
            s: SourceRecord(
                source=s,
                reliability=round(
                    (counts[s] * (weight[s] / best if best > 0 else 1.0) + PRIOR_GROUPS) / (counts[s] + PRIOR_GROUPS), 4
                ),
                evidence=counts[s],
                mean_error=round(errors[s] / counts[s], 4),
            )
            for s in sources
        }
    )


def _light_evidence(
    session: Session, *, as_of: dt.date | None, min_confidence: float | None
) -> list[list[tuple[str, float]]]:
    """The evidence of every group in the database, read as plain rows (no sentences, no claim objects): for each
    group of comparable figures, (source, best estimate) of one figure per independent origin — its latest (then most
    credible, then last in its document: an in-sentence revision's new count comes last or carries the later date)."""
    asserter = aliased(Source)
    publisher = aliased(Source)
    query = (
        select(
            Claim.event_id,
            Claim.kind,
            Claim.subgroup,
            Claim.unit,
            Claim.low,
            Claim.high,
            Claim.status,
            Claim.confidence,
            Claim.document_id,
            Claim.start,
            Document.published,
            asserter.name,
            asserter.kind,
            publisher.name,
        )
        .join(Document, Document.id == Claim.document_id)
        .outerjoin(Attribution, and_(Attribution.claim_id == Claim.id, Attribution.role == "asserter"))
        .outerjoin(asserter, asserter.id == Attribution.source_id)
        .outerjoin(publisher, publisher.id == Document.publisher_id)
        .where(Claim.kind.in_(FIGURE_KINDS), Claim.status != "rejected", Claim.event_id.is_not(None))
    )
    if as_of is not None:
        query = query.where(Document.published.is_not(None), Document.published <= as_of)
    if min_confidence is not None:
        query = query.where(
            or_(Claim.confidence.is_(None), Claim.status == "confirmed", Claim.confidence >= min_confidence)
        )
    roots = family_roots(session)
    far = dt.date.max
    # (group) -> origin -> (order key, source, value)
    groups: dict[tuple[object, ...], dict[str, tuple[tuple[object, ...], str | None, float]]] = defaultdict(dict)
    for ev, kind, sub, unit, low, high, status, conf, doc, start, published, name, name_kind, pub in session.execute(
        query
    ):
        if low is None and high is None:
            continue
        named = name is not None and name_kind not in NOT_IDENTIFYING
        origin = f"asserter:{name}" if named else f"family:{roots.get(doc, doc)}"
        source = name if named else pub
        confidence = 1.0 if status == "confirmed" or conf is None else float(conf)
        key = (published or far, confidence, doc, start)
        value = (
            (low + high) / 2 if low is not None and high is not None else float(low if low is not None else high or 0)
        )
        held = groups[(ev, kind, sub or "", unit or "")].get(origin)
        if held is None or key >= held[0]:
            groups[(ev, kind, sub or "", unit or "")][origin] = (key, source, value)
    evidence = []
    for origins in groups.values():
        seen: dict[str, float] = {}
        for _, source, value in origins.values():
            if source is not None and source not in seen:
                seen[source] = value
        evidence.append(sorted(seen.items()))
    return evidence


def fingerprint(session: Session) -> str:
    """What the track records depend on, in a few indexed aggregates: claims (how many, the last id), reviews (every
    confirm, reject and edit is logged), copy links and sources. Any change to these changes it."""
    parts = [
        session.execute(select(func.count(), func.max(Claim.id))).one(),
        session.execute(select(func.count(), func.max(Change.id))).one(),
        session.execute(select(func.count()).select_from(CopyLink)).one(),
        session.execute(select(func.count(), func.max(Source.id))).one(),
    ]
    return ";".join(",".join(str(x) for x in row) for row in parts)


def track_records(
    session: Session, *, as_of: dt.date | None = None, min_confidence: float | None = None
) -> TrackRecords:
    """Every source's track record, from every group of comparable figures in the database (as of a day). The
    records of the whole database are stored (`track_record`) and read back while nothing they depend on has
    changed (`fingerprint`): a query about one event does not rediscover every source's record."""
    key = ("claimdb.track_records", as_of, min_confidence)
    cached = session.info.get(key)
    if cached is not None:
        return cached
    whole = as_of is None and min_confidence is None
    stamp = fingerprint(session) if whole else None
    records = _stored(session, stamp) if stamp is not None else None
    if records is None:
        records = discover(_light_evidence(session, as_of=as_of, min_confidence=min_confidence))
        if stamp is not None:
            _store(session, stamp, records)
    session.info[key] = records
    return records


def _stored(session: Session, stamp: str) -> TrackRecords | None:
    state = session.get(TrackRecordState, 1)
    if state is None or state.fingerprint != stamp:
        return None
    rows = session.execute(
        select(Source.name, TrackRecord.reliability, TrackRecord.evidence, TrackRecord.mean_error).join(
            Source, Source.id == TrackRecord.source_id
        )
    )
    return TrackRecords(
        {name: SourceRecord(source=name, reliability=rel, evidence=ev, mean_error=err) for name, rel, ev, err in rows}
    )


def _store(session: Session, stamp: str, records: TrackRecords) -> None:
    """Keep the records for the next query; another writer doing the same at the same moment wins, silently."""
    ids = dict(session.execute(select(Source.name, Source.id).where(Source.name.in_(list(records)))).all())
    try:
        session.execute(delete(TrackRecord))
        session.execute(delete(TrackRecordState))
        rows = [
            {"source_id": ids[name], "reliability": r.reliability, "evidence": r.evidence, "mean_error": r.mean_error}
            for name, r in records.items()
            if name in ids
        ]
        if rows:
            session.execute(insert(TrackRecord), rows)
        session.execute(insert(TrackRecordState).values(id=1, fingerprint=stamp))
        session.commit()
    except (OperationalError, IntegrityError):
        session.rollback()


def estimate_group(comp: Comparison, records: TrackRecords) -> Estimate | None:
    """The estimate of one group (None when none of its figures has a number)."""
    origins = []
    for label, c in _representatives(comp):
        if c.low is None and c.high is None:
            continue
        reliability = records.reliability(_source_of(c))
        confidence = _confidence(c)
        origins.append(
            EstimateOrigin(
                origin=label,
                source=_source_of(c),
                claim_id=c.id,
                text=c.text,
                low=c.low,
                high=c.high,
                value=best_estimate(c),
                reliability=round(reliability, 4),
                confidence=round(confidence, 4),
                weight=round(reliability * confidence, 4),
            )
        )
    if not origins:
        return None
    best = _weighted_median([o.value for o in origins], [max(o.weight, 1e-6) for o in origins])
    lows = [o.low if o.low is not None else o.high for o in origins]
    highs = [(o.high if o.high is not None else o.low, o.high is None) for o in origins]
    low = min(x for x in lows if x is not None)
    high, high_open = max((h, open_) for h, open_ in highs if h is not None)
    values = sorted(o.value for o in origins)  # one per independent origin
    corroborated = any(b <= a * CLOSE_AGREEMENT for a, b in itertools.pairwise(values))
    floor = max(o.low for o in origins if o.low is not None) if any(o.low is not None for o in origins) else low
    ceiling = min((o.high for o in origins if o.high is not None), default=None)
    if ceiling is None or floor <= ceiling:  # every origin's interval holds it: the best must too
        best = max(best, floor) if ceiling is None else min(max(best, floor), ceiling)
    return Estimate(
        low=low,
        best=round(min(max(best, low), high) if not high_open else max(best, low)),
        high=high,
        high_open=high_open,
        origins=origins,
        corroborated=corroborated,
        rule=RULE,
    )


def estimates(
    session: Session,
    *,
    event: str | None = None,
    kind: str | None = None,
    as_of: dt.date | None = None,
    min_confidence: float | None = None,
) -> list[tuple[Comparison, Estimate]]:
    """The estimate of every group of the selection, single-origin groups included."""
    records = track_records(session, as_of=as_of, min_confidence=min_confidence)
    selected, _ = comparisons(session, event=event, kind=kind, as_of=as_of, min_confidence=min_confidence)
    out = []
    for comp in selected:
        found = estimate_group(comp, records)
        if found is not None:
            out.append((comp, found))
    return out
