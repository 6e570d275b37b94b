"""copy signatures and review log

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 05:52:20.139433
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), server_default=sa.text("(CURRENT_TIMESTAMP)"), nullable=False),
        sa.Column("entity", sa.String(length=10), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.CheckConstraint("entity IN ('claim', 'source', 'event')", name=op.f("ck_change_log_entity")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_change_log")),
    )
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.create_index("ix_change_log_entity_entity_id", ["entity", "entity_id"], unique=False)

    op.create_table(
        "document_signature",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("shingles", sa.Integer(), nullable=False),
        sa.Column("sketch", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_document_signature_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_document_signature")),
    )
    # documents added before this revision get their copy signature now
    from app.families import sketch

    signature = sa.table(
        "document_signature",
        sa.column("document_id", sa.Integer),
        sa.column("shingles", sa.Integer),
        sa.column("sketch", sa.JSON),
    )
    conn = op.get_bind()
    rows = []
    for doc_id, text in conn.execute(sa.text("SELECT id, text FROM document")):
        count, hashes = sketch(text)
        rows.append({"document_id": doc_id, "shingles": count, "sketch": hashes})
    if rows:
        op.bulk_insert(signature, rows)


def downgrade() -> None:
    op.drop_table("document_signature")
    with op.batch_alter_table("change_log", schema=None) as batch_op:
        batch_op.drop_index("ix_change_log_entity_entity_id")

    op.drop_table("change_log")
