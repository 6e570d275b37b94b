"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21 05:31:33.352791
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("place", sa.Text(), nullable=True),
        sa.Column("keywords", sa.JSON(), nullable=False),
        sa.Column("proposed", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "end_date IS NULL OR start_date IS NULL OR start_date <= end_date", name=op.f("ck_event_dates")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
        sa.UniqueConstraint("slug", name=op.f("uq_event_slug")),
    )
    op.create_table(
        "source",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "kind IN ('outlet', 'organisation', 'person', 'government', 'crowd', 'unnamed', 'unknown')",
            name=op.f("ck_source_kind"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source")),
        sa.UniqueConstraint("name", name=op.f("uq_source_name")),
    )
    op.create_table(
        "document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("published", sa.Date(), nullable=True),
        sa.Column("published_precision", sa.String(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("text_length", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("origin", sa.String(length=300), nullable=False),
        sa.Column(
            "ingested_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(published IS NULL) = (published_precision = 'unknown')",
            name=op.f("ck_document_published_known"),
        ),
        sa.CheckConstraint(
            "published_precision IN ('day', 'month', 'year', 'estimated', 'unknown')",
            name=op.f("ck_document_published_precision"),
        ),
        sa.CheckConstraint("text_length = length(text)", name=op.f("ck_document_text_length")),
        sa.ForeignKeyConstraint(
            ["publisher_id"], ["source.id"], name=op.f("fk_document_publisher_id_source"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
        sa.UniqueConstraint("id", "text_length", name=op.f("uq_document_id_text_length")),
        sa.UniqueConstraint("sha256", name=op.f("uq_document_sha256")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_origin"), ["origin"], unique=False)
        batch_op.create_index(batch_op.f("ix_document_publisher_id"), ["publisher_id"], unique=False)

    op.create_table(
        "source_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("alias", sa.String(length=300), nullable=False),
        sa.Column("norm", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_source_alias_source_id_source"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_alias")),
        sa.UniqueConstraint("norm", name=op.f("uq_source_alias_norm")),
    )
    with op.batch_alter_table("source_alias", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_source_alias_source_id"), ["source_id"], unique=False)

    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("document_length", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("low", sa.BigInteger(), nullable=True),
        sa.Column("high", sa.BigInteger(), nullable=True),
        sa.Column("qualifier", sa.String(length=100), nullable=True),
        sa.Column("unit", sa.String(length=100), nullable=True),
        sa.Column("subgroup", sa.String(length=200), nullable=True),
        sa.Column("quote_form", sa.String(length=10), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("sentence_start", sa.Integer(), nullable=False),
        sa.Column("sentence_end", sa.Integer(), nullable=False),
        sa.Column("asserted_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("origin", sa.String(length=10), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("(CURRENT_TIMESTAMP)"),
            nullable=False,
        ),
        sa.CheckConstraint(
            "(kind = 'quote') OR (low IS NOT NULL OR high IS NOT NULL)",
            name=op.f("ck_claim_figure_has_bound"),
        ),
        sa.CheckConstraint(
            "kind IN ('death_toll', 'arrest_count', 'injury_count', 'execution_count', 'detention_count', 'other_count', 'quote')",
            name=op.f("ck_claim_kind"),
        ),
        sa.CheckConstraint("origin IN ('fixture', 'extractor', 'manual')", name=op.f("ck_claim_origin")),
        sa.CheckConstraint(
            "quote_form IS NULL OR quote_form IN ('speech', 'chant', 'fragment')",
            name=op.f("ck_claim_quote_form"),
        ),
        sa.CheckConstraint("status IN ('extracted', 'confirmed', 'rejected')", name=op.f("ck_claim_status")),
        sa.CheckConstraint("low IS NULL OR high IS NULL OR low <= high", name=op.f("ck_claim_low_le_high")),
        sa.CheckConstraint("low IS NULL OR low >= 0", name=op.f("ck_claim_low_nonnegative")),
        sa.CheckConstraint(
            "sentence_start <= span_start AND span_end <= sentence_end AND sentence_end <= document_length",
            name=op.f("ck_claim_sentence"),
        ),
        sa.CheckConstraint(
            "span_start >= 0 AND span_start < span_end AND span_end <= document_length",
            name=op.f("ck_claim_span"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id", "document_length"],
            ["document.id", "document.text_length"],
            name="fk_claim_document_id_document",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["event_id"], ["event.id"], name=op.f("fk_claim_event_id_event"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
        sa.UniqueConstraint(
            "document_id",
            "kind",
            "span_start",
            "span_end",
            name=op.f("uq_claim_document_id_kind_span_start_span_end"),
        ),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_document_id"), ["document_id"], unique=False)
        batch_op.create_index("ix_claim_event_id_kind", ["event_id", "kind"], unique=False)
        batch_op.create_index("ix_claim_high", ["high"], unique=False)
        batch_op.create_index("ix_claim_low", ["low"], unique=False)

    op.create_table(
        "attribution",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=10), nullable=False),
        sa.Column("cue", sa.String(length=200), nullable=True),
        sa.Column("cue_start", sa.Integer(), nullable=True),
        sa.Column("cue_end", sa.Integer(), nullable=True),
        sa.Column("title", sa.Text(), nullable=True),
        sa.CheckConstraint("role IN ('asserter', 'conduit')", name=op.f("ck_attribution_role")),
        sa.CheckConstraint(
            "(cue_start IS NULL AND cue_end IS NULL) OR (cue_start >= 0 AND cue_start <= cue_end)",
            name=op.f("ck_attribution_cue_span"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_attribution_claim_id_claim"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["source_id"], ["source.id"], name=op.f("fk_attribution_source_id_source"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attribution")),
        sa.UniqueConstraint("claim_id", "role", "source_id", name=op.f("uq_attribution_claim_id_role_source_id")),
    )
    with op.batch_alter_table("attribution", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attribution_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_attribution_source_id"), ["source_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("attribution", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attribution_source_id"))
        batch_op.drop_index(batch_op.f("ix_attribution_claim_id"))

    op.drop_table("attribution")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index("ix_claim_low")
        batch_op.drop_index("ix_claim_high")
        batch_op.drop_index("ix_claim_event_id_kind")
        batch_op.drop_index(batch_op.f("ix_claim_document_id"))

    op.drop_table("claim")
    with op.batch_alter_table("source_alias", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_source_alias_source_id"))

    op.drop_table("source_alias")
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_publisher_id"))
        batch_op.drop_index(batch_op.f("ix_document_origin"))

    op.drop_table("document")
    op.drop_table("source")
    op.drop_table("event")
