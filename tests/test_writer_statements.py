"""The writer's cost per document does not grow with its claims: a document's claims, attributions and sources are
written with a fixed number of statements, however many claims it has, and each claim gets its own id, span and
attributions back."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from app.ingest import DocumentIn, add_document
from app.models import Attribution, Claim, Source
from app.schemas import AttributionIn, ClaimIn
from app.sources import SourceResolver

SOURCES = ["Ministry of Health", "Red Crescent", "Provincial Police", "Kalinga Aid"]


@contextmanager
def _statements(engine: Engine) -> Iterator[Counter[str]]:
    """The statements sent to the database meanwhile, counted by their first three words."""
    seen: Counter[str] = Counter()

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        seen[" ".join(statement.split()[:3]).upper()] += 1

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _document(n: int, tag: str) -> tuple[DocumentIn, list[ClaimIn]]:
    """A report with `n` figures, each attributed to one of SOURCES in turn."""
    parts: list[str] = []
    claims: list[ClaimIn] = []
    offset = 0
    for i in range(n):
        figure = str(10 + i)
        sentence = f"In district {tag}-{i}, {figure} people were killed, {SOURCES[i % len(SOURCES)]} said. "
        start = offset + sentence.index(figure)
        claims.append(
            ClaimIn(
                kind="death_toll",
                text=figure,
                start=start,
                end=start + len(figure),
                low=10 + i,
                high=10 + i,
                attributions=[AttributionIn(role="asserter", source=SOURCES[i % len(SOURCES)])],
            )
        )
        parts.append(sentence)
        offset += len(sentence)
    text = "".join(parts)
    return DocumentIn(text=text, origin=f"{tag}.txt", published=dt.date(2024, 3, 1)), claims


def _add(session: Session, resolver: SourceResolver, n: int, tag: str) -> tuple[Counter[str], list[int]]:
    document, claims = _document(n, tag)
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    with _statements(engine) as seen:
        result = add_document(session, document=document, claims=claims, resolver=resolver)
    assert result.added and result.claims == n
    return seen, result.claim_ids


def test_statements_do_not_grow_with_claims(db_session: type, empty_db: str) -> None:
    with db_session(empty_db) as session:
        resolver = SourceResolver(session)
        _add(session, resolver, len(SOURCES), "warm")  # the sources exist from here on, as in a long run
        few, _ = _add(session, resolver, 3, "few")
        many, _ = _add(session, resolver, 60, "many")
    assert many["INSERT INTO CLAIM"] == 1, many
    assert many["INSERT INTO ATTRIBUTION"] == 1, many
    # copy detection reads and writes by the text's overlap with earlier documents, not by its claims
    copies = ("DOCUMENT_SHINGLE", "DOCUMENT_SIGNATURE", "COPY_LINK")
    assert {k: v for k, v in many.items() if not any(c in k for c in copies)} == {
        k: v for k, v in few.items() if not any(c in k for c in copies)
    }


def test_each_claim_gets_its_own_id_and_attributions(db_session: type, empty_db: str) -> None:
    with db_session(empty_db) as session:
        resolver = SourceResolver(session)
        _, first = _add(session, resolver, 7, "first")
        _, ids = _add(session, resolver, 45, "second")
        rows = session.execute(
            select(Claim.id, Claim.start, Claim.end, Claim.low, Source.name)
            .join(Attribution, Attribution.claim_id == Claim.id)
            .join(Source, Source.id == Attribution.source_id)
            .where(Claim.id.in_(ids))
            .order_by(Claim.id)
        ).all()
        text = _document(45, "second")[0].text
    assert ids == sorted(ids) and not set(ids) & set(first)
    assert [r.id for r in rows] == ids  # one attribution each, on the claim it belongs to
    for i, row in enumerate(rows):
        assert row.low == 10 + i
        assert text[row.start : row.end] == str(10 + i)
        assert row.name == SOURCES[i % len(SOURCES)]


def test_the_writer_reads_only_the_events_its_claims_name(db_session: type, empty_db: str) -> None:
    """With a thousand events in the database, a document reads the ids of the events its claims name, never the
    whole event table: its cost does not grow with the events a long run has discovered."""
    from sqlalchemy import insert

    from app.models import Event

    with db_session(empty_db) as session:
        session.execute(
            insert(Event), [{"slug": f"old-{i}", "name": f"Old {i}", "status": "discovered"} for i in range(1000)]
        )
        session.commit()
        resolver = SourceResolver(session)
        document, claims = _document(3, "named")
        claims = [c.model_copy(update={"event": "old-7"}) for c in claims]
        engine = session.get_bind()
        assert isinstance(engine, Engine)
        statements: list[str] = []

        def keep(_conn: object, _cursor: object, statement: str, *_: object) -> None:
            statements.append(" ".join(statement.split()))

        event.listen(engine, "before_cursor_execute", keep)
        try:
            result = add_document(session, document=document, claims=claims, resolver=resolver)
        finally:
            event.remove(engine, "before_cursor_execute", keep)
        linked = session.scalars(select(Claim.event_id).where(Claim.id.in_(result.claim_ids))).all()
        old_7 = session.scalar(select(Event.id).where(Event.slug == "old-7"))
    reads = [s for s in statements if s.upper().startswith("SELECT EVENT.SLUG, EVENT.ID FROM EVENT")]
    assert reads and all(" WHERE " in s.upper() for s in reads), reads
    assert linked == [old_7] * 3 and result.events == ["old-7"]
