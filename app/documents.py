"""Listing documents."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Claim, Document, Source
from app.schemas import DocumentOut


def list_documents(session: Session) -> list[DocumentOut]:
    counts = select(Claim.document_id, func.count().label("n")).group_by(Claim.document_id).subquery()
    rows = session.execute(
        select(Document, Source.name, func.coalesce(counts.c.n, 0))
        .outerjoin(Source, Source.id == Document.publisher_id)
        .outerjoin(counts, counts.c.document_id == Document.id)
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
