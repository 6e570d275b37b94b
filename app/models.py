"""The relational schema (SQLAlchemy 2 typed ORM). Tables are created only by the alembic migrations.

Invariants kept by the database itself, not only by Python:
- a claim's span lies inside its document: the claim carries the document's text length through a composite
  foreign key to (document.id, document.text_length), and a CHECK bounds the span by it;
- low <= high whenever both bounds are known;
- enumerations (claim kind, status, origin, source kind, attribution role) are CHECK constraints;
- deleting a document deletes its claims and their attributions; deleting an event unlinks its claims;
  a source that is still referenced cannot be deleted (merge it instead).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

SOURCE_KINDS = ("outlet", "organisation", "person", "government", "crowd", "unnamed", "unknown")
CLAIM_KINDS = (
    "death_toll",
    "arrest_count",
    "injury_count",
    "execution_count",
    "detention_count",
    "other_count",
    "quote",
)
FIGURE_KINDS = CLAIM_KINDS[:-1]
CLAIM_STATUSES = ("extracted", "confirmed", "rejected")
CLAIM_ORIGINS = ("fixture", "extractor", "manual")
QUOTE_FORMS = ("speech", "chant", "fragment")
ROLES = ("asserter", "conduit")
DATE_PRECISIONS = ("day", "month", "year", "estimated", "unknown")
EVENT_STATUSES = ("catalogued", "discovered", "confirmed")
"""`catalogued`: from the catalogue (fixtures, `event add`, `events import`); `discovered`: founded by the extractor
from what articles say; `confirmed`: a discovered event a reviewer has confirmed."""


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dict[str, Any]: JSON,
        list[str]: JSON,
        list[dict[str, Any]]: JSON,
    }


class Source(Base):
    """Anyone who publishes or asserts: an outlet, an organisation, a person, a government body, a crowd, or an
    unnamed source such as "reports coming from inside Iran"."""

    __tablename__ = "source"
    __table_args__ = (CheckConstraint(_in("kind", SOURCE_KINDS), name="kind"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)

    aliases: Mapped[list[SourceAlias]] = relationship(
        back_populates="source", cascade="all, delete-orphan", passive_deletes=True
    )


class SourceAlias(Base):
    """Another name of a source. `norm` is the folded key that lookups use; it is unique across all sources."""

    __tablename__ = "source_alias"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    norm: Mapped[str] = mapped_column(String(300), unique=True)

    source: Mapped[Source] = relationship(back_populates="aliases")


class Document(Base):
    __tablename__ = "document"
    __table_args__ = (
        UniqueConstraint("id", "text_length"),
        CheckConstraint("text_length = length(text)", name="text_length"),
        CheckConstraint(_in("published_precision", DATE_PRECISIONS), name="published_precision"),
        CheckConstraint("(published IS NULL) = (published_precision = 'unknown')", name="published_known"),
        Index("ix_document_url", "url", postgresql_using="hash"),
        Index("ix_document_canonical_url", "canonical_url", postgresql_using="hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    publisher_id: Mapped[int | None] = mapped_column(ForeignKey("source.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(Text)
    """The URL the page names as its own (<link rel="canonical">), for pages brought in from the web."""
    author: Mapped[str | None] = mapped_column(Text)
    published: Mapped[dt.date | None] = mapped_column(Date)
    published_precision: Mapped[str] = mapped_column(String(10), default="unknown")
    text: Mapped[str] = mapped_column(Text)
    text_length: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    origin: Mapped[str] = mapped_column(String(300), index=True)
    ingested_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    publisher: Mapped[Source | None] = relationship()


class Capture(Base):
    """What a server sent for a document brought in from the web, kept as it was sent: one gzipped WARC record
    (a `response` record with the HTTP status and headers; a `resource` record for a local file), with the URL
    asked and the URL that answered, the capture time and the sha256 of the body."""

    __tablename__ = "capture"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), unique=True)
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str] = mapped_column(Text)
    status: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(100))
    captured_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    warc: Mapped[bytes] = mapped_column(LargeBinary)


class Event(Base):
    """An incident figures are about: catalogued by people, or discovered across documents (app/events.py)."""

    __tablename__ = "event"
    __table_args__ = (
        CheckConstraint("end_date IS NULL OR start_date IS NULL OR start_date <= end_date", name="dates"),
        CheckConstraint(_in("status", EVENT_STATUSES), name="status"),
        Index("ix_event_status_start_date", "status", "start_date"),
        Index("ix_event_status_end_date", "status", "end_date", "start_date"),  # discovery's window (0010)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    slug: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(Text)
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    place: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(12), default="catalogued", server_default="catalogued")
    kinds: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    countries: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    places: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list, server_default="[]")
    day: Mapped[dt.date | None] = mapped_column(Date)
    """The day a discovered incident happened, where a report says: two stampedes a week apart are two events."""


class Claim(Base):
    """One assertion in one document: a figure (kind, bounds, qualifier, unit, subgroup) or a quote."""

    __tablename__ = "claim"
    __table_args__ = (
        ForeignKeyConstraint(
            ["document_id", "document_length"],
            ["document.id", "document.text_length"],
            ondelete="CASCADE",
            name="fk_claim_document_id_document",
        ),
        CheckConstraint(_in("kind", CLAIM_KINDS), name="kind"),
        CheckConstraint(_in("status", CLAIM_STATUSES), name="status"),
        CheckConstraint(_in("origin", CLAIM_ORIGINS), name="origin"),
        CheckConstraint(f"quote_form IS NULL OR {_in('quote_form', QUOTE_FORMS)}", name="quote_form"),
        CheckConstraint("low IS NULL OR high IS NULL OR low <= high", name="low_le_high"),
        CheckConstraint("low IS NULL OR low >= 0", name="low_nonnegative"),
        CheckConstraint("span_start >= 0 AND span_start < span_end AND span_end <= document_length", name="span"),
        CheckConstraint(
            "sentence_start <= span_start AND span_end <= sentence_end AND sentence_end <= document_length",
            name="sentence",
        ),
        CheckConstraint("(kind = 'quote') OR (low IS NOT NULL OR high IS NOT NULL)", name="figure_has_bound"),
        UniqueConstraint("document_id", "kind", "span_start", "span_end"),
        Index("ix_claim_event_id_kind", "event_id", "kind"),
        Index("ix_claim_low", "low"),
        Index("ix_claim_high", "high"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    document_id: Mapped[int] = mapped_column(Integer, index=True)
    document_length: Mapped[int] = mapped_column(Integer)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("event.id", ondelete="SET NULL"))
    kind: Mapped[str] = mapped_column(String(20))
    low: Mapped[int | None] = mapped_column(BigInteger)
    high: Mapped[int | None] = mapped_column(BigInteger)
    qualifier: Mapped[str | None] = mapped_column(String(100))
    unit: Mapped[str | None] = mapped_column(String(100))
    subgroup: Mapped[str | None] = mapped_column(String(200))
    quote_form: Mapped[str | None] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column("span_start", Integer)
    end: Mapped[int] = mapped_column("span_end", Integer)
    sentence_start: Mapped[int] = mapped_column(Integer)
    sentence_end: Mapped[int] = mapped_column(Integer)
    asserted_on: Mapped[dt.date | None] = mapped_column(Date)
    explanation: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    """For an extracted claim: which rule decided each field, with the cue words and their span."""
    confidence: Mapped[float | None] = mapped_column(Float, index=True)
    """For an extracted figure: how often the rules that made it were right on the development corpus."""
    status: Mapped[str] = mapped_column(String(10), default="extracted")
    origin: Mapped[str] = mapped_column(String(10))
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Raised by one on every reviewer change: a change made against an older version is refused (app/review.py),
    so two reviewers cannot silently overwrite each other."""
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    document: Mapped[Document] = relationship()
    event: Mapped[Event | None] = relationship()
    attributions: Mapped[list[Attribution]] = relationship(
        back_populates="claim", cascade="all, delete-orphan", passive_deletes=True, order_by="Attribution.id"
    )


class Attribution(Base):
    """Links a claim to a source: the `asserter` says it; a `conduit` carries it into this document.
    A claim with no asserter is the document's own voice."""

    __tablename__ = "attribution"
    __table_args__ = (
        CheckConstraint(_in("role", ROLES), name="role"),
        CheckConstraint(
            "(cue_start IS NULL AND cue_end IS NULL) OR (cue_start >= 0 AND cue_start <= cue_end)",
            name="cue_span",
        ),
        UniqueConstraint("claim_id", "role", "source_id"),
        Index("ix_attribution_source_id_claim_id", "source_id", "claim_id"),  # a source's claims, counted (0011)
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("claim.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="RESTRICT"))
    role: Mapped[str] = mapped_column(String(10))
    cue: Mapped[str | None] = mapped_column(String(200))
    cue_start: Mapped[int | None] = mapped_column(Integer)
    cue_end: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str | None] = mapped_column(Text)

    claim: Mapped[Claim] = relationship(back_populates="attributions")
    source: Mapped[Source] = relationship()


class DocumentSignature(Base):
    """A bottom-k MinHash sketch of a document's word 5-shingles, for finding copies (app/families.py)."""

    __tablename__ = "document_signature"

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    shingles: Mapped[int] = mapped_column(Integer)
    sketch: Mapped[list[int]] = mapped_column(JSON)


class DocumentShingle(Base):
    """The inverted index of the sketches: which documents have a sketched shingle hash. A new document's copies
    are looked up here, among the documents sharing a hash, never among all of them (app/families.py)."""

    __tablename__ = "document_shingle"

    hash: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class CopyLink(Base):
    """Two documents found to copy each other when the later one was added, with the estimated containment."""

    __tablename__ = "copy_link"
    __table_args__ = (CheckConstraint("copy_of < document_id", name="order"),)

    document_id: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True)
    copy_of: Mapped[int] = mapped_column(ForeignKey("document.id", ondelete="CASCADE"), primary_key=True, index=True)
    containment: Mapped[float] = mapped_column(Float)


CHANGE_ENTITIES = ("claim", "source", "event")


class Change(Base):
    """The review log: every change a reviewer makes, with its time and an optional note."""

    __tablename__ = "change_log"
    __table_args__ = (
        CheckConstraint(_in("entity", CHANGE_ENTITIES), name="entity"),
        Index("ix_change_log_entity_entity_id", "entity", "entity_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    entity: Mapped[str] = mapped_column(String(10))
    entity_id: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(30))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    note: Mapped[str | None] = mapped_column(Text)
    reviewer: Mapped[str | None] = mapped_column(String(100))
    """Who made the change: the account of the web app's reviewer; none for the command line."""


class Account(Base):
    """A reviewer who may use the web app (`claimdb user add NAME`). The token is shown once and stored hashed
    (scrypt with a per-account salt: `scrypt$n$r$p$salt$hash`, app/users.py)."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    token_hash: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TrackRecord(Base):
    """A source's track record as last computed (app/estimate.py): a cache, rebuilt when the claims change."""

    __tablename__ = "track_record"

    source_id: Mapped[int] = mapped_column(ForeignKey("source.id", ondelete="CASCADE"), primary_key=True)
    reliability: Mapped[float] = mapped_column(Float)
    evidence: Mapped[int] = mapped_column(Integer)
    mean_error: Mapped[float | None] = mapped_column(Float)


class TrackRecordState(Base):
    """What the stored track records were computed from: a fingerprint of the claims, sources, copies and reviews."""

    __tablename__ = "track_record_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(200))
    computed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
