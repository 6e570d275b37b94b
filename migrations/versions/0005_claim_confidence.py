"""claim confidence: how far an extracted figure can be trusted, from the rules that made it

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 18:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("claim", sa.Column("confidence", sa.Float(), nullable=True))
    op.create_index(op.f("ix_claim_confidence"), "claim", ["confidence"])


def downgrade() -> None:
    op.drop_index(op.f("ix_claim_confidence"), table_name="claim")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE claim DROP COLUMN confidence")
    else:
        op.drop_column("claim", "confidence")
