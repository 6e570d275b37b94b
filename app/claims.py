"""Reading claims back: filters, who-says, and the JSON claim contract (`ClaimOut`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.errors import InputError, NotFoundError
from app.models import CLAIM_KINDS, CLAIM_STATUSES, FIGURE_KINDS, Attribution, Claim, Document, Event, Source
from app.paging import Page
from app.schemas import MAX_COUNT, ClaimOut
from app.sources import SourceResolver

_publisher = aliased(Source)


@dataclass(frozen=True)
class ClaimFilter:
    event: str | None = None
    kind: str | None = None
    source: str | None = None
    asserter: str | None = None
    publisher: str | None = None
    document: str | None = None
    status: str | None = None
    include_rejected: bool = True
    min_confidence: float | None = None
    """Leave out extracted figures less trusted than this; curated, confirmed and quoted claims always stay."""
    as_of: dt.date | None = None
    """Only what had been published by this day: documents dated on or before it (an undated one cannot be shown
    to have been, and is left out)."""
    document_ids: tuple[int, ...] | None = None
    """Only claims of these documents (by id)."""
    event_ids: tuple[int, ...] | None = None
    """Only claims of these events (by id)."""


def _check_kind(kind: str | None) -> None:
    if kind is not None and kind not in CLAIM_KINDS:
        raise InputError(f"unknown kind {kind!r}: choose from {', '.join(CLAIM_KINDS)}")


_COLUMNS = (
    Claim.id,
    Claim.kind,
    Claim.low,
    Claim.high,
    Claim.qualifier,
    Claim.unit,
    Claim.subgroup,
    Claim.quote_form,
    Claim.text,
    Claim.start,
    Claim.end,
    Claim.sentence_start,
    Claim.asserted_on,
    Claim.status,
    Claim.origin,
    Claim.explanation,
    Claim.confidence,
    Claim.version,
)
"""A claim's own columns as `ClaimOut` needs them, read as plain values: no ORM object a claim (a listing of a
million claims built a million of them, with their identity-map bookkeeping)."""


def _base_query() -> Select:
    return (
        select(
            *_COLUMNS,
            Event.slug,
            Document.origin,
            Document.published,
            Document.published_precision,
            _publisher.name,
            func.substr(Document.text, Claim.sentence_start + 1, Claim.sentence_end - Claim.sentence_start),
            Claim.document_id,
            Event.status,
        )
        .join(Document, Document.id == Claim.document_id)
        .outerjoin(Event, Event.id == Claim.event_id)
        .outerjoin(_publisher, _publisher.id == Document.publisher_id)
    )


def _apply(session: Session, query: Select, flt: ClaimFilter) -> Select:
    _check_kind(flt.kind)
    if flt.kind:
        query = query.where(Claim.kind == flt.kind)
    if flt.event:
        event_id = session.scalar(select(Event.id).where(Event.slug == flt.event))
        if event_id is None:
            raise NotFoundError(f"no event {flt.event!r} (see 'claimdb events')")
        query = query.where(Claim.event_id == event_id)
    if flt.document:
        by_origin = or_(
            Document.origin == flt.document, Document.origin.startswith(flt.document + "_", autoescape=True)
        )
        doc_ids = list(session.scalars(select(Document.id).where(by_origin)))
        if not doc_ids and flt.document.isdigit() and int(flt.document) <= MAX_COUNT:
            doc_ids = list(session.scalars(select(Document.id).where(Document.id == int(flt.document))))
        if not doc_ids:
            raise NotFoundError(f"no document {flt.document!r} (see 'claimdb documents')")
        query = query.where(Claim.document_id.in_(doc_ids))
    if flt.document_ids is not None:
        query = query.where(Claim.document_id.in_(flt.document_ids))
    resolver = SourceResolver(session) if (flt.source or flt.asserter or flt.publisher) else None

    def _source_id(name: str) -> int:
        assert resolver is not None
        sid = resolver.find(name)
        if sid is None:
            raise NotFoundError(f"no source {name!r} (see 'claimdb sources')")
        return sid

    if flt.source:
        sid = _source_id(flt.source)
        attributed = select(Attribution.claim_id).where(Attribution.source_id == sid)
        query = query.where(or_(Claim.id.in_(attributed), Document.publisher_id == sid))
    if flt.asserter:
        sid = _source_id(flt.asserter)
        query = query.where(
            Claim.id.in_(
                select(Attribution.claim_id).where(Attribution.source_id == sid, Attribution.role == "asserter")
            )
        )
    if flt.publisher:
        query = query.where(Document.publisher_id == _source_id(flt.publisher))
    if flt.min_confidence is not None:
        if not 0 <= flt.min_confidence <= 1:
            raise InputError(f"bad minimum confidence {flt.min_confidence}: a number from 0 to 1")
        query = query.where(
            or_(Claim.confidence.is_(None), Claim.status == "confirmed", Claim.confidence >= flt.min_confidence)
        )
    if flt.event_ids is not None:
        query = query.where(Claim.event_id.in_(flt.event_ids))
    if flt.as_of is not None:
        query = query.where(Document.published.is_not(None), Document.published <= flt.as_of)
    if flt.status:
        if flt.status not in CLAIM_STATUSES:
            raise InputError(f"unknown status {flt.status!r}: choose from {', '.join(CLAIM_STATUSES)}")
        query = query.where(Claim.status == flt.status)
    elif not flt.include_rejected:
        query = query.where(Claim.status != "rejected")
    return query


def _to_out(session: Session, rows: Sequence) -> list[ClaimOut]:
    ids = [row[0] for row in rows]
    roles: dict[int, dict[str, tuple[str, str | None, str]]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for claim_id, role, name, cue, source_kind in session.execute(
            select(Attribution.claim_id, Attribution.role, Source.name, Attribution.cue, Source.kind)
            .join(Source, Source.id == Attribution.source_id)
            .where(Attribution.claim_id.in_(chunk))
            .order_by(Attribution.id)
        ):
            roles.setdefault(claim_id, {}).setdefault(role, (name, cue, source_kind))
    out = []
    for (
        claim_id,
        kind,
        low,
        high,
        qualifier,
        unit,
        subgroup,
        quote_form,
        text,
        start,
        end,
        sentence_start,
        asserted_on,
        status,
        origin,
        explanation,
        confidence,
        version,
        slug,
        document,
        published,
        precision,
        publisher,
        sentence,
        document_id,
        event_status,
    ) in rows:
        by_role = roles.get(claim_id, {})
        asserter = by_role.get("asserter")
        conduit = by_role.get("conduit")
        out.append(
            ClaimOut(
                id=claim_id,
                kind=kind,
                low=low,
                high=high,
                qualifier=qualifier,
                unit=unit,
                subgroup=subgroup,
                quote_form=quote_form,
                text=text,
                start=start,
                end=end,
                sentence=sentence,
                sentence_start=sentence_start,
                event=slug,
                event_status=event_status,
                attributed_to=asserter[0] if asserter else None,
                asserter_kind=asserter[2] if asserter else None,
                conduit=conduit[0] if conduit else None,
                cue=asserter[1] if asserter else (conduit[1] if conduit else None),
                publisher=publisher,
                document=document,
                document_id=document_id,
                published=asserted_on or published,
                published_precision="day" if asserted_on else precision,
                status=status,
                origin=origin,
                explanation=explanation,
                confidence=confidence,
                version=version,
            )
        )
    return out


CHUNK = 1000
"""Claims are read and turned into `ClaimOut` this many at a time: a listing of a million streams."""


def _stream(session: Session, query: Select) -> Iterator[ClaimOut]:
    result = session.execute(query.execution_options(yield_per=CHUNK))
    for rows in result.partitions():
        yield from _to_out(session, rows)


def _claims_query(session: Session, flt: ClaimFilter | None) -> Select:
    return _apply(session, _base_query(), flt or ClaimFilter()).order_by(Document.origin, Claim.start, Claim.kind)


def iter_claims(session: Session, *, flt: ClaimFilter | None = None, page: Page | None = None) -> Iterator[ClaimOut]:
    """The claims the filter keeps, in document order, read a chunk at a time."""
    return _stream(session, (page or Page()).apply(_claims_query(session, flt)))


def list_claims(session: Session, *, flt: ClaimFilter | None = None, page: Page | None = None) -> list[ClaimOut]:
    return list(iter_claims(session, flt=flt, page=page))


def claim_document_ids(session: Session, *, flt: ClaimFilter | None = None) -> set[int]:
    """The documents the filter's claims stand in (one query, no claim read)."""
    base = select(Claim.document_id).join(Document, Document.id == Claim.document_id).distinct()
    return set(session.scalars(_apply(session, base, flt or ClaimFilter())))


def count_claims(session: Session, *, flt: ClaimFilter | None = None) -> int:
    base = select(func.count(Claim.id)).join(Document, Document.id == Claim.document_id)
    return session.scalar(_apply(session, base, flt or ClaimFilter())) or 0


OPEN_FACTOR = 2.0
"""An open interval "says" N only when N is within this factor of its one bound: "more than 1,000" says 1,500,
but "dozens" does not say 1,500 although 1,500 is, strictly, dozens. `loose` drops the limit."""


def _who_says_filter(query: Select, value: int, loose: bool) -> Select:
    if not 0 <= value <= MAX_COUNT:
        raise InputError(f"the number must be between 0 and {MAX_COUNT:,}")
    contains = and_(
        or_(Claim.low.is_(None), Claim.low <= value),
        or_(Claim.high.is_(None), Claim.high >= value),
    )
    if not loose:
        contains = and_(
            contains,
            or_(Claim.high.is_not(None), Claim.low * OPEN_FACTOR >= value),
            or_(Claim.low.is_not(None), Claim.high <= value * OPEN_FACTOR),
        )
    above, below = strict_qualifiers()
    written = or_(  # "more than 8,000" is (8,001, open) but says 8,000; "fewer than 50" says 50
        and_(Claim.low == value + 1, func.lower(Claim.qualifier).in_(above)),
        and_(Claim.high == value - 1, func.lower(Claim.qualifier).in_(below)),
    )
    return query.where(Claim.kind.in_(FIGURE_KINDS), or_(contains, written))


def strict_qualifiers() -> tuple[list[str], list[str]]:
    """The qualifiers that put the written number outside the interval ("more than", "fewer than"), as stored."""
    from app.extract.lexicon import QUALIFIERS

    above = [*sorted(q for q, kind in QUALIFIERS.items() if kind == "gt"), "+"]
    below = sorted(q for q, kind in QUALIFIERS.items() if kind == "lt")
    return above, below


def iter_who_says(
    session: Session, *, value: int, flt: ClaimFilter | None = None, loose: bool = False, page: Page | None = None
) -> Iterator[ClaimOut]:
    """Every figure whose interval contains `value`, or whose written number is `value` ("more than 8,000" for 8000);
    an open interval only near its bound unless `loose`."""
    flt = flt or ClaimFilter(include_rejected=False)
    query = _who_says_filter(_apply(session, _base_query(), flt), value, loose).order_by(Document.origin, Claim.start)
    return _stream(session, (page or Page()).apply(query))


def who_says(
    session: Session, *, value: int, flt: ClaimFilter | None = None, loose: bool = False, page: Page | None = None
) -> list[ClaimOut]:
    return list(iter_who_says(session, value=value, flt=flt, loose=loose, page=page))


def count_who_says(session: Session, *, value: int, flt: ClaimFilter | None = None, loose: bool = False) -> int:
    flt = flt or ClaimFilter(include_rejected=False)
    base = select(func.count(Claim.id)).join(Document, Document.id == Claim.document_id)
    return session.scalar(_who_says_filter(_apply(session, base, flt), value, loose)) or 0


def get_claim(session: Session, claim_id: int) -> ClaimOut:
    if not 0 < claim_id <= MAX_COUNT:
        raise NotFoundError(f"no claim {claim_id}")
    rows = session.execute(_base_query().where(Claim.id == claim_id)).all()
    if not rows:
        raise NotFoundError(f"no claim {claim_id}")
    return _to_out(session, rows)[0]
