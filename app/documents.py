"""Listing documents."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import NotFoundError
from app.models import Claim, Document, Source
from app.schemas import MAX_COUNT, DocumentOut


def list_documents(session: Session, *, ids: Sequence[int] | None = None) -> list[DocumentOut]:
    """Every document, or those with these ids, in the order of their origin."""
    counts = select(Claim.document_id, func.count().label("n")).group_by(Claim.document_id)
    query = select(Document, Source.name)
    if ids is not None:
        counts = counts.where(Claim.document_id.in_(ids))
        query = query.where(Document.id.in_(ids))
    sub = counts.subquery()
    rows = session.execute(
        query.add_columns(func.coalesce(sub.c.n, 0))
        .outerjoin(Source, Source.id == Document.publisher_id)
        .outerjoin(sub, sub.c.document_id == Document.id)
        .order_by(Document.origin, Document.id)
    ).all()
    return [
        DocumentOut(
            id=d.id,
            origin=d.origin,
            publisher=publisher,
            title=d.title,
            url=d.url,
            published=d.published,
            published_precision=d.published_precision,
            sha256=d.sha256,
            characters=d.text_length,
            claims=n,
        )
        for d, publisher, n in rows
    ]


class DocumentTextOut(DocumentOut):
    text: str


def get_document(session: Session, *, document_id: int) -> DocumentTextOut:
    """One document: its listing row with its text."""
    if not 0 < document_id <= MAX_COUNT:
        raise NotFoundError(f"no document {document_id}")
    rows = list_documents(session, ids=[document_id])
    if not rows:
        raise NotFoundError(f"no document {document_id}")
    text = session.scalar(select(Document.text).where(Document.id == document_id))
    return DocumentTextOut(**rows[0].model_dump(), text=text or "")
