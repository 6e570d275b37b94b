"""A large document's claims are written batch by batch as the extractor finds them: the database ends up the same
as when they are collected first, and a failure half-way leaves nothing behind."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import ingest
from app.db import make_engine
from app.events import catalogue
from app.extract import pipeline
from app.ingest import DocumentIn, add_document
from app.models import Attribution, Claim, Document, Source

SEEDS = sorted((Path(__file__).resolve().parent.parent / "fixtures" / "documents").glob("*.txt"))


def _stored(session: Session) -> list[tuple[Any, ...]]:
    rows = session.execute(
        select(
            Claim.kind,
            Claim.start,
            Claim.end,
            Claim.low,
            Claim.high,
            Claim.subgroup,
            Claim.status,
            Claim.explanation,
            Source.name,
            Attribution.role,
            Claim.event_id.is_(None),
        )
        .outerjoin(Attribution, Attribution.claim_id == Claim.id)
        .outerjoin(Source, Source.id == Attribution.source_id)
        .order_by(Claim.id, Attribution.role, Source.name)
    ).all()
    return [tuple(r) for r in rows]


def _extractor(session: Session) -> ingest.Extractor:
    events = catalogue(session)

    def extract(text: str, /, *, published: Any = None, on_claims: Any = None) -> pipeline.Extraction:
        # `pipeline.extract_claims` looked up at each call, so that a test can watch it
        return pipeline.extract_claims(text, published=published, catalogue=events, on_claims=on_claims)

    return extract


def _add_all(session: Session) -> list[int]:
    extractor = _extractor(session)
    out = []
    for path in SEEDS:
        document = DocumentIn(text=path.read_text(encoding="utf-8"), origin=path.name)
        out.append(add_document(session, document=document, extractor=extractor).claims)
    return out


def _forget_documents(session: Session) -> None:
    for table in (Attribution, Claim, Document):
        session.execute(table.__table__.delete())  # type: ignore[attr-defined]
    session.commit()


def test_streamed_claims_are_the_collected_claims(empty_db: str, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = make_engine(empty_db)
    with Session(engine) as session:
        collected_counts = _add_all(session)
        collected = _stored(session)
        assert len(collected) > 50
        _forget_documents(session)

        batches: list[int] = []
        original = pipeline.extract_claims

        def watched(text: str, **kwargs: Any) -> pipeline.Extraction:
            on_claims = kwargs.pop("on_claims")
            assert on_claims is not None, "a large document is streamed"

            def counted(batch: list[Any]) -> None:
                batches.append(len(batch))
                on_claims(batch)

            return original(text, on_claims=counted, **kwargs)

        monkeypatch.setattr(ingest, "STREAM_ABOVE_CHARS", 0)  # every document is large
        monkeypatch.setattr(pipeline, "CLAIM_BATCH", 7)
        monkeypatch.setattr(pipeline, "extract_claims", watched)
        assert _add_all(session) == collected_counts
        assert max(batches) == 7 and len(batches) > len(SEEDS)
        assert _stored(session) == collected
    engine.dispose()


def test_a_failure_half_way_through_a_streamed_document_leaves_nothing(
    empty_db: str, monkeypatch: pytest.MonkeyPatch, counts: Any
) -> None:
    monkeypatch.setattr(ingest, "STREAM_ABOVE_CHARS", 0)
    monkeypatch.setattr(pipeline, "CLAIM_BATCH", 5)
    before = counts(empty_db)
    calls: list[int] = []
    original = pipeline.extract_claims

    def failing(text: str, **kwargs: Any) -> pipeline.Extraction:
        on_claims = kwargs.pop("on_claims")

        def second_batch_fails(batch: list[Any]) -> None:
            calls.append(len(batch))
            if len(calls) == 2:
                raise RuntimeError("disk full")
            on_claims(batch)

        return original(text, on_claims=second_batch_fails, **kwargs)

    monkeypatch.setattr(pipeline, "extract_claims", failing)
    engine = make_engine(empty_db)
    with Session(engine) as session, pytest.raises(RuntimeError, match="disk full"):
        document = DocumentIn(text=SEEDS[0].read_text(encoding="utf-8"), origin="a.txt")
        add_document(session, document=document, extractor=_extractor(session))
    engine.dispose()
    assert calls == [5, 5]
    assert counts(empty_db) == before
