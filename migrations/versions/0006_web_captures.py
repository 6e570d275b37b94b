"""web captures: documents brought in from URLs, pages, feeds and archives keep their canonical URL, author and
the raw response as a WARC record

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 22:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ADD COLUMN, not a batch copy: on SQLite a copied document table would cascade-delete its claims
    op.add_column("document", sa.Column("canonical_url", sa.Text(), nullable=True))
    op.add_column("document", sa.Column("author", sa.Text(), nullable=True))
    op.create_index("ix_document_url", "document", ["url"], postgresql_using="hash")
    op.create_index("ix_document_canonical_url", "document", ["canonical_url"], postgresql_using="hash")
    op.create_table(
        "capture",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("final_url", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("content_type", sa.String(length=100), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("warc", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["document.id"], name=op.f("fk_capture_document_id_document"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capture")),
        sa.UniqueConstraint("document_id", name=op.f("uq_capture_document_id")),
    )
    op.create_index(op.f("ix_capture_sha256"), "capture", ["sha256"])


def downgrade() -> None:
    op.drop_index(op.f("ix_capture_sha256"), table_name="capture")
    op.drop_table("capture")
    op.drop_index("ix_document_canonical_url", table_name="document")
    op.drop_index("ix_document_url", table_name="document")
    for column in ("author", "canonical_url"):
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE document DROP COLUMN {column}")  # no table copy: claims stay
        else:
            op.drop_column("document", column)
