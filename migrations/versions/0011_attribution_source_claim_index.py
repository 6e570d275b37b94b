"""a source's attributions indexed with their claims: `sources` counts each source's claims from the index alone

`list_sources` counts the distinct claims of every source (`count(DISTINCT claim_id) … GROUP BY source_id`). With
an index on `source_id` alone SQLite read every attribution row and sorted the claim ids in a temporary B-tree for
each source (2.9 s at a million attributions); with (source_id, claim_id) the count is one scan of the covering
index (0.19 s). The new index leads with `source_id`, so it replaces ix_attribution_source_id for every query that
filters by source.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 20:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_attribution_source_id_claim_id", "attribution", ["source_id", "claim_id"], unique=False)
    op.drop_index("ix_attribution_source_id", table_name="attribution")


def downgrade() -> None:
    op.create_index("ix_attribution_source_id", "attribution", ["source_id"], unique=False)
    op.drop_index("ix_attribution_source_id_claim_id", table_name="attribution")
