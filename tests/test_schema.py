"""Constraints live in the database: a writer that bypasses Python still cannot break them."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.models import Attribution, Claim, Document, Source


def _claim_row(doc: Document, **over: object) -> dict[str, object]:
    row: dict[str, object] = {
        "document_id": doc.id,
        "document_length": doc.text_length,
        "kind": "death_toll",
        "low": 10,
        "high": 10,
        "text": "ten",
        "start": 0,
        "end": 3,
        "sentence_start": 0,
        "sentence_end": 3,
        "status": "extracted",
        "origin": "manual",
    }
    row.update(over)
    return row


@pytest.fixture
def doc(loaded_db: str, db_session):  # type: ignore[no-untyped-def]
    with db_session(loaded_db) as session:
        document = session.scalars(select(Document).order_by(Document.id)).first()
        assert document is not None
        session.expunge(document)
    return loaded_db, document


@pytest.mark.parametrize(
    "override",
    [
        {"low": 20, "high": 10},  # low above high
        {"start": 0, "end": 10**6, "sentence_end": 10**6},  # span past the end of the document
        {"document_length": 5},  # a length that is not the document's
        {"kind": "rumour"},
        {"status": "maybe"},
        {"low": None, "high": None},  # a figure with no bound
        {"low": -1},
    ],
)
def test_check_constraints(doc, db_session, override: dict[str, object]) -> None:  # type: ignore[no-untyped-def]
    url, document = doc
    with db_session(url) as session, pytest.raises(IntegrityError):
        session.execute(insert(Claim), [_claim_row(document, **override)])
        session.flush()


def test_document_delete_cascades_to_claims_and_attributions(doc, db_session) -> None:  # type: ignore[no-untyped-def]
    url, document = doc
    with db_session(url) as session:
        claim_ids = select(Claim.id).where(Claim.document_id == document.id)
        assert session.scalar(select(func.count()).where(Attribution.claim_id.in_(claim_ids))) > 0
        session.execute(delete(Document).where(Document.id == document.id))
        session.commit()
        assert session.scalar(select(func.count()).select_from(Claim).where(Claim.document_id == document.id)) == 0
        assert session.scalar(select(func.count()).where(Attribution.claim_id.in_(claim_ids))) == 0


def test_referenced_source_cannot_be_deleted(doc, db_session) -> None:  # type: ignore[no-untyped-def]
    url, _ = doc
    with db_session(url) as session:
        samsami = session.scalar(select(Source.id).where(Source.name == "Soona Samsami"))
        with pytest.raises(IntegrityError):
            session.execute(delete(Source).where(Source.id == samsami))
            session.flush()


def test_document_text_length_must_match(doc, db_session) -> None:  # type: ignore[no-untyped-def]
    url, document = doc
    with db_session(url) as session, pytest.raises(IntegrityError):
        session.execute(update(Document).where(Document.id == document.id).values(text_length=3))
        session.flush()
