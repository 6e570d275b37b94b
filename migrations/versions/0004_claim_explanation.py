"""claim explanation: which extractor rule decided each field

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # a plain ADD COLUMN on both backends: a batch copy of `claim` is not needed for a nullable column
    op.add_column("claim", sa.Column("explanation", sa.JSON(), nullable=True))


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE claim DROP COLUMN explanation")
    else:
        op.drop_column("claim", "explanation")
